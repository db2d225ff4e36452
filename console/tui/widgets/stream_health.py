"""Stream health: one row per WebSocket stream, so a silent or flapping feed is visible.

Books that stop updating without an error are the classic failure of trading terminals
(ccxt #23214, #22662): this panel shows, per stream, its state, messages per second, the age
of the last frame and the counts of gaps, resyncs and reconnects, so the trader can tell a
quiet market from a dead connection.

It also shows how late the data is: per stream, the venue's timestamp to received (corrected
by the measured offset to the venue's clock) and to painted on a ladder, each as the median
and 99th percentile of the last minute. A live stream whose recent latency passed the
``stream.slow_latency_ms`` setting reads SLOW (in the warning colour) instead of LIVE: the
feed still talks, so it is not STALE, but what it says is late.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from console.domain import LatencySummary, StreamHealth, StreamState
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


def format_latency_pair(summary: LatencySummary | None) -> str:
    """``12/48 ms`` (p50/p99 of the last minute), ``-`` with no samples."""
    if summary is None:
        return "-"
    return f"{summary.p50_ms:,.0f}/{summary.p99_ms:,.0f} ms"


def state_word(health: StreamHealth) -> str:
    """The State column: the stream's state, or SLOW for a live stream that is late."""
    if health.state is StreamState.LIVE and health.slow:
        return "SLOW"
    return health.state.value.upper()


class StreamHealthTable(KeyedDataTable):
    """Per stream: state, msgs/s, last frame age, latency received and painted (p50/p99),
    gaps, resyncs, reconnects, last error."""

    DEFAULT_CSS = """
    StreamHealthTable { height: auto; max-height: 8; }
    """

    COLUMNS = (
        ("stream", "Stream"),
        ("state", "State"),
        ("rate", "Msg/s"),
        ("age", "Last"),
        ("received", "Recv p50/p99"),
        ("painted", "Paint p50/p99"),
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
        word = state_word(health)
        colour = theme_colour(
            self.app, "warning" if word == "SLOW" else _STATE_COLOUR[health.state]
        )
        return (
            health.stream,
            Text(word, style=f"bold {colour}"),
            Text(f"{health.messages_per_second:,.0f}", justify="right"),
            Text(format_age(health.last_message_age), justify="right"),
            Text(format_latency_pair(health.received_latency), justify="right"),
            Text(format_latency_pair(health.painted_latency), justify="right"),
            Text(str(health.gaps), justify="right"),
            Text(str(health.resyncs), justify="right"),
            Text(str(health.reconnects), justify="right"),
            Text(health.last_error or "", style="dim"),
        )
