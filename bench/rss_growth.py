"""Resident memory of the console over time at ``ui_latency.py``'s load, and what grows.

The app headless as ``ui_latency.py`` runs it (a wide terminal, four ladders, ``--symbols``
linear books at orderbook.50 at ``--speed``, the simulator in a child process). Prints RSS
every ``--every`` seconds and the growth per minute after the first minute (caches and the
trade windows fill in that minute; what still grows after it is a leak). With ``--trace``,
Python allocations are traced from the end of the first minute (slower from then on) and
the lines whose memory grew most since are printed; with ``--census``, the Python
containers that grew in number over the same span, by type (cheap enough for the full
load, where tracing slows the app until the simulator drops it).

Run: ``python bench/rss_growth.py [--minutes 10] [--speed 10] [--symbols 10] [--census]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from stream_e2e import linear_instruments, rss_mb, serve_sim
from ui_latency import TERMINAL, external_services, settings_for
from ui_startup import machine_pace

WARM_UP_SECONDS = 60.0


async def watch(args: argparse.Namespace, names: list[str], ws_url: str) -> None:
    from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
    from console.tui.app import ConsoleApp

    # What the console does for a simulator it starts itself (console/services.py): at a
    # speed above 1 its market clock runs ahead, and every trade would be refused as from
    # the future (a lighter load than the console's, with a warning per frame).
    allow_ahead(SIMULATED_AHEAD_MS)

    with tempfile.TemporaryDirectory() as data:
        app = ConsoleApp(
            settings_for(names, args.speed, Path(data)), services_factory=external_services(ws_url)
        )
        async with app.run_test(size=TERMINAL) as pilot:
            started = time.time()
            series: list[tuple[float, float]] = []
            warm: tracemalloc.Snapshot | None = None
            census: Counter[str] | None = None
            while (elapsed := time.time() - started) < args.minutes * 60:
                series.append((elapsed, rss_mb()))
                print(f"  {elapsed / 60:5.1f} min  RSS {series[-1][1]:6.1f} MB", flush=True)
                if elapsed >= WARM_UP_SECONDS:
                    if args.trace and warm is None:
                        tracemalloc.start(4)
                        warm = tracemalloc.take_snapshot()
                    if args.census and census is None:
                        census = count_objects()
                await pilot.pause(args.every)
            series.append((time.time() - started, rss_mb()))
            end = tracemalloc.take_snapshot() if args.trace else None
            final = count_objects() if args.census else None
    after = [(t, rss) for t, rss in series if t >= WARM_UP_SECONDS]
    if len(after) >= 2:
        (t0, r0), (t1, r1) = after[0], after[-1]
        slope = (r1 - r0) / ((t1 - t0) / 60)
        print(
            f"RSS {series[0][1]:.1f} MB at start, {r0:.1f} MB after the first minute, "
            f"{r1:.1f} MB at {t1 / 60:.1f} min: {slope:+.2f} MB/min after the first minute"
        )
    if census is not None and final is not None:
        print("containers that grew in number after the first minute (gc census), by type:")
        grown = final.copy()
        grown.subtract(census)
        for name, count in grown.most_common(args.top):
            print(f"  {count:+8d}  {name} (now {final[name]:,})")
    if warm is not None and end is not None:
        print("Python allocations that grew most after the first minute (tracemalloc):")
        for stat in end.compare_to(warm, "traceback")[: args.top]:
            frames = " <- ".join(
                f"{Path(frame.filename).name}:{frame.lineno}" for frame in stat.traceback[:6]
            )
            print(f"  {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks  {frames}")


def count_objects() -> Counter[str]:
    gc.collect()
    return Counter(
        f"{type(item).__module__}.{type(item).__qualname__}" for item in gc.get_objects()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=30.0, help="seconds between RSS reads")
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--symbols", type=int, default=10)
    parser.add_argument("--trace", action="store_true", help="trace allocations (slower)")
    parser.add_argument("--census", action="store_true", help="count containers by type")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--serve-sim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_sim:
        serve_sim(args.speed, args.symbols)
        return
    print(f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU")
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
        print(
            f"{len(names)} symbols at orderbook.50, speed {args.speed}x, terminal "
            f"{TERMINAL[0]}x{TERMINAL[1]}, {args.minutes:g} min"
            + (", allocations traced" if args.trace else "")
        )
        asyncio.run(watch(args, names, ws_url))
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()
