"""Four Line-API ladders side by side, or one widget drawing the four joined: Textual's cost.

The lead (issue 16) was that the side-by-side ladders drawn by one Line-API widget would cut
Textual's per-line share of a frame: the compositor handles one strip per screen row instead
of four. This measures exactly that part, with the drawing of the lines left out: the same
framed lines (seeded: each frame about 78 % of the ladder lines change, as in
``ladder_paint.py``) go to the screen through Textual's real compositor and the console's
partial update (``render_dirty_chops``, ``draw_now``), either as four widgets of one ladder
each, or as one widget whose row is the four ladders' lines joined (the join is counted).
Per frame it prints the CPU of the update (refresh + compositor + chops) and of the escape
output a terminal would get (``ChopsUpdate.render_segments``; headless Textual skips it).

Run: ``python bench/ladder_widgets.py [--frames 300] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from ui_startup import machine_pace

from console.tui.textual_compat import FramedStrip, apply_textual_compat, draw_now, row_runs

TERMINAL = (300, 60)
LADDERS = 4
ROWS = 30
"""Lines of each ladder the frames change (its content rows)."""
CHANGE = 85 / 110
"""Share of a ladder's lines that change a frame (``ladder_paint.py``: 85 of ~110)."""


class Lines(Widget):
    """A Line-API widget showing the strips it is handed (already framed, full width)."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.styles.width = width
        self.styles.height = ROWS
        self.lines: list[Strip] = [Strip.blank(width)] * ROWS

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = self.lines[crop.y : crop.bottom]
        if crop.x or crop.width != self.size.width:
            lines = [line.crop(crop.x, crop.right) for line in lines]
        return lines


class Ladders(App[None]):
    CSS = "#row { height: 30; } Screen { layout: vertical; overflow: hidden; }"

    def __init__(self, widgets: int) -> None:
        super().__init__()
        self.count = widgets

    def compose(self) -> ComposeResult:
        width = TERMINAL[0] // self.count
        with Horizontal(id="row"):
            for _ in range(self.count):
                yield Lines(width)
        yield Widget()  # the rest of the screen


def ladder_lines(frames: int, width: int, seed: int) -> list[list[Strip | None]]:
    """Per frame, each row's new framed line (None: unchanged): border cells, the marker,
    the price, the sizes, the depth bar and the rest of it, as the ladder's rows."""
    rng = random.Random(seed)
    border = Style(color="#444444", bgcolor="#101010")
    base, bid, bar = (
        Style(bgcolor="#101010"),
        Style(color="green", bold=True),
        Style(bgcolor="#103010"),
    )
    bar_width = width - 2 - 40
    frames_lines: list[list[Strip | None]] = []
    for frame in range(frames):
        lines: list[Strip | None] = []
        for _ in range(ROWS):
            if frame and rng.random() > CHANGE:
                lines.append(None)
                continue
            filled = rng.randint(0, bar_width)
            price = f"{rng.randint(1, 70000):>13,}"
            sizes = f"{rng.randint(1, 5000) / 1000:>11.3f}{rng.randint(1, 90000) / 1000:>12.3f}  "
            lines.append(
                FramedStrip(
                    [
                        Segment("│", border),
                        Segment("  ", base),
                        Segment(price, bid),
                        Segment(sizes, base),
                        Segment(" " * filled, bar),
                        Segment(" " * (bar_width - filled), base),
                        Segment("│", border),
                    ],
                    width,
                )
            )
        frames_lines.append(lines)
    return frames_lines


async def measure(widgets: int, frames: int) -> tuple[float, float, int]:
    """CPU ms per frame of Textual's update and of the escape output, and chops a frame."""
    apply_textual_compat()
    width = TERMINAL[0] // LADDERS
    script = [ladder_lines(frames, width, seed=n) for n in range(LADDERS)]
    updates: list[ChopsUpdate] = []
    original = Compositor.render_update

    def render_update(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        update = original(self, *args, **kwargs)
        if isinstance(update, ChopsUpdate):
            updates.append(update)
        return update

    Compositor.render_update = render_update  # type: ignore[method-assign]
    app = Ladders(widgets)
    update_cpu = escape_cpu = 0.0
    chops = 0
    try:
        async with app.run_test(size=TERMINAL) as pilot:
            await pilot.pause()
            shown = list(app.query(Lines))
            current = [[Strip.blank(width)] * ROWS for _ in range(LADDERS)]
            warm = frames // 10
            for frame in range(frames):
                new = [script[n][frame] for n in range(LADDERS)]
                updates.clear()
                started = time.thread_time()
                if widgets == LADDERS:
                    for widget, lines, ladder in zip(shown, new, current, strict=True):
                        changed = [y for y, line in enumerate(lines) if line is not None]
                        for y in changed:
                            ladder[y] = widget.lines[y] = lines[y]  # type: ignore[assignment]
                        widget.refresh(*(Region(0, y, width, n) for y, n in row_runs(changed)))
                else:
                    (widget,) = shown
                    changed = []
                    for y in range(ROWS):
                        if any(lines[y] is not None for lines in new):
                            changed.append(y)
                            for ladder, lines in zip(current, new, strict=True):
                                line = lines[y]
                                if line is not None:
                                    ladder[y] = line
                            widget.lines[y] = FramedStrip(
                                [s for ladder in current for s in ladder[y]._segments],
                                width * LADDERS,
                            )
                    widget.refresh(
                        *(Region(0, y, width * LADDERS, n) for y, n in row_runs(changed))
                    )
                draw_now(app.screen, shown)
                drawn = time.thread_time()
                for update in updates:
                    update.render_segments(app.console)
                    if frame >= warm:
                        chops += sum(1 for line in update.chops for strip in line.values() if strip)
                if frame >= warm:
                    update_cpu += drawn - started
                    escape_cpu += time.thread_time() - drawn
                await asyncio.sleep(0)
    finally:
        Compositor.render_update = original  # type: ignore[method-assign]
    measured = frames - frames // 10
    return update_cpu / measured * 1000, escape_cpu / measured * 1000, chops // measured


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine pace {machine_pace():.3f} s (3M-step loop; lower is faster)")
    results: dict[int, list[tuple[float, float, int]]] = {LADDERS: [], 1: []}
    for _ in range(args.repeat):
        for widgets in (LADDERS, 1):  # alternating
            results[widgets].append(asyncio.run(measure(widgets, args.frames)))
    print(
        f"{LADDERS} ladders of {ROWS} rows, {TERMINAL[0]}x{TERMINAL[1]}, {args.frames} frames, "
        f"~{CHANGE:.0%} of the lines change a frame"
    )
    for widgets, runs in results.items():
        update = [r[0] for r in runs]
        escape = [r[1] for r in runs]
        print(
            f"  {widgets} widget{'s' if widgets > 1 else ''}: Textual update best "
            f"{min(update):.2f} ms (median {statistics.median(update):.2f}), escape output "
            f"best {min(escape):.2f} ms (median {statistics.median(escape):.2f}), "
            f"{runs[0][2]} chops a frame"
        )


if __name__ == "__main__":
    main()
