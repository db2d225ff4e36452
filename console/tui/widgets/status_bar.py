"""The status bar: venue, trading mode, connection, REST latency, the venue's clock offset and
the clock, always on top.

The mode badge is the one thing that must never be misread. PAPER is a calm blue badge; LIVE
is a red badge in capitals *and* turns the whole bar red, so even a glance at the edge of
the screen tells the two apart; SIM marks the built-in simulator as a venue next to either.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from console.domain import TradingMode, VenueClockReading
from console.tui.widgets.panel_boundary import PanelBoundary


def format_latency(milliseconds: float | None) -> str:
    return "REST –" if milliseconds is None else f"REST {milliseconds:,.0f} ms"


def format_venue_clock(reading: VenueClockReading) -> str:
    """``clock +12±3 ms``: the venue's clock minus ours, and half the round trip it was
    measured over (the most it can be off)."""
    return f"clock {reading.offset_ms:+,.0f}±{max(reading.error_ms, 1):,.0f} ms"


class StatusBar(PanelBoundary, Horizontal):
    """One line: [SIM] [PAPER|LIVE] venue · connection · REST latency · venue clock offset ·
    clock (UTC)."""

    DEFAULT_CSS = """
    StatusBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StatusBar.-live { background: $error 60%; }
    StatusBar > Label { padding: 0 1; height: 1; }
    StatusBar > #status-mode { text-style: bold; }
    StatusBar > #status-mode.-paper { background: $primary; color: $text; }
    StatusBar > #status-mode.-live { background: $error; color: $text; text-style: bold reverse; }
    StatusBar > #status-sim { background: $secondary; color: $text; text-style: bold; }
    StatusBar > #status-spacer { width: 1fr; }
    StatusBar > #status-connection { width: 22; }
    StatusBar > #status-latency { width: 16; }
    StatusBar > #status-venue-clock { width: auto; display: none; }
    StatusBar > #status-venue-clock.-measured { display: block; }
    StatusBar > #status-clock { width: 27; }
    StatusBar > #status-connection.-down { color: $error; text-style: bold; }
    StatusBar > #status-armed { background: $error; color: $text; text-style: bold; }
    StatusBar > #status-kill { background: $warning; color: $background; text-style: bold; }
    StatusBar > #status-replay { background: $accent; color: $text; text-style: bold; }
    StatusBar > #status-rec { color: $error; text-style: bold; }
    """

    def __init__(self, *, venue: str, mode: TradingMode, is_sim: bool) -> None:
        super().__init__(id="status-bar")
        self.venue = venue
        """The venue the console talks to."""
        self.mode = mode
        """Paper or live; fixed for the life of the app."""
        self.is_sim = is_sim
        """True on the built-in simulator."""
        self.set_class(mode is TradingMode.LIVE, "-live")
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        if self.is_sim:
            yield Label("SIM", id="status-sim")
        mode_class = "-live" if self.mode is TradingMode.LIVE else "-paper"
        yield Label(self.mode.value.upper(), id="status-mode", classes=mode_class)
        yield Label("ARMED", id="status-armed").set_styles("display: none;")
        yield Label("KILL SWITCH", id="status-kill").set_styles("display: none;")
        yield Label("", id="status-replay").set_styles("display: none;")
        yield Label("", id="status-rec").set_styles("display: none;")
        yield Label(f"venue {self.venue}", id="status-venue")
        yield Label("connecting…", id="status-connection")
        yield Label(format_latency(None), id="status-latency")
        yield Label("", id="status-venue-clock")
        yield Label("", id="status-spacer")
        yield Label("", id="status-clock")

    def update_connection(self, text: str, *, down: bool = False) -> None:
        """Say how the console is connected, in a few words (``live``, ``offline``)."""
        self._set("#status-connection", text)
        self.query_one("#status-connection", Label).set_class(down, "-down")

    def show_armed(self, armed: bool) -> None:
        """Live trading is armed for this run (issue 7): an ARMED badge beside LIVE."""
        self.query_one("#status-armed", Label).display = armed

    def show_kill_switch(self, engaged: bool) -> None:
        """The kill switch blocks new orders: a KILL SWITCH badge until it is released."""
        self.query_one("#status-kill", Label).display = engaged

    def show_replay(self, text: str | None) -> None:
        """Where the replay is (``REPLAY ▶ 10:32:05 ×10``); None hides it (not a replay)."""
        self._badge("#status-replay", text)

    def show_recording(self, text: str | None) -> None:
        """``● REC 1,234`` frames while recording; None hides it."""
        self._badge("#status-rec", text)

    def _badge(self, selector: str, text: str | None) -> None:
        label = self.query_one(selector, Label)
        if text is None:
            label.display = False
            return
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            label.update(text)
        label.display = True

    def update_latency(self, milliseconds: float | None) -> None:
        self._set("#status-latency", format_latency(milliseconds))

    def update_venue_clock(self, reading: VenueClockReading | None) -> None:
        """The measured offset to the venue's clock; hidden until one was measured."""
        label = self.query_one("#status-venue-clock", Label)
        label.set_class(reading is not None, "-measured")
        if reading is None:
            return
        text = format_venue_clock(reading)
        before = self._texts.get("#status-venue-clock")
        if before != text:
            self._texts["#status-venue-clock"] = text
            # as wide as its text: a layout pass only when the width changes (rarely)
            label.update(text, layout=before is None or len(before) != len(text))

    def update_clock(self, now: datetime) -> None:
        """Show ``now`` (from the injected clock) as UTC time of day."""
        self._set("#status-clock", f"{now:%Y-%m-%d %H:%M:%S} UTC")

    def _set(self, selector: str, text: str) -> None:
        """Update a fixed-width label without a layout pass: a screen layout costs tens of
        milliseconds, and the clock changes every second."""
        label = self.query_one(selector, Label)
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            label.update(text, layout=False)
