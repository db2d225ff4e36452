"""A partial screen update draws only the dirty rows (``render_dirty_chops`` in
``console/tui/textual_compat/partial_update.py``), yet must write exactly what Textual's own
partial update writes, for any set of dirty regions, on the console's real main screen as its
panels change; and its escape codes (``chops_escapes``) must be Textual's, byte for byte."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Static

from console.domain import DepthSnapshot, PriceLevel, Trade
from console.tui.textual_compat import (
    chops_are_keyed_by_cuts,
    chops_escapes,
    chops_update_moves_the_cursor_through_controls,
    draw_only_dirty_rows,
    layout_is_replaced_not_edited,
    layout_pieces,
    partial_update_draws_whole_widgets,
    render_dirty_chops,
    rendered_start,
)
from console.tui.textual_compat.partial_update import (
    _textual_partial_update,
    _textual_render_segments,
)
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.panel_boundary import PanelBoundary

from support.fixed_scene import NOW, book, console_app, fed, prints

SIZE = (300, 60)
"""Wide enough for four ladders, the tape and the gauges side by side."""


def textuals_update(compositor: Compositor, spans: list[tuple[int, int, int]]) -> ChopsUpdate:
    """What Textual's own partial update writes for these spans (its ``_render_chops``)."""
    crop = Region.from_union([Region(x1, y, x2 - x1, 1) for y, x1, x2 in spans])
    rendered = {y for y, _, _ in spans}.__contains__
    chops = compositor._render_chops(crop.intersection(compositor.size.region), rendered)
    return ChopsUpdate(chops, spans, [cuts[1:] for cuts in compositor.cuts])


def our_update(compositor: Compositor, spans: list[tuple[int, int, int]]) -> ChopsUpdate:
    chops = render_dirty_chops(compositor, spans)
    return ChopsUpdate(chops, spans, [cuts[1:] for cuts in compositor.cuts])


def random_regions(rng: random.Random, width: int, height: int) -> list[Region]:
    """A few dirty regions anywhere on the screen: single cells, lines, blocks, whole rows."""
    regions = []
    for _ in range(rng.randint(1, 6)):
        x, y = rng.randrange(width), rng.randrange(height)
        shape = rng.choice(("cell", "line", "block", "row"))
        if shape == "cell":
            regions.append(Region(x, y, 1, 1))
        elif shape == "line":
            regions.append(Region(x, y, rng.randint(1, width - x), 1))
        elif shape == "row":
            regions.append(Region(0, y, width, rng.randint(1, height - y)))
        else:
            regions.append(Region(x, y, rng.randint(1, width - x), rng.randint(1, height - y)))
    return regions


def moved(symbol: str, ticks: int, seed: int) -> DepthSnapshot:
    """The fixed book, its touch moved and a few sizes changed, so ladder lines differ."""
    rng = random.Random(seed)
    base = book(symbol)
    step = Decimal("0.1") * ticks
    resize = {rng.randrange(50) for _ in range(8)}
    return base.model_copy(
        update={
            "bids": tuple(
                PriceLevel(level.price + step, level.size + (1 if i in resize else 0))
                for i, level in enumerate(base.bids)
            ),
            "asks": tuple(
                PriceLevel(level.price + step, level.size + (2 if i in resize else 0))
                for i, level in enumerate(base.asks)
            ),
        }
    )


def new_print(n: int) -> Trade:
    template = prints("BTC/USDT:USDT")[n % 40]
    return template.model_copy(
        update={"trade_id": f"n{n}", "timestamp": NOW + timedelta(seconds=n)}
    )


def test_textual_still_draws_whole_widgets_in_a_partial_update(tmp_path: Path) -> None:
    """The day Textual draws only dirty rows itself, the workaround goes."""
    assert partial_update_draws_whole_widgets()
    assert chops_update_moves_the_cursor_through_controls()
    assert chops_are_keyed_by_cuts()
    assert layout_is_replaced_not_edited()
    console_app(tmp_path, "breakout-dark")  # the app installs them as it starts
    assert Compositor.render_partial_update is not _textual_partial_update
    assert ChopsUpdate.render_segments is chops_escapes


