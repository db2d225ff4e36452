"""The main screen's widgets are styled once before the first frame, as they mount: the
screen starts with its width's class (``-narrow``, ``-medium``, ``-wide``), so the first
Resize finds nothing to change, and its first resume skips Textual's restyle of every
widget (each about 0.03 s of CPU at start, bench/RESULTS.md). A full restyle afterwards
changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.dom import DOMNode

from console.tui.panels import WIDTH_BREAKPOINTS
from console.tui.screens.main import MainScreen

from support.fixed_scene import console_app


@pytest.mark.parametrize(("width", "expected"), [(80, "-narrow"), (120, "-medium"), (200, "-wide")])
async def test_the_screen_starts_with_its_width_class_and_is_not_restyled_whole(
    tmp_path: Path, width: int, expected: str
) -> None:
    app = console_app(tmp_path, "breakout-dark")
    restyled: list[str] = []
    update_styles = app.update_styles

    def record(node: DOMNode, animate: bool = True) -> Any:
        if isinstance(node, MainScreen):
            restyled.append(type(node).__name__)
        return update_styles(node, animate)

    app.update_styles = record  # type: ignore[method-assign]
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        classes = {name for _, name in WIDTH_BREAKPOINTS} & set(app.main_screen.classes)
        assert classes == {expected}
        assert restyled == []  # neither for its width nor for its first resume

        await pilot.resize_terminal(60 if width > 80 else 200, 40)
        await pilot.pause()
        assert expected not in app.main_screen.classes


def _styles(screen: MainScreen) -> dict[int, tuple[object, ...]]:
    """Every node's CSS rules, its component classes' too."""
    found: dict[int, tuple[object, ...]] = {}
    for node in [screen, *screen.walk_children(with_self=False)]:
        parts = [sorted(node.styles.get_rules().items(), key=str)]
        for name in sorted(type(node).COMPONENT_CLASSES):
            parts.append(sorted(node.get_component_styles(name).get_rules().items(), key=str))
        found[id(node)] = (type(node).__name__, node.id, repr(parts))
    return found


@pytest.mark.parametrize("width", [80, 200])
async def test_the_first_screen_is_styled_as_a_full_restyle_would_style_it(
    tmp_path: Path, width: int
) -> None:
    """The first resume's restyle is skipped (textual_compat.StyledOnceScreen): every widget
    must already have the styles that restyle would give it."""
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        screen = app.main_screen
        before = _styles(screen)

        screen.update_node_styles(animate=False)
        await pilot.pause()

        assert _styles(screen) == before
