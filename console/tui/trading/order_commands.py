"""What the order command line's commands do: the same order path as the form, or a plain
"not available yet" for the tools the console does not have yet.

A ``buy``/``sell`` becomes an :class:`~console.tui.forms.order_draft.OrderDraft` handed to
:meth:`OrderFlow.submit_draft <console.tui.trading.order_flow.OrderFlow.submit_draft>`, the
path the ladder keys take: the form's checks, the risk gate, the confirmation (live always;
paper unless the setting skips it), one send, the journal. ``cancel all`` is the open-orders
table's cancel-all. A ``stop`` is the order the ``S`` key makes (:mod:`.stop_orders`) on the
same path; ``tp``/``sl`` set the position's TP/SL as ``E``/``D`` do (:mod:`.position_stops`);
``chase`` is the chase keys' order (:mod:`.chases`), ``scale`` the scale form's plan
(:mod:`.scale_orders`), ``close`` and ``flatten`` the close and flatten keys' own actions
(handed in as ``close`` and ``flatten``), and ``alert`` sets a price alert
(:mod:`.alert_center`). A share of the position (``50% pos``) is of the position as last
known, paper or live (:mod:`.held_positions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, assert_never

from console.domain import OrderRequest
from console.domain.alert_command import spec_for
from console.domain.order_command import (
    CancelAll,
    ChaseOrder,
    ClosePosition,
    CommandContext,
    CommandRefused,
    Flatten,
    OrderCommand,
    PlaceOrder,
    PositionShare,
    PriceAlert,
    ScaleOrder,
    SetTakeProfitStopLoss,
    StopOrder,
    describe_command,
    order_request,
    parse_command,
    tokenize,
)
from console.tui.command_history import HISTORY_FILE, CommandHistory
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import OrderDraft, check_draft
from console.tui.trading.held_positions import position_of
from console.tui.trading.position_stops import StopsChange
from console.tui.trading.stop_orders import (
    as_place_order,
    last_price,
    trigger_problem,
    with_trigger,
)

if TYPE_CHECKING:
    from console.tui.trading.alert_center import AlertCenter
    from console.tui.trading.chases import Chases
    from console.tui.trading.host import TradingHost
    from console.tui.trading.order_flow import OrderFlow
    from console.tui.trading.position_stops import PositionStops
    from console.tui.trading.scale_orders import ScaleOrders


@dataclass(frozen=True)
class CommandPreview:
    """What a line will do, or why it cannot be run.

    Attributes:
        command: the command read, or None when the line is refused.
        text: the sentence to show under the prompt.
        refused: the token at fault, when the line cannot be read.
        problem: what the order checks found (size below the minimum, the risk gate...),
            or that the command is not available yet; None when Enter will run it.
    """

    command: OrderCommand | None
    text: str
    refused: CommandRefused | None = None
    problem: str | None = None


class OrderCommands:
    """Reads command lines against the loaded markets and runs them."""

    def __init__(
        self,
        app: TradingHost,
        flow: OrderFlow,
        *,
        scale: ScaleOrders,
        chases: Chases,
        position_stops: PositionStops,
        close: Callable[[str], None],
        flatten: Callable[[], None],
        alerts: AlertCenter,
    ) -> None:
        """
        Args:
            scale: the scale plans (the scale form's).
            chases: the chase orders (the chase keys').
            position_stops: the position's TP/SL (the ``E``/``D`` keys').
            close: closes a symbol's position (the close key's action).
            flatten: asks, then flattens the account (the flatten key's action).
            alerts: the alerts (``alert`` sets one).
        """
        self._app = app
        self._flow = flow
        self._scale = scale
        self._chases = chases
        self._position_stops = position_stops
        self._close = close
        self._flatten = flatten
        self._alerts = alerts

    @cached_property
    def history(self) -> CommandHistory:
        """The lines run, kept in ``data_dir`` (read when the prompt first opens)."""
        return CommandHistory(self._app.settings.data_dir / HISTORY_FILE)

    def context(self) -> CommandContext:
        """The markets, and the main screen's symbol as the focused one."""
        screen = self._app.open_screen()
        focused = None if screen is None else screen.selected_symbol
        return CommandContext(self._app.markets, focused)

    def preview(self, line: str) -> CommandPreview:
        """What ``line`` will do, checked as far as typing allows (no order rate used)."""
        try:
            command = parse_command(line, self.context())
        except CommandRefused as refused:
            return CommandPreview(None, refused.reason, refused=refused)
        text = describe_command(command)
        if isinstance(command, ScaleOrder):
            summary, problem = self._scale.preview(command)
            return CommandPreview(
                command, f"{text}: {summary}" if summary else text, problem=problem
            )
        if isinstance(command, PriceAlert):
            return CommandPreview(command, text)
        if isinstance(command, SetTakeProfitStopLoss):
            problem = self._position_stops.problem(_stops_change(command))
            return CommandPreview(command, text, problem=problem)
        if isinstance(command, StopOrder):
            wrong_side = self._trigger_refused(line, command)
            if wrong_side is not None:
                return CommandPreview(None, wrong_side.reason, refused=wrong_side)
        if isinstance(command, ClosePosition):
            held = position_of(self._app, command.symbol)
            if held is None:
                return CommandPreview(command, text, problem="no open position")
        if isinstance(command, PlaceOrder | StopOrder | ChaseOrder):
            draft = (
                self._chases.draft(command)
                if isinstance(command, ChaseOrder)
                else self.draft(command)
            )
            if isinstance(draft, str):
                return CommandPreview(command, text, problem=draft)
            check = check_draft(
                draft,
                self._app.markets,
                risk_check=self._flow.risk_check(),
                reference_price=self._flow.mid(draft.symbol),
            )
            if check.errors:
                return CommandPreview(command, text, problem="; ".join(check.errors.values()))
        return CommandPreview(command, text)

    def _trigger_refused(self, line: str, command: StopOrder) -> CommandRefused | None:
        """A stop whose trigger is on the wrong side of the market, refused at its trigger."""
        reason = trigger_problem(
            command.side, command.trigger_price, last_price(self._app.market_store, command.symbol)
        )
        if reason is None:
            return None
        tokens = tokenize(line)
        at = next((i for i, token in enumerate(tokens) if token.text == "@"), None)
        token = tokens[at + 1] if at is not None and at + 1 < len(tokens) else tokens[-1]
        return CommandRefused(reason, token)

    def draft(self, command: PlaceOrder | StopOrder) -> OrderDraft | str:
        """The order as the form would hold it, or why it cannot be made (no position to
        take a share of)."""
        position: Decimal | None = None
        if isinstance(command.quantity, PositionShare):
            known = self._position(command.symbol)
            if isinstance(known, str):
                return known
            position = known
        place = command if isinstance(command, PlaceOrder) else as_place_order(command)
        try:
            request = order_request(
                place, position_size=position, market=self._app.markets.get(command.symbol)
            )
            if isinstance(command, StopOrder):
                request = with_trigger(request, command)
        except CommandRefused as refused:
            return refused.reason
        except ValueError as error:  # the request's own shape rules
            return str(error)
        return draft_for(request)

    def run(self, command: OrderCommand) -> None:
        """Do what ``command`` says, through the path the keys and the form use."""
        match command:
            case PlaceOrder() | StopOrder():
                draft = self.draft(command)
                if isinstance(draft, str):
                    self._app.notify(draft, title="Order not sent", severity="error", timeout=8)
                    return
                self._flow.submit_draft(draft)
            case SetTakeProfitStopLoss():
                self._position_stops.ask(_stops_change(command))
            case CancelAll():
                self._flow.cancel_all()
            case ScaleOrder():
                self._scale.run(command)
            case ChaseOrder():
                self._chases.run_command(command)
            case ClosePosition():
                self._close(command.symbol)
            case Flatten():
                self._flatten()
            case PriceAlert():
                self._alerts.add(spec_for(command))
            case _:
                assert_never(command)

    def _position(self, symbol: str) -> Decimal | str:
        """The signed size of ``symbol``'s position as last known (0 when flat)."""
        held = position_of(self._app, symbol)
        if isinstance(held, str):
            return held
        return Decimal(0) if held is None else held.signed_size


def draft_for(request: OrderRequest) -> OrderDraft:
    """``request`` as the form's fields: :func:`check_draft` turns it back into an equal
    request when it keeps the market's rules, so the command line's order is the form's."""
    return OrderDraft(
        symbol=request.symbol,
        side=request.side,
        type=request.type,
        quantity=plain_amount(request.quantity),
        price="" if request.price is None else plain_amount(request.price),
        time_in_force=request.time_in_force,
        reduce_only=request.reduce_only,
        trigger_price="" if request.trigger_price is None else plain_amount(request.trigger_price),
        trigger_by=request.trigger_by,
        trigger_direction=request.trigger_direction,
    )


def _stops_change(command: SetTakeProfitStopLoss) -> StopsChange:
    return StopsChange(command.symbol, command.take_profit, command.stop_loss)


__all__ = ["CommandPreview", "OrderCommands", "draft_for"]
