"""Run the simulator on its own until Ctrl-C: shared by ``python -m console.sim`` and
``breakout-console sim``, so both take the same flags and print the same banner."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from typing import TextIO

from console.sim.server import SimServer


def add_server_arguments(
    parser: argparse.ArgumentParser, *, seed: int = 7, speed: float = 1.0
) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--api-key", default="sim-key", help="the key the simulator accepts")
    parser.add_argument("--api-secret", default="sim-secret", help="that key's secret")
    parser.add_argument(
        "--seed", type=int, default=seed, help="market seed (same seed, same market)"
    )
    parser.add_argument(
        "--speed", type=float, default=speed, help="market time factor (e.g. 10 = ten times faster)"
    )
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="turn off the per-endpoint 10006 windows (the IP limit stays)",
    )


def _check(args: argparse.Namespace) -> str | None:
    if not 0 <= args.port <= 65535:
        return "--port must be between 0 and 65535"
    if not 0 < args.speed <= 1000:
        return "--speed must be greater than 0 and at most 1000"
    return None


async def _serve(args: argparse.Namespace, out: TextIO) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with SimServer(
        host=args.host,
        port=args.port,
        seed=args.seed,
        speed=args.speed,
        api_key=args.api_key,
        api_secret=args.api_secret,
        rate_limits=not args.no_rate_limits,
    ) as sim:
        print(f"Bybit v5 simulator (seed {args.seed}, speed {args.speed}x)", file=out)
        print(f"REST  {sim.base_url}", file=out)
        print(f"WS    {sim.ws_url}/v5/public/linear  {sim.ws_url}/v5/public/spot", file=out)
        print(f"key   {sim.api_key} (secret as given; not shown)", file=out)
        print("Ctrl-C stops it.", file=out, flush=True)
        await stop.wait()


def serve(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Serve until interrupted. Returns the process exit code (2 for bad flags)."""
    problem = _check(args)
    if problem is not None:
        print(f"console.sim: {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    try:
        asyncio.run(_serve(args, out))
    except OSError as error:
        print(
            f"console.sim: cannot listen on {args.host}:{args.port}: {error.strerror}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        pass
    return 0
