"""When a book that passes every integrity check has still stopped following the venue.

A book can be uncrossed, gap-free and "live" and yet frozen: a snapshot whose ``u`` is
absurdly high makes every later delta a "duplicate" that is dropped, and the last good
prices stay on screen while the market moves on. These rules find such a book so the feed
can mark it *suspect*: badge it (the book is invalidated, so readers get the last good view
flagged stale), take a fresh snapshot and count it in health.

Every rule needs evidence that the venue is moving while the book is not, so a quiet but
healthy market (no deltas, no trades) never trips one:

- **duplicates**: :data:`SUSPECT_DUPLICATES` deltas in a row that are not newer than the
  book. A venue resends an update now and then; it never resends ten in a row.
- **sequence jump**: a snapshot whose ``u`` is more than :data:`MAX_SEQUENCE_JUMP` ahead of
  anything the stream delivered. The book is resynced once; a second snapshot in the same
  range is believed (a venue that really renumbered), so this cannot loop.
- **trades through the touch**: for :data:`THROUGH_TOUCH_SECONDS` every check finds the
  latest trade above the best ask or below the best bid, new trades keep printing, and the
  book has not moved (its sequence is the one the streak began with). A sweep prints
  through the touch for a moment until the book's update lands; a frozen book is printed
  through for as long as it stays frozen. A book that keeps updating is following the
  venue, however its trades compare with its touch (a simulator's prints may not match its
  book exactly), so it never trips this rule.
"""

from __future__ import annotations

from decimal import Decimal

from console.domain import DepthSnapshot

SUSPECT_DUPLICATES = 10
"""Consecutive deltas at or below the book's sequence that make it suspect."""

MAX_SEQUENCE_JUMP = 1_000_000_000
"""A snapshot further ahead than this of the last ``u`` delivered is suspect: more than 200
days of Bybit's fastest book (one update per 10 ms) in one step."""

THROUGH_TOUCH_SECONDS = 3.0
"""How long trades may keep printing through the book's touch before the book is suspect."""


def jumps_ahead(reference: int | None, sequence: int) -> bool:
    """A snapshot's ``sequence`` far beyond ``reference`` (the highest ``u`` seen so far)."""
    return reference is not None and sequence - reference > MAX_SEQUENCE_JUMP


def prints_through(book: DepthSnapshot | None, price: Decimal | None) -> bool:
    """A trade at ``price`` that the book's touch could not have produced."""
    if book is None or price is None or book.stale:
        return False
    bid, ask = book.best_bid, book.best_ask
    return (ask is not None and price > ask.price) or (bid is not None and price < bid.price)


class ThroughTouchWatch:
    """The trades-through-the-touch rule for one symbol, checked on the feed's slow tick."""

    __slots__ = ("_last_trade_at_start", "_sequence_at_start", "_since")

    def __init__(self) -> None:
        self._since: float | None = None
        self._last_trade_at_start: object = None
        self._sequence_at_start: int | None = None

    def check(
        self, through: bool, last_trade: object, now: float, sequence: int | None = None
    ) -> bool:
        """True when the book should be resynced.

        Args:
            through: the latest trade printed through the current book's touch.
            last_trade: the latest trade itself (compared by identity: a new trade since the
                streak began means the venue is still printing).
            now: monotonic seconds.
            sequence: the book's update id now; a book that moved since the streak began
                starts the streak again.
        """
        if not through:
            self._since = None
            return False
        if self._since is None or sequence != self._sequence_at_start:
            self._since = now
            self._last_trade_at_start = last_trade
            self._sequence_at_start = sequence
            return False
        if now - self._since >= THROUGH_TOUCH_SECONDS and last_trade is not (
            self._last_trade_at_start
        ):
            self._since = None
            return True
        return False

    def reset(self) -> None:
        self._since = None


__all__ = [
    "MAX_SEQUENCE_JUMP",
    "SUSPECT_DUPLICATES",
    "THROUGH_TOUCH_SECONDS",
    "ThroughTouchWatch",
    "jumps_ahead",
    "prints_through",
]
