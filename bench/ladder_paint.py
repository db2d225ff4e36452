"""The paint's drawing cost, in-process and deterministic: CPU per frame and per line changed.

``ui_latency.py`` measures the whole console against a simulator in another process, so its
figures move with how much CPU the shared machine gives each process. This one removes the
stream: ``ConsoleApp`` with no services at a wide terminal (four ladders side by side) reads
a scripted stream (:class:`ScriptedStream`) that plays a fixed, seeded sequence of books (a
random walk of the mid, a share of the levels resized each frame) and of prints for the tape;
each frame is the app's own paint tick (``ConsoleApp.paint``) drawn through Textual's
screen-update timer. The figure is the event loop's CPU time per frame and per ladder line
changed (the lines whose content differs from the frame before), the same books on every
run, so old and new code compare by running the script against each (e.g. with
``PYTHONPATH`` pointing at a checkout of the old tree) at the same machine pace.

Run: ``python bench/ladder_paint.py [--frames 400] [--depth 50] [--repeat 3] [--no-prints]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ui_startup import machine_pace

from console.config import Settings
from console.domain import (
    DepthSnapshot,
    Market,
    MarketEventListener,
    MarketType,
    PriceLevel,
    Side,
    StreamHealth,
    Trade,
    TradeStats,
)

TERMINAL = (300, 60)
"""Four ladders side by side, as in ``ui_latency.py``."""

SYMBOLS = tuple(f"{base}/USDT:USDT" for base in ("BTC", "ETH", "SOL", "XRP", "DOGE"))
MIDS = (Decimal(60_000), Decimal(3_000), Decimal(150), Decimal("0.6"), Decimal("0.15"))
TICKS = (Decimal("0.1"), Decimal("0.01"), Decimal("0.01"), Decimal("0.0001"), Decimal("0.00001"))


def market(symbol: str, tick: Decimal) -> Market:
    base = symbol.split("/")[0]
    return Market(
        symbol=symbol,
        venue_id=f"{base}USDT",
        type=MarketType.LINEAR,
        base=base,
        quote="USDT",
        settle="USDT",
        tick_size=tick,
        qty_step=Decimal("0.001"),
    )


def book_walk(
    symbol: str, mid: Decimal, tick: Decimal, frames: int, depth: int, seed: int
) -> list[DepthSnapshot]:
    """``frames`` books of ``depth`` levels a side: each frame the touch moves a tick with
    probability 0.3 and about a fifth of the levels change size, as a busy book between two
    frames at 25 per second."""
    rng = random.Random(seed)
    step = Decimal("0.001")
    sizes = {i: Decimal(rng.randint(1, 5000)) * step for i in range(-depth, depth)}
    touch = 0
    received = datetime(2026, 1, 2, tzinfo=UTC)
    books = []
    for _ in range(frames):
        if rng.random() < 0.3:
            touch += rng.choice((-1, 1))
        for _ in range(depth // 5):
            sizes[rng.randrange(-depth, depth)] = Decimal(rng.randint(1, 5000)) * step
        bids = tuple(PriceLevel(mid + tick * (touch - 1 - i), sizes[-1 - i]) for i in range(depth))
        asks = tuple(PriceLevel(mid + tick * (touch + i), sizes[i]) for i in range(depth))
        books.append(
            DepthSnapshot.model_construct(
                symbol=symbol,
                bids=bids,
                asks=asks,
                sequence=None,
                exchange_time=None,
                received_at=received,
                stale=False,
            )
        )
    return books


def tape_prints(
    symbol: str, mid: Decimal, tick: Decimal, frames: int, seed: int
) -> list[list[Trade]]:
    """Per frame, the prints that arrived since the one before: none to three, about a
    print a frame on average, as the tape of a busy symbol at speed 10."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 2, tzinfo=UTC)
    prints: list[list[Trade]] = []
    number = 0
    for frame in range(frames):
        batch = []
        for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
            number += 1
            batch.append(
                Trade(
                    symbol=symbol,
                    trade_id=f"t{number}",
                    price=mid + tick * rng.randint(-3, 3),
                    size=Decimal(rng.randint(1, 900)) * Decimal("0.001"),
                    side=Side.BUY if rng.random() < 0.5 else Side.SELL,
                    timestamp=start + timedelta(milliseconds=40 * frame),
                )
            )
        prints.append(batch)
    return prints


