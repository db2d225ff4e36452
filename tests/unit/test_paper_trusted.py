"""The engine's unvalidated builds are the same values validation would have built."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain import Fill, Liquidity, Order, OrderStatus, OrderType, Side, TimeInForce
from console.domain.trusted import trusted
from console.paper.models import LevelTake

D = Decimal
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
amounts = st.decimals(min_value=D("0.00000001"), max_value=D(10**9), places=8)


def order_fields(quantity: Decimal, price: Decimal, filled: Decimal) -> dict[str, Any]:
    return {
        "order_id": "P1-1",
        "client_order_id": None,
        "symbol": "BTC/USDT",
        "side": Side.SELL,
        "type": OrderType.LIMIT,
        "status": OrderStatus.PARTIALLY_FILLED,
        "quantity": quantity,
        "price": price,
        "filled": filled,
        "average_price": price,
        "time_in_force": TimeInForce.GTC,
        "reduce_only": False,
        "fee": D(0),
        "fee_currency": "USDT",
        "created_at": NOW,
        "updated_at": NOW,
        "reason": None,
        "trigger_price": None,
        "trigger_by": None,
        "stop_kind": None,
        "triggered": False,
        "take_profit": None,
        "stop_loss": None,
    }


@given(quantity=amounts, price=amounts, filled=amounts)
def test_a_trusted_order_equals_the_validated_one(
    quantity: Decimal, price: Decimal, filled: Decimal
) -> None:
    fields = order_fields(quantity, price, filled)
    built = trusted(Order, **fields)
    validated = Order(**fields)
    assert built == validated
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_fields_set == validated.model_fields_set
    assert built.remaining == validated.remaining


@given(price=amounts, size=amounts)
def test_trusted_fills_and_level_takes_equal_the_validated_ones(
    price: Decimal, size: Decimal
) -> None:
    fill = {
        "fill_id": "P1-F1",
        "order_id": "P1-1",
        "symbol": "BTC/USDT",
        "side": Side.BUY,
        "price": price,
        "size": size,
        "fee": -size,
        "fee_currency": "USDT",
        "liquidity": Liquidity.MAKER,
        "timestamp": NOW,
    }
    assert trusted(Fill, **fill) == Fill(**fill)
    take = {"price": price, "size": size, "displayed": size + 1, "available": size}
    assert trusted(LevelTake, **take) == LevelTake(**take)


def test_a_trusted_build_must_name_every_field_and_nothing_else() -> None:
    fields = order_fields(D(1), D(2), D(0))
    del fields["reason"]
    with pytest.raises(TypeError, match="Order needs exactly its fields"):
        trusted(Order, **fields)
    with pytest.raises(TypeError, match="LevelTake needs exactly its fields"):
        trusted(LevelTake, price=D(1), size=D(1), displayed=D(1), available=D(1), extra=D(1))


def test_a_trusted_value_stays_frozen() -> None:
    built = trusted(LevelTake, price=D(1), size=D(1), displayed=D(1), available=D(1))
    with pytest.raises(ValueError, match="frozen"):
        built.size = D(2)  # type: ignore[misc]
