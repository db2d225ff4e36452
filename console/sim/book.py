"""One simulated order book: synthetic liquidity plus the user's resting orders.

Prices are integer ticks and sizes integer lots inside the book (exact and fast); they turn
into ``Decimal`` only when a reader asks for :meth:`SimBook.top`. The user's resting orders
sit in the same price levels as the synthetic liquidity, so every reader (REST orderbook, the
WS stream, a taker) sees them. Queue position is modelled: a user order waits behind the
synthetic size that was at its level when it arrived.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from console.sim.instruments import SimInstrument

BybitSide = Literal["Buy", "Sell"]
BUY: BybitSide = "Buy"
SELL: BybitSide = "Sell"


MIN_TICK = 1
"""The lowest price a level can have, in ticks: ``minPrice`` is one tick (instruments-info)."""


def opposite(side: BybitSide) -> BybitSide:
    return SELL if side == BUY else BUY


@dataclass(slots=True)
class RestingOrder:
    """A user order waiting in the book. ``ahead`` is synthetic size queued in front of it."""

    order_id: str
    side: BybitSide
    tick: int
    leaves: int
    ahead: int = 0


@dataclass(frozen=True, slots=True)
class Match:
    """One execution of a taker against a level: synthetic (``maker is None``) or a user order."""

    tick: int
    lots: int
    maker: RestingOrder | None


@dataclass(slots=True)
class _Side:
    synthetic: dict[int, int] = field(default_factory=dict)
    resting: dict[int, list[RestingOrder]] = field(default_factory=dict)
    ticks: list[int] = field(default_factory=list)
    """Every tick with any size, ascending."""

    def lots_at(self, tick: int) -> int:
        return self.synthetic.get(tick, 0) + sum(o.leaves for o in self.resting.get(tick, ()))

    def _sync_tick(self, tick: int) -> None:
        present = tick in self.synthetic or tick in self.resting
        index = bisect.bisect_left(self.ticks, tick)
        listed = index < len(self.ticks) and self.ticks[index] == tick
        if present and not listed:
            self.ticks.insert(index, tick)
        elif listed and not present:
            del self.ticks[index]


class SimBook:
    """The book of one instrument. ``version`` increases on every change."""

    def __init__(self, instrument: SimInstrument) -> None:
        self.instrument = instrument
        self.version = 0
        self._sides: dict[BybitSide, _Side] = {BUY: _Side(), SELL: _Side()}
        self._orders: dict[str, RestingOrder] = {}

    @property
    def category(self) -> str:
        return self.instrument.category

    @property
    def symbol(self) -> str:
        return self.instrument.symbol

    # --- reading -------------------------------------------------------------------------

    def best_tick(self, side: BybitSide) -> int | None:
        ticks = self._sides[side].ticks
        if not ticks:
            return None
        return ticks[-1] if side == BUY else ticks[0]

    def mid_price(self) -> Decimal | None:
        """Midpoint of the best bid and ask (the simulator's mark), None on a one-sided book."""
        bid, ask = self.best_tick(BUY), self.best_tick(SELL)
        if bid is None or ask is None:
            return None
        return self.instrument.price(bid + ask) / 2

    def level_ticks(self, side: BybitSide) -> list[int]:
        """Ticks of one side, best first (a copy)."""
        ticks = self._sides[side].ticks
        return ticks[::-1] if side == BUY else list(ticks)

    def level_count(self, side: BybitSide) -> int:
        return len(self._sides[side].ticks)

    def tick_at(self, side: BybitSide, index: int) -> int:
        """The tick of the ``index``-th level from the best (0 is the best)."""
        ticks = self._sides[side].ticks
        return ticks[-1 - index] if side == BUY else ticks[index]

    def lots_at(self, side: BybitSide, tick: int) -> int:
        return self._sides[side].lots_at(tick)

    def synthetic_lots(self, side: BybitSide, tick: int) -> int:
        return self._sides[side].synthetic.get(tick, 0)

    def top_ticks(self, depth: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The best ``depth`` levels per side as (ticks, lots); bids descending, asks ascending."""
        bids_side, asks_side = self._sides[BUY], self._sides[SELL]
        bid_ticks = bids_side.ticks[: -depth - 1 : -1] if depth > 0 else []
        ask_ticks = asks_side.ticks[:depth]
        return (
            [(t, bids_side.lots_at(t)) for t in bid_ticks],
            [(t, asks_side.lots_at(t)) for t in ask_ticks],
        )

    def top(
        self, depth: int
    ) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
        """The best ``depth`` levels per side as exact (price, size), user orders included."""
        bids, asks = self.top_ticks(depth)
        price, size = self.instrument.price, self.instrument.size
        return (
            [(price(t), size(n)) for t, n in bids],
            [(price(t), size(n)) for t, n in asks],
        )

    def resting(self, order_id: str) -> RestingOrder | None:
        return self._orders.get(order_id)

    @property
    def has_resting(self) -> bool:
        """Whether any user order rests in this book."""
        return bool(self._orders)

    # --- synthetic liquidity ---------------------------------------------------------------

    def set_synthetic(self, side: BybitSide, tick: int, lots: int) -> None:
        """Set the synthetic size at a level (0 removes it).

        Shrinking a level takes size from the queue in front of user orders there: the
        cancelled synthetic size was, on average, ahead of them. Nothing is quoted below
        :data:`MIN_TICK` (the instrument's ``minPrice``): a fair price that wandered near
        zero over a long fast run would otherwise quote bids at zero and below, which no
        venue sends and the console rightly refuses.
        """
        if lots > 0 and tick < MIN_TICK:
            return
        book_side = self._sides[side]
        before = book_side.synthetic.get(tick, 0)
        if lots == before:
            return
        if lots > 0:
            book_side.synthetic[tick] = lots
        else:
            book_side.synthetic.pop(tick, None)
        if lots < before:
            for order in book_side.resting.get(tick, ()):
                order.ahead = max(0, order.ahead - (before - lots))
        book_side._sync_tick(tick)
        self.version += 1

    # --- user orders -----------------------------------------------------------------------

    def add_resting(self, order: RestingOrder) -> None:
        """Queue a user order at its level, behind the synthetic size already there."""
        book_side = self._sides[order.side]
        order.ahead = book_side.synthetic.get(order.tick, 0)
        book_side.resting.setdefault(order.tick, []).append(order)
        self._orders[order.order_id] = order
        book_side._sync_tick(order.tick)
        self.version += 1

    def resize_resting(self, order_id: str, lots: int) -> None:
        """Shrink a user order where it stands (an amend down keeps its queue place)."""
        order = self._orders.get(order_id)
        if order is not None and 0 < lots <= order.leaves:
            order.leaves = lots
            self.version += 1

    def remove_resting(self, order_id: str) -> RestingOrder | None:
        order = self._orders.pop(order_id, None)
        if order is None:
            return None
        self._unlink(order)
        self.version += 1
        return order

    def _unlink(self, order: RestingOrder) -> None:
        book_side = self._sides[order.side]
        queue = book_side.resting.get(order.tick, [])
        if order in queue:
            queue.remove(order)
        if not queue:
            book_side.resting.pop(order.tick, None)
        book_side._sync_tick(order.tick)

    # --- taking ----------------------------------------------------------------------------

    def available(self, taker_side: BybitSide, limit_tick: int | None) -> int:
        """Lots a taker could get right now at or better than ``limit_tick``."""
        maker = self._sides[opposite(taker_side)]
        total = 0
        for tick in self.level_ticks(opposite(taker_side)):
            if not _within(taker_side, tick, limit_tick):
                break
            total += maker.lots_at(tick)
        return total

    def take(self, taker_side: BybitSide, lots: int, limit_tick: int | None) -> list[Match]:
        """Consume up to ``lots`` from the opposite side, best level first, price-time order.

        A limit of ``None`` walks the whole book. Returns the matches in execution order.
        """
        maker_side = opposite(taker_side)
        book_side = self._sides[maker_side]
        matches: list[Match] = []
        remaining = lots
        while remaining > 0:
            tick = self.best_tick(maker_side)
            if tick is None or not _within(taker_side, tick, limit_tick):
                break
            remaining -= self._take_level(book_side, tick, remaining, matches)
            book_side._sync_tick(tick)
        if matches:
            self.version += 1
        return matches

    def _take_level(self, book_side: _Side, tick: int, wanted: int, out: list[Match]) -> int:
        taken = 0
        queue = book_side.resting.get(tick, [])
        while taken < wanted:
            front = next((o for o in queue if o.ahead == 0), None)
            if front is not None:
                lots = min(front.leaves, wanted - taken)
                front.leaves -= lots
                out.append(Match(tick, lots, front))
                taken += lots
                if front.leaves == 0:
                    queue.remove(front)
                    self._orders.pop(front.order_id, None)
                continue
            synthetic = book_side.synthetic.get(tick, 0)
            if synthetic == 0:
                break
            blockers = [o.ahead for o in queue]
            lots = min([synthetic, wanted - taken, *blockers])
            for order in queue:
                order.ahead -= lots
            if synthetic - lots:
                book_side.synthetic[tick] = synthetic - lots
            else:
                del book_side.synthetic[tick]
            out.append(Match(tick, lots, None))
            taken += lots
        if not queue:
            book_side.resting.pop(tick, None)
        return taken


def _within(taker_side: BybitSide, tick: int, limit_tick: int | None) -> bool:
    if limit_tick is None:
        return True
    return tick <= limit_tick if taker_side == BUY else tick >= limit_tick
