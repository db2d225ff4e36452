"""Textual's internals are touched only in ``console/tui/textual_compat`` (issue 16): there
each use has a note of the version it targets and a test that fails when it goes. This test
finds the ones that would slip in elsewhere: an import from a private Textual module, and a
class of ours (a Textual widget, screen or app) that reads, sets or overrides a private name
its Textual bases define."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from textual.widgets import Footer

ROOT = Path(__file__).resolve().parents[2]
TUI = ROOT / "console" / "tui"
COMPAT = TUI / "textual_compat"
TEXTUAL_PACKAGES = ("textual",)


def _modules() -> Iterator[tuple[Path, str]]:
    for path in sorted(TUI.rglob("*.py")):
        if COMPAT in path.parents:
            continue
        yield path, ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _is_textual(module: str) -> bool:
    return module.split(".")[0] in TEXTUAL_PACKAGES


@cache
def _private_names(base: type) -> frozenset[str]:
    """Private names a Textual class defines: its attributes and what it sets on ``self``."""
    names = {name for name in vars(base) if name.startswith("_") and not name.startswith("__")}
    try:
        source = inspect.getsource(base)
    except (OSError, TypeError):
        source = ""
    names |= set(re.findall(r"self\.(_[A-Za-z]\w*)\s*[:=]", source))
    return frozenset(names)


def _textual_private_names(cls: type) -> frozenset[str]:
    found: set[str] = set()
    for base in cls.__mro__[1:]:
        if _is_textual(base.__module__):
            found |= _private_names(base)
    return frozenset(found)


def _private_module_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if _is_textual(name) and any(part.startswith("_") for part in parts):
                found.append(f"line {node.lineno}: imports {name}")
    return found


def _private_uses(tree: ast.Module, module: object) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        cls = getattr(module, node.name, None)
        if not isinstance(cls, type):
            continue
        private = _textual_private_names(cls)
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and inner.attr in private:
                found.append(f"line {inner.lineno}: {node.name} uses {ast.unparse(inner)}")
            elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef) and (
                inner.name in private
            ):
                found.append(f"line {inner.lineno}: {node.name} overrides {inner.name}")
    return found


def test_only_textual_compat_touches_textuals_internals() -> None:
    found = []
    for path, name in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        uses = _private_module_imports(tree)
        if path.name != "__main__.py":
            uses += _private_uses(tree, importlib.import_module(name))
        found += [f"{path.relative_to(ROOT)} {use}" for use in uses]
    assert found == [], "move these to console/tui/textual_compat:\n" + "\n".join(found)


def test_the_check_finds_a_private_use() -> None:
    """The check itself: it sees an override, a read and a private module."""
    source = (
        "from textual.widgets._footer import FooterKey\n"
        "class Shy(Footer):\n"
        "    def _on_mount(self, event):\n"
        "        self._bindings_ready = True\n"
    )
    tree = ast.parse(source)
    namespace = {"Shy": type("Shy", (Footer,), {})}
    assert _private_module_imports(tree) == ["line 1: imports textual.widgets._footer"]
    module = type("module", (), namespace)
    assert _private_uses(tree, module) == [
        "line 3: Shy overrides _on_mount",
        "line 4: Shy uses self._bindings_ready",
    ]
