"""Fixtures every test can ask for by name (registered in tests/conftest.py).

The host machine is kept out of every test (autouse); the simulator and an HTTP session are
there for the tests that talk to it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from console.sim import SimServer


@pytest.fixture(autouse=True)
def _isolated_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """UTC, no stray credentials or BREAKOUT_* variables, data and config under tmp_path."""
    monkeypatch.setenv("TZ", "UTC")
    for name in list(os.environ):
        if name.startswith(("BREAKOUT_", "EXCHANGE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
async def sim() -> AsyncIterator[SimServer]:
    """The Bybit-v5 simulator on an ephemeral loopback port, seed 7, market running."""
    async with SimServer(seed=7) as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, for raw requests to the simulator."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, with whatever a test adds (handlers, levels) taken off afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    frames_level = logging.getLogger("websockets").level
    yield root
    logging.getLogger("websockets").setLevel(frames_level)
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
