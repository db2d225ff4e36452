"""What a practice session achieved: the numbers a trader reviews before the next one.

Fed a :class:`console.paper.SessionSummary` (computed from the ledger by
``console.paper.summarise``); the screen only lays it out, signs and colours PnL, and puts
each balance next to what the session started with.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from console.paper import SessionSummary, TradeResult
from console.tui.forms.amounts import grouped_amount, plain_amount
from console.tui.forms.labelled_rows import labelled_rows
from console.tui.forms.theme_colours import theme_colour
from console.tui.screens.dialog import ReportDialog


class SessionSummaryScreen(ReportDialog):
    """A read-only report of one paper session; any of escape, q or enter closes it."""

    DEFAULT_CSS = """
    SessionSummaryScreen > #dialog {
        width: 84;
    }
    SessionSummaryScreen #title {
        text-style: bold;
        margin-bottom: 1;
    }
    """

    def __init__(self, summary: SessionSummary, *, currency: str = "USDT") -> None:
        """
        Args:
            summary: The session's figures.
            currency: The quote or settle currency PnL, fees and volume are counted in.
        """
        super().__init__()
        self.summary = summary
        self.currency = currency

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title(), id="title")
            yield Static(self._figures(), id="figures")
            with Horizontal(id="buttons"):
                yield Button("Close", variant="primary", id="close")

    def _title(self) -> Text:
        session = self.summary.session
        return Text(
            f'Practice session "{session.name}" · started {_moment(session.started_at)}'
            f" · last active {_moment(session.last_active_at)}"
        )

    def _signed(self, amount: Decimal) -> Text:
        """``+12.5 USDT`` in the bid colour, ``-3 USDT`` in the ask colour, ``0`` plain."""
        text = f"{'+' if amount > 0 else ''}{grouped_amount(amount)} {self.currency}"
        if amount == 0:
            return Text(text)
        return Text(text, style=f"bold {theme_colour(self.app, 'bid' if amount > 0 else 'ask')}")

    def _trade(self, trade: TradeResult | None) -> Text:
        if trade is None:
            return Text("no closing trade yet", style="dim")
        return Text.assemble(
            f"{trade.side.value.upper()} {plain_amount(trade.size)} {trade.symbol} "
            f"@ {plain_amount(trade.price)}  ",
            self._signed(trade.net_pnl),
        )

    def _figures(self) -> Text:
        summary = self.summary
        rows: list[tuple[str, Text | str]] = [
            ("Net PnL", self._signed(summary.net_pnl)),
            ("Realised", self._signed(summary.realised_pnl)),
            ("Fees", f"{grouped_amount(summary.fees)} {self.currency}"),
            (
                "Volume",
                f"{grouped_amount(summary.volume)} {self.currency} over {summary.trade_count} "
                f"fill{'' if summary.trade_count == 1 else 's'}",
            ),
            ("Best trade", self._trade(summary.best_trade)),
            ("Worst trade", self._trade(summary.worst_trade)),
        ]
        starting = summary.session.starting_balances
        for currency in sorted(set(summary.balances) | set(starting)):
            now = summary.balances.get(currency, Decimal(0))
            start = starting.get(currency, Decimal(0))
            rows.append(
                (
                    f"{currency}",
                    f"{grouped_amount(now)} (started with {grouped_amount(start)})",
                )
            )
        for position in summary.open_positions:
            entry = (
                "" if position.entry_price is None else f" @ {plain_amount(position.entry_price)}"
            )
            rows.append(("Position", f"{position.symbol} {plain_amount(position.size)}{entry}"))
        rows.append(("Open orders", str(summary.open_orders)))
        return labelled_rows(rows)


def _moment(iso: str) -> str:
    """``2026-11-25T10:00:00+00:00`` -> ``2026-11-25 10:00 UTC``; anything else as given."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return iso
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
