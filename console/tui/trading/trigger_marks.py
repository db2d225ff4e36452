"""Waiting conditional orders and a position's take-profit / stop-loss on the ladder.

A stop that waits for its trigger is not on the book (the venue holds it aside until the
price it watches gets there), so drawing it as a resting order at its limit price would
mislead; the ladder writes ``STOP 0.01`` on the line of its trigger instead (mark source
``"triggers"``), and the position's whole-position take-profit and stop-loss as ``TP`` and
``SL`` (source ``"tpsl"``). Partial TP/SL orders, which are not the position's pair, show
with their size among the triggers (``TP 0.005``). The same lines are where the move keys
pick them up (:mod:`.trigger_mover`). Pure functions over orders and positions, plus the one
call that writes both sets on a ladder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Order, Position, Side, StopKind
from console.tui.forms.amounts import plain_amount
from console.tui.trading.ladder_trading import align
from console.tui.widgets.ladder import LadderMark

if TYPE_CHECKING:
    from console.tui.widgets.ladder import OrderBookLadder

TRIGGERS = "triggers"
"""The ladder's mark source for waiting stops (and partial TP/SL orders)."""
TPSL = "tpsl"
"""The ladder's mark source for the position's take-profit and stop-loss."""
LABELS: dict[StopKind, str] = {
    StopKind.STOP: "STOP",
    StopKind.TAKE_PROFIT: "TP",
    StopKind.STOP_LOSS: "SL",
}


@dataclass(frozen=True, slots=True)
class PositionStop:
    """The position's take-profit or stop-loss, as a line the trader can move."""

    symbol: str
    kind: StopKind
    price: Decimal


def position_stops(position: Position | None) -> list[PositionStop]:
    """The whole-position TP and SL set on ``position`` (none when flat)."""
    if position is None or position.is_flat:
        return []
    stops = [
        PositionStop(position.symbol, kind, price)
        for kind, price in (
            (StopKind.TAKE_PROFIT, position.take_profit),
            (StopKind.STOP_LOSS, position.stop_loss),
        )
        if price
    ]
    return stops


def trigger_marks(
    orders: Sequence[Order], symbol: str, position: Position | None
) -> list[LadderMark]:
    """A mark at the trigger of each waiting conditional order of ``symbol``, except the
    position's own TP/SL orders (:func:`tpsl_marks` shows those)."""
    covered = {(stop.kind, stop.price) for stop in position_stops(position)}
    marks: list[LadderMark] = []
    for order in orders:
        if order.symbol != symbol or not order.waiting_trigger or order.trigger_price is None:
            continue
        kind = order.stop_kind or StopKind.STOP
        if (kind, order.trigger_price) in covered:
            continue
        marks.append(
            LadderMark(order.trigger_price, f"{LABELS[kind]} {plain_amount(order.remaining)}")
        )
    return marks


def tpsl_marks(position: Position | None) -> list[LadderMark]:
    """``TP`` and ``SL`` at the position's take-profit and stop-loss."""
    return [LadderMark(stop.price, LABELS[stop.kind]) for stop in position_stops(position)]


def show_triggers(
    ladder: OrderBookLadder, orders: Sequence[Order], position: Position | None
) -> None:
    """Write the ladder's ``triggers`` and ``tpsl`` marks for its symbol."""
    ladder.set_marks(TRIGGERS, trigger_marks(orders, ladder.symbol, position))
    ladder.set_marks(TPSL, tpsl_marks(position))


def position_stop_at(ladder: OrderBookLadder, position: Position | None) -> PositionStop | None:
    """The position's TP or SL on the ladder's cursor line (as its mark is drawn: a bid
    line rounds down to it, an ask line up), or None."""
    line = ladder.cursor_price
    if line is None or position is None or position.symbol != ladder.symbol:
        return None
    bucket = ladder.tick_size * ladder.multiple
    for stop in position_stops(position):
        if line in (align(stop.price, bucket, Side.BUY), align(stop.price, bucket, Side.SELL)):
            return stop
    return None


__all__ = [
    "LABELS",
    "TPSL",
    "TRIGGERS",
    "PositionStop",
    "position_stop_at",
    "position_stops",
    "show_triggers",
    "tpsl_marks",
    "trigger_marks",
]
