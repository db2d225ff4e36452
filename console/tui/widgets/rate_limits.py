"""How much request budget is left, and whether the venue has stopped listening to us.

A trader who hits a rate limit sees stale data or a refused order with no explanation (the
common complaint about other tools); these gauges show, per category, what is used, what is
left and when the window resets, coloured by headroom, so a throttle is seen coming. Beside
each endpoint's gauge (or on a line of its own when the endpoint has no window of its own)
are its REST round trips of the last minute, p50/p99; beside each category's, those of its
slowest endpoint (by p99), which is what a panel too small for the endpoints shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget
from textual.widgets import Static

from console.domain import EndpointCategory, RateLimitStatus, RoundTripStatus
from console.tui.widgets.panel_boundary import PanelBoundary

_CATEGORY_ORDER = {category: index for index, category in enumerate(EndpointCategory)}
_BAR_CELLS = 6
"""Enough to see headroom at a glance, narrow enough that the reset time fits the panel."""
_WARN_BELOW = 0.5
"""Headroom (remaining / limit) under which a gauge turns amber."""
_DANGER_BELOW = 0.2
"""Headroom under which a gauge turns red: the next burst may be refused."""


def format_time_left(seconds: float) -> str:
    """``45s``, ``4m 05s``, ``2h 03m``: as short as a glance needs."""
    whole = max(0, int(seconds + 0.999))
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


class _Row(NamedTuple):
    """One line of the panel: a window's gauge, an endpoint's round trips, or both."""

    category: EndpointCategory
    endpoint: str | None
    status: RateLimitStatus | None
    trip: RoundTripStatus | None


class RateLimitGauges(PanelBoundary, Widget):
    """One gauge per rate-limit category (and per endpoint the venue reports separately)."""

    DEFAULT_CSS = """
    RateLimitGauges {
        height: auto;
        min-height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._rows: tuple[_Row, ...] = ()
        self._now: datetime | None = None

    def update_status(
        self,
        statuses: Sequence[RateLimitStatus],
        now: datetime,
        *,
        round_trips: Sequence[RoundTripStatus] = (),
    ) -> None:
        """Show these windows as of ``now`` (the app's clock, so tests can fix it), each
        endpoint's round trips beside its gauge (on a line of its own under its category
        when the endpoint has no window of its own), and beside each category's gauge the
        round trips of its slowest endpoint (what a panel too small for the endpoints
        still shows)."""
        rows_before = len(self._rows)
        trips: dict[str | None, RoundTripStatus] = {trip.endpoint: trip for trip in round_trips}
        rows = [
            _Row(
                status.category,
                status.endpoint,
                status,
                None if status.endpoint is None else trips.pop(status.endpoint, None),
            )
            for status in statuses
        ]
        rows += [_Row(trip.category, trip.endpoint, None, trip) for trip in trips.values()]
        slowest: dict[EndpointCategory, RoundTripStatus] = {}
        for trip in round_trips:
            known = slowest.get(trip.category)
            if known is None or trip.latency.p99_ms > known.latency.p99_ms:
                slowest[trip.category] = trip
        rows = [
            row._replace(trip=slowest.get(row.category)) if row.endpoint is None else row
            for row in rows
        ]
        self._rows = tuple(
            sorted(
                rows,
                key=lambda row: (
                    _CATEGORY_ORDER[row.category],
                    row.endpoint is not None,
                    row.endpoint or "",
                ),
            )
        )
        self._now = now
        # Height is one line per row: only a change in their number needs a layout pass.
        self.refresh(layout=len(self._rows) != rows_before)

    def render(self) -> RenderResult:
        if not self._rows or self._now is None:
            return Text("No requests sent yet", style="dim")
        room = self.content_size.width or 10_000
        now = self._now
        lines: list[Text] = []
        for compact, every_row in ((False, True), (True, True), (True, False)):
            # Full gauges first; then without bars and with the reset time's short form; in
            # a narrow panel the categories alone, rather than lines cut at the edge.
            rows = [row for row in self._rows if every_row or row.endpoint is None]
            if not rows:
                continue
            width = max(len(_label(row)) for row in rows)
            counts = [len(_count(row.status)) for row in rows if row.status is not None]
            count = 7 if not compact else max(counts, default=0)
            lines = [self._line(row, width, count, now, compact=compact) for row in rows]
            if max(line.cell_len for line in lines) <= room:
                break
        return Text("\n", no_wrap=True, overflow="ellipsis").join(lines)

    @property
    def line_counts(self) -> tuple[int, int]:
        """Lines the gauges draw in a narrow panel (categories) and a wide one (windows)."""
        categories = sum(1 for row in self._rows if row.endpoint is None)
        return max(1, categories), max(1, len(self._rows))

    def _line(
        self, row: _Row, label_width: int, count_width: int, now: datetime, *, compact: bool
    ) -> Text:
        """A gauge with its round trips after it, or the round trips alone."""
        if row.status is None:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{_label(row):<{label_width}} ")
            if row.trip is not None:
                line.append(f"rtt {format_round_trip(row.trip)}", style="dim")
            return line
        line = self._gauge(row.status, label_width, count_width, now, compact=compact)
        if row.trip is not None:
            line.append(f" {format_round_trip(row.trip)}", style="dim")
        return line

    def _gauge(
        self,
        status: RateLimitStatus,
        label_width: int,
        count_width: int,
        now: datetime,
        *,
        compact: bool = False,
    ) -> Text:
        variables = self.app.theme_variables
        headroom = status.remaining / status.limit if status.limit > 0 else 0.0
        halted = status.halted_until is not None and status.halted_until > now
        if halted or headroom < _DANGER_BELOW:
            colour = variables.get("error", "red")
        elif headroom < _WARN_BELOW:
            colour = variables.get("warning", "yellow")
        else:
            colour = variables.get("success", "green")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"{_status_label(status):<{label_width}} ")
        line.append(f"{_count(status):>{count_width}} ", style=colour)
        if compact:
            line.append(self._short_reset_text(status, now), style="dim")
            return line
        used_cells = round(_BAR_CELLS * min(1.0, status.used / status.limit)) if status.limit else 0
        line.append("█" * used_cells, style=colour)
        line.append("░" * (_BAR_CELLS - used_cells), style="dim")
        line.append(f" {self._reset_text(status, now)}", style="dim")
        if status.learned_from_headers:
            line.append(" ✓", style="dim")  # the venue's headers confirmed these numbers
        return line

    @staticmethod
    def _short_reset_text(status: RateLimitStatus, now: datetime) -> str:
        """The reset time without its words: ``4m 05s``, ``1s`` (the window), ``HALT 9m 30s``,
        ``–`` when idle."""
        if status.halted_until is not None and status.halted_until > now:
            return f"HALT {format_time_left((status.halted_until - now).total_seconds())}"
        if status.used == 0:
            return "–"
        if status.reset_at is None:
            return f"{status.window_seconds:g}s"
        return format_time_left(max(0.0, (status.reset_at - now).total_seconds()))

    @staticmethod
    def _reset_text(status: RateLimitStatus, now: datetime) -> str:
        if status.halted_until is not None and status.halted_until > now:
            return f"HALTED {format_time_left((status.halted_until - now).total_seconds())}"
        if status.used == 0:
            return "idle"  # nothing in the window: there is no reset to wait for
        if status.reset_at is None:
            return f"{status.window_seconds:g}s window"
        seconds = (status.reset_at - now).total_seconds()
        return "resetting" if seconds <= 0 else f"reset {format_time_left(seconds)}"


