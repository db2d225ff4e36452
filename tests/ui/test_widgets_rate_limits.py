"""Rate-limit gauges and the halt banner, fed real RateLimitStatus values and a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from console.domain import EndpointCategory, LatencySummary, RateLimitStatus, RoundTripStatus
from console.tui.widgets.rate_limits import HaltBanner, RateLimitGauges, format_time_left

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def status(category: EndpointCategory, used: int, limit: int, **changes: object) -> RateLimitStatus:
    values: dict[str, object] = {
        "category": category,
        "used": used,
        "limit": limit,
        "remaining": limit - used,
        "window_seconds": 1.0,
        "reset_at": NOW + timedelta(seconds=3),
    }
    values.update(changes)
    return RateLimitStatus.model_validate(values)


class GaugesHost(App[None]):
    def compose(self) -> ComposeResult:
        yield HaltBanner()
        yield RateLimitGauges()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (0.2, "1s"), (59, "59s"), (61, "1m 01s"), (3600 + 180, "1h 03m"), (-5, "0s")],
)
def test_time_left_is_short_and_never_negative(seconds: float, text: str) -> None:
    assert format_time_left(seconds) == text


async def test_gauges_list_categories_in_order_with_endpoints_under_them() -> None:
    app = GaugesHost()
    async with app.run_test() as pilot:
        gauges = app.query_one(RateLimitGauges)
        assert str(gauges.render()) == "No requests sent yet"
        gauges.update_status(
            [
                status(
                    EndpointCategory.TRADING,
                    9,
                    10,
                    endpoint="/v5/order/create",
                    learned_from_headers=True,
                ),
                status(EndpointCategory.TRADING, 2, 10),
                status(EndpointCategory.MARKET_DATA, 30, 120, reset_at=None, window_seconds=5.0),
                status(EndpointCategory.MARKET_DATA, 0, 120, endpoint="/v5/market/kline"),
            ],
            NOW,
        )
        await pilot.pause()
        lines = str(gauges.render()).splitlines()
        assert lines[0].startswith("market data")
        assert "30/120 ██░░░░ 5s window" in lines[0]
        assert lines[1].startswith("  market/kline ")  # /v5/, shared by all, is left out
        assert lines[1].endswith("0/120 ░░░░░░ idle")  # nothing used: no reset to wait for
        assert lines[2].startswith("trading")
        assert "2/10 █░░░░░ reset 3s" in lines[2]
        assert lines[3].startswith("  order/create ")
        assert lines[3].endswith("9/10 █████░ reset 3s ✓")  # ✓: the venue's headers agree
        assert gauges.size.height == 4


async def test_gauge_colour_follows_headroom() -> None:
    app = GaugesHost()
    async with app.run_test() as pilot:
        gauges = app.query_one(RateLimitGauges)
        gauges.update_status(
            [
                status(EndpointCategory.MARKET_DATA, 1, 10),
                status(EndpointCategory.TRADING, 6, 10),
                status(EndpointCategory.ACCOUNT, 9, 10),
            ],
            NOW,
        )
        await pilot.pause()
        variables = app.theme_variables
        rendered = gauges.render()
        assert isinstance(rendered, Text)
        colours = [str(line.spans[0].style) for line in rendered.split("\n")]
        assert colours == [variables["success"], variables["warning"], variables["error"]]


async def test_halt_banner_counts_down_then_hides() -> None:
    app = GaugesHost()
    async with app.run_test() as pilot:
        banner = app.query_one(HaltBanner)
        assert not banner.is_halted
        assert banner.region.height == 0
        until = NOW + timedelta(minutes=4, seconds=12)
        banner.update_halt(until, NOW)
        await pilot.pause()
        assert banner.is_halted
        assert banner.region.height == 1
        assert str(banner.render()) == (
            "HALTED BY VENUE (HTTP 403): no requests until 12:04:12 UTC, 4m 12s left"
        )
        banner.update_halt(until, until)
        await pilot.pause()
        assert not banner.is_halted
        assert banner.region.height == 0


def trip(category: EndpointCategory, endpoint: str, p50: float, p99: float) -> RoundTripStatus:
    latency = LatencySummary(p50_ms=p50, p99_ms=p99, samples=10)
    return RoundTripStatus(category=category, endpoint=endpoint, latency=latency)


async def test_round_trips_sit_beside_their_gauges() -> None:
    """Each endpoint's p50/p99 after its gauge; an endpoint without a window of its own gets
    a line under its category; a category shows its slowest endpoint's."""
    app = GaugesHost()
    async with app.run_test(size=(100, 24)) as pilot:
        gauges = app.query_one(RateLimitGauges)
        gauges.update_status(
            [
                status(EndpointCategory.MARKET_DATA, 3, 120),
                status(EndpointCategory.TRADING, 2, 10),
                status(EndpointCategory.TRADING, 1, 10, endpoint="/v5/order/create"),
            ],
            NOW,
            round_trips=[
                trip(EndpointCategory.MARKET_DATA, "/v5/market/kline", 41, 180),
                trip(EndpointCategory.MARKET_DATA, "/v5/market/tickers", 12, 30),
                trip(EndpointCategory.TRADING, "/v5/order/create", 25.4, 1234.6),
            ],
        )
        await pilot.pause()
        lines = str(gauges.render()).splitlines()
        assert lines[0].startswith("market data")
        assert lines[0].endswith("reset 3s 41/180ms")  # its slowest endpoint: kline
        assert lines[1].startswith("  market/kline ")
        assert lines[1].endswith("rtt 41/180ms")
        assert lines[2].endswith("rtt 12/30ms")
        assert lines[3].startswith("trading")
        assert lines[4].startswith("  order/create ")
        assert lines[4].endswith("reset 3s 25/1,235ms")
        assert gauges.line_counts == (2, 5)


async def test_round_trips_stay_beside_the_categories_in_a_narrow_panel() -> None:
    app = GaugesHost()
    async with app.run_test(size=(30, 24)) as pilot:
        gauges = app.query_one(RateLimitGauges)
        gauges.update_status(
            [status(EndpointCategory.PUBLIC, 3, 120)],
            NOW,
            round_trips=[trip(EndpointCategory.PUBLIC, "/v5/market/instruments-info", 90, 250)],
        )
        await pilot.pause()
        assert str(gauges.render()) == "public 3/120 3s 90/250ms"
