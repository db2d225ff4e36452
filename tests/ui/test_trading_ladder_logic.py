"""The ladder keys' prices and sizes, on hand-made books (no terminal)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from console.domain import (
    DepthSnapshot,
    Market,
    MarketType,
    Order,
    OrderStatus,
    OrderType,
    PriceLevel,
    Side,
)
from console.tui.trading.ladder_trading import (
    SizePreset,
    align,
    improve_price,
    join_price,
    orders_at,
    smallest_order,
    step_cursor,
)

NOW = datetime(2026, 1, 2, tzinfo=UTC)
TICK = Decimal("0.5")
MARKET = Market(
    symbol="BTC/USDT:USDT",
    venue_id="BTCUSDT",
    type=MarketType.LINEAR,
    base="BTC",
    quote="USDT",
    settle="USDT",
    tick_size=TICK,
    qty_step=Decimal("0.001"),
    min_qty=Decimal("0.001"),
    min_notional=Decimal(5),
)


def book(bid: str, ask: str) -> DepthSnapshot:
    return DepthSnapshot(
        symbol=MARKET.symbol,
        bids=(PriceLevel(Decimal(bid), Decimal(1)),),
        asks=(PriceLevel(Decimal(ask), Decimal(1)),),
        received_at=NOW,
    )


def order(side: Side, price: str) -> Order:
    return Order(
        order_id=f"{side.value}-{price}",
        symbol=MARKET.symbol,
        side=side,
        type=OrderType.LIMIT,
        status=OrderStatus.OPEN,
        quantity=Decimal(1),
        price=Decimal(price),
    )


def test_join_takes_our_own_side_of_the_touch() -> None:
    wide = book("100", "103")
    assert join_price(Side.BUY, wide) == Decimal(100)
    assert join_price(Side.SELL, wide) == Decimal(103)


def test_improve_moves_one_tick_inside_but_never_crosses() -> None:
    wide = book("100", "103")
    assert improve_price(Side.BUY, wide, TICK) == Decimal("100.5")
    assert improve_price(Side.SELL, wide, TICK) == Decimal("102.5")
    tight = book("100", "100.5")
    assert improve_price(Side.BUY, tight, TICK) == Decimal(100), "one tick up would take"
    assert improve_price(Side.SELL, tight, TICK) == Decimal("100.5")


def test_cursor_starts_on_the_best_bid_line_and_moves_by_a_line() -> None:
    snapshot = book("100.5", "101")
    assert step_cursor(None, -1, Decimal(1), snapshot) == Decimal(100), "bids round down"
    assert step_cursor(Decimal(100), +1, Decimal(1), snapshot) == Decimal(101)
    assert step_cursor(Decimal(1), -1, Decimal(1), snapshot) == Decimal(1), "stays positive"
    assert step_cursor(None, +1, Decimal(1), None) is None


def test_orders_at_a_grouped_line_use_the_ladders_rounding() -> None:
    orders = [order(Side.BUY, "100.5"), order(Side.SELL, "100.5"), order(Side.BUY, "98")]
    assert align(Decimal("100.5"), Decimal(1), Side.SELL) == Decimal(101)
    found = orders_at(orders, MARKET.symbol, Decimal(100), Decimal(1))
    assert [o.order_id for o in found] == ["buy-100.5"]
    assert orders_at(orders, "ETH/USDT:USDT", Decimal(100), Decimal(1)) == []


def test_size_presets_meet_the_venues_minimums() -> None:
    assert smallest_order(MARKET, Decimal(60_000)) == Decimal("0.001")
    assert smallest_order(MARKET, Decimal(1_000)) == Decimal("0.005"), "5 USDT minimum value"
    preset = SizePreset()
    assert preset.step(-1) == preset
    bigger = preset.step(+1).step(+1)
    assert bigger.quantity(MARKET, Decimal(60_000)) == Decimal("0.005")
    assert bigger.describe(MARKET, Decimal(60_000)) == "size 0.005 BTC (x5)"
    top = SizePreset(100).step(+1)
    assert top.multiple == 100


TICKS = st.integers(min_value=1, max_value=400_000)


@given(bid=TICKS, spread=st.integers(min_value=1, max_value=50), side=st.sampled_from(Side))
def test_improving_never_crosses_the_spread_and_stays_on_tick(
    bid: int, spread: int, side: Side
) -> None:
    snapshot = book(str(TICK * bid), str(TICK * (bid + spread)))
    price = improve_price(side, snapshot, TICK)
    assert price is not None
    assert MARKET.is_on_tick(price)
    assert snapshot.best_bid is not None
    assert snapshot.best_ask is not None
    if side is Side.BUY:
        assert snapshot.best_bid.price <= price < snapshot.best_ask.price
    else:
        assert snapshot.best_bid.price < price <= snapshot.best_ask.price


@given(index=st.integers(min_value=0, max_value=6), price=st.integers(min_value=1, max_value=10**6))
def test_every_preset_size_is_a_valid_quantity(index: int, price: int) -> None:
    quantity = SizePreset(index).quantity(MARKET, Decimal(price))
    assert MARKET.is_on_step(quantity)
    assert quantity >= MARKET.min_qty
    assert quantity * price >= MARKET.min_notional
