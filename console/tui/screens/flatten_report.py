"""What a flatten did: every cancel and close with the venue's answer, what failed and why,
what is unknown, and the positions the venue reports after it.

A failed or unknown step is the first thing the trader must see, so the headline says
whether the account is flat and the problem lines come in the ``ask`` colour. Nothing here
offers to try again: a refused step is the trader's call, and an unknown one may have
happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from console.domain.closing import describe_position
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.dialog import ReportDialog

if TYPE_CHECKING:  # a report exists only once trading, and so ccxt, is loaded
    from console.exchange.flatten import FlattenReport


class FlattenReportScreen(ReportDialog):
    """A read-only report of one flatten; escape, q or *Close* closes it."""

    DEFAULT_CSS = """
    FlattenReportScreen > #dialog { width: 100; }
    FlattenReportScreen #headline { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, report: FlattenReport, *, kill_key: str) -> None:
        super().__init__()
        self.report = report
        self.kill_key = kill_key

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self.headline(), id="headline")
            yield Static(self._steps(), id="steps")
            with Horizontal(id="buttons"):
                yield Button("Close", variant="primary", id="close")

    def headline(self) -> str:
        report = self.report
        cancelled = report.count("cancel")
        closed = report.count("close")
        done = f"{cancelled} order(s) cancelled, {closed} position(s) closed"
        if report.flat:
            state = "Flat"
        elif report.problems:
            state = f"NOT FLAT: {len(report.problems)} step(s) failed or unknown"
        else:
            state = "NOT FLAT: positions remain"
        return f"{state} · {done} · kill switch engaged ({self.kill_key} releases it)"

    def _steps(self) -> Text:
        from console.exchange.flatten import StepResult

        report = self.report
        bad = theme_colour(self.app, "ask")
        lines: list[Text] = []
        if not report.steps:
            lines.append(Text("No open order and no open position: nothing to do."))
        for step in report.steps:
            style = "" if step.result is StepResult.DONE else f"bold {bad}"
            lines.append(Text(step.line(), style=style))
        if report.reconciliation:
            lines.append(Text("Reconciled with the exchange:", style="bold"))
            lines.extend(Text(f"  {line}") for line in report.reconciliation)
        if report.remaining is None:
            lines.append(Text("Positions after: could not be read; check the positions tab"))
        elif report.remaining:
            lines.append(Text("Positions still open:", style=f"bold {bad}"))
            lines.extend(Text(f"  {describe_position(p)}") for p in report.remaining)
        else:
            lines.append(Text("Positions after: none open"))
        return Text("\n").join(lines)
