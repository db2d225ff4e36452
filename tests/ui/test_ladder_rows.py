"""The ladder's arithmetic: grouping, cumulative size, depth share, own-order marks."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import DepthSnapshot, Order, OrderStatus, OrderType, PriceLevel, Side
from console.tui.widgets.ladder_rows import (
    GROUPING_MULTIPLES,
    bucket_price,
    build_ladder,
    decimals_of,
    format_amount,
    group_levels,
    step_multiple,
)

D = Decimal


def levels(*pairs: tuple[str, str]) -> tuple[PriceLevel, ...]:
    return tuple(PriceLevel(D(price), D(size)) for price, size in pairs)


BOOK = DepthSnapshot(
    symbol="BTC/USDT:USDT",
    bids=levels(("100.3", "1"), ("100.1", "2"), ("99.9", "3"), ("99.4", "4")),
    asks=levels(("100.4", "1"), ("100.6", "1"), ("101.1", "5")),
    received_at=datetime(2026, 1, 2, tzinfo=UTC),
)


def order(side: Side, price: str, quantity: str, status: OrderStatus = OrderStatus.OPEN) -> Order:
    return Order(
        order_id=f"{side}-{price}",
        symbol="BTC/USDT:USDT",
        side=side,
        type=OrderType.LIMIT,
        status=status,
        quantity=D(quantity),
        price=D(price),
    )


def test_bids_round_down_and_asks_round_up_into_buckets() -> None:
    assert group_levels(BOOK.bids, D("0.5"), Side.BUY) == list(
        levels(("100.0", "3"), ("99.5", "3"), ("99.0", "4"))
    )
    assert group_levels(BOOK.asks, D("0.5"), Side.SELL) == list(
        levels(("100.5", "1"), ("101.0", "1"), ("101.5", "5"))
    )


def test_ungrouped_ladder_keeps_every_level_and_cumulates_outward() -> None:
    view = build_ladder(BOOK, tick_size=D("0.1"), multiple=1, rows_per_side=10)
    assert [row.price for row in view.bids] == [D("100.3"), D("100.1"), D("99.9"), D("99.4")]
    assert [row.cumulative for row in view.bids] == [D(1), D(3), D(6), D(10)]
    assert [row.price for row in view.asks] == [D("101.1"), D("100.6"), D("100.4")]
    assert [row.cumulative for row in view.asks] == [D(7), D(2), D(1)]
    assert view.bids[-1].depth == 1.0
    assert view.asks[0].depth == pytest.approx(0.7)
    assert view.spread == D("0.1")
    assert view.mid == D("100.35")


def test_rows_per_side_cuts_far_levels_and_rescales_depth() -> None:
    view = build_ladder(BOOK, tick_size=D("0.1"), multiple=1, rows_per_side=2)
    assert [row.price for row in view.bids] == [D("100.3"), D("100.1")]
    assert [row.price for row in view.asks] == [D("100.6"), D("100.4")]
    assert max(row.depth for row in (*view.bids, *view.asks)) == 1.0


def test_own_open_orders_mark_their_bucket_only_while_open() -> None:
    orders = [
        order(Side.BUY, "100.1", "0.5"),
        order(Side.BUY, "100.2", "0.25"),
        order(Side.SELL, "100.6", "2", OrderStatus.FILLED),
    ]
    view = build_ladder(BOOK, tick_size=D("0.1"), multiple=5, rows_per_side=5, own_orders=orders)
    marked = {(row.side, row.price): row.own_size for row in (*view.bids, *view.asks)}
    assert marked[(Side.BUY, D("100.0"))] == D("0.75")
    assert all(size == 0 for (side, _), size in marked.items() if side is Side.SELL)


def test_grouping_steps_stop_at_both_ends() -> None:
    assert step_multiple(1, -1) == 1
    assert step_multiple(1, +1) == 2
    assert step_multiple(GROUPING_MULTIPLES[-1], +1) == GROUPING_MULTIPLES[-1]
    assert step_multiple(7, +1) == 2  # an unknown multiple restarts from the finest


@pytest.mark.parametrize(
    ("step", "decimals"), [("0.01", 2), ("0.5", 1), ("1", 0), ("5", 0), ("0.00010", 4)]
)
def test_decimals_follow_the_step(step: str, decimals: int) -> None:
    assert decimals_of(D(step)) == decimals


def test_amounts_are_fixed_width_with_separators() -> None:
    assert format_amount(D("59994.95"), 1) == "59,995.0"
    assert format_amount(D("0.25"), 3) == "0.250"


def test_an_own_order_where_the_book_has_no_level_gets_its_own_line() -> None:
    """A paper order is not in the venue's book: its price still shows, with no size."""
    orders = [order(Side.BUY, "100.2", "0.5"), order(Side.SELL, "100.5", "0.3")]
    view = build_ladder(BOOK, tick_size=D("0.1"), multiple=1, rows_per_side=10, own_orders=orders)
    bids = [(row.price, row.size, row.cumulative, row.own_size) for row in view.bids]
    assert bids[:3] == [
        (D("100.3"), D(1), D(1), D(0)),
        (D("100.2"), D(0), D(1), D("0.5")),
        (D("100.1"), D(2), D(3), D(0)),
    ]
    assert [row.price for row in view.asks] == [D("101.1"), D("100.6"), D("100.5"), D("100.4")]
    assert view.asks[2].own_size == D("0.3")
    assert view.own_off_ladder == 0


