"""What a chase order does next: follow the touch, wait for the rate budget, or stop.

A chase is a post-only limit at the best bid (a buy) or the best ask (a sell) that is
amended to the new touch whenever the touch moves away from it, so it keeps its place at the
front of the book without ever taking. It follows only away (a buy up, a sell down): when
the touch comes back towards it, the order is already the best price on its side. It stops
following, and says why, when the touch has gone further from its start price than the
trader allowed, when the market stream can no longer be trusted (a stale book is the last
good one, not the market) for longer than a short grace (a resync after a sequence gap
takes a fraction of a second; the chase holds meanwhile and amends nothing), or when a
post-only amend was refused twice in a row.

Amends cost rate budget, so at most one is in flight, none follows the last sooner than the
minimum interval, and none is sent while the venue's amend window has no headroom left
beyond a reserve (kept for a cancel). Touch moves that arrive meanwhile are not queued: the
next decision reads the latest touch, which coalesces them into one amend.

Pure: the runner (:mod:`console.exchange.chase_runner`) feeds it the book, the clock and the
limiter's status, and does what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

from console.domain.depth import DepthSnapshot
from console.domain.enums import EndpointCategory, Side
from console.domain.health import RateLimitStatus

BUDGET_RESERVE = 1
"""Requests a chase leaves in the amend window (and the trading category) for a cancel."""


class ChaseEnd(StrEnum):
    """How a chase ended."""

    FILLED = "filled"
    CANCELLED = "cancelled"
    STOPPED = "stopped"


class StopCause(StrEnum):
    """Why a chase stopped following the touch (its order may still rest)."""

    STREAM = "stream"
    """The book is stale or the stream dropped: the touch is not known."""
    DISTANCE = "distance"
    """The touch went past the chase's maximum distance from its start price."""
    REJECTED = "rejected"
    """A post-only amend was refused again at the new touch."""
    REFUSED = "refused"
    """The venue refused an amend for another reason."""


@dataclass(frozen=True, slots=True)
class ChaseLimits:
    """The trader's bounds on a chase (``Settings.chase``)."""

    max_distance_pct: Decimal
    min_interval: float
    """Seconds at least between two amends."""
    stream_grace: float = 0.0
    """Seconds the book may stay untrusted (stale, resyncing, missing) before the chase
    stops; it holds meanwhile. 0: it stops at once."""


@dataclass(frozen=True, slots=True)
class ChaseState:
    """One chase as it stands: its order's price, how far it may go, what is in flight.

    Attributes:
        start_price: the price the order was placed at (the touch then).
        price: the order's price now.
        bound: the furthest price the chase may follow to (on the tick).
        amends: amends the venue applied.
        in_flight: an amend was sent and has not answered yet.
        last_amend_at: monotonic seconds when the last amend was sent (None: none yet).
        repriced: a post-only refusal was already answered by one re-price at the new touch;
            a second refusal in a row stops the chase.
        lost_since: monotonic seconds since the book has been untrusted (None: it is
            trusted), kept by :meth:`book_seen`.
    """

    symbol: str
    side: Side
    quantity: Decimal
    start_price: Decimal
    price: Decimal
    bound: Decimal
    amends: int = 0
    in_flight: bool = False
    last_amend_at: float | None = None
    repriced: bool = False
    lost_since: float | None = None

    @classmethod
    def start(
        cls,
        symbol: str,
        side: Side,
        quantity: Decimal,
        price: Decimal,
        *,
        tick_size: Decimal,
        limits: ChaseLimits,
    ) -> ChaseState:
        return cls(
            symbol=symbol,
            side=side,
            quantity=quantity,
            start_price=price,
            price=price,
            bound=chase_bound(side, price, limits.max_distance_pct, tick_size),
        )

    def label(self) -> str:
        """``CHASE 0.01 (3 amends)``: the ladder's mark on the order's line."""
        amends = f"{self.amends} amend{'' if self.amends == 1 else 's'}"
        return f"CHASE {self.quantity.normalize():f} ({amends})"

    def book_seen(self, book: DepthSnapshot | None, now: float) -> ChaseState:
        """The chase after a look at its book: since when the touch has been unknown."""
        if not stream_lost(book):
            return self if self.lost_since is None else replace(self, lost_since=None)
        return self if self.lost_since is not None else replace(self, lost_since=now)

    def sent(self, now: float) -> ChaseState:
        """An amend left: nothing else is sent until it answers."""
        return replace(self, in_flight=True, last_amend_at=now)

    def amended(self, price: Decimal) -> ChaseState:
        """The venue applied the amend: the order is at ``price``."""
        return replace(self, price=price, amends=self.amends + 1, in_flight=False, repriced=False)

    def unanswered(self) -> ChaseState:
        """The amend did not apply (refused, or its answer showed the order unchanged)."""
        return replace(self, in_flight=False)

    def replaced(self, price: Decimal) -> ChaseState:
        """The order was placed again at ``price`` after a post-only refusal."""
        return replace(self, price=price, in_flight=False, repriced=True)


# -- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hold:
    """Nothing to do until the touch moves."""


@dataclass(frozen=True, slots=True)
class WaitUntil:
    """An amend is wanted but the interval or the rate budget says not before ``at``."""

    at: float


