"""The log file keeps the console's own lines and leaves out other people's chatter.

Third-party loggers write only warnings unless ``log_libraries`` asks for more; the frames
websockets logs at DEBUG appear only with ``log_ws_frames``. Frames come from a real
websockets client talking to the simulator.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from console.config import Settings
from console.logs import log_to_file
from console.sim import SimServer


async def logged_text(sim: SimServer, tmp_path: Path, **settings: bool) -> str:
    log_file = tmp_path / "console.log"
    handler = log_to_file(Settings(log_file=log_file, log_level="DEBUG", **settings))
    logging.getLogger("console.stream").debug("own debug line")
    logging.getLogger("ccxt.base.exchange").debug("library debug line")
    logging.getLogger("aiohttp.client").warning("library warning line")
    async with connect(f"{sim.ws_url}/v5/public/linear") as ws:
        await ws.send(json.dumps({"op": "ping", "req_id": "frame-marker"}))
        await ws.recv()
    handler.flush()
    return log_file.read_text(encoding="utf-8")


@pytest.mark.usefixtures("root_logger")
async def test_libraries_log_only_warnings_and_frames_stay_out(
    sim: SimServer, tmp_path: Path
) -> None:
    text = await logged_text(sim, tmp_path)

    assert "own debug line" in text
    assert "library warning line" in text
    assert "library debug line" not in text
    assert "frame-marker" not in text


@pytest.mark.usefixtures("root_logger")
async def test_libraries_when_asked_but_frames_only_behind_their_switch(
    sim: SimServer, tmp_path: Path
) -> None:
    text = await logged_text(sim, tmp_path, log_libraries=True)

    assert "library debug line" in text
    assert "frame-marker" not in text


@pytest.mark.usefixtures("root_logger")
async def test_frames_when_their_switch_is_on(sim: SimServer, tmp_path: Path) -> None:
    text = await logged_text(sim, tmp_path, log_ws_frames=True)

    assert "frame-marker" in text
    assert "library debug line" not in text
