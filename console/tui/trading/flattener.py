"""The flatten key (and ``flatten``): kill switch, cancel every order, close every position,
confirmed first, then a report of every step.

The work itself is :func:`console.exchange.flatten.flatten`, headless; this module asks
first (in live mode with the LIVE wording, and only once live trading is armed, as for any
live order), engages the kill switch the moment the trader says yes (before the worker
starts, so nothing new slips in), runs the flatten in a worker, and shows its report. In
live mode the positions to close are read from the venue when the flatten runs, not taken
from the panel; a lost answer is reconciled with the venue before the report is made.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.domain import Position, TradingMode
from console.domain.closing import describe_position
from console.tui.trading.held_positions import known_positions, venue_positions

if TYPE_CHECKING:
    from console.exchange.flatten import FlattenReport
    from console.tui.trading.host import TradingHost
    from console.tui.trading.kill_switch import KillSwitch
    from console.tui.trading.order_flow import OrderFlow

log = logging.getLogger(__name__)


class Flattener:
    """Asks, then flattens the account in a worker and reports what happened."""

    def __init__(self, app: TradingHost, flow: OrderFlow, kill_switch: KillSwitch) -> None:
        self._app = app
        self._flow = flow
        self._kill_switch = kill_switch
        self.running = False
        """A flatten is under way: a second one waits for it rather than cancelling it."""

    def ask(self) -> None:
        """The confirmation; a yes starts the flatten."""
        if self._flow.dialog_open():
            self._app.bell()
            return
        if self.running:
            self._app.notify("A flatten is under way; its report follows", severity="warning")
            return
        if (reason := self._flow.blocked()) is not None:
            self._app.notify(
                f"{reason} ({self._kill_switch.key()} cancels every order without arming.)",
                title="Not flattened",
                severity="warning",
                timeout=12,
            )
            return
        from console.tui.screens.confirm_action import ConfirmActionScreen

        settings = self._app.settings
        live = settings.mode is TradingMode.LIVE
        banner = (
            f"LIVE FLATTEN · {settings.venue} · REAL MONEY"
            if live
            else f"PAPER FLATTEN · {settings.venue} · simulated, nothing is sent"
        )
        self._app.push_screen(
            ConfirmActionScreen(
                f"{banner}\nFlatten the whole account?",
                flatten_plan(known_positions(self._app), self._kill_switch.key()),
                confirm_label="Flatten LIVE" if live else "Flatten paper",
                live=live,
            ),
            callback=self._answered,
        )

    def _answered(self, yes: bool | None) -> None:
        services = self._app.services
        if not yes or services is None or self.running:
            return
        from console.exchange.flatten import FLATTEN_REASON

        services.risk.engage(FLATTEN_REASON)  # block first, before any await
        self._app.main_screen.show_kill_switch(True)
        self._app.notify("Flattening: cancelling every order, closing every position…")
        self.running = True
        self._app.run_worker(self._flatten(), name="flatten", group="flatten", exit_on_error=False)

    async def _flatten(self) -> None:
        from console.exchange.flatten import flatten

        services = self._app.services
        assert services is not None
        try:
            report = await flatten(
                services.risk, services.client, self._positions, reconcile=self._reconcile
            )
        finally:
            self.running = False
        for line in (step.line() for step in report.steps):
            log.warning("flatten: %s", line)
        self._show(report)
        self._flow.refresh()

    async def _positions(self) -> Sequence[Position]:
        """The venue's positions now; if it cannot be read, the last known ones (an
        emergency is no time to close nothing), and the read's failure is logged."""
        from console.exchange import ExchangeError

        try:
            return await venue_positions(self._app)
        except ExchangeError as error:
            known = known_positions(self._app)
            if isinstance(known, str):
                raise
            log.warning("flatten: positions not read (%s); closing the last known ones", error)
            return known

    async def _reconcile(self) -> Sequence[str]:
        services = self._app.services
        if services is None:
            return ()
        report = await services.reconcile_orders()
        return () if report is None else report.lines()

    def _show(self, report: FlattenReport) -> None:
        from console.tui.screens.flatten_report import FlattenReportScreen

        screen = FlattenReportScreen(report, kill_key=self._kill_switch.key())
        self._app.notify(
            screen.headline(),
            title="Flatten",
            severity="information" if report.flat else "error",
            timeout=20,
        )
        self._app.push_screen(screen)


def flatten_plan(positions: Sequence[Position] | str, kill_key: str) -> str:
    """What a flatten will do, for its question: the positions known now (or why none is
    known: the flatten reads them again when it runs), and what is left afterwards."""
    lines = [
        "1. Kill switch: new orders are blocked (closing ones still pass).",
        "2. Every open order on every symbol is cancelled.",
    ]
    if isinstance(positions, str):
        lines.append(f"3. Every position is closed at market ({positions}).")
    elif not positions:
        lines.append("3. Every position is closed at market (none is open now).")
    else:
        lines.append("3. Every position is closed with a reduce-only market order:")
        lines.extend(f"     {describe_position(p)}" for p in positions)
    lines.append(f"The kill switch stays engaged afterwards: {kill_key} releases it.")
    return "\n".join(lines)


__all__ = ["Flattener", "flatten_plan"]
