"""What one candle chart redraw costs: this tree's drawing against a baseline revision's.

A redraw is what the chart does for every live redraw (every ``LIVE_REDRAW_INTERVAL``
seconds while prints arrive) and for each new history, resize or theme: here 240 seeded
one-minute bars of a BTC-like walk (tick 0.1), drawn at 208x14 cells (the chart in the
300x60 terminal of ``ui_latency.py``) and at 44x6 (the smallest layout that shows the chart:
80x34; at 80x24 the layout hides it).

- This tree: :func:`~console.tui.widgets.candle_drawing.draw_candles`, the lines themselves.
- The baseline (plotext, up to 59dc5b9): the chart's plotext build (``_build``: the figure,
  its ANSI text, Rich parsing it back) and turning that text into the widget's lines
  (``draw_lines``, as its worker thread did), measured in the chart's own app. Needs
  ``textual-plotext`` installed; without it the baseline is "not available".

Milliseconds of CPU per redraw, best of ``--rounds`` fresh processes per variant, alternating;
the baseline is extracted with ``git archive``.

    python bench/candle_chart.py [--rounds 3] [--baseline 59dc5b9]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from alert_overhead import per_call
from paper_matching import extract, machine_pace

from console.domain import Candle, Market, MarketType

SIZES = ((208, 14), (44, 6))
SYMBOL = "BTC/USDT"


def candles(count: int = 240, seed: int = 7) -> list[Candle]:
    """A seeded walk of one-minute bars around 60,000 in ticks of 0.1."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    price = 600_000
    bars = []
    for minute in range(count):
        opened = price
        closed = opened + rng.randint(-60, 60)
        low = min(opened, closed) - rng.randint(0, 30)
        high = max(opened, closed) + rng.randint(0, 30)
        bars.append(
            Candle(
                timestamp=start + timedelta(minutes=minute),
                open=Decimal(opened) / 10,
                high=Decimal(high) / 10,
                low=Decimal(low) / 10,
                close=Decimal(closed) / 10,
                volume=Decimal(1),
            )
        )
        price = closed
    return bars


def market() -> Market:
    return Market(
        symbol=SYMBOL,
        venue_id="BTCUSDT",
        type=MarketType.SPOT,
        base="BTC",
        quote="USDT",
        tick_size=Decimal("0.1"),
        qty_step=Decimal("0.001"),
    )


def cpu_ms(work: Callable[[], object], repeats: int) -> float:
    """CPU milliseconds per call of ``work``, best of three batches."""
    return per_call(work, repeats, clock=time.process_time) * 1000


def new_costs() -> dict[str, Any]:
    """``draw_candles`` per size."""
    from rich.style import Style

    from console.tui.widgets.candle_drawing import ChartStyles, draw_candles

    bars, traded = candles(), market()
    base = Style(color="#e0e0e0", bgcolor="#121212")
    styles = ChartStyles(
        base=base,
        up=base + Style(color="#22c55e"),
        down=base + Style(color="#ef4444"),
        axis=base + Style(color="#8d8d8d"),
        label=base,
    )
    costs = {}
    for width, height in SIZES:
        draw = partial(
            draw_candles,
            bars,
            width,
            height,
            bar_length=timedelta(minutes=1),
            market=traded,
            styles=styles,
        )
        costs[f"{width}x{height}"] = {"lines": cpu_ms(draw, 100)}
    return {"variant": "candle_drawing", "costs": costs}


async def old_costs() -> dict[str, Any]:
    """The plotext build and its lines per size, in the old chart's own app (its theme and
    line setting come from the widget, as the worker's did)."""
    from textual.app import App, ComposeResult
    from textual_plotext.plot import Plot

    from console.tui.textual_compat import draw_lines, line_setting  # type: ignore[attr-defined]
    from console.tui.widgets import candles as chart_module

    chart_class: Any = chart_module.CandleChart
    bars = candles()
    costs = {}
    for width, height in SIZES:

        class Host(App[None]):
            def compose(self) -> ComposeResult:
                yield chart_class()

        app = Host()
        async with app.run_test(size=(width + 2, height + 2)) as pilot:
            chart = app.query_one(chart_class)
            chart.markets = {SYMBOL: market()}
            chart.set_candles(SYMBOL, "1m", bars)
            await pilot.pause()
            assert tuple(chart.size) == (width, height), chart.size
            drawing, setting, plot = chart._drawing(), line_setting(chart), Plot()
            build = getattr(chart_module, "_build")  # noqa: B009 - the baseline's private step
            text = build(plot, drawing)
            costs[f"{width}x{height}"] = {
                "build": cpu_ms(partial(build, plot, drawing), 5),
                "lines": cpu_ms(partial(draw_lines, setting, text), 10),
            }
    return {"variant": "plotext", "costs": costs}


def child() -> None:
    if importlib.util.find_spec("console.tui.widgets.candle_drawing") is not None:
        result = new_costs()
    elif importlib.util.find_spec("textual_plotext") is None:
        result = {"variant": "baseline not available (textual-plotext is not installed)"}
    else:
        result = asyncio.run(old_costs())
    print("JSON " + json.dumps(result))


def run_child(source: Path) -> dict[str, Any]:
    # bench/ comes first on sys.path, then PYTHONPATH: ``console`` is imported from
    # ``source``, ahead of the editable install.
    env = dict(os.environ, PYTHONPATH=str(source))
    done = subprocess.run(
        [sys.executable, __file__, "--child"],
        check=False,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"the chart bench failed under {source}:\n{done.stderr}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("JSON "))
    result: dict[str, Any] = json.loads(line.removeprefix("JSON "))
    return result


def best(results: list[dict[str, Any]], size: str, part: str) -> float:
    return min(result["costs"][size].get(part, 0.0) for result in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each variant (best)")
    parser.add_argument("--baseline", default="59dc5b9", help="git revision to compare with")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child()
        return
    print(f"machine pace: a 3M-step Python loop takes {machine_pace():.3f} s of CPU (ref 0.10)")
    print(f"baseline {args.baseline}, best of {args.rounds} alternating fresh runs, 240 bars")
    here = Path(__file__).resolve().parents[1]
    old: list[dict[str, Any]] = []
    new: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        baseline = extract(args.baseline, Path(folder))
        for _ in range(args.rounds):
            old.append(run_child(baseline))
            new.append(run_child(here))
    available = all("costs" in result for result in old)
    if not available:
        print(old[0]["variant"])
    print(
        f"{'chart cells':<12}{'plotext build':>15}{'its lines':>11}{'baseline':>10}"
        f"{'new':>9}{'base/new':>10}   (ms of CPU per redraw)"
    )
    for width, height in SIZES:
        size = f"{width}x{height}"
        drawn = best(new, size, "lines")
        if available:
            build, lines = best(old, size, "build"), best(old, size, "lines")
            print(
                f"{size:<12}{build:>15.2f}{lines:>11.2f}{build + lines:>10.2f}"
                f"{drawn:>9.2f}{(build + lines) / drawn:>9.0f}x"
            )
        else:
            print(f"{size:<12}{'-':>15}{'-':>11}{'-':>10}{drawn:>9.2f}{'-':>10}")


if __name__ == "__main__":
    main()
