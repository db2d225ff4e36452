"""``breakout-console record``: capture a venue's public market data into a recording file.

``--venue sim`` without ``--venue-url`` records a simulator started in-process (seeded from the
settings): the quickest way to make a recording, and how its size per hour is measured. With
``--venue-url`` (a setting flag of every command) it records that Bybit-v5 server instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from console.config import Settings

EXIT_FAILED = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the recording to create")
    parser.add_argument(
        "--seconds", type=float, default=None, help="stop after this long (default: Ctrl-C)"
    )
    parser.add_argument(
        "--depth", type=int, default=None, help="order-book depth (default: the stream setting)"
    )


async def _record(args: argparse.Namespace, settings: Settings) -> int:
    from console.replay.recorder import Recorder, RecordError, target_for

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        venue_url = settings.venue_url
        if settings.is_sim and venue_url is None:
            from console.sim import SimServer

            sim = await stack.enter_async_context(
                SimServer(seed=settings.sim.seed, speed=settings.sim.speed)
            )
            venue_url = sim.base_url
        depth = args.depth or settings.stream.depth
        try:
            target = target_for(settings.venue, settings.symbols, venue_url=venue_url, depth=depth)
            recorder = Recorder(target, args.out, settings.stream)
            await recorder.start()
        except (RecordError, ValueError, OSError) as error:
            print(f"breakout-console record: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(f"recording {', '.join(target.symbols)} from {target.venue} into {args.out}")
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.seconds)
        finally:
            await recorder.stop()
        size = args.out.stat().st_size
        print(f"{recorder.frames} frames, {size} bytes in {args.out}")
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.seconds is not None and args.seconds <= 0:
        print("breakout-console record: --seconds must be greater than 0", file=sys.stderr)
        return 2
    if args.out.exists():
        print(f"breakout-console record: {args.out} exists; not overwriting it", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_record(args, settings))
    except KeyboardInterrupt:
        return 0
