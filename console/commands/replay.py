"""``breakout-console replay FILE``: a recording served by the simulator, with the console on it.

With ``--serve`` it only serves (for other consoles, ``--venue-url``, and any Bybit client);
otherwise the console opens on the replay, with paper and live-on-sim trading against the
recorded book.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from console.config import Settings
from console.domain import Clock
from console.replay.recording import RecordingError

if TYPE_CHECKING:
    from console.services import Services

EXIT_FAILED = 1


def speed_value(text: str) -> float:
    """``--speed``: a factor (``10`` is ten times faster), or ``max`` for as fast as read."""
    if text.lower() == "max":
        return math.inf
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a speed: {text!r} (e.g. 1, 10 or max)") from None
    if not 0 < speed <= 10_000:
        raise argparse.ArgumentTypeError("--speed must be greater than 0 and at most 10000")
    return speed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the recording to replay")
    parser.add_argument("--speed", type=speed_value, default=1.0, help="1 (default), 10, max")
    parser.add_argument(
        "--from",
        dest="start",
        default=None,
        help="start here: seconds into the recording (+90) or a UTC time (2026-12-06T10:00:00)",
    )
    parser.add_argument("--serve", action="store_true", help="only serve; open no console")
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")


def start_ns(text: str | None, first_ns: int) -> int | None:
    """``--from`` as recording time: ``+N`` seconds after the first frame, or a UTC time.

    Raises:
        ValueError: neither form.
    """
    if text is None:
        return None
    if text.startswith("+"):
        return first_ns + int(float(text[1:]) * 1e9)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1e9)


async def _serve(args: argparse.Namespace) -> int:
    from console.replay.server import replay_market, replay_server

    try:
        server = replay_server(args.file, speed=args.speed, host=args.host, port=args.port)
        market = replay_market(server)
        market.from_ns = start_ns(args.start, market.clock.position_ns())
    except (RecordingError, OSError, ValueError) as error:
        print(f"breakout-console replay: {error}", file=sys.stderr)
        return EXIT_FAILED
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await server.start()
    except OSError as error:
        print(f"breakout-console replay: cannot listen: {error.strerror}", file=sys.stderr)
        return EXIT_FAILED
    try:
        header = market.source.header
        print(f"replaying {args.file} ({', '.join(header.get('symbols', []))}) at {args.speed}x")
        print(f"REST  {server.base_url}")
        print(f"WS    {server.ws_url}/v5/public/linear  {server.ws_url}/v5/public/spot")
        print("starts at the first subscription; Ctrl-C stops it.", flush=True)
        await stop.wait()
    finally:
        await server.stop()
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not 0 <= args.port <= 65535:
        print("breakout-console replay: --port must be between 0 and 65535", file=sys.stderr)
        return 2
    if args.serve:
        try:
            return asyncio.run(_serve(args))
        except KeyboardInterrupt:
            return 0
    try:
        return _open_console(args, settings)
    except (RecordingError, OSError, ValueError) as error:
        print(f"breakout-console replay: {error}", file=sys.stderr)
        return EXIT_FAILED


def replay_services_factory(path: Path, speed: float, start: str | None) -> Callable[..., Services]:
    """What ``ConsoleApp`` calls to build its services: venue ``sim`` served by the replay."""
    from console.replay.server import replay_market, replay_server
    from console.services import Services
    from console.sim import SimServer

    def sim_factory(api_key: str, api_secret: str) -> SimServer:
        server = replay_server(path, speed=speed, api_key=api_key, api_secret=api_secret)
        market = replay_market(server)
        market.from_ns = start_ns(start, market.clock.position_ns())
        return server

    session = session_name(path)

    def services(settings: Settings, *, clock: Clock | None = None) -> Services:
        return Services(settings, clock=clock, sim_factory=sim_factory, paper_session=session)

    return services


def session_name(path: Path) -> str:
    """The paper session's name: which recording it ran on (file and start), so a practice
    session can be told apart and the same orders run again on the same market."""
    from console.replay.recording import read_header

    header = read_header(path)
    started = datetime.fromtimestamp(int(header.get("started_ns", 0)) / 1e9, tz=UTC)
    return f"replay {path.name} recorded {started:%Y-%m-%d %H:%M:%S} UTC"


def replay_settings(settings: Settings, path: Path) -> Settings:
    """The settings with venue ``sim`` and the recording's symbols as the watchlist."""
    from console.replay.recording import read_header

    symbols = tuple(read_header(path).get("symbols") or settings.symbols)
    return settings.model_copy(update={"venue": "sim", "venue_url": None, "symbols": symbols})


def _open_console(args: argparse.Namespace, settings: Settings) -> int:
    from console.logs import log_to_file

    settings = replay_settings(settings, args.file)
    start_ns(args.start, 0)  # a bad --from is refused before the screen opens
    factory = replay_services_factory(args.file, args.speed, args.start)
    log_to_file(settings)
    from console.tui.app import ConsoleApp

    result = ConsoleApp(settings, services_factory=factory).run()
    return result or 0