def test_own_orders_beyond_the_lines_that_fit_are_counted() -> None:
    orders = [
        order(Side.BUY, "100.1", "0.5"),  # second bid line: shown
        order(Side.BUY, "95.0", "1"),  # far below the book
        order(Side.SELL, "101.1", "2"),  # third ask level: cut at two lines
        order(Side.SELL, "100.4", "1", OrderStatus.CANCELED),  # not open: not counted
    ]
    view = build_ladder(BOOK, tick_size=D("0.1"), multiple=1, rows_per_side=2, own_orders=orders)
    assert [row.price for row in view.bids] == [D("100.3"), D("100.1")]
    assert view.bids[1].own_size == D("0.5")
    assert view.own_off_ladder == 2


def test_marked_prices_where_the_book_has_no_level_get_their_own_line() -> None:
    """A planned scale order (or a stop) far from the touch shows on an empty line of its
    side of the mid, like an order of ours, and is not counted as an order."""
    view = build_ladder(
        BOOK, tick_size=D("0.1"), multiple=5, rows_per_side=10, marked=[D("98.7"), D("102.3")]
    )
    assert (view.bids[-1].price, view.bids[-1].size) == (D("98.5"), D(0))
    assert (view.asks[0].price, view.asks[0].size) == (D("102.5"), D(0))
    assert view.own_off_ladder == 0


# -- remembered bucket prices (bench/RESULTS.md: grouping a level was three Decimal operations)

_PRICES = st.sampled_from(["100", "100.0", "100.25", "99.95", "1E+2", "0.0001", "123456.7", "7"])


@settings(max_examples=200, deadline=None)
@given(
    calls=st.lists(
        st.tuples(
            st.lists(_PRICES | st.decimals("0.0001", "200000", places=4).map(str), max_size=30),
            st.sampled_from(["0.5", "0.1", "0.10", "1", "2.5", "25", "0.0001"]),
            st.sampled_from([Side.BUY, Side.SELL]),
            st.none() | st.integers(1, 10),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_grouping_with_remembered_bucket_prices_equals_working_each_out(
    calls: list[tuple[list[str], str, Side, int | None]],
) -> None:
    """Grouping again and again (the same prices, other buckets and sides in between, the
    same value written differently) gives what the arithmetic per level gives."""
    for prices, bucket_text, side, limit in calls:
        bucket = D(bucket_text)
        ordered = sorted({D(price) for price in prices}, reverse=side is Side.BUY)
        book_levels = [PriceLevel(price, D(1)) for price in ordered]
        expected: list[PriceLevel] = []
        rounding = ROUND_FLOOR if side is Side.BUY else ROUND_CEILING
        for level in book_levels:
            price = (level.price / bucket).to_integral_value(rounding=rounding) * bucket
            if expected and expected[-1].price == price:
                expected[-1] = PriceLevel(price, expected[-1].size + level.size)
            elif len(expected) == limit:
                break
            else:
                expected.append(PriceLevel(price, level.size))
        assert group_levels(book_levels, bucket, side, limit) == expected
        assert [bucket_price(level.price, bucket, rounding) for level in book_levels[:1]] == [
            level.price for level in expected[:1]
        ]