def _count(status: RateLimitStatus | None) -> str:
    return "" if status is None else f"{status.used}/{status.limit}"


def format_round_trip(trip: RoundTripStatus) -> str:
    """``12/48ms``: the endpoint's round trips of the last minute, p50/p99."""
    return f"{trip.latency.p50_ms:,.0f}/{trip.latency.p99_ms:,.0f}ms"


def _label(row: _Row) -> str:
    """The category's name, or its endpoint indented under it (without the ``/v5/`` every
    Bybit path shares, so the numbers and the reset time fit beside it)."""
    if row.endpoint is not None:
        return f"  {row.endpoint.removeprefix('/v5/')}"
    return row.category.value.replace("_", " ")


def _status_label(status: RateLimitStatus) -> str:
    return _label(_Row(status.category, status.endpoint, status, None))


class HaltBanner(PanelBoundary, Static):
    """A red banner while the venue has banned our REST calls (HTTP 403); hidden otherwise."""

    DEFAULT_CSS = """
    HaltBanner {
        display: none;
        width: 1fr;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    HaltBanner.-halted {
        display: block;
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__("", name=name, id=id)

    def update_halt(self, halted_until: datetime | None, now: datetime) -> None:
        """Show the ban and its countdown while ``halted_until`` is in the future."""
        halted = halted_until is not None and halted_until > now
        self.set_class(halted, "-halted")
        if halted_until is not None and halted:
            left = format_time_left((halted_until - now).total_seconds())
            self.update(
                f"HALTED BY VENUE (HTTP 403): no requests until "
                f"{halted_until:%H:%M:%S} UTC, {left} left"
            )
        else:
            self.update("")

    @property
    def is_halted(self) -> bool:
        return self.has_class("-halted")