async def test_dirty_rows_alone_write_what_textual_writes(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=SIZE) as pilot:
        await fed(app)(pilot)
        screen = app.main_screen
        compositor = screen._compositor
        console = app.console
        app.notify("a notice over the panels", timeout=60)  # a layer in front of them
        rng = random.Random(16)
        for step in range(60):
            # change what the paint loop changes: books, prints, the clock; then compare
            for n, ladder in enumerate(screen.ladders):
                if rng.random() < 0.7:
                    screen.show_book(ladder.symbol, moved(ladder.symbol, step % 7 - 3, step + n))
            screen.show_trades(screen.selected_symbol, [new_print(step)])
            screen.show_clock(NOW + timedelta(seconds=step), float(step))
            await pilot.pause()
            for _ in range(5):
                regions = random_regions(rng, *SIZE)
                spans = list(compositor._regions_to_spans(regions))
                theirs = _textual_render_segments(textuals_update(compositor, spans), console)
                ours = our_update(compositor, spans).render_segments(console)
                assert ours == theirs, f"step {step}, spans {spans}"
                # the whole partial update as the screen runs it (its line ends included)
                compositor._dirty_regions.clear()
                compositor._dirty_regions.update(regions)
                update = compositor.render_partial_update()
                assert update is not None
                assert update.render_segments(console) == theirs, f"step {step}"


Cells = list[tuple[str, Style | None]]


def cells(strip: Strip) -> Cells:
    """One (character, style) per cell (the console draws one cell a character)."""
    return [(char, style) for text, style, _ in strip for char in text]


async def test_a_screen_updated_by_dirty_rows_equals_one_drawn_whole(tmp_path: Path) -> None:
    """What a terminal holds after many updates equals the screen drawn from scratch: a
    piece left out of an update would show stale content here."""
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=SIZE) as pilot:
        await fed(app)(pilot)
        screen = app.main_screen
        compositor = screen._compositor
        terminal = [cells(line) for line in compositor.render_strips()]
        partial = 0
        original = Compositor.render_update

        def written(self: Compositor, *args: Any, **kwargs: Any) -> Any:
            nonlocal partial
            update = original(self, *args, **kwargs)
            if self is not compositor or update is None:
                return update
            if isinstance(update, ChopsUpdate):
                partial += 1
                for y, x1, x2 in update.spans:
                    for x, strip in update.chops[y].items():
                        end = x + (strip.cell_length if strip is not None else 0)
                        if strip is not None and x < x2 and end > x1:
                            start, stop = max(x, x1), min(end, x2)
                            terminal[y][start:stop] = cells(strip.crop(start - x, stop - x))
            else:
                terminal[:] = [cells(line) for line in compositor.render_strips()]
            return update

        Compositor.render_update = written  # type: ignore[method-assign]
        try:
            for step in range(30):
                for n, ladder in enumerate(screen.ladders):
                    screen.show_book(ladder.symbol, moved(ladder.symbol, step % 5 - 2, step + n))
                screen.show_trades(screen.selected_symbol, [new_print(step)])
                screen.show_clock(NOW + timedelta(seconds=step), float(step))
                await pilot.pause()
        finally:
            Compositor.render_update = original  # type: ignore[method-assign]
        assert partial >= 10, "the books were drawn through partial updates"
        whole = [cells(line) for line in compositor.render_strips()]
        for y, (held, drawn) in enumerate(zip(terminal, whole, strict=True)):
            assert held == drawn, f"row {y} differs"


async def test_a_failed_panel_shows_its_error_on_its_first_line_for_any_crop(
    tmp_path: Path,
) -> None:
    """The screen may ask a panel for any of its rows: the error line stays the first."""
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=SIZE) as pilot:
        await fed(app)(pilot)
        ladder = app.main_screen.ladders[0]
        assert isinstance(ladder, OrderBookLadder)
        assert isinstance(ladder, PanelBoundary)
        with ladder.contained():
            raise RuntimeError("broken on purpose")
        whole = [line.text for line in ladder.render_lines(ladder.outer_size.region)]
        assert whole[0].startswith("⚠")
        width = ladder.outer_size.width
        assert [line.text for line in ladder.render_lines(Region(0, 3, width, 4))] == whole[3:7]
        part = ladder.render_lines(Region(2, 0, 10, 2))
        assert [line.text for line in part] == [whole[0][2:12], whole[1][2:12]]