@dataclass(frozen=True, slots=True)
class Amend:
    """Move the order to ``price`` (the touch now)."""

    price: Decimal


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop chasing: ``cause`` and the trader's sentence."""

    cause: StopCause
    reason: str


Decision = Hold | WaitUntil | Amend | Stop


def chase_bound(side: Side, start: Decimal, max_distance_pct: Decimal, tick: Decimal) -> Decimal:
    """The furthest price a chase from ``start`` may follow to: ``max_distance_pct`` above a
    buy's start (below a sell's), rounded onto the tick towards the start."""
    distance = start * max_distance_pct / 100
    if side is Side.BUY:
        return ((start + distance) / tick).to_integral_value(rounding=ROUND_FLOOR) * tick
    return ((start - distance) / tick).to_integral_value(rounding=ROUND_CEILING) * tick


def touch(side: Side, book: DepthSnapshot) -> Decimal | None:
    """The best price on our side of ``book``: the best bid for a buy, the best ask for a sell."""
    level = book.best_bid if side is Side.BUY else book.best_ask
    return None if level is None else level.price


def follow_price(side: Side, price: Decimal, best: Decimal | None) -> Decimal | None:
    """The touch, when it moved away from an order at ``price`` (a bid above a buy, an ask
    below a sell); None when the order is still at (or better than) the touch."""
    if best is None:
        return None
    moved_away = best > price if side is Side.BUY else best < price
    return best if moved_away else None


def beyond(side: Side, price: Decimal, bound: Decimal) -> bool:
    """``price`` lies past the chase's bound."""
    return price > bound if side is Side.BUY else price < bound


def stream_lost(book: DepthSnapshot | None) -> bool:
    """The touch is unknown: no book, or the last good one kept while the stream is stale,
    dropped or resyncing."""
    return book is None or book.stale


def decide(
    state: ChaseState,
    book: DepthSnapshot | None,
    *,
    now: float,
    limits: ChaseLimits,
    budget_wait: float = 0.0,
) -> Decision:
    """What the chase does now.

    Args:
        state: the chase as it stands, after :meth:`ChaseState.book_seen` with ``book``.
        book: the latest book of its symbol (None before the first).
        now: monotonic seconds.
        limits: the trader's bounds.
        budget_wait: seconds until the limiter has headroom for an amend (0: now).
    """
    if stream_lost(book):
        # the grace runs from when book_seen first found the touch unknown; a state that was
        # not told (no lost_since) gets none: stopping is the safe side
        lost_since = state.lost_since
        if lost_since is not None and now < lost_since + limits.stream_grace:
            return WaitUntil(lost_since + limits.stream_grace)
        lasted = f" for {limits.stream_grace:g} s" if limits.stream_grace else ""
        return Stop(
            StopCause.STREAM,
            f"the market stream is stale or dropped{lasted}: the touch is not known",
        )
    assert book is not None
    if state.in_flight:
        return Hold()
    target = follow_price(state.side, state.price, touch(state.side, book))
    if target is None:
        return Hold()
    if beyond(state.side, target, state.bound):
        best = "bid" if state.side is Side.BUY else "ask"
        return Stop(
            StopCause.DISTANCE,
            f"the best {best} {target.normalize():f} is past the chase's limit "
            f"{state.bound.normalize():f} ({limits.max_distance_pct.normalize():f}% from "
            f"{state.start_price.normalize():f})",
        )
    wait = budget_wait
    if state.last_amend_at is not None:
        wait = max(wait, state.last_amend_at + limits.min_interval - now)
    if wait > 0:
        return WaitUntil(now + wait)
    return Amend(target)


def after_would_cross(state: ChaseState) -> ChaseState | Stop:
    """A post-only amend (or placement) was refused because it would take: re-price once
    at the new touch; a second refusal in a row stops the chase rather than loop."""
    if state.repriced:
        return Stop(
            StopCause.REJECTED,
            "post-only refused again at the new touch (it would take liquidity)",
        )
    return replace(state, in_flight=False, repriced=True)


def budget_wait(
    statuses: Sequence[RateLimitStatus],
    now: datetime,
    *,
    endpoint: str,
    reserve: int = BUDGET_RESERVE,
) -> float:
    """Seconds until the limiter has room for one more amend beyond ``reserve``: the
    ``endpoint``'s own window (the amend's) and the trading category's, whichever frees
    last (0: room now).

    A window without a reset time frees within its length; a ban (``halted_until``) waits
    for the ban.
    """
    wait = 0.0
    for status in statuses:
        if status.category is not EndpointCategory.TRADING:
            continue
        if status.endpoint not in (None, endpoint):
            continue
        if status.halted_until is not None:
            wait = max(wait, (status.halted_until - now).total_seconds())
        if status.remaining > reserve:
            continue
        if status.reset_at is not None:
            wait = max(wait, (status.reset_at - now).total_seconds())
        else:
            wait = max(wait, status.window_seconds)
    return max(wait, 0.0)


__all__ = [
    "BUDGET_RESERVE",
    "Amend",
    "ChaseEnd",
    "ChaseLimits",
    "ChaseState",
    "Decision",
    "Hold",
    "Stop",
    "StopCause",
    "WaitUntil",
    "after_would_cross",
    "beyond",
    "budget_wait",
    "chase_bound",
    "decide",
    "follow_price",
    "stream_lost",
    "touch",
]
