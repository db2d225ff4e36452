"""What the simulator's public WebSocket publishes, one publisher per topic.

A publisher turns the shared :class:`SimMarket` into Bybit v5 frames for one topic, once for
all connections (as Bybit does: ``u`` belongs to the topic, not to the connection):

- :class:`BookPublisher` keeps the last top-N view it published; at each push interval it
  diffs the book's current top N against it and, if anything changed, publishes a delta with
  the changed sizes, ``"0"`` for levels that left the top N, and ``u`` one higher. Depth 1 is
  snapshot-only and re-pushed unchanged (same ``u``) after 3 s of quiet. It also remembers
  recent views by ``u``, so a test can ask what the true book was at a given ``u``.
- :class:`TradePublisher` batches prints from the market's trade listener.
- :class:`TickerPublisher` sends a snapshot, then (linear) only changed fields; spot tickers
  are snapshot-only.

Push intervals are Bybit's, in simulated time: divided by the market's speed factor.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.sim.book import SimBook
from console.sim.envelopes import wall_ms
from console.sim.market import SimMarket, SimTrade

BOOK_PUSH_MS = {1: 10, 50: 20, 200: 100, 1000: 200}
"""Bybit's push interval per order-book depth (linear, inverse and spot)."""
DEPTH_ONE_REPUSH_MS = 3000
"""Depth 1 re-sends its snapshot (same ``u``) when nothing changed for this long."""
TICKER_PUSH_MS = {"linear": 100, "spot": 50}
VIEW_HISTORY = 512
"""Published book views remembered per topic, for :meth:`BookPublisher.view_at`."""

Frame = dict[str, Any]
TickLevels = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class BookView:
    """The top N the topic had published at ``u``: (tick, lots), best first."""

    u: int
    bids: TickLevels
    asks: TickLevels


class BookPublisher:
    """``orderbook.{depth}.{symbol}`` for one book."""

    def __init__(self, market: SimMarket, book: SimBook, depth: int, rng: random.Random) -> None:
        self.market = market
        self.book = book
        self.depth = depth
        self.topic = f"orderbook.{depth}.{book.symbol}"
        self.interval_s = BOOK_PUSH_MS[depth] / 1000 / market.speed
        self.snapshot_only = depth == 1
        self.u = rng.randrange(1_000_000, 50_000_000)
        self._seq = rng.randrange(10**9, 10**10)
        self._version = book.version
        bids, asks = book.top_ticks(depth)
        self._bids, self._asks = dict(bids), dict(asks)
        self._history: deque[BookView] = deque(maxlen=VIEW_HISTORY)
        self._history.append(BookView(self.u, tuple(bids), tuple(asks)))
        self._last_push_s = time.monotonic()

    def poll(self) -> Frame | None:
        """The frame to publish now, or None when the top N did not change."""
        now = time.monotonic()
        if self.book.version == self._version:
            if self.snapshot_only and now - self._last_push_s >= self._repush_s:
                self._last_push_s = now
                return self.snapshot_frame()
            return None
        self._version = self.book.version
        bids, asks = self.book.top_ticks(self.depth)
        new_bids, new_asks = dict(bids), dict(asks)
        changed_bids = _changes(self._bids, new_bids, descending=True)
        changed_asks = _changes(self._asks, new_asks, descending=False)
        if not changed_bids and not changed_asks:
            return None
        self._bids, self._asks = new_bids, new_asks
        self.u += 1
        self._seq += 1
        self._history.append(BookView(self.u, tuple(bids), tuple(asks)))
        self._last_push_s = now
        if self.snapshot_only:
            return self.snapshot_frame()
        return self._frame("delta", changed_bids, changed_asks, self.u)

    def snapshot_frame(self, u: int | None = None) -> Frame:
        """The whole published view, as sent after a subscribe (``u`` overrides for faults)."""
        bids = sorted(self._bids.items(), reverse=True)
        asks = sorted(self._asks.items())
        return self._frame("snapshot", bids, asks, self.u if u is None else u)

    def crossed_frame(self, u: int) -> Frame:
        """A delta that puts a bid one tick above the best ask: what a broken feed sends."""
        best_ask = min(self._asks) if self._asks else max(self._bids, default=1) + 2
        return self._frame("delta", [(best_ask + 1, 1)], [], u)

    def view_at(self, u: int) -> BookView | None:
        """The top N this topic published at ``u``, if still remembered."""
        for view in reversed(self._history):
            if view.u == u:
                return view
            if view.u < u:
                return None
        return None

    @property
    def _repush_s(self) -> float:
        return DEPTH_ONE_REPUSH_MS / 1000 / self.market.speed

    def _frame(
        self, kind: str, bids: Iterable[tuple[int, int]], asks: Iterable[tuple[int, int]], u: int
    ) -> Frame:
        instrument = self.book.instrument
        return {
            "topic": self.topic,
            "type": kind,
            "ts": wall_ms(),
            "data": {
                "s": self.book.symbol,
                "b": [_level(instrument.price(t), instrument.size(n), n) for t, n in bids],
                "a": [_level(instrument.price(t), instrument.size(n), n) for t, n in asks],
                "u": u,
                "seq": self._seq,
            },
            "cts": self.market.now_ms(),
        }


