"""Scale orders from the console: a plan typed into its form (key ``N``) or the command line
(``scale buy 0.1 btc 59000..58000 x10``), previewed on the ladder, confirmed once, sent as
one batch, and pulled as one.

The path is the order path's (:mod:`.order_flow`): refused while live is not armed, checked
(the plan's rules, the risk gate per child), confirmed (live always; paper unless
``ui.confirm_paper_orders`` is off), sent once in a worker through
``ExchangeClient.create_orders`` (Bybit's create-batch in live mode, each child journaled
with its own client order id; one by one in paper). While the plan is entered and
confirmed its children are written on the ladder (marks ``"scale"``, ``S1 0.01`` ...);
they go when the plan is sent or dropped. The outcome is reported child by child; a child
whose answer was lost is reconciled by its client order id, never sent again. A plan that
works can be pulled: its open children are cancelled together (cancel-batch).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from console.domain import Order, Side, TradingMode
from console.domain.scale import ScalePlan, ScaleRefused, plan_scale
from console.tui.forms.amounts import plain_amount
from console.tui.forms.scale_draft import ScaleDraft, plan_summary
from console.tui.trading.sent_once import SentOnce
from console.tui.widgets.ladder import LadderMark

if TYPE_CHECKING:
    from console.domain.order_command import ScaleOrder
    from console.exchange.live import BatchOutcome, CancelOutcome
    from console.tui.screens.scale_form import ScaleFormResult
    from console.tui.trading.host import TradingHost
    from console.tui.trading.ladder_keys import LadderKeys
    from console.tui.trading.order_flow import OrderFlow

log = logging.getLogger(__name__)

MARKS = "scale"
"""The ladder's mark set these children are written in."""
DEFAULT_COUNT = 10


def child_marks(plan: ScalePlan | None) -> list[LadderMark]:
    """``S1 0.01`` on the line of each child's price."""
    if plan is None:
        return []
    return [
        LadderMark(child.price, f"S{child.number} {plain_amount(child.quantity)}")
        for child in plan.children
    ]


@dataclass
class WorkingPlan:
    """A plan that was sent: which children the venue took (by order id)."""

    number: int
    plan: ScalePlan
    order_ids: list[str] = field(default_factory=list)

    def describe(self, open_ids: set[str]) -> str:
        spec = self.plan.spec
        still = sum(order_id in open_ids for order_id in self.order_ids)
        return (
            f"Plan #{self.number} {spec.side.value.upper()} {plain_amount(self.plan.total)} "
            f"{spec.symbol}: {still} of {len(self.plan.children)} orders open"
        )


