"""The account view keeps the newest of what pushes and REST rebuilds tell it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from console.domain import Balance, Fill, Liquidity, Order, OrderStatus, OrderType, Position, Side
from console.domain.account_view import AccountView

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def order(status: OrderStatus, filled: str, at: datetime = T0) -> Order:
    return Order(
        order_id="o1",
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        status=status,
        quantity=Decimal("1"),
        price=Decimal("100"),
        filled=Decimal(filled),
        updated_at=at,
    )


def fill(fill_id: str) -> Fill:
    return Fill(
        fill_id=fill_id,
        order_id="o1",
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        price=Decimal("100"),
        size=Decimal("0.5"),
        fee=Decimal("0.01"),
        fee_currency="USDT",
        liquidity=Liquidity.MAKER,
        timestamp=T0,
    )


def test_an_older_or_less_advanced_order_state_never_replaces_a_newer_one() -> None:
    view = AccountView()
    assert view.apply_order(order(OrderStatus.PARTIALLY_FILLED, "0.5"))
    assert not view.apply_order(order(OrderStatus.OPEN, "0"))  # same ms, less filled
    assert view.apply_order(order(OrderStatus.FILLED, "1"))
    assert not view.apply_order(order(OrderStatus.OPEN, "0", T0 - timedelta(seconds=1)))
    assert view.orders["o1"].status is OrderStatus.FILLED
    assert view.open_orders() == []


def test_a_fill_counts_once() -> None:
    view = AccountView()
    assert view.add_fill(fill("e1"))
    assert not view.add_fill(fill("e1"))
    assert (len(view.fills), view.duplicate_fills) == (1, 1)
    assert view.last_fill_time() == T0


def test_positions_follow_the_sequence_and_rest_lists_flatten_the_rest() -> None:
    view = AccountView()
    long = Position(symbol="BTC/USDT:USDT", side=Side.BUY, size=Decimal(2), sequence=5)
    assert view.apply_position(long)
    assert not view.apply_position(long.model_copy(update={"size": Decimal(1), "sequence": 4}))
    view.replace_positions([])
    assert view.positions["BTC/USDT:USDT"].is_flat
    assert view.open_positions() == []


def test_balances_keep_the_newest_reading() -> None:
    view = AccountView()
    usdt = Balance(currency="USDT", total=Decimal(10), free=Decimal(10))
    assert view.apply_balances([usdt], at=2.0)
    assert not view.apply_balances([usdt.model_copy(update={"total": Decimal(1)})], at=1.0)
    assert view.balances["USDT"].total == 10
