"""The latency readout in the running console, on the simulator (Pilot, real sockets).

The simulator delays every frame of the linear stream on purpose (its ``delay`` fault); the
Streams panel must read that delay as received and painted latency, flag the stream SLOW and
badge its ladder, all while the stream is still LIVE, and only a real silence afterwards may
turn it STALE. The status bar shows the measured offset to the venue's clock, and the
gauges' panel each endpoint's round trips.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from console.config import Settings, StreamSettings
from console.domain import StreamHealth
from console.sim.ws import public_ws_hub
from console.tui.app import ConsoleApp
from console.tui.widgets.rate_limits import RateLimitGauges
from console.tui.widgets.stream_health import StreamHealthTable

from support.console import SIZE, main_ladder, running_sim, settings
from support.waiting import wait_until

LINEAR_STREAM = "sim linear"
DELAY_S = 0.4


def latency_settings(tmp_path: Path) -> Settings:
    return settings(
        tmp_path,
        stream=StreamSettings(
            silence_timeout=5.0, reconnect_base_delay=0.05, slow_latency_ms=200.0
        ),
    )


def linear_health(app: ConsoleApp) -> StreamHealth | None:
    found = [h for h in app.market_store.health() if h.stream == LINEAR_STREAM]
    return found[0] if found else None


async def test_a_delayed_stream_reads_its_delay_and_is_slow_before_stale(tmp_path: Path) -> None:
    app = ConsoleApp(latency_settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        ladder = main_ladder(app)
        table = screen.query_one(StreamHealthTable)
        states: list[str] = []

        def state_shown() -> str:
            cells = table.current_rows.get(LINEAR_STREAM)
            return "" if cells is None else str(cells[1])

        def painted_and_received() -> bool:
            health = linear_health(app)
            return (
                app.services is not None
                and health is not None
                and health.received_latency is not None
                and health.painted_latency is not None
                and state_shown() == "LIVE"
            )

        await wait_until(painted_and_received, pilot=pilot, what="both latency stages")
        assert not ladder.slow
        assert str(table.current_rows[LINEAR_STREAM][4]).endswith(" ms")  # Recv p50/p99

        hub = public_ws_hub(running_sim(app).app)

        def slow_shown() -> bool:
            for connection in hub.connections_of("linear"):
                connection.delay_frames(DELAY_S)  # reconnections are delayed too
            states.append(state_shown())
            return states[-1] == "SLOW" and ladder.slow

        await wait_until(slow_shown, pilot=pilot, what="SLOW in the Streams panel")
        assert "STALE" not in states
        health = linear_health(app)
        assert health is not None
        assert health.received_latency is not None
        assert health.received_latency.p99_ms >= DELAY_S * 1000 * 0.95
        header = "".join(segment.text for segment in ladder.render_line(0))
        assert "SLOW" in header

        def median_reads_the_delay() -> bool:
            current = linear_health(app)
            return (
                current is not None
                and current.received_latency is not None
                and current.painted_latency is not None
                and current.received_latency.p50_ms >= DELAY_S * 1000 * 0.95
                and current.painted_latency.p50_ms >= DELAY_S * 1000 * 0.95
            )

        # the minute's median moves once the delayed frames outnumber the earlier ones
        await wait_until(
            median_reads_the_delay, timeout=90.0, pilot=pilot, what="the minute's medians"
        )
        current = linear_health(app)
        assert current is not None
        assert current.received_latency is not None
        assert current.received_latency.p50_ms <= DELAY_S * 1000 + 1000  # plus a loaded base

        # the venue still accepts connections but says nothing: STALE, and it stays STALE
        # across the reconnections (a connection is LIVE only once the venue speaks)
        hub.go_silent("linear", 60.0)

        def stale_shown() -> bool:
            states.append(state_shown())
            return states[-1] == "STALE"

        await wait_until(stale_shown, pilot=pilot, what="STALE after the silence")
        assert states.index("SLOW") < states.index("STALE")
        stale = linear_health(app)
        assert stale is not None

        def reconnected_and_still_stale() -> bool:
            assert state_shown() == "STALE"
            health = linear_health(app)
            return health is not None and health.reconnects > stale.reconnects

        await wait_until(
            reconnected_and_still_stale, pilot=pilot, what="a reconnection to the silent venue"
        )
        await pilot.pause()
        assert state_shown() == "STALE"


async def test_clock_offset_and_round_trips_are_shown(tmp_path: Path) -> None:
    app = ConsoleApp(latency_settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        offset = screen.query_one("#status-venue-clock", Label)
        gauges = screen.query_one(RateLimitGauges)

        def time_line() -> str:
            lines = str(gauges.render()).splitlines()
            return next((line for line in lines if "market/time" in line), "")

        def time_trip() -> str:
            """The client's figures for the clock's endpoint, once its burst of 3 is done."""
            if app.services is None:
                return "?"
            trips = {trip.endpoint: trip for trip in app.services.client.round_trip_status()}
            trip = trips.get("/v5/market/time")
            if trip is None or trip.latency.samples < 3:
                return "?"
            return f" {trip.latency.p50_ms:,.0f}/{trip.latency.p99_ms:,.0f}ms"

        def shown() -> bool:
            return offset.has_class("-measured") and time_line().rstrip().endswith(time_trip())

        await wait_until(shown, pilot=pilot, what="the clock offset and the round trips")
        assert app.services is not None
        reading = app.services.venue_clock.reading
        assert reading is not None
        assert abs(reading.offset_ms) <= reading.error_ms + 5.0  # one machine, one clock
        assert str(offset.content).startswith("clock ")
        assert str(offset.content).endswith(" ms")
