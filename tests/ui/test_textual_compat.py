"""Strips the compositor divides at their full width are freed by reference counting."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from rich.segment import Segment
from textual.strip import Strip

from console.tui.textual_compat import _textual_divide, apply_textual_fixes


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Only reference counting frees objects, so what is left over is cyclic garbage."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _cyclic_garbage_after_dividing_a_whole_strip() -> int:
    gc.collect()  # whatever the test machinery left since the fixture ran
    strip = Strip([Segment("bid "), Segment("100.5")])
    parts = strip.divide([strip.cell_length])
    assert parts == [strip]
    del strip, parts
    return gc.collect()


def test_textuals_own_divide_needs_the_fix(collector_off: None) -> None:
    """The premise: Textual leaves the divided strip referring to itself (if an upgrade
    stops doing so, ``apply_textual_fixes`` no longer installs anything)."""
    gc.collect()
    strip = Strip([Segment("ask "), Segment("100.6")])
    _textual_divide(strip, [strip.cell_length])
    del strip
    assert gc.collect() > 0


def test_a_divided_whole_strip_is_freed_without_the_cycle_collector(
    collector_off: None,
) -> None:
    apply_textual_fixes()
    apply_textual_fixes()  # idempotent: the app calls it once per instance
    assert _cyclic_garbage_after_dividing_a_whole_strip() == 0


def test_real_cuts_still_divide_the_strip() -> None:
    apply_textual_fixes()
    strip = Strip([Segment("price"), Segment(" size")])
    parts = strip.divide([3, 7, 10])
    assert [part.text for part in parts] == ["pri", "ce s", "ize"]
    assert [part.cell_length for part in parts] == [3, 4, 3]
    assert strip.divide([strip.cell_length]) == [strip]
