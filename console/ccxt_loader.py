"""ccxt's packages, with each exchange imported when it is first used.

``ccxt``, ``ccxt.async_support`` and ``ccxt.pro`` each import every exchange they ship in
their ``__init__`` (over a hundred apiece): ``import ccxt.async_support`` cost about 0.8 s
of CPU and 90 MB of memory here, for a console that talks to one venue
(``bench/RESULTS.md``, "ccxt imported lazily"). :func:`install` puts a finder in front of
the import system that loads those three packages from ccxt's own ``__init__`` source with
only the exchange imports left out; an exchange class is imported on first access
(PEP 562), so ``ccxt.async_support.bybit``, ``getattr(ccxt.pro, venue_id)``,
``ccxt.exchanges`` and every error and helper name read exactly as before.

The exchange imports are recognised by shape (``from <package>.<id> import <id>`` for an id
in the package's ``exchanges`` list); a source that does not have that shape is executed
as it is, so a ccxt release that changes its layout loads whole rather than wrongly.
"""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

LAZY_PACKAGES = frozenset({"ccxt", "ccxt.async_support", "ccxt.pro"})
"""The packages whose ``__init__`` imports every exchange."""


def install() -> None:
    """Load ccxt's packages lazily from now on (once; a ccxt already imported stays whole)."""
    if any(isinstance(finder, LazyExchangesFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, LazyExchangesFinder())


class LazyExchangesFinder(importlib.abc.MetaPathFinder):
    """Finds ccxt's packages as the path finder does and hands them the lazy loader."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in LAZY_PACKAGES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        spec.loader = LazyExchangesLoader(spec.loader)
        return spec


class LazyExchangesLoader(importlib.abc.Loader):
    """Runs a package's ``__init__`` without its exchange imports."""

    def __init__(self, source_loader: importlib.machinery.SourceFileLoader) -> None:
        self._source_loader = source_loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        name = module.__name__
        path = self._source_loader.get_filename(name)
        tree = ast.parse(self._source_loader.get_data(path), path)
        exchange_ids = _exchange_ids(tree)
        kept = [node for node in tree.body if _imported_exchange(node, name, exchange_ids) is None]
        if exchange_ids and len(kept) < len(tree.body):
            tree.body = kept
            # A subclass per package keeps the ids out of the package's own namespace.
            module.__class__ = type(
                ExchangePackage.__name__, (ExchangePackage,), {"_lazy_exchange_ids": exchange_ids}
            )
        exec(compile(tree, path, "exec"), module.__dict__)


class ExchangePackage(ModuleType):
    """A ccxt package whose exchange classes are imported on first access.

    Importing ``<package>.<id>`` binds the *module* on the package, as any submodule import
    does; ccxt binds the *class* of the same name (its ``__init__`` says
    ``from <package>.<id> import <id>``), and subclasses such as ``ccxt.pro.bybit`` read it
    that way, so the binding is turned into the class here.
    """

    _lazy_exchange_ids: frozenset[str]

    def __getattr__(self, name: str) -> Any:
        if name not in self._lazy_exchange_ids:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        exchange_class = getattr(importlib.import_module(f"{self.__name__}.{name}"), name)
        super().__setattr__(name, exchange_class)
        return exchange_class

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            isinstance(value, ModuleType)
            and name in self._lazy_exchange_ids
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


def _exchange_ids(tree: ast.Module) -> frozenset[str]:
    """The ids of the package's top-level ``exchanges = [...]`` list (empty without one)."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(
                isinstance(target, ast.Name) and target.id == "exchanges" for target in node.targets
            )
            and isinstance(node.value, ast.List)
        ):
            ids = ast.literal_eval(node.value)
            if all(isinstance(exchange_id, str) for exchange_id in ids):
                return frozenset(ids)
    return frozenset()


def _imported_exchange(node: ast.stmt, package: str, exchange_ids: frozenset[str]) -> str | None:
    """The exchange id ``node`` imports as ``from <package>.<id> import <id>``, else None."""
    if not isinstance(node, ast.ImportFrom) or node.level or node.module is None:
        return None
    parent, _, exchange_id = node.module.rpartition(".")
    if parent != package or exchange_id not in exchange_ids or len(node.names) != 1:
        return None
    alias = node.names[0]
    if alias.name != exchange_id or alias.asname not in (None, exchange_id):
        return None
    return exchange_id
