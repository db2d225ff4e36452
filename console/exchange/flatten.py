"""Flatten the account: block new orders, cancel every open order, close every position, and
say exactly what happened to each.

The order of the steps is the point. The kill switch goes first, before any await, so
nothing new can slip in while the rest runs (it stays engaged afterwards: the trader
releases it). The cancels come before the closes, so a resting order cannot fill into a
new position while the positions are being closed. Each close is a reduce-only market order
through the client's one order path (market rules, the risk gate, which lets reduce-only
orders through its kill switch, the live journal, one send).

Nothing is re-sent blindly. A step the venue refused is reported with the venue's reason
and left for the trader; a step whose answer was lost (a timeout, a dropped connection) is
reported as *unknown*, never as "not sent", and the account is reconciled with the venue
before the report is made. The only retry is of a close the console's own order-rate rule
held back: that order certainly never left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from console.domain import Order, OrderRequest, Position, TradingVenue
from console.domain.closing import close_request, describe_position
from console.exchange.errors import ExchangeError, outcome_unknown
from console.exchange.risk import RiskGate, RiskRejected, RiskRule

log = logging.getLogger(__name__)

FLATTEN_REASON = "flatten: every order cancelled and every position closed"
RATE_RETRIES = 3
"""Times a close held back by the console's own order-rate rule is tried again, a second
apart (it was never sent, so trying again cannot double it)."""

PositionsReader = Callable[[], Awaitable[Sequence[Position]]]
Reconcile = Callable[[], Awaitable[Sequence[str]]]


class StepResult(StrEnum):
    """How one step of a flatten ended."""

    DONE = "done"
    FAILED = "failed"
    """The venue (or a rule checked before sending) refused it: it did not happen."""
    UNKNOWN = "unknown"
    """The answer was lost: it may have happened; the account was reconciled after."""


@dataclass(frozen=True)
class FlattenStep:
    """One thing a flatten did or tried.

    Attributes:
        action: ``cancel``, ``close``, ``list orders`` or ``read positions``.
        subject: what it acted on (``order 123 BTC/USDT:USDT``, ``long 0.01 BTC/USDT:USDT``).
        result: done, failed or unknown.
        detail: the venue's answer (the order's state) or its reason for refusing.
    """

    action: str
    subject: str
    result: StepResult
    detail: str

    def line(self) -> str:
        return f"{self.action} {self.subject}: {self.result.value.upper()} – {self.detail}"


@dataclass(frozen=True)
class FlattenReport:
    """What a flatten did, step by step, and the positions the venue reported after it.

    Attributes:
        steps: every cancel and close (and a failed read), in the order they ran.
        remaining: open positions read after the closes; None when they could not be read.
        reconciliation: what reconciling the account with the venue found, when an answer
            was lost (empty when nothing needed it).
    """

    steps: tuple[FlattenStep, ...]
    remaining: tuple[Position, ...] | None
    reconciliation: tuple[str, ...] = field(default=())

    @property
    def problems(self) -> tuple[FlattenStep, ...]:
        """The steps that failed or whose outcome is unknown."""
        return tuple(step for step in self.steps if step.result is not StepResult.DONE)

    @property
    def flat(self) -> bool:
        """Every position is closed and every step went through."""
        return not self.problems and self.remaining == ()

    def count(self, action: str, result: StepResult = StepResult.DONE) -> int:
        return sum(1 for step in self.steps if step.action == action and step.result is result)


async def flatten(
    gate: RiskGate,
    venue: TradingVenue,
    positions: PositionsReader,
    *,
    reconcile: Reconcile | None = None,
    reason: str = FLATTEN_REASON,
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> FlattenReport:
    """Kill switch, cancel every open order, close every open position at market.

    Args:
        gate: the risk gate; engaged first (unless it already is) and left engaged.
        venue: the client (paper or live) the cancels and closes go through.
        positions: reads the open positions (live: from the venue, fresh).
        reconcile: compares the orders with the venue after a lost answer; its lines go
            into the report.
        reason: why the kill switch is engaged, as the gate will say it.
        pause: waits between tries of a close the order-rate rule held back.
    """
    if not gate.killed:
        gate.engage(reason)
    steps: list[FlattenStep] = []
    await _cancel_all(venue, steps)
    try:
        held = [p for p in await positions() if not p.is_flat]
    except Exception as error:  # the report must be made whatever the read does
        steps.append(FlattenStep("read positions", "all", StepResult.FAILED, _reason(error)))
        held = []
    for position in held:
        steps.append(await _close(venue, position, pause))
    lines: tuple[str, ...] = ()
    if reconcile is not None and any(s.result is StepResult.UNKNOWN for s in steps):
        lines = tuple(await reconcile())
    remaining: tuple[Position, ...] | None
    try:
        remaining = tuple(p for p in await positions() if not p.is_flat)
    except Exception as error:
        log.warning("flatten: positions could not be read after the closes: %s", error)
        remaining = None
    return FlattenReport(tuple(steps), remaining, lines)


async def _cancel_all(venue: TradingVenue, steps: list[FlattenStep]) -> None:
    try:
        orders = await venue.fetch_open_orders()
    except Exception as error:
        steps.append(FlattenStep("list orders", "all", StepResult.FAILED, _reason(error)))
        return
    for order in orders:
        subject = f"order {order.order_id} {order.symbol}"
        try:
            cancelled = await venue.cancel_order(order.order_id, order.symbol)
        except Exception as error:
            steps.append(FlattenStep("cancel", subject, _result_of(error), _reason(error)))
        else:
            steps.append(FlattenStep("cancel", subject, StepResult.DONE, _state(cancelled)))


async def _close(
    venue: TradingVenue, position: Position, pause: Callable[[float], Awaitable[None]]
) -> FlattenStep:
    subject = describe_position(position)
    request: OrderRequest = close_request(position)
    for attempt in range(RATE_RETRIES + 1):
        try:
            order = await venue.create_order(request)
        except RiskRejected as refusal:
            if refusal.rule is RiskRule.ORDER_RATE and attempt < RATE_RETRIES:
                await pause(1.0)
                continue
            return FlattenStep("close", subject, StepResult.FAILED, str(refusal))
        except Exception as error:
            return FlattenStep("close", subject, _result_of(error), _reason(error))
        return FlattenStep("close", subject, StepResult.DONE, _state(order))
    raise AssertionError("unreachable: the last try returns")


def _result_of(error: BaseException) -> StepResult:
    return StepResult.UNKNOWN if outcome_unknown(error) else StepResult.FAILED


def _reason(error: BaseException) -> str:
    """The venue's words (the taxonomy's message); an error outside it by its type only,
    since its text may carry what must not be shown."""
    if isinstance(error, ExchangeError):
        text = str(error)
    else:
        log.error("flatten step failed outside the error taxonomy", exc_info=error)
        text = type(error).__name__
    if outcome_unknown(error):
        return f"the answer was lost ({text}); it may have gone through"
    return text


def _state(order: Order) -> str:
    text = f"order {order.order_id} {order.status.value.replace('_', ' ')}"
    if order.filled and order.average_price is not None:
        text += f", {order.filled.normalize():f} at avg {order.average_price.normalize():f}"
    return text


__all__ = [
    "FLATTEN_REASON",
    "FlattenReport",
    "FlattenStep",
    "PositionsReader",
    "StepResult",
    "flatten",
]
