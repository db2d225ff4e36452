"""SimBook: ordering, aggregation of user orders, price-time matching with queue position."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.sim.book import BUY, SELL, RestingOrder, SimBook
from console.sim.instruments import DEFAULT_INSTRUMENTS

LINEAR_BTC = next(
    i for i in DEFAULT_INSTRUMENTS if i.category == "linear" and i.symbol == "BTCUSDT"
)


@pytest.fixture
def book() -> SimBook:
    book = SimBook(LINEAR_BTC)
    for tick, lots in [(600_000, 5), (599_999, 7), (599_990, 9)]:
        book.set_synthetic(BUY, tick, lots)
    for tick, lots in [(600_001, 4), (600_003, 6)]:
        book.set_synthetic(SELL, tick, lots)
    return book


def test_top_is_best_first_with_exact_decimals(book: SimBook) -> None:
    bids, asks = book.top(2)
    assert bids == [
        (Decimal("60000.00"), Decimal("0.005")),
        (Decimal("59999.90"), Decimal("0.007")),
    ]
    assert asks == [
        (Decimal("60000.10"), Decimal("0.004")),
        (Decimal("60000.30"), Decimal("0.006")),
    ]
    assert str(bids[0][0]) == "60000.00"


def test_user_orders_are_part_of_the_levels_and_bump_the_version(book: SimBook) -> None:
    version = book.version
    book.add_resting(RestingOrder("u1", BUY, 600_000, 3))
    book.add_resting(RestingOrder("u2", BUY, 600_002, 2))
    assert book.version == version + 2
    bids, _ = book.top_ticks(2)
    assert bids == [(600_002, 2), (600_000, 8)]
    book.remove_resting("u2")
    assert book.best_tick(BUY) == 600_000
    assert book.remove_resting("missing") is None


def test_taking_walks_levels_and_respects_the_limit(book: SimBook) -> None:
    matches = book.take(BUY, 8, limit_tick=600_002)
    assert [(m.tick, m.lots) for m in matches] == [(600_001, 4)]
    matches = book.take(BUY, 100, limit_tick=None)
    assert [(m.tick, m.lots) for m in matches] == [(600_003, 6)]
    assert book.best_tick(SELL) is None


def test_a_user_order_waits_behind_the_size_that_was_there_first(book: SimBook) -> None:
    order = RestingOrder("u1", BUY, 600_000, 3)
    book.add_resting(order)
    assert order.ahead == 5
    matches = book.take(SELL, 6, limit_tick=None)
    assert [(m.tick, m.lots, m.maker) for m in matches] == [
        (600_000, 5, None),
        (600_000, 1, order),
    ]
    assert order.leaves == 2


def test_cancelled_synthetic_size_moves_user_orders_up_the_queue(book: SimBook) -> None:
    order = RestingOrder("u1", BUY, 600_000, 3)
    book.add_resting(order)
    book.set_synthetic(BUY, 600_000, 1)
    assert order.ahead == 1
    book.set_synthetic(BUY, 600_000, 0)
    assert order.ahead == 0
    matches = book.take(SELL, 3, limit_tick=600_000)
    assert [(m.lots, m.maker is order) for m in matches] == [(3, True)]
    assert book.resting("u1") is None
    assert book.best_tick(BUY) == 599_999


def test_available_counts_only_what_the_limit_reaches(book: SimBook) -> None:
    assert book.available(SELL, 599_999) == 12
    assert book.available(BUY, None) == 10
