"""Nothing outside ``console/tui/`` imports Textual (DESIGN.md: the core is headless).

The import test in ``tests/unit/test_layers.py`` proves the packages *load* without
Textual; this one reads every source file, so a lazy import inside a function is caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import console

SOURCE_ROOT = Path(console.__file__).parent
TUI_ROOT = SOURCE_ROOT / "tui"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _imports_textual(path: Path) -> bool:
    return any(name.split(".")[0] == "textual" for name in _imported_modules(path))


def test_no_module_outside_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(SOURCE_ROOT))
        for path in sorted(SOURCE_ROOT.rglob("*.py"))
        if TUI_ROOT not in path.parents and _imports_textual(path)
    ]
    assert offenders == []


def test_the_scan_sees_textual_imports_where_they_are() -> None:
    """The check above would pass vacuously if the scan found nothing at all."""
    assert _imports_textual(TUI_ROOT / "app.py")
    assert _imports_textual(TUI_ROOT / "widgets" / "ladder.py")


def test_the_first_frame_does_not_wait_for_ccxt() -> None:
    """``import ccxt`` costs about 0.7 s; the app imports it in a worker after the first frame.
    A widget that drags the exchange layer into ``console.tui.app`` would undo that."""
    code = (
        "import sys, console.tui.app; "
        "heavy = {'ccxt', 'aiohttp', 'console.services'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
