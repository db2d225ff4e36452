"""Alerts per kind: each fires when its condition starts to hold, once, and again only after
the value came back past the level by the re-arm distance (or the condition cleared)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from console.domain import (
    EndpointCategory,
    Fill,
    Liquidity,
    Position,
    RateLimitStatus,
    Side,
    StreamHealth,
    StreamState,
)
from console.domain.alert_command import AlertSpec, parse_alert
from console.domain.alerts import (
    FIRED_KEPT,
    Alert,
    AlertBook,
    AlertKind,
    trade_rate_multiple,
)
from console.domain.order_command import CommandContext, CommandRefused

from support.builders import linear_market

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BTC = "BTC/USDT:USDT"
D = Decimal


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def values(book: AlertBook, kind: AlertKind, symbol: str | None, *seq: str) -> list[str]:
    """Feed ``seq`` one value a second; the values that fired, in order."""
    fired = []
    for second, value in enumerate(seq):
        fired += book.check(kind, symbol, D(value), at(second))
    return [f"{f.value}" for f in fired]


# -- price -------------------------------------------------------------------------------


def test_price_above_fires_once_on_the_crossing_and_rearms_past_the_hysteresis() -> None:
    book = AlertBook()
    book.add(AlertKind.PRICE, symbol=BTC, above=True, level=D(61000), rearm=D(50), now=T0)
    fired = values(book, AlertKind.PRICE, BTC, "60900", "61000", "61100", "60990", "61050")
    assert fired == ["61000"]  # 60990 is back by 10, not by more than 50: still latched
    assert values(book, AlertKind.PRICE, BTC, "60949", "61001") == ["61001"]


def test_price_below_fires_on_the_way_down_and_not_on_other_markets() -> None:
    book = AlertBook()
    alert = book.add(AlertKind.PRICE, symbol=BTC, above=False, level=D(59000), now=T0)
    assert alert.rearm == D(59)  # a tenth of a percent of the level by default
    assert values(book, AlertKind.PRICE, "ETH/USDT:USDT", "1") == []
    assert values(book, AlertKind.PRICE, BTC, "59100", "58999", "58000", "59050") == ["58999"]
    assert book.is_waiting(alert.alert_id)
    assert values(book, AlertKind.PRICE, BTC, "59060", "58990") == ["58990"]


def test_a_disarmed_alert_never_fires_and_arming_starts_it_afresh() -> None:
    book = AlertBook()
    alert = book.add(AlertKind.PRICE, symbol=BTC, above=True, level=D(100), now=T0)
    assert values(book, AlertKind.PRICE, BTC, "101") == ["101"]
    book.set_armed(alert.alert_id, False)
    assert not book.wants(AlertKind.PRICE, BTC)
    assert values(book, AlertKind.PRICE, BTC, "90", "101") == []
    book.set_armed(alert.alert_id, True)
    assert values(book, AlertKind.PRICE, BTC, "102") == ["102"]
    book.remove(alert.alert_id)
    assert book.alerts == ()
    assert values(book, AlertKind.PRICE, BTC, "90", "110") == []


def test_the_fired_list_keeps_time_value_and_condition_newest_last_and_bounded() -> None:
    book = AlertBook()
    book.add(AlertKind.PRICE, symbol=BTC, above=True, level=D(10), rearm=D(0), now=T0)
    for second in range(FIRED_KEPT + 5):
        book.check(AlertKind.PRICE, BTC, D(9), at(2 * second))
        book.check(AlertKind.PRICE, BTC, D(11), at(2 * second + 1))
    assert len(book.fired) == FIRED_KEPT
    last = book.fired[-1]
    assert (last.value, last.at) == (D(11), at(2 * (FIRED_KEPT + 4) + 1))
    assert last.describe() == f"{BTC} price above 10: 11"


# -- trades per minute -------------------------------------------------------------------


def test_trade_rate_is_a_multiple_of_the_median_minute_once_enough_minutes_are_known() -> None:
    assert trade_rate_multiple(30, [0, 0, 10, 12]) is None  # two minutes since the start
    assert trade_rate_multiple(30, [0, 10, 12, 8, 10]) == D("3.00")
    assert trade_rate_multiple(5, [0, 3, 0, 0]) is None  # median 0: no multiple


def test_trade_rate_alert_fires_above_its_multiple_and_rearms_half_a_multiple_below() -> None:
    book = AlertBook()
    alert = book.add(AlertKind.TRADE_RATE, symbol=BTC, level=D(3), now=T0)
    assert alert.above
    assert alert.rearm == D("0.5")
    fired = values(book, AlertKind.TRADE_RATE, BTC, "1", "3.2", "4", "2.6", "3.1", "2.4", "3")
    assert fired == ["3.2", "3"]


# -- spread --------------------------------------------------------------------------------


def test_spread_alert_fires_when_the_spread_widens_and_rearms_when_it_narrows() -> None:
    book = AlertBook()
    book.add(AlertKind.SPREAD, symbol=BTC, level=D("2.5"), now=T0)  # rearm 0.25
    fired = values(book, AlertKind.SPREAD, BTC, "0.1", "2.5", "5", "2.3", "0.1", "3")
    assert fired == ["2.5", "3"]


# -- positions -----------------------------------------------------------------------------


def position(pnl: str, mark: str = "60000", liquidation: str | None = "50000") -> Position:
    return Position(
        symbol=BTC,
        side=Side.BUY,
        size=D("0.1"),
        entry_price=D(60000),
        mark_price=D(mark),
        unrealised_pnl=D(pnl),
        liquidation_price=None if liquidation is None else D(liquidation),
    )


def test_pnl_alerts_fire_above_and_below_once_per_crossing() -> None:
    book = AlertBook()
    book.add(AlertKind.PNL, symbol=BTC, above=False, level=D(-50), now=T0)  # rearm 5
    book.add(AlertKind.PNL, symbol=BTC, above=True, level=D(100), now=T0)  # rearm 10
    seen = []
    for second, pnl in enumerate(["0", "-50", "-80", "-40", "-60", "120", "95", "101"]):
        seen += [(f.value, f.condition) for f in book.check_positions([position(pnl)], at(second))]
    assert seen == [
        (D(-50), f"{BTC} PnL below -50"),
        (D(-60), f"{BTC} PnL below -50"),
        (D(120), f"{BTC} PnL above 100"),
    ]


def test_distance_to_liquidation_alert_fires_when_the_mark_comes_close() -> None:
    book = AlertBook()
    book.add(AlertKind.LIQUIDATION, symbol=BTC, level=D(5), now=T0)  # below 5 %, rearm 1
    marks = ["60000", "52500", "52000", "53000", "54000", "52400"]
    fired = []
    for second, mark in enumerate(marks):
        fired += book.check_positions([position("0", mark=mark)], at(second))
    # 52500 is 4.76 % from 50000; 53000 is 5.66 % (not past 5 + 1); 54000 is 7.41 %
    assert [f.value for f in fired] == [D("4.76"), D("4.58")]
    assert book.check_positions([position("0", liquidation=None)], at(9)) == []


# -- rate limits ---------------------------------------------------------------------------


def window(category: EndpointCategory, remaining: int) -> RateLimitStatus:
    return RateLimitStatus(
        category=category, used=100 - remaining, limit=100, remaining=remaining, window_seconds=5
    )


def test_rate_limit_headroom_alert_fires_once_per_window_running_low() -> None:
    book = AlertBook()
    book.add(AlertKind.RATE_LIMIT, level=D(20), now=T0)  # below 20 %, rearm 1
    trade, market = EndpointCategory.TRADING, EndpointCategory.MARKET_DATA
    rounds = [
        [window(trade, 50), window(market, 90)],
        [window(trade, 20), window(market, 90)],
        [window(trade, 10), window(market, 15)],
        [window(trade, 21), window(market, 5)],
        [window(trade, 22), window(market, 50)],
        [window(trade, 19), window(market, 50)],
    ]
    fired = []
    for second, statuses in enumerate(rounds):
        fired += [(f.subject, f.value) for f in book.check_rate_limits(statuses, at(second))]
    assert fired == [
        (trade.value, D(20)),
        (market.value, D(15)),
        (trade.value, D(19)),
    ]


# -- streams -------------------------------------------------------------------------------


def stream(state: StreamState, name: str = "bybit linear") -> StreamHealth:
    return StreamHealth(stream=name, state=state)


def test_stream_down_alert_fires_after_n_seconds_down_and_rearms_once_live_again() -> None:
    book = AlertBook()
    book.add(AlertKind.STREAM_DOWN, level=D(10), now=T0)
    states = {0: StreamState.LIVE, 1: StreamState.DOWN, 5: StreamState.DOWN}
    states |= {11: StreamState.DOWN, 12: StreamState.STALE, 13: StreamState.LIVE}
    states |= {14: StreamState.DOWN, 30: StreamState.DOWN}
    fired = []
    for second, state in states.items():
        fired += [(f.subject, f.value) for f in book.check_streams([stream(state)], at(second))]
    assert fired == [("bybit linear", D(10)), ("bybit linear", D(16))]


# -- fills ---------------------------------------------------------------------------------


def fill(fill_id: str, symbol: str = BTC) -> Fill:
    return Fill(
        fill_id=fill_id,
        order_id="o1",
        symbol=symbol,
        side=Side.BUY,
        price=D(60000),
        size=D("0.01"),
        fee=D("0.1"),
        fee_currency="USDT",
        liquidity=Liquidity.MAKER,
        timestamp=T0,
    )


def test_a_fill_alert_rings_once_per_fill_even_when_the_fill_is_reported_twice() -> None:
    book = AlertBook()
    book.add(AlertKind.FILL, symbol=BTC, now=T0)
    first = book.check_fills([fill("f1"), fill("f1"), fill("e1", "ETH/USDT:USDT")], at(1))
    assert [f.subject for f in first] == [f"buy 0.01 {BTC}, fill f1"]
    assert book.check_fills([fill("f1")], at(2)) == []
    book.add(AlertKind.FILL, now=T0)  # any market
    assert len(book.check_fills([fill("f2"), fill("e2", "ETH/USDT:USDT")], at(3))) == 3


# -- the alerts' own rules, and the alert editor's lines -----------------------------------


def test_an_alert_that_does_not_fit_its_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="needs a market"):
        Alert(alert_id=1, kind=AlertKind.PRICE, level=D(1), created_at=T0)
    with pytest.raises(ValueError, match="percentage"):
        Alert(alert_id=1, kind=AlertKind.RATE_LIMIT, above=False, level=D(120), created_at=T0)
    with pytest.raises(ValueError, match="below its level only"):
        Alert(alert_id=1, kind=AlertKind.LIQUIDATION, symbol=BTC, level=D(5), created_at=T0)


CONTEXT = CommandContext({BTC: linear_market("BTC"), "ETH/USDT:USDT": linear_market("ETH")}, BTC)


@pytest.mark.parametrize(
    ("line", "spec"),
    [
        ("price btc > 61000", AlertSpec(AlertKind.PRICE, BTC, True, D(61000))),
        ("price < 59000 rearm 10", AlertSpec(AlertKind.PRICE, BTC, False, D(59000), D(10))),
        ("trades eth > 3x", AlertSpec(AlertKind.TRADE_RATE, "ETH/USDT:USDT", True, D(3))),
        ("spread > 2.5", AlertSpec(AlertKind.SPREAD, BTC, True, D("2.5"))),
        ("pnl btc < -50", AlertSpec(AlertKind.PNL, BTC, False, D(-50))),
        ("liq < 5%", AlertSpec(AlertKind.LIQUIDATION, BTC, False, D(5))),
        ("ratelimit < 20%", AlertSpec(AlertKind.RATE_LIMIT, None, False, D(20))),
        ("stream > 10s", AlertSpec(AlertKind.STREAM_DOWN, None, True, D(10))),
        ("fill", AlertSpec(AlertKind.FILL)),
        ("fill eth", AlertSpec(AlertKind.FILL, "ETH/USDT:USDT")),
    ],
)
def test_alert_lines_read_every_kind(line: str, spec: AlertSpec) -> None:
    assert parse_alert(line, CONTEXT) == spec


@pytest.mark.parametrize(
    ("line", "at_fault", "reason"),
    [
        ("volume > 3", "volume", "not an alert kind"),
        ("spread < 3", "<", "written with >"),
        ("price doge > 1", "doge", "not a market"),
        ("price btc > x", "x", "not a number"),
        ("price btc >", "", "level is missing"),
        ("ratelimit < 20% now", "now", "not understood"),
    ],
)
def test_an_alert_line_that_cannot_be_read_points_at_the_word(
    line: str, at_fault: str, reason: str
) -> None:
    with pytest.raises(CommandRefused, match=reason) as refused:
        parse_alert(line, CONTEXT)
    assert refused.value.token.text == at_fault
