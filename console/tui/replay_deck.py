"""The replay's transport keys (pause, speed, seek) and the record key, and what the status bar
says of both.

A replay (``breakout-console replay FILE``) is served by the simulator in this process; the
deck reaches it through :class:`~console.domain.replay.ReplayControls`, so the interface
imports neither. A recording started here has its own connection to the venue and writes what
the venue sends for the watched symbols (:meth:`Services.start_recording
<console.services.Services.start_recording>`), into ``data_dir/recordings/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from textual.binding import Binding

from console.domain.replay import RecordingFailed, ReplayControls, next_speed
from console.storage import private_dir
from console.tui.trading.host import TradingHost

RECORDINGS_DIR = "recordings"
SEEK_STEP_S = 30

REPLAY_BINDINGS: tuple[Binding, ...] = (
    Binding(
        "ctrl+r",
        "record",
        "Record",
        id="record",
        show=False,
        tooltip="Start or stop recording the watched symbols' streams (data dir/recordings)",
    ),
    Binding(
        "space",
        "replay_pause",
        "Pause/Play",
        id="replay.pause",
        tooltip="Pause or play the replay",
    ),
    Binding(
        "less_than_sign",
        "replay_speed(-1)",
        "Slower",
        id="replay.slower",
        tooltip="Replay slower (0.25x .. 50x, max)",
    ),
    Binding(
        "greater_than_sign",
        "replay_speed(1)",
        "Faster",
        id="replay.faster",
        tooltip="Replay faster (0.25x .. 50x, max)",
    ),
    Binding(
        "left_curly_bracket",
        "replay_seek(-1)",
        f"-{SEEK_STEP_S}s",
        id="replay.back",
        tooltip=f"Seek the replay {SEEK_STEP_S} s back",
    ),
    Binding(
        "right_curly_bracket",
        "replay_seek(1)",
        f"+{SEEK_STEP_S}s",
        id="replay.forward",
        tooltip=f"Seek the replay {SEEK_STEP_S} s forward",
    ),
)
"""The record key (always) and the transport keys (only on a replay)."""

REPLAY_ACTIONS = frozenset({"replay_pause", "replay_speed", "replay_seek"})

KEY_NAMES = {
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
}


def recording_path(data_dir: Path, venue: str, now: datetime) -> Path:
    """``data_dir/recordings/<venue>-<UTC time>.rec`` (the directory private, as data is)."""
    folder = private_dir(data_dir / RECORDINGS_DIR)
    return folder / f"{venue}-{now:%Y%m%d-%H%M%S}.rec"


class ReplayDeck:
    """Drives the replay and the recording for the main screen's keys.

    Args:
        host: the app (services, settings, notices, workers).
        watched: the symbols being watched now (what a recording captures).
        show: puts (replay text, recording text) in the status bar; None hides either.
        forget_trades: empties the tape and the trade windows, so the prints a seek back
            sends again are not counted twice.
    """

    def __init__(
        self,
        host: TradingHost,
        watched: Callable[[], Sequence[str]],
        show: Callable[[str | None, str | None], None],
        forget_trades: Callable[[], None],
    ) -> None:
        self._host = host
        self._watched = watched
        self._show = show
        self._forget_trades = forget_trades
        self._starting = False

    @property
    def replay(self) -> ReplayControls | None:
        services = self._host.services
        return services.replay if services is not None else None

    # -- the replay --------------------------------------------------------------------

    def toggle_pause(self) -> None:
        replay = self.replay
        if replay is None:
            return
        if replay.state().playing:
            replay.pause()
        else:
            replay.play()
        self.refresh()

    def change_speed(self, direction: int) -> None:
        replay = self.replay
        if replay is None:
            return
        replay.set_speed(next_speed(replay.state().speed, direction))
        self.refresh()

    def seek(self, direction: int) -> None:
        """Seek :data:`SEEK_STEP_S` seconds back (-1) or forward (+1); the books on screen
        are resent as snapshots, so they show that moment at once, paused or not."""
        replay = self.replay
        if replay is None:
            return
        replay.seek(replay.state().position_ns + direction * SEEK_STEP_S * 1_000_000_000)
        if direction < 0:
            self._forget_trades()
        self.refresh()

    # -- recording ---------------------------------------------------------------------

    def toggle_recording(self) -> None:
        services = self._host.services
        if services is None:
            self._host.notify("The venue is not connected yet", severity="warning")
            return
        if self._starting:
            return
        if services.recording is not None:
            self._host.run_worker(self._stop(), name="recording", group="recording")
        else:
            self._starting = True
            self._host.run_worker(self._start(), name="recording", group="recording")

    async def _start(self) -> None:
        services = self._host.services
        settings = self._host.settings
        try:
            if services is None:
                return
            path = recording_path(settings.data_dir, settings.venue, self._host.clock.now())
            symbols = list(self._watched())
            await services.start_recording(symbols, path)
        except (RecordingFailed, OSError) as error:
            self._host.notify(str(error), title="Not recording", severity="error", timeout=10)
            return
        finally:
            self._starting = False
        self._host.notify(f"{', '.join(symbols)} into {path}", title="Recording")
        self.refresh()

    async def _stop(self) -> None:
        services = self._host.services
        recorder = await services.stop_recording() if services is not None else None
        if recorder is None:
            return
        size = recorder.path.stat().st_size if recorder.path.exists() else 0
        self._host.notify(
            f"{recorder.frames:,} frames, {size / 1e6:.1f} MB in {recorder.path}; "
            f"replay it with: breakout-console replay {recorder.path}",
            title="Recording stopped",
            timeout=15,
        )
        self.refresh()

    # -- the status bar ----------------------------------------------------------------

    def refresh(self) -> None:
        """Say where the replay is and what is being recorded (called every half second)."""
        replay = self.replay
        services = self._host.services
        recording = services.recording if services is not None else None
        self._show(
            f"REPLAY {replay.state().describe()}" if replay is not None else None,
            f"● REC {recording.frames:,}" if recording is not None else None,
        )


__all__ = [
    "KEY_NAMES",
    "RECORDINGS_DIR",
    "REPLAY_ACTIONS",
    "REPLAY_BINDINGS",
    "ReplayDeck",
    "recording_path",
]
