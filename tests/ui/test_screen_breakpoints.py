"""The main screen starts with its width's class (``-narrow``, ``-medium``, ``-wide``), so
the first Resize finds nothing to change and the screen's widgets are not styled a second
time before the first frame (about 0.03 s of CPU at start, bench/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.dom import DOMNode

from console.tui.panels import WIDTH_BREAKPOINTS
from console.tui.screens.main import MainScreen

from support.fixed_scene import console_app


@pytest.mark.parametrize(("width", "expected"), [(80, "-narrow"), (120, "-medium"), (200, "-wide")])
async def test_the_screen_starts_with_its_width_class_and_is_restyled_only_on_resume(
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
        assert restyled == ["MainScreen"]  # its ScreenResume; none for its width

        await pilot.resize_terminal(60 if width > 80 else 200, 40)
        await pilot.pause()
        assert expected not in app.main_screen.classes
