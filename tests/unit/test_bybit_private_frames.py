"""Bybit's recorded private pushes parse into domain orders, fills, positions and balances."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from console.domain import Liquidity, OrderStatus, OrderType, Side, StopKind, TriggerSource
from console.stream.bybit_private_frames import (
    ExecutionRow,
    OrderRow,
    PositionRow,
    PushFrame,
    UnknownSymbol,
    WalletRow,
    to_balances,
    to_fill,
    to_order,
    to_position,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bybit-private"
SYMBOLS = {("linear", "BTCUSDT"): "BTC/USDT:USDT", ("spot", "BTCUSDT"): "BTC/USDT"}


def frame(name: str) -> PushFrame:
    raw: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return PushFrame.model_validate(raw)


def test_order_push() -> None:
    push = frame("order")
    assert push.kind == "order"
    order = to_order(OrderRow.model_validate(push.data[0]), SYMBOLS)
    assert (order.symbol, order.side, order.type) == ("BTC/USDT:USDT", Side.SELL, OrderType.MARKET)
    assert (order.status, order.filled, order.average_price) == (
        OrderStatus.FILLED,
        Decimal("0.003"),
        Decimal("51850"),
    )
    assert order.price is None
    assert order.client_order_id == "1708249213491"
    assert order.fee == Decimal("0.0855525")
    assert (order.trigger_price, order.triggered, order.take_profit) == (None, False, None)


def test_conditional_order_push_untriggered_then_deactivated() -> None:
    row = frame("order-conditional").data[0]
    waiting = to_order(OrderRow.model_validate(row), SYMBOLS)
    assert (waiting.status, waiting.trigger_price, waiting.triggered) == (
        OrderStatus.OPEN,
        Decimal("62591.7"),
        False,
    )
    assert waiting.reduce_only is True
    assert (waiting.stop_kind, waiting.trigger_by) == (StopKind.STOP, TriggerSource.LAST)
    closed = to_order(
        OrderRow.model_validate(row | {"orderStatus": "Deactivated", "leavesQty": "0"}), SYMBOLS
    )
    assert (closed.status, closed.triggered) == (OrderStatus.CANCELED, False)
    fired = to_order(OrderRow.model_validate(row | {"orderStatus": "Triggered"}), SYMBOLS)
    assert (fired.status, fired.triggered) == (OrderStatus.OPEN, True)


def test_execution_push() -> None:
    push = frame("execution")
    fill = to_fill(ExecutionRow.model_validate(push.data[0]), SYMBOLS)
    assert (fill.fill_id, fill.price, fill.size) == (
        "0ab1bdf7-4219-438b-b30a-32ec863018f7",
        Decimal("95900.1"),
        Decimal("0.5"),
    )
    assert (fill.fee, fill.fee_currency, fill.liquidity) == (
        Decimal("26.3725275"),
        "USDT",
        Liquidity.TAKER,
    )


def test_flat_position_push() -> None:
    position = to_position(PositionRow.model_validate(frame("position").data[0]), SYMBOLS)
    assert (position.is_flat, position.side, position.leverage) == (True, None, Decimal(10))
    assert position.sequence == 8327597863
    assert position.realised_pnl == Decimal("-25.06579337")
    assert position.liquidation_price is None


def test_wallet_push_reads_like_ccxt() -> None:
    (btc,) = to_balances(WalletRow.model_validate(frame("wallet").data[0]))
    assert (btc.currency, btc.total, btc.used, btc.free) == (
        "BTC",
        Decimal("0.00102964"),
        Decimal(0),
        Decimal("0.00102964"),
    )


def test_unknown_instruments_and_broken_rows_are_refused() -> None:
    row = dict(frame("order").data[0], category="inverse")
    with pytest.raises(UnknownSymbol):
        to_order(OrderRow.model_validate(row), SYMBOLS)
    with pytest.raises(ValidationError):
        ExecutionRow.model_validate(dict(frame("execution").data[0], execPrice="0"))
