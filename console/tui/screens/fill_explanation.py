"""How one paper fill was priced, so the trader can judge the simulation instead of trusting it.

Fed a :class:`console.paper.FillExplanation`: the book levels an arriving order consumed
(with what the venue showed and what was left for us), or, for a resting order, the queue
ahead of it and the public print that reached it; then the fee rate and fee.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from console.domain import Side
from console.paper import FillExplanation
from console.tui.forms.amounts import plain_amount
from console.tui.forms.labelled_rows import labelled_rows
from console.tui.forms.order_costs import percent
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.dialog import ReportDialog

_WHY: dict[str, str] = {
    "walk": "It took liquidity on arrival, walking the book level by level.",
    "queue": "It rested; public trades at its price ate through the queue ahead of it.",
    "book_through": "It rested; the book moved through its price.",
    "trade_through": "It rested; a public trade printed through its price.",
}
"""Each fill trigger in one sentence."""


class FillExplanationScreen(ReportDialog):
    """A read-only explanation of one paper fill; escape, q or Close closes it."""

    DEFAULT_CSS = """
    FillExplanationScreen #headline {
        text-style: bold;
    }
    FillExplanationScreen #why {
        margin: 1 0;
    }
    FillExplanationScreen #levels {
        height: auto;
        max-height: 12;
        margin-bottom: 1;
    }
    """

    def __init__(self, explanation: FillExplanation) -> None:
        super().__init__()
        self.explanation = explanation

    def compose(self) -> ComposeResult:
        explanation = self.explanation
        with Vertical(id="dialog"):
            yield Static(self._headline(), id="headline")
            yield Static(_WHY.get(explanation.trigger, explanation.trigger), id="why")
            if explanation.levels:
                yield DataTable[Text](id="levels", cursor_type="none", zebra_stripes=True)
            yield Static(self._details(), id="details")
            with Horizontal(id="buttons"):
                yield Button("Close", variant="primary", id="close")

    def on_mount(self) -> None:
        if self.explanation.levels:
            table = self.query_one("#levels", DataTable)
            table.add_column("Price", key="price")
            table.add_column("Took", key="took")
            table.add_column("Book showed", key="shown")
            table.add_column("Left for us", key="available")
            for level in self.explanation.levels:
                table.add_row(
                    *(
                        Text(plain_amount(amount), justify="right")
                        for amount in (level.price, level.size, level.displayed, level.available)
                    ),
                    key=str(level.price),
                )

    def _headline(self) -> Text:
        explanation = self.explanation
        side_colour = theme_colour(self.app, "bid" if explanation.side is Side.BUY else "ask")
        return Text.assemble(
            "Paper fill  ",
            (
                f"{explanation.side.value.upper()} {plain_amount(explanation.size)} "
                f"{explanation.symbol} @ {plain_amount(explanation.price)}",
                side_colour,
            ),
            f"  {explanation.liquidity.value}",
        )

    def _details(self) -> Text:
        explanation = self.explanation
        rows: list[tuple[str, str]] = []
        if explanation.queue_ahead_at_placement is not None:
            rows.append(
                ("Queue ahead", f"{plain_amount(explanation.queue_ahead_at_placement)} when placed")
            )
        if explanation.queue_ahead_before_fill is not None:
            ahead = explanation.queue_ahead_before_fill
            rows.append(
                (
                    "",
                    "first in line when it filled"
                    if ahead == 0
                    else f"{plain_amount(ahead)} still ahead when it filled",
                )
            )
        if explanation.public_trade_id is not None:
            rows.append(("Public trade", explanation.public_trade_id))
        rows.append(
            (
                "Fee",
                f"{percent(explanation.fee_rate)} {explanation.liquidity.value} = "
                f"{plain_amount(explanation.fee)} {explanation.fee_currency}",
            )
        )
        if explanation.closed_size:
            rows.append(
                (
                    "Realised PnL",
                    f"{plain_amount(explanation.realised_pnl)} on "
                    f"{plain_amount(explanation.closed_size)} closed (before fee)",
                )
            )
        if explanation.book_sequence is not None:
            rows.append(("Book sequence", str(explanation.book_sequence)))
        rows.append(("Ids", f"fill {explanation.fill_id} · order {explanation.order_id}"))
        return labelled_rows(rows, label_width=13)
