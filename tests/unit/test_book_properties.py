"""OrderBook against a plain reference model, for any sequence of book messages.

The reference keeps ``Decimal -> Decimal`` dicts and the rules written out long-hand; the
book under test keeps strings and checks lazily. Whatever the sequence of snapshots, deltas,
gaps, duplicates, restarts and deletions, a reader must see exactly what the model says:
the live book when it is good, else the last good book flagged stale, never a crossed one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import DepthSnapshot, PriceLevel
from console.domain.book import BookEvent, GapPolicy, OrderBook

PRICES = [f"{whole}.{half}" for whole in range(100, 116) for half in ("0", "5")]
"""Bids and asks share one price range, so deltas can cross the book."""


def level() -> st.SearchStrategy[tuple[str, str]]:
    return st.tuples(st.sampled_from(PRICES), st.sampled_from(["0", "0.001", "1", "2.50"]))


def side(max_size: int = 6) -> st.SearchStrategy[list[tuple[str, str]]]:
    return st.lists(level(), max_size=max_size, unique_by=lambda pair: pair[0])


@st.composite
def snapshot_sides(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A well-formed snapshot most of the time: bids below the split, asks above it."""
    split = draw(st.integers(min_value=2, max_value=len(PRICES) - 2))
    bids = draw(st.lists(st.sampled_from(PRICES[:split]), unique=True, max_size=6))
    asks = draw(st.lists(st.sampled_from(PRICES[split:]), unique=True, max_size=6))
    size = st.sampled_from(["0.001", "1", "3"])
    return [(p, draw(size)) for p in bids], [(p, draw(size)) for p in asks]


Pair = tuple[str, str]
Operation = tuple[str, tuple[list[Pair], list[Pair]], int | str]

SEQUENCE_KIND = st.sampled_from(["next", "next", "next", "next", "gap", "duplicate", "restart"])
OPERATION = st.one_of(
    st.tuples(st.just("snapshot"), snapshot_sides(), st.integers(1, 10_000)),
    st.tuples(st.just("delta"), st.tuples(side(), side()), SEQUENCE_KIND),
)


@dataclass
class ReferenceBook:
    """The rules, long-hand, over exact numbers."""

    policy: GapPolicy
    bids: dict[Decimal, Decimal] = field(default_factory=dict)
    asks: dict[Decimal, Decimal] = field(default_factory=dict)
    sequence: int | None = None
    valid: bool = False
    last_good: tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...], int | None] | None = None

    def reset(self, bids: list[tuple[str, str]], asks: list[tuple[str, str]], u: int) -> None:
        self.bids = {Decimal(p): Decimal(s) for p, s in bids if Decimal(s) != 0}
        self.asks = {Decimal(p): Decimal(s) for p, s in asks if Decimal(s) != 0}
        self.sequence = u
        self.valid = True

    def delta(self, bids: list[tuple[str, str]], asks: list[tuple[str, str]], u: int) -> None:
        if u == 1:
            self.reset(bids, asks, u)
            return
        if not self.valid:
            return
        assert self.sequence is not None
        if u <= self.sequence:
            return
        if u != self.sequence + 1 and self.policy is GapPolicy.STRICT:
            self.valid = False
            return
        for book, levels in ((self.bids, bids), (self.asks, asks)):
            for p, s in levels:
                if Decimal(s) == 0:
                    book.pop(Decimal(p), None)
                else:
                    book[Decimal(p)] = Decimal(s)
        self.sequence = u

    def read(self) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...], int | None, bool]:
        """What a reader must see: (bids, asks, sequence, stale)."""
        if self.valid:
            bids = tuple(PriceLevel(p, s) for p, s in sorted(self.bids.items(), reverse=True))
            asks = tuple(PriceLevel(p, s) for p, s in sorted(self.asks.items()))
            if bids and asks and bids[0].price >= asks[0].price:
                self.valid = False
            else:
                self.last_good = (bids, asks, self.sequence)
                return bids, asks, self.sequence, False
        if self.last_good is None:
            return (), (), None, True
        return (*self.last_good, True)


def resolve(kind: str, sequence: int | None) -> int:
    current = sequence or 5
    return {
        "next": current + 1,
        "gap": current + 2,
        "duplicate": max(current, 2),
        "restart": 1,
    }[kind]


def as_tuple(view: DepthSnapshot | None) -> tuple[object, ...]:
    if view is None:
        return (), (), None, True
    return view.bids, view.asks, view.sequence, view.stale


