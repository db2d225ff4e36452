"""A framed line is a :class:`FramedStrip` (Strip with its caches built on first use): it
must have every cache a Strip has, at the same size, and draw, cut and restyle as a Strip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip

from console.tui.textual_compat import FramedStrip

STYLES = [None, Style(bold=True), Style(color="red", bgcolor="blue"), Style(reverse=True)]


def test_a_framed_strip_builds_every_cache_a_strip_has_at_its_size() -> None:
    plain, framed = Strip([Segment("ab")], 2), FramedStrip([Segment("ab")], 2)
    for name in Strip.__slots__:
        mine, theirs = getattr(framed, name), getattr(plain, name)
        assert type(mine) is type(theirs), name
        if isinstance(theirs, FIFOCache):
            assert mine._maxsize == theirs._maxsize, name
            assert getattr(framed, name) is mine, f"{name} is built once"
        else:
            assert mine == theirs, name


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.text("ab ▶◆│", min_size=1, max_size=5), st.sampled_from(STYLES)),
        min_size=1,
        max_size=8,
    ),
    cuts=st.lists(st.integers(0, 40), max_size=4),
    style=st.sampled_from(STYLES[1:]),
)
def test_a_framed_strip_draws_cuts_and_restyles_as_a_strip(
    parts: list[tuple[str, Style | None]], cuts: list[int], style: Style
) -> None:
    segments = [Segment(text, part_style) for text, part_style in parts]
    width = sum(len(text) for text, _ in parts)
    plain, framed = Strip(segments, width), FramedStrip(list(segments), width)
    for _ in range(2):  # the second time from the caches
        assert list(framed) == list(plain)
        assert framed.cell_length == plain.cell_length
        console = Console(color_system="truecolor")
        assert framed.render(console) == plain.render(console)
        start, end = sorted([*cuts, 0, 0][:2])
        assert list(framed.crop(start, end)) == list(plain.crop(start, end))
        cut = sorted({c for c in cuts if 0 < c < width})
        assert [list(s) for s in framed.divide([*cut, width])] == [
            list(s) for s in plain.divide([*cut, width])
        ]
        assert list(framed.apply_style(style)) == list(plain.apply_style(style))
        assert list(framed.crop_extend(1, width + 3, style)) == list(
            plain.crop_extend(1, width + 3, style)
        )
        assert list(framed.extend_cell_length(width + 2, style)) == list(
            plain.extend_cell_length(width + 2, style)
        )
