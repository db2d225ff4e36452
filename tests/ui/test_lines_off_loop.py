"""Textual workaround 16 (:class:`~console.tui.textual_compat.LinesDrawnOffLoop`): lines drawn
off the event loop from a widget's setting are the lines Textual draws for it.

The oracle is Textual's own drawing of the same ``render`` result in the same widget
(seeded random styled texts, links, every text and content alignment, wrapping and overflow,
sizes smaller and larger than the text); the candle chart's own check is in
``test_widgets_candles.py``.
"""

from __future__ import annotations

import random

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from console.tui.textual_compat import LinesDrawnOffLoop, draw_lines, line_setting

COLOURS = ("red", "green", "#ffcc00", "rgb(10,20,200)", "default")
WORDS = ("bid", "ask", "101.5", "┤", "│", "─┼─", "BTC/USDT", "  ", "fill ✓")


class _Shown(LinesDrawnOffLoop, Widget):
    """A widget drawing a Rich text, counting Textual's calls of ``render``."""

    def __init__(self, text: Text, **options: str) -> None:
        super().__init__(id="shown")
        self.text = text
        self.renders = 0
        self.set_styles(" ".join(f"{name}: {value};" for name, value in options.items()))

    def render(self) -> Text:
        self.renders += 1
        return self.text


class _Host(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def _random_text(rng: random.Random) -> Text:
    text = Text()
    for line in range(rng.randint(1, 14)):
        if line:
            text.append("\n")
        for _ in range(rng.randint(0, 9)):
            style = Style(
                color=rng.choice(COLOURS),
                bgcolor=rng.choice(COLOURS),
                bold=rng.random() < 0.3,
                link="https://example.test/" if rng.random() < 0.1 else None,
            )
            if rng.random() < 0.1:
                style += Style.from_meta({"@click": "app.bell()"})
            text.append(rng.choice(WORDS) + " ", style=style if rng.random() < 0.8 else "")
    return text


def _options(rng: random.Random) -> dict[str, str]:
    options = {
        "width": str(rng.randint(4, 60)),
        "height": str(rng.randint(1, 16)),
        "text-align": rng.choice(("left", "center", "right", "justify")),
        "text-wrap": rng.choice(("wrap", "nowrap")),
        "text-overflow": rng.choice(("fold", "ellipsis", "clip")),
        "content-align": rng.choice(("left top", "center middle", "right bottom")),
    }
    if rng.random() < 0.5:
        options["padding"] = "0 1"
    if rng.random() < 0.5:
        options["border"] = "round red"
    if rng.random() < 0.5:
        options["background"] = "blue 50%"
    return options


def drawn_lines(widget: Widget) -> list[list[object]]:
    """Every line of ``widget`` as the screen would get it."""
    width, height = widget.region.size
    return [list(strip) for strip in widget.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize("seed", range(4))
async def test_lines_drawn_off_the_loop_are_textuals(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(12):
        text = _random_text(rng)
        widget = _Shown(text, **_options(rng))
        async with _Host(widget).run_test(size=(70, 20)) as pilot:
            await pilot.pause()
            widget.refresh()
            textuals = drawn_lines(widget)
            setting = line_setting(widget)
            assert setting is not None
            widget.use_lines(setting, draw_lines(setting, text))
            renders = widget.renders
            ours = drawn_lines(widget)
            assert widget.renders == renders, "the lines handed over were drawn"
            assert ours == textuals


async def test_a_widget_whose_setting_changed_draws_its_render_again() -> None:
    """Lines drawn for another width (or style) are not shown: Textual draws ``render``."""
    text = Text("a line long enough to wrap at a narrower width", style="bold")
    widget = _Shown(text, width="30", height="4")
    async with _Host(widget).run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        setting = line_setting(widget)
        assert setting is not None
        widget.use_lines(setting, draw_lines(setting, text))
        widget.styles.width = 20
        await pilot.pause()
        renders = widget.renders
        widget.refresh()
        drawn = drawn_lines(widget)
        assert widget.renders > renders
        widget.drop_lines()
        widget.refresh()
        assert drawn_lines(widget) == drawn
