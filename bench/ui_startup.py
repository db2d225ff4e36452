"""Start-up of the real console in a real (pseudo) terminal: process start to the first frame,
and to the first ladder showing a live book.

Each run is a fresh ``python`` process running ``breakout-console``'s entry point on the
stock embedded simulator, with its output on a pty of
300x60 that this script drains; the process imports nothing else first, so every import the
app pays for is counted. A wrapper on the ladder's ``render_lines``, put on as the app
imports the ladder, notes the first lines drawn (first frame) and the first drawn from a
live book, then the app exits.

``--bare`` also times a bare Textual app (one Line-API widget) to its first frame in the
same pty, alternating with the console's starts: the floor under the console's figure.
``--profile PATH`` runs one start under cProfile and writes the event loop's profile at the
first frame and at the first live ladder.

Python's bytecode cache is on in the children (``PYTHONDONTWRITEBYTECODE`` is dropped), and
one warm-up start is not counted, as on any machine after the first run.

Run: ``python bench/ui_startup.py [--starts 5] [--bare]`` (``ui_latency.py`` runs it too).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

COLUMNS, ROWS = 300, 60


def child(started_at: float, marks_path: str, data_dir: str, profile: str | None) -> None:
    """Runs in the measured process: the app as ``breakout-console`` runs it (the same
    entry point: the collector's pause, argument parsing, settings, the log file). The
    ladder's ``render_lines`` is wrapped as its module is first imported (by the app), so
    the measured process imports everything in the script's order.

    With ``profile`` (a path), cProfile records the event loop's thread from here on and
    writes ``<profile>.frame`` at the first frame and ``<profile>.ladder`` at the first live
    ladder (``pstats`` files; the import thread of the services is not in them)."""
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    import console

    if (Path(console.__file__).parent / "launch.py").is_file():
        from console.launch import main as breakout_console
    else:  # a baseline from before the launcher (an editable install would find this one's)
        from console.cli import main as breakout_console

    marks: dict[str, float] = {}

    def note(ladder: Any) -> None:
        now = time.time()
        if "frame" not in marks:
            marks["frame"] = now
            marks["frame_cpu"] = time.process_time()
            if profiler is not None:
                profiler.dump_stats(f"{profile}.frame")
                profiler.enable()  # dumping stopped it
        snapshot = ladder.snapshot
        if snapshot is not None and not snapshot.stale and "ladder" not in marks:
            marks["ladder"] = now
            marks["ladder_cpu"] = time.process_time()
            if profiler is not None:
                profiler.dump_stats(f"{profile}.ladder")
            ladder.app.exit()

    sys.meta_path.insert(0, _WrapOnImport("console.tui.widgets.ladder", note))
    breakout_console(["--data-dir", data_dir])
    Path(marks_path).write_text(
        f"{marks['frame_cpu']} {marks['frame'] - started_at} {marks['ladder'] - started_at} "
        f"{marks['ladder_cpu']}"
    )


class _WrapOnImport:
    """A meta-path finder that, once ``name`` is imported, calls ``note(ladder)`` before
    each ``OrderBookLadder.render_lines`` of that module."""

    def __init__(self, name: str, note: Callable[[Any], None]) -> None:
        self.name = name
        self.note = note

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        assert spec is not None
        assert spec.loader is not None
        execute = spec.loader.exec_module
        note = self.note

        def exec_module(module: Any) -> None:
            execute(module)
            ladder = module.OrderBookLadder
            original = ladder.render_lines

            def render_lines(self: Any, crop: Any) -> Any:
                note(self)
                return original(self, crop)

            ladder.render_lines = render_lines

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def bare_child(started_at: float, marks_path: str) -> None:
    """The floor: a bare Textual app (one Line-API widget, Textual's default CSS) in the
    same pty, to its first frame. What the console costs beyond this is ours."""
    from textual.app import App, ComposeResult
    from textual.strip import Strip
    from textual.widget import Widget

    marks: dict[str, float] = {}

    class Lines(Widget):
        def render_line(self, y: int) -> Strip:
            if "frame" not in marks:
                marks["frame"] = time.time()
                marks["frame_cpu"] = time.process_time()
                self.app.call_later(self.app.exit)
            return Strip.blank(self.size.width)

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Lines()

    Bare().run()
    frame = marks["frame"] - started_at
    Path(marks_path).write_text(f"{marks['frame_cpu']} {frame} {frame} {marks['frame_cpu']}")


def one_start(kind: str = "console", profile: str = "") -> tuple[float, float, float, float]:
    """(CPU seconds to the first frame, seconds to the first frame, to the first live ladder,
    CPU seconds to the first live ladder: every thread of the process). ``kind`` is
    ``console`` or ``bare`` (:func:`bare_child`, whose ladder figures are its frame's)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as data:
        marks = Path(data) / "marks"
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        started = time.time()
        flag = "--console" if kind == "console" else "--bare-child"
        process = subprocess.Popen(
            [sys.executable, __file__, flag, str(started), str(marks), data, profile],
            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
        )  # fmt: skip
        os.close(slave)
        try:
            while process.poll() is None:
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        os.read(master, 65536)
                    except OSError:
                        break
            process.wait(30)
        finally:
            os.close(master)
        cpu, frame, ladder, ladder_cpu = (float(v) for v in marks.read_text().split())
    return cpu, frame, ladder, ladder_cpu


def machine_pace() -> float:
    """CPU seconds of a fixed pure-Python loop (best of 3). On a shared VM the same code runs
    up to a third slower at some hours than at others; printing this beside the figures lets
    runs be compared."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best


def _runs(figures: tuple[float, ...]) -> str:
    return (
        f"median {statistics.median(figures):.2f} s (runs {', '.join(f'{v:.2f}' for v in figures)})"
    )


def measure(starts: int, bare: bool = False) -> None:
    pace = machine_pace()
    one_start()  # warm-up: writes the bytecode cache
    if bare:
        one_start("bare")
    runs, bare_runs = [], []
    for _ in range(starts):  # alternating, so both see the same load
        runs.append(one_start())
        if bare:
            bare_runs.append(one_start("bare"))
    cpus, frames, ladders, ladder_cpus = zip(*runs, strict=True)
    print(f"start-up ({starts} fresh processes in a {COLUMNS}x{ROWS} pty, stock simulator):")
    print(f"  machine pace: a 3M-step Python loop takes {pace:.3f} s of CPU (lower is faster)")
    print(f"  process start -> first frame: {_runs(frames)}")
    print(
        f"  CPU time of the process up to the first frame: {_runs(cpus)} "
        "(less sensitive to a busy machine than wall time)"
    )
    print(f"  process start -> first live ladder: {_runs(ladders)}")
    print(
        f"  CPU time of the process up to the first live ladder: {_runs(ladder_cpus)} "
        "(every thread: imports in a thread count)"
    )
    if bare:
        bare_cpus, bare_frames, _, _ = zip(*bare_runs, strict=True)
        print(f"  a bare Textual app, start -> first frame: {_runs(bare_frames)}")
        print(f"  a bare Textual app, CPU time to its first frame: {_runs(bare_cpus)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument(
        "--bare", action="store_true", help="also time a bare Textual app's first frame"
    )
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="one start under cProfile: PATH.frame and PATH.ladder (pstats files)",
    )
    parser.add_argument("--console", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--bare-child", dest="bare_child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.console:
        started_at, marks_path, data_dir, profile = args.console
        child(float(started_at), marks_path, data_dir, profile or None)
    elif args.bare_child:
        bare_child(float(args.bare_child[0]), args.bare_child[1])
    elif args.profile:
        one_start()  # the bytecode cache
        one_start(profile=str(Path(args.profile).resolve()))
        print(f"wrote {args.profile}.frame and {args.profile}.ladder")
    else:
        measure(args.starts, args.bare)


if __name__ == "__main__":
    main()
