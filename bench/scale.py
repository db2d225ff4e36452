"""How the console's cost grows with the watchlist and the book depth: a scale curve.

For each watchlist size (``--symbols``, default 1 5 10 20 40) and depth (``--depths``,
default 50 200) this runs ``ui_latency.py`` in a fresh process (the simulator in a child
of its own, at ``--speed``): the console headless at 300x60 (at most four ladders show,
the rest of the watchlist is off screen), then the same services with no UI. It prints,
per point, the process's CPU share with the UI and without it, the UI's own share (the
difference), the book changes arriving per second, the services' CPU per book change
(ingest us), our paint tick's and Textual's screen update's CPU, the p50/p99
book-change-to-repaint delay, and the resident memory at the end.

On a shared 2-core machine the simulator's child (one process for all books) cannot keep a
large watchlist at full speed, so fewer changes per symbol arrive at 40 symbols than at 10:
compare the per-change and per-frame figures, not the CPU shares alone.

A symbol that is not on screen should cost only its ingest: past four symbols the UI's
share should stay flat while the services' share grows with the symbols.
Run: ``python bench/scale.py [--seconds 10] [--symbols 1 5 10 20 40] [--depths 50 200]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from ui_startup import machine_pace

HERE = Path(__file__).resolve().parent


def point(symbols: int, depth: int, seconds: float, speed: float) -> dict[str, dict[str, float]]:
    """One run of ``ui_latency.py`` (steady state and baseline) in a fresh process."""
    command = [
        sys.executable,
        str(HERE / "ui_latency.py"),
        "--starts", "0",
        "--json",
        "--seconds", str(seconds),
        "--speed", str(speed),
        "--symbols", str(symbols),
        "--depth", str(depth),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("JSON ")]
    figures: dict[str, dict[str, float]] = json.loads(line.removeprefix("JSON "))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--symbols", type=int, nargs="+", default=[1, 5, 10, 20, 40])
    parser.add_argument("--depths", type=int, nargs="+", default=[50, 200])
    args = parser.parse_args()
    print(f"machine pace {machine_pace():.3f} s (3M-step loop; lower is faster)")
    print(
        f"speed {args.speed}x, {args.seconds:.0f} s a point; CPU in % of one core "
        "(the simulator runs in another process)"
    )
    header = (
        f"{'symbols':>7} {'depth':>5} {'ladders':>7} {'books/s':>7} {'CPU app':>8} {'no UI':>6} "
        f"{'UI':>5} {'ingest us':>9} {'paint ms':>8} {'update ms':>9} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'RSS MB':>7}"
    )
    print(header)
    for depth in args.depths:
        for symbols in args.symbols:
            figures = point(symbols, depth, args.seconds, args.speed)
            app, baseline = figures["app"], figures["baseline"]
            ingest_us = baseline["cpu"] / 100 / max(1.0, baseline["book_updates"]) * 1e6
            print(
                f"{symbols:>7} {depth:>5} {app['ladders']:>7.0f} {app['book_updates']:>7.0f} "
                f"{app['cpu']:>7.1f}% {baseline['cpu']:>5.1f}% "
                f"{app['cpu'] - baseline['cpu']:>4.1f}% {ingest_us:>9.0f} "
                f"{app['paint_ms']:>8.2f} {app['update_ms']:>9.2f} {app['p50']:>7.1f} "
                f"{app['p99']:>7.1f} {app['rss']:>7.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
