"""The import contract of DESIGN.md: the layer rules, a headless core, and no import cycle.

The module graph is read from the sources with ``ast``, so it holds every import, including
those under ``if TYPE_CHECKING:`` and those inside functions: an import that only a type
checker or a late call follows still ties two modules together for a reader, and a cycle
hidden that way is still a cycle. The subprocess tests then check what really loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"

HEADLESS_PACKAGES = [
    "console.domain",
    "console.config",
    "console.exchange",
    "console.sim",
    "console.stream",
    "console.paper",
    "console.replay",
    "console.replay.server",
]

_SERVICES = frozenset(
    {
        "console.domain",
        "console.config",
        "console.storage",
        "console.exchange",
        "console.paper",
        "console.stream",
    }
)
"""The layers the composition root starts and the interface talks to."""

LAYERS: dict[str, frozenset[str]] = {
    "console.domain": frozenset(),
    "console.storage": frozenset(),
    "console.ccxt_loader": frozenset(),
    "console.storage_migrations": frozenset({"console.storage"}),
    "console.collector_pause": frozenset(),
    "console.config": frozenset({"console.domain"}),
    "console.config_file": frozenset({"console.domain", "console.config"}),
    "console.logs": frozenset({"console.config", "console.storage"}),
    "console.exchange": frozenset(
        {"console.domain", "console.config", "console.storage", "console.storage_migrations"}
    ),
    "console.paper": frozenset({"console.domain", "console.storage", "console.storage_migrations"}),
    "console.stream": frozenset({"console.domain", "console.config"}),
    "console.sim": frozenset({"console.domain"}),
    "console.replay": frozenset(
        {"console.domain", "console.config", "console.storage", "console.stream", "console.sim"}
    ),
    "console.services": _SERVICES | {"console.sim", "console.replay"},
    "console.tui": _SERVICES | {"console.services", "console.collector_pause"},
}
"""Which of our layers each layer may import (DESIGN.md, "Layers and their rules"). The
entry points (``console.launch``, ``console.cli``, ``console.commands``,
``console.__main__``) wire the layers together and may import any of them; everything else
must be listed here."""

ENTRY_POINTS = frozenset(
    {"console", "console.__main__", "console.launch", "console.cli", "console.commands"}
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(CONSOLE.rglob("*.py"))}


def _imported_names(module: str, path: Path, modules: Collection[str]) -> Iterator[tuple[str, int]]:
    """Every name ``module`` imports, with its line, wherever the import sits.

    ``from pkg import name`` imports the module ``pkg.name`` when there is one (the package
    only runs on the way there, as it does for every submodule), else ``pkg`` itself.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                named = f"{base}.{alias.name}"
                yield (named if named in modules else base), node.lineno


def _graph() -> dict[str, dict[str, int]]:
    """Module -> {module of ours it imports: first line}; a name that is not a module of
    ours resolves to the closest enclosing one (``import console.tui.app.x`` -> the app)."""
    modules = _modules()
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for name, line in _imported_names(module, path, modules):
            target = name
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def _cycles(graph: Mapping[str, Mapping[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def _layer(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_the_graph_sees_type_only_and_function_level_imports() -> None:
    """The contract is only as good as the graph: both kinds of hidden import are in it."""
    graph = _graph()
    # ``if TYPE_CHECKING: from console.services import Services``
    assert "console.services" in graph["console.tui.trading.host"]
    # ``from console.services import Services`` inside the start-up worker
    assert "console.services" in graph["console.tui.app"]


def test_no_import_cycle_in_console() -> None:
    cycles = _cycles(_graph())
    assert cycles == [], "modules that import each other, directly or round a loop: " + str(cycles)


def test_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_layers_import_only_what_design_allows() -> None:
    broken = []
    for module, edges in _graph().items():
        layer = _layer(module)
        if layer in ENTRY_POINTS:
            continue
        assert layer in LAYERS, f"{module} belongs to no layer of DESIGN.md"
        for target, line in edges.items():
            target_layer = _layer(target)
            if target_layer != layer and target_layer not in LAYERS[layer]:
                broken.append(f"{module}:{line} imports {target}")
    assert broken == []


def test_nothing_outside_the_interface_names_textual() -> None:
    """Not even under TYPE_CHECKING or inside a function (the subprocess tests below only
    see what an import really loads). The command line may print tables with rich (which
    Textual installs); the services never draw anything."""
    offenders = [
        f"{module}:{line}"
        for module, path in _modules().items()
        if _layer(module) != "console.tui"
        for name, line in _imported_names(module, path, ())
        if name.split(".")[0] == "textual"
        or (name.split(".")[0] == "rich" and _layer(module) not in ENTRY_POINTS)
    ]
    assert offenders == []


@pytest.mark.parametrize("package", HEADLESS_PACKAGES)
def test_core_package_imports_without_textual(package: str) -> None:
    code = f"import sys, {package}; assert 'textual' not in sys.modules"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_domain_imports_neither_ccxt_nor_websockets() -> None:
    code = (
        "import sys, console.domain; "
        "bad = {'ccxt', 'websockets', 'aiohttp', 'textual'} & set(sys.modules); assert not bad, bad"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
