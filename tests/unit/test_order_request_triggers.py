"""The trigger and TP/SL fields of an order request are checked where the request is made."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from console.domain import (
    OrderRequest,
    OrderType,
    Side,
    StopKind,
    TriggerDirection,
    TriggerSource,
)

D = Decimal


def request(side: Side = Side.BUY, **fields: object) -> OrderRequest:
    base: dict[str, object] = {
        "symbol": "BTC/USDT:USDT",
        "side": side,
        "type": OrderType.LIMIT,
        "quantity": D("0.01"),
        "price": D(60_000),
    }
    return OrderRequest.model_validate(base | fields)


def test_a_stop_limit_with_tpsl_on_the_right_sides() -> None:
    stop = request(
        trigger_price=D(60_100),
        trigger_direction=TriggerDirection.RISING,
        trigger_by=TriggerSource.MARK,
        take_profit=D(61_000),
        stop_loss=D(59_500),
    )
    assert stop.is_conditional
    assert stop.trigger_by is TriggerSource.MARK
    assert not request().is_conditional
    assert request(Side.SELL, take_profit=D(59_000), stop_loss=D(61_000)).stop_loss == 61_000


@pytest.mark.parametrize(
    ("side", "fields", "message"),
    [
        (Side.BUY, {"take_profit": D(59_000)}, "take-profit of a buy must be above 60000"),
        (Side.BUY, {"stop_loss": D(60_000)}, "stop-loss of a buy must be below 60000"),
        (Side.SELL, {"take_profit": D(61_000)}, "take-profit of a sell must be below 60000"),
        (
            Side.BUY,
            {"trigger_price": D(60_500), "stop_loss": D(60_600)},
            "stop-loss of a buy must be below 60500",
        ),
        (Side.BUY, {"reduce_only": True, "stop_loss": D(59_000)}, "reduce-only order cannot"),
        (Side.BUY, {"trigger_direction": TriggerDirection.FALLING}, "needs a trigger price"),
        (Side.BUY, {"trigger_price": D(0)}, "greater than zero"),
    ],
)
def test_refusals_say_what_is_wrong(side: Side, fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        request(side, **fields)


def test_a_market_order_checks_tp_against_sl_only() -> None:
    fields: dict[str, object] = {"type": OrderType.MARKET, "price": None}
    assert request(Side.BUY, **fields, take_profit=D(1), stop_loss=D(0.5)).take_profit == 1
    with pytest.raises(ValidationError, match="take-profit must be above its stop-loss"):
        request(Side.BUY, **fields, take_profit=D(1), stop_loss=D(2))


@pytest.mark.parametrize(
    ("stop_order_type", "kind"),
    [
        ("Stop", StopKind.STOP),
        ("tpslOrder", StopKind.STOP),
        ("TrailingStop", StopKind.STOP),
        ("TakeProfit", StopKind.TAKE_PROFIT),
        ("PartialTakeProfit", StopKind.TAKE_PROFIT),
        ("StopLoss", StopKind.STOP_LOSS),
        ("PartialStopLoss", StopKind.STOP_LOSS),
        ("", None),
        ("UNKNOWN", None),
        (None, None),
    ],
)
def test_bybit_stop_order_types_map_to_stop_kinds(
    stop_order_type: str | None, kind: StopKind | None
) -> None:
    assert StopKind.from_bybit(stop_order_type) is kind
