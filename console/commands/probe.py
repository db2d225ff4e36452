"""``breakout-console probe``: validate a venue profile before trading on it.

It loads the markets, measures REST latency per category, sends a short burst through the
rate limiter and reports what the venue's headers taught it, opens the WebSocket for one
symbol (time to first book, message rate) and, with keys, reads the key's permissions
(loud warnings for withdrawal rights or a missing IP allow-list). The report is plain text;
the exit code is 0 when every check passed, 1 when one failed (``--strict``: warnings too).
On venue ``sim`` the simulator is started in-process first, with a fresh key pair.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import SecretStr

from console.config import Settings
from console.domain import EndpointCategory, Trade
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.ratelimit import WindowedLimiter, limiter_for

EXIT_OK = 0
EXIT_FAILED = 1


class Verdict(StrEnum):
    OK = "ok"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass
class ProbeReport:
    """Lines of the report, each with a verdict; printed as they are added."""

    lines: list[tuple[Verdict, str]] = field(default_factory=list)

    def add(self, verdict: Verdict, text: str) -> None:
        self.lines.append((verdict, text))
        print(f"[{verdict.value:>4}] {text}", flush=True)

    def exit_code(self, *, strict: bool) -> int:
        bad = {Verdict.FAIL, Verdict.WARN} if strict else {Verdict.FAIL}
        return EXIT_FAILED if any(verdict in bad for verdict, _ in self.lines) else EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--symbol", help="symbol to probe (default: the first of --symbols)")
    parser.add_argument("--burst", type=int, default=40, help="requests in the burst")
    parser.add_argument(
        "--stream-seconds", type=float, default=3.0, help="how long to count WebSocket messages"
    )
    parser.add_argument("--strict", action="store_true", help="warnings fail the probe too")


def run(args: argparse.Namespace, settings: Settings) -> int:
    report = ProbeReport()
    print(f"probe: venue {settings.venue}, mode {settings.mode.value}")
    try:
        asyncio.run(_probe(args, settings, report))
    except Exception as error:  # a probe reports, it never shows a traceback
        report.add(Verdict.FAIL, f"probe stopped: {type(error).__name__}: {error}")
    code = report.exit_code(strict=args.strict)
    print("probe: " + ("PASSED" if code == EXIT_OK else "FAILED"))
    return code


async def _probe(args: argparse.Namespace, settings: Settings, report: ProbeReport) -> None:
    async with AsyncExitStack() as stack:
        endpoints, credentials = await _start_sim(settings, stack)
        limiter = limiter_for(settings)
        pool = ExchangeConnectionPool(observer=limiter.observe_response)
        stack.push_async_callback(pool.close_all)
        client = ExchangeClient(
            settings, pool=pool, limiter=limiter, endpoints=endpoints, credentials=credentials
        )
        stack.push_async_callback(client.close)
        symbol = args.symbol or settings.symbols[0]

        started = time.perf_counter()
        markets = await client.load_markets()
        report.add(
            Verdict.OK,
            f"latency public (markets): {len(markets)} loaded in "
            f"{(time.perf_counter() - started) * 1000:.0f} ms",
        )
        if symbol not in markets:
            report.add(Verdict.FAIL, f"symbol {symbol} is not traded on {settings.venue}")
            return
        has_keys = credentials is not None or settings.has_credentials
        await _latency(client, symbol, has_keys, report)
        await _burst(client, limiter, symbol, args.burst, report)
        await _stream(settings, endpoints, symbol, args.stream_seconds, report)
        if has_keys:
            await _key_permissions(client, report)
        else:
            report.add(Verdict.OK, "keys: none set, permissions not checked (public data only)")


async def _start_sim(
    settings: Settings, stack: AsyncExitStack
) -> tuple[VenueEndpoints | None, Credentials | None]:
    if not settings.starts_own_sim:
        return None, None
    from console.sim import SimServer

    key, secret = secrets.token_hex(9), secrets.token_hex(18)
    sim = await stack.enter_async_context(
        SimServer(seed=settings.sim.seed, speed=settings.sim.speed, api_key=key, api_secret=secret)
    )
    print(f"probe: simulator started at {sim.base_url}")
    return (
        VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url),
        Credentials(api_key=SecretStr(key), secret=SecretStr(secret)),
    )


async def _median_ms(call: Callable[[], Awaitable[Any]], times: int = 3) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def _latency(
    client: ExchangeClient, symbol: str, has_keys: bool, report: ProbeReport
) -> None:
    """Median REST latency per category (3 calls each)."""
    checks: list[tuple[EndpointCategory, str, Callable[[], Awaitable[Any]]]] = [
        (EndpointCategory.MARKET_DATA, "ticker", lambda: client.fetch_ticker(symbol)),
        (EndpointCategory.MARKET_DATA, "order book", lambda: client.fetch_order_book(symbol)),
    ]
    if has_keys and client.mode.value == "live":
        checks += [
            (EndpointCategory.ACCOUNT, "balance", lambda: client.fetch_balance()),
            (EndpointCategory.TRADING, "open orders", lambda: client.fetch_open_orders(symbol)),
        ]
    for category, name, call in checks:
        try:
            median = await _median_ms(call)
        except Exception as error:
            report.add(Verdict.FAIL, f"latency {category.value} ({name}): {error}")
            continue
        report.add(Verdict.OK, f"latency {category.value} ({name}): median {median:.0f} ms")


async def _burst(
    client: ExchangeClient, limiter: WindowedLimiter, symbol: str, size: int, report: ProbeReport
) -> None:
    """A short burst through the limiter; what the venue's headers taught it."""
    refused_before = limiter.stats.rate_limited
    calls: list[Awaitable[Any]] = [client.fetch_ticker(symbol) for _ in range(size * 3 // 4)]
    calls += [client.fetch_order_book(symbol) for _ in range(size - len(calls))]
    started = time.perf_counter()
    results = await asyncio.gather(*calls, return_exceptions=True)
    elapsed = time.perf_counter() - started
    failures = [r for r in results if isinstance(r, BaseException)]
    refused = limiter.stats.rate_limited - refused_before
    verdict = Verdict.FAIL if failures or limiter.halted_until else Verdict.OK
    if refused and verdict is Verdict.OK:
        verdict = Verdict.WARN
    report.add(
        verdict,
        f"burst: {size} requests in {elapsed:.2f} s ({size / elapsed:.0f}/s), "
        f"{len(failures)} failed, {refused} refused with 10006",
    )
    learned = [row for row in limiter.get_status() if row.learned_from_headers]
    if not learned and client.venue != "sim" and not client.venue.startswith("bybit"):
        report.add(Verdict.OK, "limits: this venue sends no limit headers; ccxt's costs apply")
    for row in learned:
        report.add(
            Verdict.OK,
            f"limit learned from headers: {row.endpoint} {row.limit}/{row.window_seconds:g} s, "
            f"{row.remaining} left",
        )
    if not learned and client.venue == "sim":
        report.add(Verdict.FAIL, "limits: the simulator sent no X-Bapi-Limit headers")


async def _stream(
    settings: Settings,
    endpoints: VenueEndpoints | None,
    symbol: str,
    seconds: float,
    report: ProbeReport,
) -> None:
    """WebSocket: time to the first book snapshot and message rate for one symbol."""
    try:
        from console.stream import streamer_for
    except ImportError:
        report.add(Verdict.WARN, "stream: no streamer in this build, skipped")
        return
    streamer = streamer_for(settings, endpoints.ws_url if endpoints else None)
    first_book = _FirstBook(symbol)
    streamer.add_listener(first_book)
    async with streamer:
        started = time.perf_counter()
        streamer.ensure_symbol(symbol)
        try:
            await asyncio.wait_for(first_book.arrived.wait(), timeout=10.0)
        except TimeoutError:
            report.add(Verdict.FAIL, f"stream: no book for {symbol} within 10 s")
            return
        first = (time.perf_counter() - started) * 1000
        await asyncio.sleep(seconds)
        rate = sum(health.messages_per_second for health in streamer.health())
        report.add(
            Verdict.OK,
            f"stream: first {symbol} book after {first:.0f} ms, {rate:.1f} messages/s",
        )


class _FirstBook:
    """A stream listener that notes the first book update of one symbol."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self.arrived = asyncio.Event()

    def on_book_update(self, symbol: str) -> None:
        if symbol == self.symbol:
            self.arrived.set()

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        """Trades are not what the probe waits for."""


async def _key_permissions(client: ExchangeClient, report: ProbeReport) -> None:
    """Bybit ``/v5/user/query-api``: warn loudly about withdrawal rights and open IPs."""
    key = await client.fetch_key_info()
    if key is None:
        report.add(Verdict.WARN, "keys: permissions are only read on Bybit venues; check them")
        return
    report.add(
        Verdict.OK,
        f"keys: read-only={key.read_only}, permissions {', '.join(key.permissions) or 'none'}",
    )
    if key.can_withdraw:
        report.add(Verdict.WARN, "!!! KEY CAN WITHDRAW FUNDS: create a key without withdrawal")
    if not key.ip_bound:
        report.add(Verdict.WARN, "!!! KEY HAS NO IP ALLOW-LIST: bind it to your IP address")
    else:
        report.add(Verdict.OK, f"keys: bound to {', '.join(key.ips)}")


__all__ = ["add_arguments", "run"]
