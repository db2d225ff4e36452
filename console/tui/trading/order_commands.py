"""What the order command line's commands do: the same order path as the form, or a plain
"not available yet" for the tools the console does not have yet.

A ``buy``/``sell`` becomes an :class:`~console.tui.forms.order_draft.OrderDraft` handed to
:meth:`OrderFlow.submit_draft <console.tui.trading.order_flow.OrderFlow.submit_draft>`, the
path the ladder keys take: the form's checks, the risk gate, the confirmation (live always;
paper unless the setting skips it), one send, the journal. ``cancel all`` is the open-orders
table's cancel-all; ``alert`` sets a price alert (:mod:`.alert_center`). Stops, TP/SL,
scale, chase, close and flatten parse (so the grammar is settled and the preview says what
they will do) but are refused here until their executors exist, rather than being
approximated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from console.domain import OrderRequest, TradingMode
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
)
from console.tui.command_history import HISTORY_FILE, CommandHistory
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import OrderDraft, check_draft

if TYPE_CHECKING:
    from console.tui.trading.alert_center import AlertCenter
    from console.tui.trading.host import TradingHost
    from console.tui.trading.order_flow import OrderFlow
    from console.tui.trading.scale_orders import ScaleOrders

NOT_YET = "not available yet in this console; use the order form or the ladder keys"
LIVE_SHARE = "A share of the position works in paper mode for now: give the quantity"


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
        scale: ScaleOrders | None = None,
        alerts: AlertCenter | None = None,
    ) -> None:
        self._app = app
        self._flow = flow
        self._scale = scale
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
        if isinstance(command, ScaleOrder) and self._scale is not None:
            summary, problem = self._scale.preview(command)
            return CommandPreview(
                command, f"{text}: {summary}" if summary else text, problem=problem
            )
        if isinstance(command, PriceAlert) and self._alerts is not None:
            return CommandPreview(command, text)
        if not isinstance(command, PlaceOrder | CancelAll):
            return CommandPreview(command, text, problem=f"{_verb(command)} is {NOT_YET}")
        if isinstance(command, PlaceOrder):
            draft = self.draft(command)
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

    def draft(self, command: PlaceOrder) -> OrderDraft | str:
        """The order as the form would hold it, or why it cannot be made (no position to
        take a share of)."""
        position: Decimal | None = None
        if isinstance(command.quantity, PositionShare):
            known = self._position(command.symbol)
            if isinstance(known, str):
                return known
            position = known
        try:
            request = order_request(
                command, position_size=position, market=self._app.markets.get(command.symbol)
            )
        except CommandRefused as refused:
            return refused.reason
        except ValueError as error:  # the request's own shape rules
            return str(error)
        return draft_for(request)

    def run(self, command: OrderCommand) -> None:
        """Do what ``command`` says, through the path the keys and the form use."""
        match command:
            case PlaceOrder():
                draft = self.draft(command)
                if isinstance(draft, str):
                    self._app.notify(draft, title="Order not sent", severity="error", timeout=8)
                    return
                self._flow.submit_draft(draft)
            case CancelAll():
                self._flow.cancel_all()
            case ScaleOrder() if self._scale is not None:
                self._scale.run(command)
            case PriceAlert() if self._alerts is not None:
                self._alerts.add(spec_for(command))
            case _:
                self._app.notify(
                    f"{describe_command(command)}: {NOT_YET}",
                    title=f"{_verb(command)} not available yet",
                    severity="warning",
                    timeout=8,
                )

    def _position(self, symbol: str) -> Decimal | str:
        services = self._app.services
        if services is None:
            return "Markets are still loading; try again in a moment"
        if self._app.settings.mode is not TradingMode.PAPER or services.paper is None:
            return LIVE_SHARE
        sizes = {position.symbol: position.size for position in services.paper.positions()}
        return sizes.get(symbol, Decimal(0))


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
    )


def _verb(command: OrderCommand) -> str:
    """The command's name for the trader (``Stop order``, ``Flatten``)."""
    return _VERBS.get(type(command), type(command).__name__)


_VERBS: dict[type, str] = {
    StopOrder: "Stop order",
    SetTakeProfitStopLoss: "TP/SL",
    ScaleOrder: "Scale order",
    ChaseOrder: "Chase order",
    ClosePosition: "Close position",
    Flatten: "Flatten",
    PriceAlert: "Price alert",
}


__all__ = ["LIVE_SHARE", "NOT_YET", "CommandPreview", "OrderCommands", "draft_for"]
