"""The headless core imports without Textual (DESIGN.md layer rules)."""

from __future__ import annotations

import subprocess
import sys

import pytest

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
