"""A local order book kept from a snapshot plus sequenced deltas, with integrity checks.

The book is the one place that decides whether a stream of snapshot and delta messages
still describes the venue's book. Its rules (Bybit v5 documents them; they hold for most
venues that number their updates):

- a snapshot, or a delta numbered ``1`` (the venue restarted), replaces the whole book;
- a delta numbered at or below the current sequence is a duplicate or stale: dropped;
- a delta that does not follow the current sequence by exactly one is a *gap*. What a gap
  means is a :class:`GapPolicy`: ``STRICT`` (the default) stops applying deltas until a fresh
  snapshot arrives and tells the caller to resubscribe; ``TOLERATE`` patches over it and only
  counts it, for venues whose sequence is not contiguous;
- a crossed book (best bid at or above best ask) or an unreadable level is never handed to a
  reader: it is found when a reader asks, and the book then asks for a resync too.

Readers only ever see the last good :class:`DepthSnapshot`, flagged ``stale`` while the book
is waiting for a fresh snapshot.

Hot path: levels are kept as the venue's own decimal strings in a ``dict`` keyed by the price
string. Applying a level is a dict store or delete, with no number parsing at all; ordering and
``Decimal`` conversion happen when a reader asks (``bench/stream_ingest.py`` measures this
against ``Decimal``-keyed and ``float``-keyed books), and only for the levels the deltas since
the last read touched: each side's :class:`~console.domain.ladder.LadderSide` keeps the sorted,
converted levels between reads. This relies on the venue
printing each price of a symbol the same way (Bybit pads to the tick's decimals); two keys
that are the same number are caught when the snapshot is built and force a resync.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import InvalidOperation
from enum import StrEnum

from console.domain.clock import ms_to_datetime_or_none
from console.domain.depth import DepthSnapshot, PriceLevel
from console.domain.ladder import LadderSide
from console.domain.trusted import trusted

Levels = Iterable[Sequence[str]]
"""``[[price, size], ...]`` as decimal strings, exactly as the venue sent them."""

_DELETE = "0"
_MAX_PENDING = 64
"""Deltas remembered between two reads; past that, a read rebuilds the sides whole."""
_FOLD_EVERY = 8
"""Pending deltas kept whole before only their prices are kept (:meth:`OrderBook._fold`)."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class GapPolicy(StrEnum):
    """What a sequence gap means for a venue."""

    STRICT = "strict"
    """A gap invalidates the book: wait for a fresh snapshot (resubscribe)."""
    TOLERATE = "tolerate"
    """A gap is counted and the delta applied anyway; crossed-book checks and periodic
    fresh snapshots are the safety net."""


class BookEvent(StrEnum):
    """What applying one message did; the caller counts these and acts on ``GAP``."""

    RESET = "reset"
    """A snapshot (or a ``u == 1`` restart) replaced the book."""
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    """The delta's sequence is not newer than the book's: dropped."""
    GAP = "gap"
    """Strict policy: the book is now resyncing; resubscribe to get a snapshot."""
    GAP_PATCHED = "gap_patched"
    """Tolerant policy: a gap was seen and the delta applied anyway."""
    IGNORED = "ignored"
    """A delta arrived while the book waits for a snapshot: nothing to apply it to."""
    MALFORMED = "malformed"
    """The levels were not ``[price, size]`` string pairs: the book is now resyncing."""

    @property
    def needs_resync(self) -> bool:
        """The book waits for a fresh snapshot: the caller should resubscribe."""
        return self in (BookEvent.GAP, BookEvent.MALFORMED)


# The hot path's results as module constants: ``BookEvent.APPLIED`` looked up on the class
# costs about ten times a global's load (Python 3.11), once per delta.
_APPLIED = BookEvent.APPLIED
_DUPLICATE = BookEvent.DUPLICATE
_GAP = BookEvent.GAP
_GAP_PATCHED = BookEvent.GAP_PATCHED
_IGNORED = BookEvent.IGNORED
_MALFORMED = BookEvent.MALFORMED
_STRICT = GapPolicy.STRICT


class IntegrityFailure(StrEnum):
    """Why a built book was refused."""

    CROSSED = "crossed"
    UNREADABLE = "unreadable"
    """A price or size that is not a positive finite decimal, or a price listed twice."""


