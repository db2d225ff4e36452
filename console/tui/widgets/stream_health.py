"""Stream health: one row per WebSocket stream, so a silent or flapping feed is visible.

Books that stop updating without an error are the classic failure of trading terminals
(ccxt #23214, #22662): this panel shows, per stream, its state, messages per second, the age
of the last frame and the counts of gaps, resyncs and reconnects, so the trader can tell a
quiet market from a dead connection.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from console.domain import StreamHealth, StreamState
from console.tui.forms.theme_colours import theme_colour
from console.tui.widgets.keyed_table import Cells, KeyedDataTable

_STATE_COLOUR = {
    StreamState.LIVE: "bid",
    StreamState.CONNECTING: "paper",
    StreamState.STALE: "stale",
    StreamState.RESYNCING: "stale",
    StreamState.DOWN: "ask",
}
"""Theme variable that colours each state."""


def format_age(seconds: float | None) -> str:
    """Age of the last frame for the table: ``-`` before the first, ``0.4s``, ``12s``."""
    if seconds is None:
        return "-"
    return f"{seconds:.1f}s" if seconds < 10 else f"{seconds:.0f}s"


class StreamHealthTable(KeyedDataTable):
    """Per stream: state, msgs/s, last frame age, gaps, resyncs, reconnects, last error."""

    DEFAULT_CSS = """
    StreamHealthTable { height: auto; max-height: 8; }
    """

    COLUMNS = (
        ("stream", "Stream"),
        ("state", "State"),
        ("rate", "Msg/s"),
        ("age", "Last"),
        ("gaps", "Gaps"),
        ("resyncs", "Resyncs"),
        ("reconnects", "Reconn"),
        ("error", "Last error"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True)

    def update_health(self, streams: Sequence[StreamHealth]) -> None:
        """Show exactly these streams, keyed by stream name."""
        self.sync_rows({health.stream: self._cells(health) for health in streams})

    def _cells(self, health: StreamHealth) -> Cells:
        colour = theme_colour(self.app, _STATE_COLOUR[health.state])
        return (
            health.stream,
            Text(health.state.value.upper(), style=f"bold {colour}"),
            Text(f"{health.messages_per_second:,.0f}", justify="right"),
            Text(format_age(health.last_message_age), justify="right"),
            Text(str(health.gaps), justify="right"),
            Text(str(health.resyncs), justify="right"),
            Text(str(health.reconnects), justify="right"),
            Text(health.last_error or "", style="dim"),
        )
