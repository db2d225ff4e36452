"""OrderBook rules one by one: resets, gaps, duplicates, crossed and unreadable books."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.domain import PriceLevel
from console.domain.book import BookEvent, GapPolicy, IntegrityFailure, OrderBook

BIDS = [["100.0", "1"], ["99.5", "2"]]
ASKS = [["100.5", "3"], ["101.0", "4"]]


def started(policy: GapPolicy = GapPolicy.STRICT) -> OrderBook:
    book = OrderBook("BTC/USDT:USDT", gap_policy=policy)
    book.apply_snapshot(BIDS, ASKS, 10, exchange_ms=1_700_000_000_000, received_s=1_700_000_000.5)
    return book


def test_nothing_to_read_before_the_first_snapshot() -> None:
    book = OrderBook("X")
    assert book.snapshot() is None
    assert book.apply_delta(BIDS, ASKS, 5) is BookEvent.IGNORED
    assert book.resyncing


def test_snapshot_is_sorted_exact_and_timestamped() -> None:
    view = started().snapshot()
    assert view is not None
    assert view.bids == (
        PriceLevel(Decimal("100.0"), Decimal(1)),
        PriceLevel(Decimal("99.5"), Decimal(2)),
    )
    assert view.asks[0] == PriceLevel(Decimal("100.5"), Decimal(3))
    assert view.sequence == 10
    assert view.spread == Decimal("0.5")
    assert view.exchange_time is not None
    assert view.exchange_time.timestamp() == 1_700_000_000
    assert view.received_at.timestamp() == 1_700_000_000.5
    assert not view.stale


def test_delta_updates_inserts_and_deletes() -> None:
    book = started()
    event = book.apply_delta([["100.0", "0"], ["99.0", "7"]], [["100.5", "9"]], 11)
    assert event is BookEvent.APPLIED
    view = book.snapshot()
    assert view is not None
    assert [level.price for level in view.bids] == [Decimal("99.5"), Decimal("99.0")]
    assert view.asks[0].size == Decimal(9)
    assert view.sequence == 11


def test_duplicate_and_stale_deltas_are_dropped() -> None:
    book = started()
    assert book.apply_delta([["100.0", "0"]], [], 10) is BookEvent.DUPLICATE
    assert book.apply_delta([["100.0", "0"]], [], 3) is BookEvent.DUPLICATE
    view = book.snapshot()
    assert view is not None
    assert view.best_bid is not None
    assert view.best_bid.price == Decimal("100.0")


def test_strict_gap_keeps_last_good_book_flagged_stale_until_a_snapshot() -> None:
    book = started()
    good = book.snapshot()
    assert book.apply_delta([["99.9", "1"]], [], 12) is BookEvent.GAP
    assert BookEvent.GAP.needs_resync
    assert book.resyncing
    stale = book.snapshot()
    assert stale is not None
    assert stale.stale
    assert good is not None
    assert stale.bids == good.bids
    assert stale.sequence == 10
    assert book.apply_delta([["99.9", "1"]], [], 13) is BookEvent.IGNORED
    assert book.apply_snapshot([["98.0", "1"]], [["98.5", "1"]], 40) is BookEvent.RESET
    fresh = book.snapshot()
    assert fresh is not None
    assert not fresh.stale
    assert fresh.sequence == 40


def test_tolerant_policy_patches_over_gaps() -> None:
    book = started(GapPolicy.TOLERATE)
    assert book.apply_delta([["99.9", "1"]], [], 15) is BookEvent.GAP_PATCHED
    view = book.snapshot()
    assert view is not None
    assert not view.stale
    assert view.sequence == 15
    assert len(view.bids) == 3


def test_u_equal_one_resets_even_as_a_delta() -> None:
    book = started()
    assert book.apply_delta([["50.0", "1"]], [["51.0", "1"]], 1) is BookEvent.RESET
    view = book.snapshot()
    assert view is not None
    assert [level.price for level in view.bids] == [Decimal("50.0")]
    assert book.apply_delta([["50.5", "1"]], [], 2) is BookEvent.APPLIED


def test_crossed_book_is_never_returned_and_asks_for_a_resync() -> None:
    book = started()
    good = book.snapshot()
    book.apply_delta([["101.5", "1"]], [], 11)
    view = book.snapshot()
    assert view is not None
    assert view.stale
    assert not view.is_crossed
    assert good is not None
    assert view.bids == good.bids
    assert book.last_failure is IntegrityFailure.CROSSED
    assert book.take_resync_request()
    assert not book.take_resync_request()
    assert book.resyncing


@pytest.mark.parametrize(
    "bad_level",
    [["abc", "1"], ["100.2", "-1"], ["100.2", "NaN"], ["100.20", "1"], ["-5", "1"], [100.2, "1"]],
)
def test_unreadable_levels_are_refused_at_read(bad_level: list[object]) -> None:
    book = started()
    assert book.snapshot() is not None
    book.apply_delta([["100.2", "1"], bad_level], [], 11)  # type: ignore[list-item]
    view = book.snapshot()
    assert view is not None
    assert view.stale
    assert view.sequence == 10
    assert book.last_failure is IntegrityFailure.UNREADABLE
    assert book.take_resync_request()


@pytest.mark.parametrize("levels", [[["100.0"]], [["1", "2", "3"]], [[["x"], "1"]], None])
def test_malformed_shapes_invalidate_without_raising(levels: object) -> None:
    book = started()
    assert book.apply_delta(levels, [], 11) is BookEvent.MALFORMED  # type: ignore[arg-type]
    assert book.resyncing
    assert book.apply_snapshot(levels, [], 20) is BookEvent.MALFORMED  # type: ignore[arg-type]


def test_depth_limits_levels_and_reads_are_cached_per_version() -> None:
    book = started()
    first = book.snapshot()
    assert book.snapshot() is first
    top = book.snapshot(1)
    assert top is not None
    assert len(top.bids) == 1
    assert len(top.asks) == 1
    version = book.version
    book.apply_delta([], [["102.0", "1"]], 11)
    assert book.version == version + 1
    assert book.snapshot() is not first


def test_stale_flag_from_the_caller() -> None:
    view = started().snapshot(stale=True)
    assert view is not None
    assert view.stale
