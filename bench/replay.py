"""Record and replay: the recording's bytes per hour, and how fast a replay serves and ingests.

1. Size: the simulator (in-process, speed 1) is recorded for ``--seconds`` (one symbol:
   ``orderbook.50`` + ``publicTrade`` + ``tickers``, as ``breakout-console record`` does);
   the stream's compressed bytes are extrapolated to an hour. The simulator's book changes
   about ten times a second; Bybit's BTCUSDT ``orderbook.50`` pushes up to fifty times a
   second, so the hour at Bybit's pace is estimated from the bytes per book frame.
2. Serve and ingest: a denser recording (the simulator at ``--dense-speed``) is replayed at
   ``--speed max`` by ``breakout-console replay --serve`` in its own process, (a) to a raw
   client that only counts frames, (b) to the console's own streamer
   (``RealTimeMarketDataStreamer``: parse, book, trade window). Frames per second from the
   first frame to the last.

The machine is shared: the pace line (CPU seconds of a fixed loop) goes with the figures.
Run: ``python bench/replay.py [--seconds 60] [--dense-seconds 20] [--dense-speed 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from ui_startup import machine_pace
from websockets.asyncio.client import connect

from console.config import StreamSettings
from console.domain import MarketType
from console.domain.plausibility import SIMULATED_AHEAD_MS, allow_ahead
from console.replay.recorder import Recorder, target_for
from console.replay.recording import RecordKind, read_header, read_records
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer

SYMBOL = "BTC/USDT:USDT"
BYBIT_BOOK_PUSHES_PER_S = 50
HOUR = 3600


async def record(path: Path, seconds: float, speed: float) -> Recorder:
    async with SimServer(seed=7, speed=speed) as sim:
        recorder = Recorder(target_for("sim", [SYMBOL], venue_url=sim.base_url), path)
        await recorder.run_for(seconds)
    return recorder


def topic_sizes(path: Path) -> dict[str, tuple[int, int]]:
    """Per topic kind: (frames, raw bytes)."""
    sizes: dict[str, tuple[int, int]] = {}
    for rec in read_records(path):
        if rec.kind is RecordKind.FRAME and rec.payload.startswith(b'{"topic"'):
            kind = orjson.loads(rec.payload)["topic"].split(".")[0]
            frames, size = sizes.get(kind, (0, 0))
            sizes[kind] = (frames + 1, size + len(rec.payload))
    return sizes


async def measure_size(seconds: float, folder: Path) -> None:
    path = folder / "size.rec"
    recorder = await record(path, seconds, 1.0)
    total = path.stat().st_size
    stream = total - recorder.preamble_bytes
    sizes = topic_sizes(path)
    raw = sum(size for _, size in sizes.values())
    ratio = raw / stream
    book_frames, book_raw = sizes.get("orderbook", (0, 0))
    per_book_frame = book_raw / ratio / max(book_frames, 1)
    print(f"size: the simulator recorded for {seconds:.0f} s at speed 1, one symbol")
    print(
        f"  preamble (instruments, 500-level book, ticker, 1000 trades, 1000 candles): "
        f"{recorder.preamble_bytes / 1024:.0f} KiB once"
    )
    for kind, (frames, size) in sorted(sizes.items()):
        print(f"  {kind}: {frames / seconds:.1f} frames/s, {size / max(frames, 1):.0f} B raw/frame")
    print(f"  stream: {stream / seconds:.0f} B/s compressed (gzip ratio {ratio:.1f}x)")
    print(f"  => {stream / seconds * HOUR / 2**20:.1f} MiB per hour per symbol (extrapolated)")
    print(
        f"  at Bybit's orderbook.50 pace ({BYBIT_BOOK_PUSHES_PER_S}/s), ~{per_book_frame:.0f} B"
        f" per compressed book frame: ~"
        f"{per_book_frame * BYBIT_BOOK_PUSHES_PER_S * HOUR / 2**20:.0f} MiB per hour (estimate)"
    )


class ServedReplay:
    """``breakout-console replay FILE --serve --speed max`` in its own process."""

    def __init__(self, path: Path) -> None:
        command = [sys.executable, "-m", "console", "replay", str(path), "--serve"]
        self.process = subprocess.Popen(
            [*command, "--speed", "max"], stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        self.ws_url = ""
        for line in self.process.stdout:
            if line.startswith("WS"):
                self.ws_url = line.split()[1].split("/v5/")[0]
                break

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


async def raw_client(ws_url: str, topics: list[str], expected: int) -> float:
    async with connect(f"{ws_url}/v5/public/linear", compression=None, max_size=1 << 24) as ws:
        await ws.send(orjson.dumps({"op": "subscribe", "args": topics}).decode())
        seen, first = 0, 0.0
        async for text in ws:
            if isinstance(text, str) and text.startswith('{"topic"'):
                if not seen:
                    first = time.perf_counter()
                seen += 1
                if seen == expected:
                    return expected / (time.perf_counter() - first)
    return float("nan")


async def streamer_client(ws_url: str, expected: int) -> tuple[float, float]:
    # The dense recording comes from a simulator running 20x: its prints are stamped ahead of
    # the wall clock, as the console allows for a fast simulator of its own.
    allow_ahead(SIMULATED_AHEAD_MS)
    streamer = RealTimeMarketDataStreamer(StreamSettings(depth=50), ws_url, venue="sim")
    streamer.ensure_symbol(SYMBOL)
    async with streamer:
        feed = streamer.feed(MarketType.LINEAR)
        assert feed is not None
        first: float | None = None
        cpu = time.process_time()
        while feed.counters.frames < expected:
            if first is None and feed.counters.frames > 1:
                first, cpu = time.perf_counter(), time.process_time()
            await asyncio.sleep(0.001)
        wall = time.perf_counter() - (first or time.perf_counter())
        health = feed.health()
        assert health.gaps == 0, health
        assert health.malformed == 0, health
        return expected / wall, (time.process_time() - cpu) / expected * 1e6


async def measure_serving(seconds: float, speed: float, runs: int, folder: Path) -> None:
    path = folder / "dense.rec"
    await record(path, seconds, speed)
    topics = read_header(path)["topics"]["linear"]
    sizes = topic_sizes(path)
    everything = sum(frames for frames, _ in sizes.values())
    streamed = sizes["orderbook"][0] + sizes.get("publicTrade", (0, 0))[0]
    print(f"serving: a recording of the simulator at {speed:g}x for {seconds:.0f} s")
    print(f"  {everything:,} frames ({streamed:,} book + trade frames), replayed at --speed max")
    raw, ingest, cpu = [], [], []
    for _ in range(runs):
        served = ServedReplay(path)
        try:
            raw.append(await raw_client(served.ws_url, topics, everything))
        finally:
            served.close()
        served = ServedReplay(path)
        try:
            rate, cpu_us = await streamer_client(served.ws_url, streamed + 1)
        finally:
            served.close()
        ingest.append(rate)
        cpu.append(cpu_us)
    print(f"  (a) replay -> raw client: best {max(raw):,.0f} frames/s (runs {_list(raw)})")
    print(
        f"  (b) replay -> the console's streamer: best {max(ingest):,.0f} frames/s "
        f"(runs {_list(ingest)}); the streamer spent {min(cpu):.0f} us of CPU per frame"
    )


def _list(rates: list[float]) -> str:
    return ", ".join(f"{rate:,.0f}" for rate in rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="size run (speed 1)")
    parser.add_argument("--dense-seconds", type=float, default=20.0)
    parser.add_argument("--dense-speed", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3, help="serving runs (best is reported)")
    args = parser.parse_args()
    print(
        f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU (lower is faster)"
    )
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure_size(args.seconds, Path(folder)))
        asyncio.run(measure_serving(args.dense_seconds, args.dense_speed, args.runs, Path(folder)))


if __name__ == "__main__":
    main()
