"""The reader's snapshot, updated level by level between reads, equals the one sorted whole.

A book that is read after some deltas only converts and places the levels those deltas
touched. Whatever the deltas (new prices, size changes, deletions, a price in two spellings,
unreadable numbers, crossed books) and however reads interleave with them, each read must
show what a book given the same levels in one snapshot shows: the same levels in the same
order, or the same refusal.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from console.domain.book import BookEvent, IntegrityFailure, OrderBook

PRICES = [f"{whole}.{tenth}" for whole in range(100, 106) for tenth in ("0", "5")]
SPELLINGS = ["101.50", "1.03E+2", "104"]
"""The same numbers as ``101.5``, ``103.0`` and ``104.0``, written another way."""
SIZES = ["0", "0", "0.001", "1", "2.50", "7"]
BAD_SIZES = ["-1", "NaN", "x"]

Pair = tuple[str, str]


def levels(prices: list[str], sizes: list[str]) -> st.SearchStrategy[list[Pair]]:
    pair = st.tuples(st.sampled_from(prices), st.sampled_from(sizes))
    return st.lists(pair, max_size=8, unique_by=lambda level: level[0])


@st.composite
def clean_snapshot(draw: st.DrawFn) -> tuple[list[Pair], list[Pair]]:
    split = draw(st.integers(min_value=3, max_value=len(PRICES) - 3))
    size = st.sampled_from(SIZES[2:])
    bids = draw(st.lists(st.sampled_from(PRICES[:split]), unique=True, max_size=10))
    asks = draw(st.lists(st.sampled_from(PRICES[split:]), unique=True, max_size=10))
    return [(p, draw(size)) for p in bids], [(p, draw(size)) for p in asks]


def delta(rare: list[str], bad: list[str]) -> st.SearchStrategy[tuple[list[Pair], list[Pair]]]:
    prices = PRICES + rare
    sizes = SIZES + bad
    return st.tuples(levels(prices, sizes), levels(prices, sizes))


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("snapshot"), clean_snapshot()),
        st.tuples(st.just("delta"), delta([], [])),
        st.tuples(st.just("delta"), delta([], [])),
        st.tuples(st.just("delta"), delta(SPELLINGS, BAD_SIZES)),
        st.tuples(st.just("delta"), delta(SPELLINGS, [])),
        st.tuples(st.just("read"), st.just(([], []))),
        st.tuples(st.just("read"), st.just(([], []))),
        st.tuples(st.just("read"), st.just(([], []))),
    ),
    max_size=40,
)


def sorted_whole(bids: dict[str, str], asks: dict[str, str], sequence: int) -> OrderBook:
    """A book given exactly these levels in one snapshot: its read sorts everything."""
    whole = OrderBook("X")
    whole.apply_snapshot(list(bids.items()), list(asks.items()), sequence)
    return whole


def apply_to_model(*sides: tuple[dict[str, str], list[Pair]]) -> None:
    """The model's own book: each side's changes applied, size "0" deleting the price."""
    for side, changes in sides:
        for price, size in changes:
            if size == "0":
                side.pop(price, None)
            else:
                side[price] = size


@settings(max_examples=400, deadline=None)
@given(OPERATIONS)
@example(  # a price the book shows already, in another spelling: refused, as sorted whole
    [
        ("snapshot", ([("101.5", "1"), ("100.0", "1")], [("103.0", "1")])),
        ("read", ([], [])),
        ("delta", ([("101.50", "2")], [])),
        ("read", ([], [])),
    ]
)
@example(  # one delta deletes a price and sets it again in another spelling
    [
        ("snapshot", ([], [("101.5", "0.001"), ("103.0", "0.001")])),
        ("read", ([], [])),
        ("delta", ([], [("100.0", "0"), ("103.0", "0"), ("1.03E+2", "0.001")])),
        ("read", ([], [])),
    ]
)
@example(  # levels added, resized and deleted between two reads
    [
        ("snapshot", ([("101.5", "1"), ("100.0", "1")], [("103.0", "1")])),
        ("read", ([], [])),
        ("delta", ([("101.0", "2"), ("100.0", "0")], [("104", "1")])),
        ("delta", ([("101.0", "3"), ("100.5", "1")], [("103.0", "0")])),
        ("read", ([], [])),
    ]
)
def test_each_read_equals_the_book_sorted_whole(
    operations: list[tuple[str, tuple[list[Pair], list[Pair]]]],
) -> None:
    assert_each_read_equals_the_book_sorted_whole(operations)


def price_walk(deltas: int) -> list[tuple[str, tuple[list[Pair], list[Pair]]]]:
    """A snapshot, then ``deltas`` deltas, then a read. Each delta adds two new prices to
    each side, one never touched again, and resizes or deletes one the delta before added:
    a read that missed any delta shows it."""
    operations: list[tuple[str, tuple[list[Pair], list[Pair]]]] = [
        ("snapshot", ([("1001", "1")], [("1999", "1")])),
        ("read", ([], [])),
    ]
    for step in range(deltas):
        bids = [(f"{1000 - 2 * step}", "1"), (f"{999 - 2 * step}", "1")]
        asks = [(f"{2000 + 2 * step}", "1"), (f"{2001 + 2 * step}", "1")]
        if step:
            size = "0" if step % 2 else "3"
            bids.append((f"{1001 - 2 * step}", size))
            asks.append((f"{1999 + 2 * step}", size))
        operations.append(("delta", (bids, asks)))
    return [*operations, ("read", ([], []))]


SPARSE_READS = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.just(([], []))),
        st.tuples(st.just("snapshot"), clean_snapshot()),
        *[st.tuples(st.just("delta"), delta([], []))] * 8,
        st.tuples(st.just("delta"), delta(SPELLINGS, BAD_SIZES)),
        st.tuples(st.just("delta"), delta(SPELLINGS, [])),
    ),
    max_size=120,
)
"""Reads one operation in twelve: runs of deltas long enough for the book to fold its
pending deltas into their prices (every 8) and to give up on them (past 64)."""


@settings(max_examples=200, deadline=None)
@given(SPARSE_READS)
@example(price_walk(8))
@example(price_walk(9))
@example(price_walk(17))
@example(price_walk(64))
@example(price_walk(65))
@example(price_walk(80))
def test_a_read_after_many_deltas_equals_the_book_sorted_whole(
    operations: list[tuple[str, tuple[list[Pair], list[Pair]]]],
) -> None:
    """An off-screen book is read about once a second, ~90 deltas apart."""
    assert_each_read_equals_the_book_sorted_whole(operations)


def assert_each_read_equals_the_book_sorted_whole(
    operations: list[tuple[str, tuple[list[Pair], list[Pair]]]],
) -> None:
    book = OrderBook("X")
    bids: dict[str, str] = {}
    asks: dict[str, str] = {}
    sequence = 1
    for kind, (new_bids, new_asks) in operations:
        if kind == "read":
            live = not book.resyncing
            seen = book.snapshot()
            if not live:
                assert seen is None or seen.stale
                continue
            whole = sorted_whole(bids, asks, sequence)
            expected = whole.snapshot()
            if expected is None:
                assert seen is None or seen.stale
                assert book.last_failure is whole.last_failure is not None
                assert book.resyncing
                continue
            assert seen is not None
            assert not seen.stale
            assert seen.bids == expected.bids
            assert seen.asks == expected.asks
            continue
        sequence += 1
        if kind == "snapshot":
            event = book.apply_snapshot(new_bids, new_asks, sequence)
        else:
            event = book.apply_delta(new_bids, new_asks, sequence)
        if event is BookEvent.RESET:
            bids = {p: s for p, s in new_bids if s != "0"}
            asks = {p: s for p, s in new_asks if s != "0"}
        elif event is BookEvent.APPLIED:
            apply_to_model((bids, new_bids), (asks, new_asks))
        else:
            assert event is BookEvent.IGNORED


TIED_BIDS = ["50", "50.0", "50.00000000000000001", "50.00000000000000002", "49.999999999999999999"]
TIED_ASKS = ["100", "100.00000000000000001", "100.00000000000000002", "99.999999999999999999"]
"""Prices no float tells apart (each group is one float), some of them one number spelled
twice; a read sorts by float, so only its exact checks can keep these in order."""
TIED_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("delta"),
            st.tuples(
                levels([*TIED_BIDS, "49.5", "48"], ["0", "1", "2"]),
                levels([*TIED_ASKS, "101", "100.5"], ["0", "1", "2"]),
            ),
        ),
        st.tuples(st.just("read"), st.just(([], []))),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(TIED_OPERATIONS)
def test_a_read_of_prices_no_float_tells_apart_is_exact_or_refused(
    operations: list[tuple[str, tuple[list[Pair], list[Pair]]]],
) -> None:
    """A read shows the levels in exact order, or refuses the book only when two of its
    prices are one float (a price twice, or two no float orders): never a misordered side."""
    book = OrderBook("X")
    book.apply_snapshot([("48", "1")], [("101", "1")], 1)
    assert book.snapshot() is not None  # later reads update the sides level by level
    bids, asks = {"48": "1"}, {"101": "1"}
    sequence = 1
    for kind, (new_bids, new_asks) in operations:
        if kind == "delta":
            sequence += 1
            if book.apply_delta(new_bids, new_asks, sequence) is not BookEvent.APPLIED:
                return  # refused at the last read: the book waits for a snapshot
            apply_to_model((bids, new_bids), (asks, new_asks))
            continue
        seen = book.snapshot()
        assert seen is not None
        if book.resyncing:
            assert seen.stale
            assert any(len({float(price) for price in side}) < len(side) for side in (bids, asks))
            return
        for shown, side, descending in ((seen.bids, bids, True), (seen.asks, asks, False)):
            exact = sorted((Decimal(price), Decimal(size)) for price, size in side.items())
            assert [tuple(level) for level in shown] == (exact[::-1] if descending else exact)
            assert [str(level.price) for level in shown] == [
                str(price) for price, _ in (exact[::-1] if descending else exact)
            ]


UNREADABLE = [
    ["abc", "1"],
    ["100.2", "-1"],
    ["100.2", "NaN"],
    ["100.2", "sNaN"],
    ["100.2", "Infinity"],
    ["100.2", "1E+18"],
    ["100.20", "1"],
    ["-5", "1"],
    ["0", "1"],
    [100.2, "1"],
    ["100.2", 1],
    ["1" * 41, "1"],
    ["100.2", "0." + "1" * 40],
]


@pytest.mark.parametrize("bad_level", UNREADABLE)
def test_an_unreadable_level_is_refused_read_whole_or_level_by_level(
    bad_level: list[object],
) -> None:
    """The whole side's checks (a snapshot's first read) and the level-by-level ones (a
    read after a delta) refuse the same levels."""
    good = [["100.3", "1"], ["100.2", "2"]]
    whole = OrderBook("X")
    whole.apply_snapshot([*good, bad_level], [["101", "1"]], 5)  # type: ignore[list-item]
    assert whole.snapshot() is None
    assert whole.last_failure is IntegrityFailure.UNREADABLE
    by_level = OrderBook("X")
    by_level.apply_snapshot(good, [["101", "1"]], 5)
    assert by_level.snapshot() is not None
    by_level.apply_delta([bad_level], [], 6)  # type: ignore[list-item]
    seen = by_level.snapshot()
    assert seen is not None
    assert seen.stale
    assert by_level.last_failure is IntegrityFailure.UNREADABLE
