"""SimProcess itself: the simulator in its own process answers and takes faults."""

from __future__ import annotations

from support.sim_process import SimProcess


def test_the_simulator_runs_in_its_own_process_and_takes_faults() -> None:
    with SimProcess() as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")
        assert sim.get("/v5/market/time")["retCode"] == 0
        sim.fault(action="rate_limit", count=1, path="/v5/market/time")
        assert sim.get("/v5/market/time")["retCode"] == 10006
        assert sim.get("/v5/market/time")["retCode"] == 0
