"""ccxt loaded lazily reads exactly as ccxt loaded whole, and loads only what is used."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from console.ccxt_loader import ExchangePackage, LazyExchangesLoader

_DESCRIBE_PACKAGES = textwrap.dedent(
    """
    import json, sys, types
    {prelude}
    import ccxt, ccxt.async_support, ccxt.pro

    def describe(value):
        if isinstance(value, types.ModuleType):
            return "module " + value.__name__
        if isinstance(value, type) or callable(value):
            return f"{{type(value).__name__}} {{value.__module__}}.{{value.__qualname__}}"
        return repr(value)

    packages = (ccxt, ccxt.async_support, ccxt.pro)
    for package in packages:
        for exchange_id in package.exchanges:
            getattr(package, exchange_id)
    described = {{}}
    for package in packages:
        names = set(vars(package))
        described[package.__name__] = {{
            name: describe(getattr(package, name))
            for name in names
            if name not in ("__loader__", "__spec__", "__builtins__", "__cached__", "__getattr__")
        }}
        described[package.__name__]["__class__"] = type(package).__name__
    print(json.dumps(described))
    """
)


def _described(prelude: str) -> dict[str, dict[str, str]]:
    script = _DESCRIBE_PACKAGES.format(prelude=prelude)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    described: dict[str, dict[str, str]] = json.loads(done.stdout)
    return described


def test_every_name_of_the_lazy_packages_is_the_object_ccxt_itself_binds() -> None:
    whole = _described(prelude="")
    lazy = _described(prelude="import console")

    for package in ("ccxt", "ccxt.async_support", "ccxt.pro"):
        assert whole[package].pop("__class__") == "module"
        assert lazy[package].pop("__class__") == ExchangePackage.__name__
        assert lazy[package] == whole[package], package
        assert whole[package]["bybit"] == f"type {package}.bybit.bybit"


def test_the_console_loads_only_the_exchange_its_venue_uses() -> None:
    script = textwrap.dedent(
        """
        import sys
        from console.config import Settings
        from console.exchange.venues import venue_preset
        venue_preset(Settings(venue="bybit-demo")).build(None)
        print(sorted(name for name in sys.modules if name.startswith("ccxt.async_support.")
                     and name.count(".") == 2 and name.rpartition(".")[2] != "base"))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )

    assert done.stdout.strip() == "['ccxt.async_support.bybit']"


def _package(tmp_path: Path, init_source: str) -> Path:
    package = tmp_path / "venues_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(init_source))
    for exchange_id in ("alpha", "beta"):
        (package / f"{exchange_id}.py").write_text(f"class {exchange_id}:\n    pass\n")
    (package / "beta_eu.py").write_text(
        "from venues_pkg.beta import beta\n\nclass beta_eu(beta):\n    pass\n"
    )
    return package


def _load_lazily(package: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(package.parent))
    source_loader = importlib.machinery.SourceFileLoader("venues_pkg", str(package / "__init__.py"))
    spec = importlib.util.spec_from_file_location(
        "venues_pkg",
        package / "__init__.py",
        loader=LazyExchangesLoader(source_loader),
        submodule_search_locations=[str(package)],
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "venues_pkg", module)
    for submodule in ("alpha", "beta", "beta_eu"):
        monkeypatch.delitem(sys.modules, f"venues_pkg.{submodule}", raising=False)
    spec.loader.exec_module(module)
    return module


def test_an_exchange_is_imported_on_first_access_and_bound_as_its_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(
        tmp_path,
        """
        from venues_pkg.alpha import alpha
        from venues_pkg.beta import beta
        from venues_pkg.beta_eu import beta_eu
        VERSION = "1"
        exchanges = ["alpha", "beta", "beta_eu"]
        """,
    )
    module = _load_lazily(package, monkeypatch)

    assert "venues_pkg.alpha" not in sys.modules
    assert module.VERSION == "1"
    beta_eu = module.beta_eu
    # beta_eu's own ``from venues_pkg.beta import beta`` bound the module; the class is read.
    beta = vars(module)["beta"]
    assert isinstance(beta, type)
    assert beta.__name__ == "beta"
    assert beta_eu.__mro__[1] is beta
    assert "venues_pkg.alpha" not in sys.modules
    assert module.alpha.__name__ == "alpha"


def test_a_package_without_the_known_shape_is_loaded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _package(
        tmp_path,
        """
        from venues_pkg.alpha import alpha
        from venues_pkg.beta import beta as renamed
        """,
    )
    module = _load_lazily(package, monkeypatch)

    assert "venues_pkg.alpha" in sys.modules
    assert type(module).__name__ == "module"
    assert module.renamed.__name__ == "beta"
