"""Record the simulator's own stream, replay it through the simulator, compare frame by frame."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.replay.recording import read_header
from console.replay.server import replay_market, replay_server
from console.sim import SimServer

from support.recordings import FrameCollector, RecordedFrame, record_sim, topic_frames
from support.waiting import wait_until


def lag_errors(
    frames: list[tuple[float, str]], recorded: list[RecordedFrame], speed: float
) -> list[float]:
    """Per frame: arrival since the first frame minus the recorded gap divided by ``speed``."""
    first_arrival, first_ns = frames[0][0], recorded[0].time_ns
    return [
        (arrival - first_arrival) - (frame.time_ns - first_ns) / 1e9 / speed
        for (arrival, _), frame in zip(frames, recorded, strict=True)
    ]


@pytest.fixture
async def recording(sim: SimServer, tmp_path: Path) -> Path:
    return await record_sim(sim, tmp_path / "sim.rec", 3.0)


@pytest.mark.parametrize("speed", [1.0, 10.0])
async def test_a_replay_sends_the_recorded_frames_in_order_at_the_recorded_pace(
    recording: Path, speed: float
) -> None:
    recorded = topic_frames(recording)
    assert len(recorded) > 50, "three seconds of orderbook.50, trades and ticker"
    topics = read_header(recording)["topics"]["linear"]
    async with replay_server(recording, speed=speed) as server:
        url = f"{server.ws_url}/v5/public/linear"
        async with FrameCollector(url, topics) as client:
            await wait_until(
                lambda: len(client.frames) >= len(recorded),
                timeout=30,
                what="every recorded frame replayed",
            )
            assert client.texts() == [frame.text for frame in recorded]
        errors = lag_errors(client.frames, recorded, speed)
        tolerance = 0.3 if speed == 1.0 else 0.15
        assert max(abs(e) for e in errors) < tolerance, (min(errors), max(errors))
        assert replay_market(server).frames_sent == len(recorded)
