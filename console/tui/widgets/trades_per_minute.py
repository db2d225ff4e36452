"""Tape velocity: trades per minute now, the buy/sell split, and a sparkline of recent minutes.

A spike (the current minute at least twice the median of the minutes before it) is flagged,
because a sudden burst of prints is often the first sign that something is happening.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Sparkline, Static

from console.domain import TradeStats
from console.tui.widgets.panel_boundary import PanelBoundary

SPIKE_FACTOR = 2.0
"""The current minute counts as a spike at this many times the median of earlier minutes."""


def is_spike(minute_counts: Sequence[int]) -> bool:
    """True when the last (current) minute is far above the median of the ones before it."""
    earlier = [count for count in minute_counts[:-1] if count > 0]
    if len(earlier) < 3 or not minute_counts:
        return False
    return minute_counts[-1] >= SPIKE_FACTOR * median(earlier)


class TradesPerMinute(PanelBoundary, Vertical):
    """Current trades/min with buy and sell counts, above a sparkline (oldest minute left)."""

    DEFAULT_CSS = """
    TradesPerMinute {
        height: 6;
        border: round $panel-lighten-2;
        background: $surface;
    }
    TradesPerMinute > #tpm-summary { height: 1; }
    TradesPerMinute.-spike > #tpm-summary { color: $warning; text-style: bold; }
    TradesPerMinute > Sparkline { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Trades / min"

    def compose(self) -> ComposeResult:
        yield Static("no trades yet", id="tpm-summary")
        yield Sparkline([], id="tpm-sparkline")

    def update_activity(self, stats: TradeStats | None, minute_counts: Sequence[int]) -> None:
        """Show the window's figures and the per-minute history (oldest first)."""
        summary = self.query_one("#tpm-summary", Static)
        if stats is None or stats.trade_count == 0:
            text = "no trades yet"
        else:
            spike = "  SPIKE" if is_spike(minute_counts) else ""
            text = (
                f"{stats.trades_per_minute:,.0f}/min  ▲{stats.buy_count} ▼{stats.sell_count}{spike}"
            )
        summary.update(text, layout=False)  # one fixed-height line: no layout pass needed
        self.set_class(is_spike(minute_counts), "-spike")
        sparkline = self.query_one(Sparkline)
        data = [float(count) for count in minute_counts]
        if list(sparkline.data or []) != data:
            sparkline.data = data
