"""Start-up of the real console in a real (pseudo) terminal: process start to the first frame,
and to the first ladder showing a live book.

Each run is a fresh ``python`` process running ``breakout-console``'s entry point on the
stock embedded simulator, with its output on a pty of
300x60 that this script drains; the process imports nothing else first, so every import the
app pays for is counted. A wrapper on the ladder's ``render_line`` notes the first line drawn
(first frame) and the first line drawn from a live book, then the app exits.

Python's bytecode cache is on in the children (``PYTHONDONTWRITEBYTECODE`` is dropped), and
one warm-up start is not counted, as on any machine after the first run.

Run: ``python bench/ui_startup.py [--starts 5]`` (``ui_latency.py`` runs it too).
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
from pathlib import Path
from typing import Any

COLUMNS, ROWS = 300, 60


def child(started_at: float, marks_path: str, data_dir: str) -> None:
    """Runs in the measured process: the app as ``breakout-console`` runs it (the same
    entry point: argument parsing, settings, the log file). The app imports the ladder
    module anyway; importing it first only changes the order."""
    from textual.geometry import Region

    from console.cli import main as breakout_console
    from console.tui.widgets.ladder import OrderBookLadder

    marks: dict[str, float] = {}
    original = OrderBookLadder.render_lines

    def render_lines(self: OrderBookLadder, crop: Region) -> Any:
        now = time.time()
        if "frame" not in marks:
            marks["frame"] = now
            marks["frame_cpu"] = time.process_time()
        snapshot = self.snapshot
        if snapshot is not None and not snapshot.stale and "ladder" not in marks:
            marks["ladder"] = now
            marks["ladder_cpu"] = time.process_time()
            self.app.exit()
        return original(self, crop)

    OrderBookLadder.render_lines = render_lines  # type: ignore[method-assign,assignment]
    breakout_console(["--data-dir", data_dir])
    Path(marks_path).write_text(
        f"{marks['frame_cpu']} {marks['frame'] - started_at} {marks['ladder'] - started_at} "
        f"{marks['ladder_cpu']}"
    )


def one_start() -> tuple[float, float, float, float]:
    """(CPU seconds to the first frame, seconds to the first frame, to the first live ladder,
    CPU seconds to the first live ladder: every thread of the process)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    with tempfile.TemporaryDirectory() as data:
        marks = Path(data) / "marks"
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        started = time.time()
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(started), str(marks), data],
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


def measure(starts: int) -> None:
    pace = machine_pace()
    one_start()  # warm-up: writes the bytecode cache
    runs = [one_start() for _ in range(starts)]
    cpus, frames, ladders, ladder_cpus = zip(*runs, strict=True)
    print(f"start-up ({starts} fresh processes in a {COLUMNS}x{ROWS} pty, stock simulator):")
    print(f"  machine pace: a 3M-step Python loop takes {pace:.3f} s of CPU (lower is faster)")
    print(
        f"  process start -> first frame: median {statistics.median(frames):.2f} s "
        f"(runs {', '.join(f'{v:.2f}' for v in frames)})"
    )
    print(
        f"  CPU time of the process up to the first frame: median "
        f"{statistics.median(cpus):.2f} s (less sensitive to a busy machine than wall time)"
    )
    print(
        f"  process start -> first live ladder: median {statistics.median(ladders):.2f} s "
        f"(runs {', '.join(f'{v:.2f}' for v in ladders)})"
    )
    print(
        f"  CPU time of the process up to the first live ladder: median "
        f"{statistics.median(ladder_cpus):.2f} s (every thread: imports in a thread count)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        started_at, marks_path, data_dir = args.child
        child(float(started_at), marks_path, data_dir)
    else:
        measure(args.starts)


if __name__ == "__main__":
    main()