def _level(price: Decimal, size: Decimal, lots: int) -> list[str]:
    return [str(price), str(size) if lots else "0"]


def _changes(
    old: dict[int, int], new: dict[int, int], *, descending: bool
) -> list[tuple[int, int]]:
    """Levels whose size differs, with 0 for levels that left; sorted best first."""
    changed = [(tick, lots) for tick, lots in new.items() if old.get(tick) != lots]
    changed.extend((tick, 0) for tick in old if tick not in new)
    changed.sort(reverse=descending)
    return changed


class TradePublisher:
    """``publicTrade.{symbol}``: prints batched per push, ascending, as Bybit sends them."""

    def __init__(self, category: str, symbol: str, rng: random.Random) -> None:
        self.category = category
        self.symbol = symbol
        self.topic = f"publicTrade.{symbol}"
        self._pending: list[SimTrade] = []
        self._last_price: Decimal | None = None
        self._direction = "ZeroPlusTick"
        self._seq = rng.randrange(10**9, 10**10)

    def add(self, trade: SimTrade) -> None:
        self._pending.append(trade)

    def flush(self) -> Frame | None:
        if not self._pending:
            return None
        trades, self._pending = self._pending[:1024], self._pending[1024:]
        self._seq += 1
        return {
            "topic": self.topic,
            "type": "snapshot",
            "ts": wall_ms(),
            "data": [self._row(trade) for trade in trades],
        }

    def _row(self, trade: SimTrade) -> dict[str, Any]:
        row: dict[str, Any] = {
            "T": trade.time_ms,
            "s": trade.symbol,
            "S": trade.taker_side,
            "v": str(trade.size),
            "p": str(trade.price),
        }
        if self.category == "linear":
            # ccxt.pro takes the presence of BT for "contract": spot rows must not carry it.
            row["L"] = self._tick_direction(trade.price)
            row["BT"] = False
            row["RPI"] = False
        row["i"] = trade.trade_id
        row["seq"] = self._seq
        return row

    def _tick_direction(self, price: Decimal) -> str:
        last = self._last_price
        if last is not None and price != last:
            self._direction = "PlusTick" if price > last else "MinusTick"
        elif last is not None:
            self._direction = (
                "ZeroPlusTick" if self._direction.endswith("PlusTick") else ("ZeroMinusTick")
            )
        self._last_price = price
        return self._direction


class TickerPublisher:
    """``tickers.{symbol}``: linear sends a snapshot then changed fields; spot only snapshots."""

    def __init__(self, market: SimMarket, category: str, symbol: str, rng: random.Random) -> None:
        self.market = market
        self.category = category
        self.symbol = symbol
        self.topic = f"tickers.{symbol}"
        self.interval_s = TICKER_PUSH_MS[category] / 1000 / market.speed
        self._fields = market.ticker(category, symbol)
        self._cs = rng.randrange(10**9, 10**10)

    def poll(self) -> Frame | None:
        fields = self.market.ticker(self.category, self.symbol)
        changed = {key: value for key, value in fields.items() if self._fields.get(key) != value}
        if not changed:
            return None
        self._fields = fields
        self._cs += 1
        if self.category == "spot":
            return self.snapshot_frame()
        return self._frame("delta", {"symbol": self.symbol, **changed})

    def snapshot_frame(self) -> Frame:
        return self._frame("snapshot", dict(self._fields))

    def _frame(self, kind: str, data: dict[str, str]) -> Frame:
        return {"topic": self.topic, "type": kind, "data": data, "cs": self._cs, "ts": wall_ms()}
