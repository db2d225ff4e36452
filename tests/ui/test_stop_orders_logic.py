"""Stops as the keys and the command line make them, and their marks on the ladder (pure):
a typed ``stop`` is the ``S`` key's order through the form's checks (hypothesis), a trigger
on the wrong side is refused before anything is sent, and a waiting stop shows at its
trigger, never as a resting order at its limit price."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import (
    Market,
    Order,
    OrderStatus,
    OrderType,
    Position,
    Side,
    StopKind,
    TriggerDirection,
    TriggerSource,
)
from console.domain.order_command import CommandContext, StopOrder, parse_command, render_command
from console.domain.order_command import order_request as place_request
from console.tui.forms.order_draft import check_draft
from console.tui.trading.order_commands import draft_for
from console.tui.trading.position_stops import StopsChange, check_change
from console.tui.trading.stop_orders import (
    as_place_order,
    stop_draft,
    stop_side,
    trigger_problem,
    with_trigger,
)
from console.tui.trading.trigger_marks import tpsl_marks, trigger_marks
from console.tui.widgets.ladder import LadderMark
from console.tui.widgets.ladder_rows import build_ladder

from support.builders import linear_market
from support.fixed_scene import book

MARKET = linear_market("BTC")
MARKETS: dict[str, Market] = {MARKET.symbol: MARKET}
CONTEXT = CommandContext(MARKETS, focused=MARKET.symbol)


@st.composite
def stops(draw: st.DrawFn) -> StopOrder:
    side = draw(st.sampled_from(list(Side)))
    quantity = MARKET.qty_step * draw(st.integers(10, 100_000))
    trigger = MARKET.tick_size * draw(st.integers(100_000, 10_000_000))
    limit = draw(st.none() | st.integers(100_000, 10_000_000).map(lambda n: MARKET.tick_size * n))
    source = draw(st.sampled_from(list(TriggerSource)))
    return StopOrder(side, quantity, MARKET.symbol, trigger, limit, source, draw(st.booleans()))


@given(stops())
@settings(max_examples=200, derandomize=True)
def test_a_typed_stop_is_the_keys_stop_through_the_forms_checks(command: StopOrder) -> None:
    typed = parse_command(render_command(command), CONTEXT)
    assert isinstance(typed, StopOrder)
    request = with_trigger(place_request(as_place_order(typed)), typed)
    assert isinstance(command.quantity, Decimal)
    by_key = stop_draft(
        command.symbol,
        command.side,
        command.quantity,
        command.trigger_price,
        limit=command.limit_price,
        trigger_by=command.trigger_by,
        reduce_only=command.reduce_only,
    )
    assert draft_for(request) == by_key
    check = check_draft(by_key, MARKETS)
    assert check.errors == {}
    assert check.request == request
    assert request.trigger_direction is (
        TriggerDirection.RISING if command.side is Side.BUY else TriggerDirection.FALLING
    )
    assert request.type is (OrderType.MARKET if command.limit_price is None else OrderType.LIMIT)


def test_a_trigger_off_the_tick_gets_the_forms_words() -> None:
    draft = stop_draft(MARKET.symbol, Side.SELL, Decimal("0.01"), Decimal("58000.05"))
    check = check_draft(draft, MARKETS)
    assert check.request is None
    assert check.errors["trigger_price"] == (
        "Trigger price must be a multiple of the 0.1 tick (nearest: 58000.1)"
    )


def test_the_side_of_a_stop_is_where_its_trigger_is_against_the_market() -> None:
    last = Decimal(60_000)
    assert stop_side(Decimal(59_000), last) is Side.SELL
    assert stop_side(Decimal(61_000), last) is Side.BUY
    assert stop_side(last, last) is None
    assert trigger_problem(Side.SELL, Decimal(59_000), last) is None
    problem = trigger_problem(Side.SELL, Decimal(61_000), last)
    assert problem == (
        "A sell stop waits below the market: 61000 is not below the last price 60000"
    )
    assert trigger_problem(Side.BUY, Decimal(59_000), None) is None, "no price: the venue decides"


def order(**changes: object) -> Order:
    values: dict[str, object] = {
        "order_id": "1",
        "symbol": MARKET.symbol,
        "side": Side.SELL,
        "type": OrderType.LIMIT,
        "status": OrderStatus.OPEN,
        "quantity": Decimal("0.02"),
        "price": Decimal("49994.0"),
        "trigger_price": Decimal("49995.0"),
        "trigger_by": TriggerSource.LAST,
        "stop_kind": StopKind.STOP,
    }
    values.update(changes)
    return Order.model_validate(values)


LONG = Position(
    symbol=MARKET.symbol,
    side=Side.BUY,
    size=Decimal("0.02"),
    entry_price=Decimal(100),
    take_profit=Decimal(110),
    stop_loss=Decimal(90),
)


def test_a_waiting_stop_is_a_mark_at_its_trigger_not_an_order_at_its_price() -> None:
    waiting = order()
    triggered = order(order_id="2", triggered=True, price=Decimal("49998.0"), side=Side.BUY)
    view = build_ladder(
        book(MARKET.symbol),
        tick_size=MARKET.tick_size,
        multiple=1,
        rows_per_side=40,
        own_orders=[waiting, triggered],
    )
    own = {(row.side, row.price): row.own_size for row in (*view.asks, *view.bids) if row.own_size}
    assert own == {(Side.BUY, Decimal("49998.0")): Decimal("0.02")}, "only the triggered rests"
    marks = trigger_marks([waiting, triggered], MARKET.symbol, None)
    assert marks == [LadderMark(Decimal("49995.0"), "STOP 0.02")]


def test_the_positions_tp_and_sl_are_its_marks_and_partial_ones_are_triggers() -> None:
    full_tp = order(
        order_id="3", type=OrderType.MARKET, price=None, trigger_price=Decimal(110),
        stop_kind=StopKind.TAKE_PROFIT, reduce_only=True,
    )  # fmt: skip
    partial_sl = order(
        order_id="4", type=OrderType.MARKET, price=None, trigger_price=Decimal(95),
        stop_kind=StopKind.STOP_LOSS, reduce_only=True, quantity=Decimal("0.005"),
    )  # fmt: skip
    assert tpsl_marks(LONG) == [LadderMark(Decimal(110), "TP"), LadderMark(Decimal(90), "SL")]
    assert trigger_marks([full_tp, partial_sl], MARKET.symbol, LONG) == [
        LadderMark(Decimal(95), "SL 0.005")
    ]
    assert tpsl_marks(None) == []


def test_tp_and_sl_on_the_wrong_side_of_the_market_are_refused_before_sending() -> None:
    market = Decimal(100)
    assert check_change(StopsChange(MARKET.symbol, take_profit=Decimal(105)), LONG, market) is None
    assert check_change(StopsChange(MARKET.symbol, take_profit=Decimal(95)), LONG, market) == (
        "The take-profit of a long must be above the market (95 vs 100)"
    )
    assert check_change(StopsChange(MARKET.symbol, stop_loss=Decimal(101)), LONG, market) == (
        "The stop-loss of a long must be below the market (101 vs 100)"
    )
    flat = StopsChange(MARKET.symbol, take_profit=Decimal(105))
    assert check_change(flat, None, market) == f"There is no {MARKET.symbol} position to protect"