class ScaleOrders:
    """The scale form, the plan's preview, confirmation, send and pull."""

    def __init__(self, app: TradingHost, flow: OrderFlow, ladder_keys: LadderKeys) -> None:
        """
        Args:
            app: the console.
            flow: the order path (refusals, risk preview, mid prices, account refresh).
            ladder_keys: their size preset: a child of the form's first plan is one preset
                order.
        """
        self._app = app
        self._flow = flow
        self._ladder_keys = ladder_keys
        self._sent: SentOnce[ScalePlan] = SentOnce()
        """The plans handed to a worker: a plan is sent once."""
        self._numbers = 0
        self.working: list[WorkingPlan] = []
        """Plans sent in this run that may still have open children, oldest first."""

    # -- preview ----------------------------------------------------------------------

    def show(self, plan: ScalePlan | None) -> None:
        """Write ``plan``'s children on the ladders of its symbol (None: clear them)."""
        marks = child_marks(plan)
        for ladder in self._app.main_screen.ladders:
            ladder.set_marks(MARKS, marks if plan and ladder.symbol == plan.spec.symbol else [])

    # -- entry ------------------------------------------------------------------------

    def open_form(self) -> None:
        """The scale form, pre-filled from the focused ladder's cursor (or its touch)."""
        if self._flow.dialog_open():
            self._app.bell()
            return
        if (reason := self._flow.blocked()) is not None:
            self._app.notify(reason, title="Scale order not started", severity="warning")
            return
        from console.tui.screens.scale_form import ScaleFormScreen

        markets = self._app.markets
        self._app.push_screen(
            ScaleFormScreen(
                markets,
                self._draft(),
                preview=self.show,
                risk_check=self._flow.risk_check(),
                reference_prices={s: m for s in markets if (m := self._flow.mid(s)) is not None},
                working=self._describe_working,
                mode=self._app.settings.mode,
            ),
            callback=self._form_closed,
        )

    def _draft(self) -> ScaleDraft:
        """From the cursor away from the market, one ladder line per child: a buy below
        the mid (a sell above it), the preset size each."""
        ladder = self._app.main_screen.focused_ladder()
        market = self._app.markets.get(ladder.symbol)
        book = ladder.snapshot
        mid = book.mid if book else None
        best = book.best_bid if book else None
        start = ladder.cursor_price or (best.price if best else None)
        if market is None or start is None:
            return ScaleDraft(symbol=ladder.symbol)
        side = Side.SELL if mid is not None and start > mid else Side.BUY
        line = ladder.tick_size * ladder.multiple
        span = line * (DEFAULT_COUNT - 1)
        end = start - span if side is Side.BUY else start + span
        if end <= 0:
            end = market.tick_size
        each = self._ladder_keys.preset.quantity(market, start)
        return ScaleDraft(
            symbol=ladder.symbol,
            side=side,
            total=plain_amount(each * DEFAULT_COUNT),
            first_price=plain_amount(start),
            last_price=plain_amount(end),
            count=str(DEFAULT_COUNT),
        )

    def _form_closed(self, result: ScaleFormResult) -> None:
        from console.tui.screens.scale_form import PullRequested

        if isinstance(result, PullRequested):
            self.show(None)
            self.pull(result.symbol)
        elif result is None:
            self.show(None)
        else:
            self.review(result)

    def _checked(self, command: ScaleOrder) -> tuple[ScalePlan | None, str, str | None]:
        """The command's plan, its summary, and the problem that stops it (a child under
        the minimum, the risk gate on a child), if any."""
        from console.domain.order_command import scale_spec

        market = self._app.markets.get(command.symbol)
        if market is None:
            return None, "", f"{command.symbol} is not a market of this venue"
        try:
            plan = plan_scale(scale_spec(command), market)
        except ScaleRefused as refused:
            return None, "", refused.reason
        summary = plan_summary(plan, market, self._flow.mid(plan.spec.symbol))
        check = self._flow.risk_check()
        if check is not None:
            for child, request in zip(plan.children, plan.requests(), strict=True):
                if (refusal := check(request)) is not None:
                    return plan, summary, f"Order {child.number}: {refusal}"
        return plan, summary, None

    def preview(self, command: ScaleOrder) -> tuple[str, str | None]:
        """What the command line shows for ``command``: the plan in one line, and the
        problem that stops it, if any."""
        _, summary, problem = self._checked(command)
        return summary, problem

    def run(self, command: ScaleOrder) -> None:
        """The command line's ``scale``: planned, then confirmed and sent like the form's."""
        if (reason := self._flow.blocked()) is not None:
            self._app.notify(reason, title="Scale order not sent", severity="warning")
            return
        plan, _, problem = self._checked(command)
        if plan is None or problem is not None:
            self._app.notify(problem or "", title="Scale order not sent", severity="error")
            return
        self.review(plan)

    # -- confirmation and send ----------------------------------------------------------

    def review(self, plan: ScalePlan) -> None:
        """Show the plan on the ladder and confirm it once (live always; paper unless the
        setting skips it), then send it."""
        settings = self._app.settings
        self.show(plan)
        if settings.mode is TradingMode.PAPER and not settings.ui.confirm_paper_orders:
            self.send(plan)
            return
        from console.tui.screens.confirm_scale import ConfirmScaleScreen

        market = self._app.markets.get(plan.spec.symbol)
        if market is None:
            self.show(None)
            self._app.notify(f"{plan.spec.symbol} is not a market of this venue", severity="error")
            return

        def confirmed(send: bool | None) -> None:
            if send:
                self.send(plan)
            else:
                self.show(None)

        self._app.push_screen(
            ConfirmScaleScreen(
                plan,
                market,
                mode=settings.mode,
                venue=settings.venue,
                batched=settings.mode is TradingMode.LIVE and settings.is_bybit,
                reference_price=self._flow.mid(plan.spec.symbol),
            ),
            callback=confirmed,
        )

    def send(self, plan: ScalePlan) -> None:
        """Send ``plan`` once, in a worker; its outcome is reported child by child."""
        self.show(None)
        if plan in self._sent:
            log.warning("ignored a second send of the same scale plan")
            return
        if (reason := self._flow.blocked()) is not None:
            self._app.notify(reason, title="Scale plan not sent", severity="error")
            return
        self._sent.add(plan)
        self._numbers += 1
        working = WorkingPlan(self._numbers, plan)
        self._app.run_worker(
            self._send(working), name="send scale plan", group="orders", exit_on_error=False
        )

    async def _send(self, working: WorkingPlan) -> None:
        from console.exchange.errors import outcome_unknown

        services = self._app.services
        assert services is not None
        plan = working.plan
        try:
            outcomes = await services.client.create_orders(plan.requests())
        except Exception as error:  # words, not a traceback
            if outcome_unknown(error):
                log.error("scale plan outcome unknown", exc_info=error)
            self._app.notify(
                f"Plan #{working.number} ({plan.spec.symbol}): nothing was placed ({error})",
                title="Scale plan not sent",
                severity="error",
                timeout=15,
            )
            return
        working.order_ids = [o.order_id for o in outcomes if isinstance(o, Order)]
        if working.order_ids:
            self.working.append(working)
        unknown = self._report(working, outcomes)
        if unknown:
            await self._flow.reconcile()
        self._flow.refresh()

    def _report(self, working: WorkingPlan, outcomes: Sequence[BatchOutcome]) -> bool:
        """One notice for the plan, naming each child that failed and why; True when an
        outcome is unknown (the caller reconciles)."""
        from console.exchange.errors import outcome_unknown

        plan = working.plan
        placed = len(working.order_ids)
        lines: list[str] = []
        unknown = False
        for child, outcome in zip(plan.children, outcomes, strict=True):
            if isinstance(outcome, Order):
                continue
            where = f"S{child.number} {plain_amount(child.quantity)} at {plain_amount(child.price)}"
            if outcome_unknown(outcome):
                unknown = True
                lines.append(
                    f"{where}: outcome unknown ({outcome}); it may be working: the console is "
                    "reconciling it by its client order id, not sending it again"
                )
            else:
                lines.append(f"{where}: {outcome}")
        spec = plan.spec
        head = (
            f"Plan #{working.number} {spec.side.value.upper()} {plain_amount(plan.total)} "
            f"{spec.symbol}: {placed} of {len(plan.children)} orders placed"
        )
        if not lines:
            self._app.notify(head, title="Scale plan placed")
        else:
            self._app.notify(
                "\n".join([head, *lines]),
                title="Scale plan partly placed" if placed else "Scale plan not placed",
                severity="warning" if placed else "error",
                timeout=20,
            )
        return unknown

    # -- pulling ------------------------------------------------------------------------

    def _open_ids(self, symbol: str) -> set[str]:
        """Our open orders on ``symbol`` as its ladder shows them; without a ladder of it,
        every child the venue took counts as open (the pull reads the venue first)."""
        ladders = [ladder for ladder in self._app.main_screen.ladders if ladder.symbol == symbol]
        if not ladders:
            return {i for w in self.working if w.plan.spec.symbol == symbol for i in w.order_ids}
        return {order.order_id for ladder in ladders for order in ladder.own_orders}

    def _latest(self, symbol: str) -> WorkingPlan | None:
        open_ids = self._open_ids(symbol)
        for working in reversed(self.working):
            if working.plan.spec.symbol == symbol and open_ids & set(working.order_ids):
                return working
        return None

    def _describe_working(self, symbol: str) -> str | None:
        working = self._latest(symbol)
        return None if working is None else working.describe(self._open_ids(symbol))

    def pull(self, symbol: str) -> None:
        """Cancel the open children of the latest plan working on ``symbol``, in a worker."""
        working = self._latest(symbol)
        if working is None or self._app.services is None:
            self._app.notify(f"No scale plan works on {symbol}", severity="warning")
            return
        self._app.run_worker(
            self._pull(working), name="pull scale plan", group="cancels", exit_on_error=False
        )

    async def _pull(self, working: WorkingPlan) -> None:
        services = self._app.services
        assert services is not None
        symbol = working.plan.spec.symbol
        title = f"Plan #{working.number} pulled"
        try:
            open_ids = {o.order_id for o in await services.client.fetch_open_orders(symbol)}
            ids = [order_id for order_id in working.order_ids if order_id in open_ids]
            outcomes = await services.client.cancel_orders(symbol, ids)
        except Exception as error:  # words, not a traceback
            self._app.notify(
                f"Plan #{working.number} ({symbol}) not pulled: {error}; check the open orders",
                title="Scale plan not pulled",
                severity="error",
                timeout=15,
            )
            return
        self._report_pull(working, ids, outcomes, title)
        if all(outcome is None for outcome in outcomes):
            self.working.remove(working)
        self._flow.refresh()

    def _report_pull(
        self,
        working: WorkingPlan,
        ids: list[str],
        outcomes: Sequence[CancelOutcome],
        title: str,
    ) -> None:
        cancelled = sum(outcome is None for outcome in outcomes)
        done = len(working.order_ids) - len(ids)
        head = f"{cancelled} of {len(working.order_ids)} orders cancelled"
        if done:
            head += f"; {done} had already filled or gone"
        lines = [
            f"order {order_id}: {outcome}"
            for order_id, outcome in zip(ids, outcomes, strict=True)
            if outcome is not None
        ]
        if not lines:
            self._app.notify(head, title=title)
        else:
            self._app.notify("\n".join([head, *lines]), title=title, severity="warning", timeout=20)


__all__ = ["MARKS", "ScaleOrders", "WorkingPlan", "child_marks"]
