"""The console headless on the simulator: book-change-to-repaint delay, paints, CPU, memory,
start-up.

Three measurements, one script:

1. **Start-up** (``ui_startup.py``: the real app in a pty, a fresh process per run): process
   start to the first frame, and to the first ladder showing a live book. ``import ccxt``
   (about 0.7 s) must stay off both paths; the app starts the market before the client.
2. **Steady state**: ``ConsoleApp`` as ``breakout-console`` builds it, but with the simulator
   in a child process (its market steps would otherwise share our event loop and CPU), with
   ``--symbols`` linear books at orderbook.50 (clones of BTC/ETH/SOL, see ``stream_e2e.py``)
   at ``--speed``, a wide terminal so four ladders show. A listener
   notes when a book change arrives; a wrapper on the ladder's ``render_lines`` notes when
   that ladder's lines are next handed to Textual's compositor (it asks for a ladder's lines
   only on frames where some changed). Prints p50/p99 of that delay, frames and ladder lines
   drawn per second, the process's CPU share and resident memory over the run.
3. **Baseline**: the same services (streamer, client) against the same simulator for the same
   time with no UI, so the UI's own CPU share is the difference.

Headless means Textual builds every frame (``render_lines`` runs) but writes no escape codes
to a terminal; a real terminal adds that write.
Run: ``python bench/ui_latency.py [--seconds 20] [--speed 10] [--symbols 10] [--starts 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stream_e2e import linear_instruments, rss_mb, serve_sim
from ui_startup import machine_pace
from ui_startup import measure as measure_startup

from console.config import Settings
from console.domain import Trade

TERMINAL = (300, 60)
"""Wide enough for four ladders side by side."""


def external_services(ws_url: str) -> Any:
    """Services that talk to a simulator already running in another process (so its CPU is
    not ours and its market steps do not share our event loop), with its stock keys.

    A simulator faster than real time runs its market clock ahead of ours; the console's own
    simulator start allows that lead, so this one does too (else every print after half a
    minute at speed 10 is refused as implausible, and the load measured is not the app's).
    """
    from pydantic import SecretStr

    from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
    from console.exchange import Credentials, VenueEndpoints
    from console.services import Services

    class ExternalSimServices(Services):
        async def _start_sim(self) -> tuple[VenueEndpoints | None, Credentials | None]:
            if self.settings.sim.speed > 1:
                allow_ahead(SIMULATED_AHEAD_MS)
            endpoints = VenueEndpoints(rest_url=ws_url.replace("ws://", "http://"), ws_url=ws_url)
            return endpoints, Credentials(
                api_key=SecretStr("sim-key"), secret=SecretStr("sim-secret")
            )

    return ExternalSimServices


def settings_for(
    symbols: Sequence[str],
    speed: float,
    data_dir: Path,
    max_fps: int | None = None,
    depth: int = 50,
) -> Settings:
    ui = {} if max_fps is None else {"max_fps": max_fps}
    return Settings.model_validate(
        {
            "symbols": tuple(symbols),
            "sim": {"speed": speed},
            "data_dir": data_dir,
            "ui": ui,
            "stream": {"depth": depth},
        }
    )


# -- 1. start-up: see ui_startup.py --------------------------------------------------------


# -- 2. steady state --------------------------------------------------------------------------


class ThreadCpu:
    """CPU time of this thread spent inside ``with`` blocks (the event loop's thread)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._started = 0.0

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0

    def __enter__(self) -> None:
        self._started = time.thread_time()

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.thread_time() - self._started
        self.calls += 1


class RepaintProbe:
    """Book change arrival (listener) -> next line of that symbol's ladder drawn."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.delays_ms: list[float] = []
        self.lines = 0
        self.updates = 0
        self.recording = False

    def on_book_update(self, symbol: str) -> None:
        self.updates += 1
        self.arrived.setdefault(symbol, time.perf_counter())

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """Prints are not measured here."""

    def painted(self, symbol: str, lines: int) -> None:
        self.lines += lines
        arrived = self.arrived.pop(symbol, None)
        if arrived is not None and self.recording:
            self.delays_ms.append((time.perf_counter() - arrived) * 1000)


async def measure_app(
    args: argparse.Namespace, names: list[str], probe: RepaintProbe, ws_url: str
) -> dict[str, float]:
    """Prints the steady state's figures and returns them (for ``scale.py``)."""
    from console.tui.app import ConsoleApp
    from console.tui.widgets.ladder import OrderBookLadder

    original = OrderBookLadder.render_lines

    def render_lines(self: OrderBookLadder, crop: Region) -> Any:
        probe.painted(self.symbol, crop.height)
        return original(self, crop)

    OrderBookLadder.render_lines = render_lines  # type: ignore[method-assign,assignment]
    from textual.geometry import Region
    from textual.screen import Screen

    frames = 0
    original_paint = ConsoleApp.paint
    paint_cpu = ThreadCpu()
    screen_cpu = ThreadCpu()

    nested = ThreadCpu()
    """Screen updates the paint ran itself (it draws at once): counted as Textual's."""

    def paint(self: ConsoleApp) -> None:
        nonlocal frames
        frames += 1
        inside = nested.seconds
        with paint_cpu:
            original_paint(self)
        paint_cpu.seconds -= nested.seconds - inside

    ConsoleApp.paint = paint  # type: ignore[method-assign]
    original_update = Screen._on_timer_update

    def on_timer_update(self: Screen[Any]) -> None:
        before = screen_cpu.seconds
        with screen_cpu:
            original_update(self)
        nested.seconds += screen_cpu.seconds - before

    Screen._on_timer_update = on_timer_update  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as data:
        app = ConsoleApp(
            settings_for(names, args.speed, Path(data), args.max_fps, args.depth),
            services_factory=external_services(ws_url),
        )
        max_fps = app.settings.ui.max_fps
        async with app.run_test(size=TERMINAL) as pilot:
            while app.services is None or app.services.streamer is None:
                await pilot.pause(0.05)
            app.services.streamer.add_listener(probe)
            ladders = app.main_screen.ladders
            while not all(ladder.snapshot and not ladder.snapshot.stale for ladder in ladders):
                await pilot.pause(0.05)
            await pilot.pause(2.0)
            rss = [round(rss_mb(), 1)]
            cpu0, wall0, frames0, lines0 = time.process_time(), time.time(), frames, probe.lines
            updates0 = probe.updates
            paint_cpu.reset()
            screen_cpu.reset()
            nested.reset()
            probe.recording = True
            profiler = cProfile.Profile() if args.profile else None
            if profiler is not None:
                profiler.enable()
            while (left := args.seconds - (time.time() - wall0)) > 0:
                await pilot.pause(min(5.0, left))
                rss.append(round(rss_mb(), 1))
            probe.recording = False
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
            wall, cpu = time.time() - wall0, time.process_time() - cpu0
            paint_s, updates_s = paint_cpu.seconds, screen_cpu.seconds
            updates = screen_cpu.calls
            book_updates = (probe.updates - updates0) / wall
            shown = [ladder.symbol for ladder in app.main_screen.ladders]
    delays = sorted(probe.delays_ms)
    print(
        f"steady state: app headless {TERMINAL[0]}x{TERMINAL[1]}, {len(shown)} ladders shown, "
        f"{len(names)} symbols at orderbook.{args.depth}, speed {args.speed}x, "
        f"max_fps {max_fps}, {wall:.0f} s, {book_updates:,.0f} book changes/s arrived"
    )
    p50 = statistics.median(delays) if delays else float("nan")
    p99 = delays[max(0, int(len(delays) * 0.99) - 1)] if delays else float("nan")
    p90 = delays[max(0, int(len(delays) * 0.9) - 1)] if delays else float("nan")
    over = sum(delay > 25 for delay in delays) / max(1, len(delays)) * 100
    print(
        f"  book change -> ladder line repainted: p50 {p50:.1f} ms, p90 {p90:.1f} ms, "
        f"p99 {p99:.1f} ms ({len(delays):,} samples, {over:.1f}% over 25 ms)"
    )
    print(
        f"  paints {(frames - frames0) / wall:.1f}/s, ladder lines to the compositor "
        f"{(probe.lines - lines0) / wall:,.0f}/s"
    )
    print(
        f"  process CPU (UI + streamer + client; the sim runs in another process): "
        f"{cpu / wall * 100:.0f}% of one core"
    )
    lines, ticks = probe.lines - lines0, max(1, frames - frames0)
    print(
        f"  CPU in process, per phase: our paint {paint_s / ticks * 1000:.2f} ms/paint "
        f"({paint_s / wall * 100:.1f}% of a core); Textual's screen updates "
        f"{updates_s / max(1, updates) * 1000:.2f} ms/update, {updates / wall:.0f}/s "
        f"({updates_s / wall * 100:.1f}%); both per ladder line to the compositor "
        f"{(paint_s + updates_s) / max(1, lines) * 1e6:.0f} us"
    )
    half = rss[len(rss) // 2 :]
    slope = (half[-1] - half[0]) / max(1e-9, (len(half) - 1) * 5.0 / 60)
    print(
        f"  RSS: start {rss[0]:.1f} MB, end {rss[-1]:.1f} MB, second half of the run "
        f"{slope:+.2f} MB/min (caches fill early; a leak keeps its slope); series {rss}"
    )
    return {
        "cpu": cpu / wall * 100,
        "p50": p50,
        "p99": p99,
        "rss": rss[-1],
        "paint_ms": paint_s / ticks * 1000,
        "update_ms": updates_s / max(1, updates) * 1000,
        "ladders": len(shown),
        "book_updates": book_updates,
    }


# -- 3. baseline: the same services without a UI ---------------------------------------------


async def measure_baseline(
    args: argparse.Namespace, names: list[str], ws_url: str
) -> dict[str, float]:
    """Prints the services' own CPU share and returns it (for ``scale.py``)."""
    services_class = external_services(ws_url)
    settings = settings_for(names, args.speed, Path("."), depth=args.depth)
    with tempfile.TemporaryDirectory() as data:
        settings = settings.model_copy(update={"data_dir": Path(data)})
        async with services_class(settings) as services:
            assert services.streamer is not None
            counter = RepaintProbe()
            services.streamer.add_listener(counter)
            for name in names:
                services.streamer.ensure_symbol(name)
            await asyncio.sleep(3.0)
            updates0 = counter.updates
            rss = [round(rss_mb(), 1)]
            cpu0, wall0 = time.process_time(), time.time()
            while (left := args.seconds - (time.time() - wall0)) > 0:
                await asyncio.sleep(min(5.0, left))
                rss.append(round(rss_mb(), 1))
            wall, cpu = time.time() - wall0, time.process_time() - cpu0
            book_updates = (counter.updates - updates0) / wall
    print(
        f"baseline: the same services with no UI, {wall:.0f} s, "
        f"{book_updates:,.0f} book changes/s arrived"
    )
    print(f"  process CPU (streamer + client): {cpu / wall * 100:.0f}% of one core")
    print(
        f"  RSS growth over the run: {rss[-1] - rss[0]:+.1f} MB (same process after the app "
        f"run, so the absolute figure includes what the app left: {rss[-1]:.0f} MB)"
    )
    return {"cpu": cpu / wall * 100, "book_updates": book_updates}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--symbols", type=int, default=10)
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--depth", type=int, default=50, help="order-book depth subscribed")
    parser.add_argument(
        "--json", action="store_true", help="end with one JSON line of the figures (scale.py)"
    )
    parser.add_argument("--max-fps", type=int, default=None, help="ui.max_fps (default: ours)")
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile the app's steady state into FILE (pstats)"
    )
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve_sim(args.speed, args.symbols)
        return
    if args.starts:  # --starts 0 measures the steady state only
        measure_startup(args.starts)
    else:
        print(f"machine pace {machine_pace():.3f} s (3M-step loop; lower is faster)")
    names = [f"{book.base}/USDT:USDT" for book in linear_instruments(args.symbols)]
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sim", "--speed", str(args.speed),
         "--symbols", str(args.symbols)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        ws_url = child.stdout.readline().strip()
        app = asyncio.run(measure_app(args, names, RepaintProbe(), ws_url))
        baseline = asyncio.run(measure_baseline(args, names, ws_url))
        if args.json:
            print("JSON " + json.dumps({"app": app, "baseline": baseline}))
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()