class Sparse(Static):
    """A widget that draws less than asked, as one may: only its first ``drawn`` rows, and
    its odd rows a cell short. What it leaves undrawn, the widgets behind it show."""

    DEFAULT_CSS = "Sparse { layer: above; width: 23; height: 9; background: red; }"

    drawn = 6

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)[: max(0, self.drawn - crop.y)]
        return [
            line.crop(0, line.cell_length - 1) if (crop.y + n) % 2 else line
            for n, line in enumerate(lines)
        ]


class Overlapping(App[None]):
    """Three columns under two layers of widgets that overlap them and each other, one of
    them drawing less than asked."""

    CSS = """
    Screen { layers: below above top; }
    Horizontal Static { width: 1fr; height: 100%; }
    #front { layer: top; width: 17; height: 5; offset: 30 6; background: blue; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            for n in range(3):
                yield Static(f"column {n} " * 90, id=f"column{n}")
        yield Sparse("sparse lines " * 20, id="sparse")
        yield Static("in front " * 12, id="front")


async def test_widgets_drawing_less_than_asked_and_moving_write_what_textual_writes() -> None:
    """Pieces go to the widget in front of them, worked out once per layout: where that
    widget draws fewer lines or cells than asked, the widgets behind show through as in
    Textual; a moved widget or a resized screen is a new layout, and a layout whose cuts
    are not its widgets' edges (``full_map`` renews the widgets, not the cuts) is drawn by
    walking the widgets, as Textual does."""
    draw_only_dirty_rows()
    app = Overlapping()
    size = (90, 24)
    async with app.run_test(size=size) as pilot:
        compositor = app.screen._compositor
        console = app.console
        sparse = app.query_one(Sparse)
        rng = random.Random(9)
        layouts: list[object] = []  # held, so each has its own id
        stale = False
        for step in range(40):
            if step % 4 == 0:
                sparse.styles.offset = (rng.randrange(-5, size[0] - 10), rng.randrange(-3, size[1]))
                app.query_one("#front").styles.offset = (rng.randrange(60), rng.randrange(20))
                if step == 20:
                    size = (71, 19)
                    await pilot.resize_terminal(*size)
                await pilot.pause()
            pieces = layout_pieces(compositor)
            if step % 4 == 3:  # the cuts of another layout: no widget's edges
                compositor._cuts = [[0, 13, 40, size[0]] for _ in range(size[1])]
                pieces = layout_pieces(compositor)
                assert not pieces.regular
                stale = True
            else:
                assert pieces.regular
                if all(pieces is not seen for seen in layouts):
                    layouts.append(pieces)
            regions = random_regions(rng, *size)
            regions.append(sparse.region.intersection(compositor.size.region) or Region(0, 0, 1, 1))
            spans = list(compositor._regions_to_spans(regions))
            theirs = _textual_render_segments(textuals_update(compositor, spans), console)
            assert our_update(compositor, spans).render_segments(console) == theirs, step
            compositor._dirty_regions.clear()
            compositor._dirty_regions.update(regions)
            update = compositor.render_partial_update()
            assert update is not None
            assert update.render_segments(console) == theirs, f"step {step}"
            compositor._cuts = None
        assert len(layouts) >= 8, "each move or resize made a new layout"
        assert stale


STYLES = (None, Style(bold=True), Style(color="red", bgcolor="#102030"), Style(link="https://x.y"))


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.text("ab │▶ 中文\u200b", max_size=5), st.sampled_from(STYLES)), max_size=8
    ),
    cells=st.integers(1, 40),
    stated=st.integers(0, 3),
    color_system=st.sampled_from(("truecolor", "256", "standard")),
)
def test_a_piece_cut_short_renders_as_its_crop(
    parts: list[tuple[str, Style | None]], cells: int, stated: int, color_system: str
) -> None:
    """A span ending inside a piece writes its start: the same text as the cropped strip's,
    wide characters split, empty segments and links included, whatever the strip says its
    length is."""
    segments = [Segment(text, style) for text, style in parts]
    strip = Strip(segments, sum(segment.cell_length for segment in segments) + stated - 1)
    if not 0 < cells < strip.cell_length:
        return
    console = Console(color_system=color_system, force_terminal=True)  # type: ignore[arg-type]
    system = console._color_system or ColorSystem.TRUECOLOR
    assert rendered_start(strip, cells, system) == strip.crop(0, cells).render(console)