class ScriptedStream:
    """What the app's market store reads, played from the seeded books and prints: the
    streamer's reading cost is left out (``bench/book_snapshot.py`` measures it), the rest
    of the paint is the app's own."""

    def __init__(self, books: dict[str, list[DepthSnapshot]], prints: list[list[Trade]]) -> None:
        self._books = books
        self._prints = prints
        self._frame = 0
        self._listeners: list[MarketEventListener] = []

    def next_frame(self, frame: int, symbols: list[str], selected: str) -> None:
        """Move to ``frame``: every shown book changed and the selected symbol printed."""
        self._frame = frame
        for listener in self._listeners:
            for symbol in symbols:
                listener.on_book_update(symbol)
            if self._prints[frame]:
                listener.on_trades(selected, self._prints[frame])

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        walk = self._books.get(symbol)
        return None if walk is None else walk[self._frame]

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        return None

    def trades_per_minute(self, symbol: str, minutes: int) -> list[int]:
        return [0] * minutes

    def health(self) -> list[StreamHealth]:
        return []

    def all_live(self) -> bool:
        return True

    def stream_name(self, symbol: str) -> str | None:
        return None

    def add_listener(self, listener: MarketEventListener) -> None:
        self._listeners.append(listener)


async def measure(frames: int, depth: int, prints: bool) -> tuple[float, float, int, int]:
    """CPU ms per frame, CPU us per ladder line changed, lines a frame and frames drawn."""
    from textual.screen import Screen

    from console.tui.app import ConsoleApp
    from console.tui.market_store import MarketStore
    from console.tui.widgets.ladder import OrderBookLadder

    walks = {
        symbol: book_walk(symbol, mid, tick, frames, depth, seed=n)
        for n, (symbol, mid, tick) in enumerate(zip(SYMBOLS, MIDS, TICKS, strict=True))
    }
    tape = tape_prints(SYMBOLS[0], MIDS[0], TICKS[0], frames, seed=99)
    stream = ScriptedStream(walks, tape if prints else [[] for _ in range(frames)])
    counts = {"lines": 0, "updates": 0}
    original_update = Screen._on_timer_update

    def on_timer_update(self: Screen[Any]) -> None:
        counts["updates"] += 1
        original_update(self)

    Screen._on_timer_update = on_timer_update  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(symbols=SYMBOLS, data_dir=Path(data))
            app = ConsoleApp(settings, connect=False)
            app.animation_level = "none"
            async with app.run_test(size=TERMINAL) as pilot:
                await pilot.pause()
                screen = app.main_screen
                screen.show_markets(
                    {s: market(s, tick) for s, tick in zip(SYMBOLS, TICKS, strict=True)}
                )
                app.market_store = MarketStore(stream)
                await pilot.pause(0.2)
                ladders: list[OrderBookLadder] = screen.ladders
                shown = [ladder.symbol for ladder in ladders]
                warm = frames // 10
                for n in range(frames):
                    if n == warm:
                        cpu0, lines0 = time.thread_time(), counts["lines"]
                        updates0 = counts["updates"]
                    before = [list(ladder._contents) for ladder in ladders]
                    stream.next_frame(n, shown, screen.selected_symbol)
                    app.paint()
                    counts["lines"] += sum(
                        new != old
                        for ladder, lines in zip(ladders, before, strict=True)
                        for new, old in zip(ladder._contents, lines, strict=False)
                    )
                    await asyncio.sleep(0.01)  # the screen's update timer draws the frame
                cpu = time.thread_time() - cpu0
                lines = counts["lines"] - lines0
                drawn = counts["updates"] - updates0
    finally:
        Screen._on_timer_update = original_update  # type: ignore[method-assign]
    return cpu / drawn * 1000, cpu / max(1, lines) * 1e6, lines // drawn, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--frames", type=int, default=400)
    parser.add_argument("--depth", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--no-prints", action="store_true", help="books only (no prints for the tape)"
    )
    args = parser.parse_args()
    print(f"machine pace {machine_pace():.3f} s (3M-step loop; lower is faster)")
    results = [
        asyncio.run(measure(args.frames, args.depth, not args.no_prints))
        for _ in range(args.repeat)
    ]
    per_frame = [r[0] for r in results]
    per_line = [r[1] for r in results]
    print(
        f"4 ladders {TERMINAL[0]}x{TERMINAL[1]}, depth {args.depth}, {args.frames} frames, "
        f"{'no prints' if args.no_prints else 'prints on the tape'}, "
        f"{results[0][2]} ladder lines changed a frame, {results[0][3]} frames measured"
    )
    print(
        f"  CPU per frame: best {min(per_frame):.2f} ms, median "
        f"{statistics.median(per_frame):.2f} ms (runs: {', '.join(f'{v:.2f}' for v in per_frame)})"
    )
    print(
        f"  CPU per ladder line changed: best {min(per_line):.0f} us, median "
        f"{statistics.median(per_line):.0f} us; at 25 frames/s the paint takes "
        f"{min(per_frame) * 25 / 10:.1f}% of a core, at 50 frames/s "
        f"{min(per_frame) * 50 / 10:.1f}%"
    )


if __name__ == "__main__":
    main()