@settings(derandomize=True, max_examples=150, deadline=None)
@given(operations=st.lists(OPERATION, max_size=40), policy=st.sampled_from(list(GapPolicy)))
def test_book_matches_reference_model(operations: list[Operation], policy: GapPolicy) -> None:
    book = OrderBook("BTC/USDT:USDT", gap_policy=policy)
    model = ReferenceBook(policy)
    for kind, sides, extra in operations:
        bids, asks = sides
        if kind == "snapshot":
            assert isinstance(extra, int)
            book.apply_snapshot(bids, asks, extra)
            model.reset(bids, asks, extra)
        else:
            assert isinstance(extra, str)
            u = resolve(extra, model.sequence if model.valid else book.sequence)
            book.apply_delta(bids, asks, u)
            model.delta(bids, asks, u)
        seen = book.snapshot()
        assert as_tuple(seen) == model.read()
        assert seen is None or not seen.is_crossed


@settings(derandomize=True, max_examples=60, deadline=None)
@given(operations=st.lists(OPERATION, max_size=30))
def test_events_report_exactly_when_a_resync_is_needed(
    operations: list[Operation],
) -> None:
    """Under the strict policy a GAP event is returned iff the model saw a gap."""
    book = OrderBook("X", gap_policy=GapPolicy.STRICT)
    model = ReferenceBook(GapPolicy.STRICT)
    for kind, sides, extra in operations:
        bids, asks = sides
        if kind == "snapshot":
            assert isinstance(extra, int)
            assert book.apply_snapshot(bids, asks, extra) is BookEvent.RESET
            model.reset(bids, asks, extra)
            continue
        assert isinstance(extra, str)
        u = resolve(extra, model.sequence)
        was_valid = model.valid and not book.resyncing
        before = model.sequence
        event = book.apply_delta(bids, asks, u)
        model.delta(bids, asks, u)
        expect_gap = was_valid and u != 1 and before is not None and u > before + 1
        assert (event is BookEvent.GAP) == expect_gap
        book.snapshot()
        model.read()


LOOSE_SIDE = st.lists(level(), max_size=8)
"""Deltas as a venue that misbehaves sends them: a price repeated within one side, deletes
of prices the book does not hold (the book's ``del`` fast path falls back on them)."""


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    snapshot=snapshot_sides(),
    deltas=st.lists(st.tuples(LOOSE_SIDE, LOOSE_SIDE), max_size=30),
    policy=st.sampled_from(list(GapPolicy)),
)
def test_deltas_that_repeat_or_delete_absent_prices_match_the_model(
    snapshot: tuple[list[Pair], list[Pair]],
    deltas: list[tuple[list[Pair], list[Pair]]],
    policy: GapPolicy,
) -> None:
    book = OrderBook("X", gap_policy=policy)
    model = ReferenceBook(policy)
    book.apply_snapshot(*snapshot, 10)
    model.reset(*snapshot, 10)
    for u, (bids, asks) in enumerate(deltas, start=11):
        assert book.apply_delta(bids, asks, u) is BookEvent.APPLIED
        model.delta(bids, asks, u)
        assert as_tuple(book.snapshot()) == model.read()
        if book.resyncing:  # crossed: both wait for the next snapshot
            book.apply_snapshot(*snapshot, u)
            model.reset(*snapshot, u)


@pytest.mark.parametrize(
    "bad",
    [["100.0"], ["100.0", "1", "2"], 5, None, [["100.0"], "1"], [[], "1"]],
    ids=["short", "long", "number", "null", "unhashable price", "empty price"],
)
@pytest.mark.parametrize("where", [0, 1, 3])
def test_a_malformed_level_anywhere_in_a_delta_leaves_no_half_patched_book(
    bad: object, where: int
) -> None:
    """Levels before the bad one may already be in when it is met (both the fast path and
    its fallback run in order): the book must be dropped, never read half patched."""
    book = OrderBook("X")
    book.apply_snapshot([("100.0", "1"), ("99.5", "2")], [("101.0", "1")], 10)
    good = book.snapshot()
    assert good is not None
    levels: list[object] = [["99.5", "0"], ["99.0", "3"], ["98.5", "0"]]  # 98.5: not held
    levels.insert(where, bad)
    assert book.apply_delta(levels, [], 11) is BookEvent.MALFORMED  # type: ignore[arg-type]
    assert book.resyncing
    view = book.snapshot()
    assert view is not None
    assert view.stale
    assert (view.bids, view.asks) == (good.bids, good.asks)
