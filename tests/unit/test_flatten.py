"""The flatten's rules without a venue (a scripted one): the kill switch first, cancels
before closes, a lost answer reported as unknown and reconciled (never "not sent"), a
close held back by the order-rate rule tried again (it never left), nothing else retried."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from console.config import RiskSettings
from console.domain import (
    Balance,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    Position,
    Side,
)
from console.domain.closing import close_request, describe_position
from console.exchange.errors import OrderRejected, RequestTimedOut
from console.exchange.flatten import StepResult, flatten
from console.exchange.risk import RiskGate, RiskRejected, RiskRule

from support.builders import linear_market, spot_market

LONG = Position(symbol="BTC/USDT:USDT", side=Side.BUY, size=Decimal("0.02"))
SHORT = Position(symbol="ETH/USDT:USDT", side=Side.SELL, size=Decimal("0.5"))


def resting(order_id: str) -> Order:
    return Order(
        order_id=order_id,
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        status=OrderStatus.OPEN,
        quantity=Decimal("0.01"),
        price=Decimal(50_000),
    )


class ScriptedVenue:
    """Answers each create with the next scripted outcome (an error to raise, or None to
    fill it); records what was asked, and whether the gate was engaged by then."""

    def __init__(self, gate: RiskGate, creates: list[Exception | None]) -> None:
        self.gate = gate
        self.creates = creates
        self.calls: list[str] = []
        self.open = [resting("o1"), resting("o2")]
        self.sent: list[OrderRequest] = []

    async def create_order(self, request: OrderRequest) -> Order:
        assert self.gate.killed
        self.calls.append(f"create {request.symbol}")
        self.sent.append(request)
        outcome = self.creates.pop(0)
        if outcome is not None:
            raise outcome
        return Order(
            order_id=f"c{len(self.sent)}",
            symbol=request.symbol,
            side=request.side,
            type=request.type,
            status=OrderStatus.FILLED,
            quantity=request.quantity,
            filled=request.quantity,
            average_price=Decimal(100),
            reduce_only=request.reduce_only,
        )

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        assert self.gate.killed
        self.calls.append(f"cancel {order_id}")
        if order_id == "o2":
            raise OrderRejected("Order rejected: too late to cancel (code 110001)", code=110001)
        return resting(order_id).model_copy(update={"status": OrderStatus.CANCELED})

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        raise AssertionError("a flatten never looks an order up itself")

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        return list(self.open)

    async def fetch_balance(self) -> list[Balance]:
        return []


async def test_a_lost_answer_is_unknown_and_reconciled_and_a_refusal_is_named() -> None:
    gate = RiskGate(RiskSettings())
    venue = ScriptedVenue(gate, [RequestTimedOut("no answer in 10 s"), None])
    reads: list[list[Position]] = [[LONG, SHORT], [LONG]]
    reconciled: list[bool] = []

    async def positions() -> list[Position]:
        return reads.pop(0)

    async def reconcile() -> list[str]:
        reconciled.append(True)
        return ["1 order was unknown: found on the exchange, filled"]

    report = await flatten(gate, venue, positions, reconcile=reconcile)

    assert venue.calls == [
        "cancel o1",
        "cancel o2",
        f"create {LONG.symbol}",
        f"create {SHORT.symbol}",
    ]
    assert [(s.action, s.result) for s in report.steps] == [
        ("cancel", StepResult.DONE),
        ("cancel", StepResult.FAILED),
        ("close", StepResult.UNKNOWN),
        ("close", StepResult.DONE),
    ]
    assert "code 110001" in report.steps[1].detail
    unknown = report.steps[2].detail
    assert "may have gone through" in unknown
    assert "not sent" not in unknown
    assert reconciled == [True]
    assert report.reconciliation == ("1 order was unknown: found on the exchange, filled",)
    assert report.remaining == (LONG,)
    assert not report.flat
    assert len(report.problems) == 2
    assert [r.side for r in venue.sent] == [Side.SELL, Side.BUY]
    assert all(r.reduce_only and r.type is OrderType.MARKET for r in venue.sent)


async def test_only_a_close_the_order_rate_held_back_is_tried_again() -> None:
    gate = RiskGate(RiskSettings())
    rate = RiskRejected(RiskRule.ORDER_RATE, "5 orders in the last second", {})
    venue = ScriptedVenue(gate, [rate, rate, None])
    venue.open = []
    waits: list[float] = []

    async def positions() -> list[Position]:
        return [LONG]

    async def pause(seconds: float) -> None:
        waits.append(seconds)

    report = await flatten(gate, venue, positions, pause=pause)
    assert [s.result for s in report.steps] == [StepResult.DONE]
    assert waits == [1.0, 1.0]
    assert len(venue.sent) == 3
    assert report.reconciliation == (), "nothing was unknown: nothing to reconcile"


async def test_a_failed_read_of_the_positions_is_in_the_report() -> None:
    gate = RiskGate(RiskSettings())
    venue = ScriptedVenue(gate, [])
    venue.open = []

    async def positions() -> list[Position]:
        raise RequestTimedOut("position list: no answer")

    report = await flatten(gate, venue, positions)
    (step,) = report.steps
    assert (step.action, step.result) == ("read positions", StepResult.FAILED)
    assert report.remaining is None
    assert gate.killed


def test_the_kill_switch_lets_reduce_only_contract_orders_through_only() -> None:
    gate = RiskGate(RiskSettings(max_order_notional=Decimal(1000)))
    gate.engage("test")
    linear, spot = linear_market("BTC"), spot_market("ETH")
    closing = close_request(LONG.model_copy(update={"symbol": linear.symbol}))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    gate.check(closing, linear, Decimal(60_000), now)  # above the notional cap, and killed
    opening = closing.model_copy(update={"reduce_only": False})
    with pytest.raises(RiskRejected) as refused:
        gate.check(opening, linear, Decimal(60_000), now)
    assert refused.value.rule is RiskRule.KILL_SWITCH
    on_spot = closing.model_copy(update={"symbol": spot.symbol})
    with pytest.raises(RiskRejected):
        gate.check(on_spot, spot, Decimal(3_000), now)


def test_a_close_is_the_whole_position_reduce_only_the_other_way() -> None:
    request = close_request(SHORT, price=Decimal(2_000))
    assert (request.side, request.type, request.quantity) == (Side.BUY, OrderType.LIMIT, SHORT.size)
    assert request.reduce_only
    assert describe_position(SHORT) == "short 0.5 ETH/USDT:USDT"
    with pytest.raises(ValueError, match="no BTC/USDT:USDT position"):
        close_request(Position(symbol="BTC/USDT:USDT"))