class OrderBook:
    """One symbol's book, fed by a single stream and read by many.

    Writes (``apply_snapshot``, ``apply_delta``) are cheap and never validate numbers; reads
    (``snapshot``) build, check and cache an immutable :class:`DepthSnapshot` once per change.
    """

    __slots__ = (
        "_ask_side",
        "_asks",
        "_awaiting_snapshot",
        "_bid_side",
        "_bids",
        "_built",
        "_built_version",
        "_exchange_ms",
        "_folded",
        "_last_good",
        "_next",
        "_pending",
        "_received_s",
        "_resync_requested",
        "_sequence",
        "_touched",
        "_version",
        "gap_policy",
        "last_failure",
        "symbol",
        "unreadable_in_a_row",
    )

    def __init__(self, symbol: str, *, gap_policy: GapPolicy = GapPolicy.STRICT) -> None:
        self.symbol = symbol
        self.gap_policy = gap_policy
        self.last_failure: IntegrityFailure | None = None
        """Why the last built book was refused, if one was."""
        self._bids: dict[str, str] = {}
        self._asks: dict[str, str] = {}
        self._sequence: int | None = None
        self._next: int | None = None
        """The sequence of the delta that simply follows the book (``_sequence + 1``); None
        while it waits for a snapshot, or when that would be 1 (a restart, not a delta)."""
        self._exchange_ms: int | None = None
        self._received_s: float = 0.0
        self._awaiting_snapshot = True
        self._resync_requested = False
        self._version = 0
        self._built_version = -1
        self._built: DepthSnapshot | None = None
        self._last_good: DepthSnapshot | None = None
        self.unreadable_in_a_row = 0
        """Builds in a row that found an unreadable level (0 once a build succeeds): a venue
        that answers every resync with such a book is asked again later and later."""
        self._bid_side = LadderSide(descending=True)
        self._ask_side = LadderSide(descending=False)
        self._pending: list[tuple[Levels, Levels]] | None = None
        """Level lists of the latest deltas applied since the last read; None: rebuild whole."""
        self._touched: tuple[set[object], set[object]] = (set(), set())
        """Bid and ask prices of the earlier pending deltas, folded (:meth:`_fold`)."""
        self._folded = 0
        """Deltas folded into :attr:`_touched` since the last read."""

    # --- state -------------------------------------------------------------------------

    @property
    def sequence(self) -> int | None:
        """The venue's update id the book has reached; None before the first snapshot."""
        return self._sequence

    @property
    def version(self) -> int:
        """Increments on every change; readers compare it to know whether to look again."""
        return self._version

    @property
    def resyncing(self) -> bool:
        """True until a snapshot arrives (at start, after a gap, a crossed or bad book)."""
        return self._awaiting_snapshot

    def take_resync_request(self) -> bool:
        """True once after a read found the book crossed or unreadable: resubscribe then."""
        requested = self._resync_requested
        self._resync_requested = False
        return requested

    def invalidate(self) -> None:
        """Forget the live book (a lost connection, a broken frame); keep the last good view."""
        self._awaiting_snapshot = True
        self._next = None
        self._bids.clear()
        self._asks.clear()
        self._pending = None
        self._version += 1

    # --- writes ------------------------------------------------------------------------

    def apply_snapshot(
        self,
        bids: Levels,
        asks: Levels,
        sequence: int,
        *,
        exchange_ms: int | None = None,
        received_s: float = 0.0,
    ) -> BookEvent:
        """Replace the whole book. Size ``"0"`` levels are skipped."""
        try:
            new_bids = {price: size for price, size in bids if size != _DELETE}
            new_asks = {price: size for price, size in asks if size != _DELETE}
        except (TypeError, ValueError):
            self.invalidate()
            return BookEvent.MALFORMED
        self._bids = new_bids
        self._asks = new_asks
        self._pending = None
        self._sequence = sequence
        self._next = sequence + 1 if sequence else None
        self._exchange_ms = exchange_ms
        self._received_s = received_s
        self._awaiting_snapshot = False
        self._version += 1
        return BookEvent.RESET

    def apply_delta(
        self,
        bids: Levels,
        asks: Levels,
        sequence: int,
        exchange_ms: int | None = None,
        received_s: float = 0.0,
    ) -> BookEvent:
        """Apply changed levels (size ``"0"`` deletes) if ``sequence`` follows the book's.

        The times may be passed by position: the stream does, once per delta.
        """
        event = _APPLIED
        if sequence != self._next:  # one comparison for the common delta, which is next
            if sequence == 1:
                return self.apply_snapshot(
                    bids, asks, sequence, exchange_ms=exchange_ms, received_s=received_s
                )
            if self._awaiting_snapshot:
                return _IGNORED
            current = self._sequence
            if current is not None and sequence != current + 1:
                if sequence <= current:
                    return _DUPLICATE
                if self.gap_policy is _STRICT:
                    self.invalidate()
                    return _GAP
                event = _GAP_PATCHED
        try:
            if type(bids) is not list or type(asks) is not list:
                bids, asks = list(bids), list(asks)  # read twice below if a delete misses
            bid_side, ask_side = self._bids, self._asks
            try:
                # ``del``, not ``pop(price, None)``: a statement, not a method call, per level
                for price, size in bids:
                    if size == "0":  # _DELETE; a literal is a little cheaper per level
                        del bid_side[price]
                    else:
                        bid_side[price] = size
                for price, size in asks:
                    if size == "0":
                        del ask_side[price]
                    else:
                        ask_side[price] = size
            except KeyError:
                # A delete of a price the book does not hold (after a tolerated gap, say).
                # Every level is an assignment, so applying the whole delta again, missing
                # prices allowed, leaves what applying it once that way would have.
                _assign(bid_side, bids)
                _assign(ask_side, asks)
        except (TypeError, ValueError):
            # Part of the delta may be in: the book no longer matches any sequence number.
            self.invalidate()
            return _MALFORMED
        pending = self._pending
        if pending is not None:
            pending.append((bids, asks))
            if len(pending) == _FOLD_EVERY and not self._fold(pending):
                self._pending = None
        self._sequence = sequence
        self._next = sequence + 1 if sequence else None
        self._exchange_ms = exchange_ms
        self._received_s = received_s
        self._version += 1
        return event

    # --- reads -------------------------------------------------------------------------

    def snapshot(self, depth: int | None = None, *, stale: bool = False) -> DepthSnapshot | None:
        """The current book best-first, or the last good one flagged stale; None before any.

        Args:
            depth: levels per side to return; None returns all.
            stale: flag the result stale even if the book is fine (e.g. the stream is silent).
        """
        current = self._current()
        if current is None:
            view = self._last_good
            if view is None:
                return None
            stale = True
        else:
            view = current
        if depth is not None and (len(view.bids) > depth or len(view.asks) > depth):
            view = view.model_copy(update={"bids": view.bids[:depth], "asks": view.asks[:depth]})
        if stale and not view.stale:
            view = view.model_copy(update={"stale": True})
        return view

    def _current(self) -> DepthSnapshot | None:
        """The checked view of the live book, built at most once per version."""
        if self._awaiting_snapshot:
            return None
        if self._built_version == self._version:
            return self._built
        built, failure = _build(
            self.symbol,
            self._ladders(),
            self._sequence,
            self._exchange_ms,
            self._received_s,
        )
        if failure is not None:
            self.last_failure = failure
            if failure is IntegrityFailure.UNREADABLE:
                self.unreadable_in_a_row += 1
            self._resync_requested = True
            self.invalidate()
            return None
        self.unreadable_in_a_row = 0
        self._built = built
        self._built_version = self._version
        self._last_good = built
        self._pending = []
        self._folded = 0
        for prices in self._touched:
            prices.clear()
        return built

    def _fold(self, pending: list[tuple[Levels, Levels]]) -> bool:
        """Keep only the prices of the ``pending`` deltas (and empty it); False past
        :data:`_MAX_PENDING` deltas since the last read: then the sides are rebuilt whole.

        A book nobody reads for a while (off screen, read once a second) kept every level
        list of ~90 deltas alive: about 10,000 young objects across the books, which the
        collector walked on every young collection and which made those collections come
        more often. The prices are what a read needs, folded here as the read would.
        """
        self._folded += len(pending)
        if self._folded > _MAX_PENDING:
            return False
        bids, asks = self._touched
        bids.update(level[0] for levels, _ in pending for level in levels)
        asks.update(level[0] for _, levels in pending for level in levels)
        pending.clear()
        return True

    def _ladders(self) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]] | None:
        """Both sides sorted and checked: updated by the pending deltas, or rebuilt whole.

        None when a level is unreadable (the sides are then rebuilt at the next read).
        """
        pending = self._pending
        self._pending = None  # an exception below leaves the sides half updated
        try:
            if pending is None or not self._fold(pending):
                return self._bid_side.rebuild(self._bids), self._ask_side.rebuild(self._asks)
            bids = self._bid_side.update(self._bids, self._touched[0])
            asks = self._ask_side.update(self._asks, self._touched[1])
        except (InvalidOperation, ValueError, TypeError):
            return None
        return bids, asks


def _assign(side: dict[str, str], levels: Levels) -> None:
    """Apply ``levels`` to one side; size ``"0"`` deletes the price, held or not."""
    for price, size in levels:
        if size == _DELETE:
            side.pop(price, None)
        else:
            side[price] = size


def _build(
    symbol: str,
    ladders: tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]] | None,
    sequence: int | None,
    exchange_ms: int | None,
    received_s: float,
) -> tuple[DepthSnapshot | None, IntegrityFailure | None]:
    if ladders is None:
        return None, IntegrityFailure.UNREADABLE
    bid_levels, ask_levels = ladders
    if bid_levels and ask_levels and bid_levels[0].price >= ask_levels[0].price:
        return None, IntegrityFailure.CROSSED
    # trusted: every field is built right here with exact types; validating 100 levels
    # again on every read would cost more than the build itself (and model_construct
    # walks the fields in Python, twice trusted's cost).
    snapshot = trusted(
        DepthSnapshot,
        symbol=symbol,
        bids=bid_levels,
        asks=ask_levels,
        sequence=sequence,
        exchange_time=ms_to_datetime_or_none(exchange_ms),
        received_at=ms_to_datetime_or_none(received_s * 1000) or _EPOCH,
        stale=False,
    )
    return snapshot, None
