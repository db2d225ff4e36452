"""SimMarket: seeded, step-driven, realistic enough; candles fold to Bybit's intervals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from console.sim.book import BUY, SELL
from console.sim.candles import Bar, CandleSeries, bucket_start
from console.sim.instruments import DEFAULT_INSTRUMENTS
from console.sim.market import SimMarket, SimTrade
from console.sim.synthetic_flow import LEVELS_PER_SIDE

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def run(seed: int, steps: int) -> tuple[list[SimTrade], SimMarket]:
    market = SimMarket(seed=seed, start_ms=START_MS)
    trades: list[SimTrade] = []
    market.add_trade_listener(trades.append)
    market.step(steps)
    return trades, market


def test_same_seed_same_market_and_other_seed_another() -> None:
    trades_a, market_a = run(7, 300)
    trades_b, market_b = run(7, 300)
    trades_c, _ = run(8, 300)
    assert trades_a == trades_b
    assert len(trades_a) > 100
    for category in ("spot", "linear"):
        for symbol in market_a.symbols(category):
            assert market_a.book(category, symbol).top(50) == market_b.book(category, symbol).top(
                50
            )
    assert [(t.price, t.size) for t in trades_a[:50]] != [(t.price, t.size) for t in trades_c[:50]]


def test_a_few_trades_per_second_per_book_and_steady_depth() -> None:
    trades, market = run(7, 600)  # one simulated minute
    per_book_per_second = len(trades) / 6 / 60
    assert 1 <= per_book_per_second <= 10
    assert market.now_ms() == START_MS + 60_000
    for book in market.books():
        bids, asks = book.top(1000)
        assert LEVELS_PER_SIDE * 0.8 <= len(bids) <= LEVELS_PER_SIDE * 1.3
        assert bids[0][0] < asks[0][0]
        assert bids[-1][1] > 0


def test_sizes_grow_away_from_the_touch() -> None:
    _, market = run(7, 10)
    bids, _ = market.book("linear", "BTCUSDT").top(300)
    near = sum(size for _, size in bids[:30])
    far = sum(size for _, size in bids[-30:])
    assert far > near * 3


def test_spot_and_linear_of_a_coin_track_each_other() -> None:
    _, market = run(7, 1000)
    for coin in ("BTC", "ETH", "SOL"):
        mids = []
        for category in ("spot", "linear"):
            book = market.book(category, f"{coin}USDT")
            mids.append(book.instrument.price(book.best_tick(BUY) + book.best_tick(SELL)) / 2)  # type: ignore[operator]
        assert abs(mids[0] - mids[1]) / mids[0] < Decimal("0.001")


def test_prints_reach_the_tape_candles_and_book_listeners() -> None:
    market = SimMarket(seed=3, start_ms=START_MS)
    changed: list[tuple[str, str]] = []
    market.add_book_listener(lambda c, s: changed.append((c, s)))
    market.step(50)
    assert ("linear", "BTCUSDT") in changed
    tape = market.recent_trades("linear", "BTCUSDT", 1000)
    assert tape == sorted(tape, key=lambda t: t.time_ms, reverse=True)
    last_bar = market.candles("linear", "BTCUSDT").minute_bars(START_MS, START_MS + 60_000)[-1]
    instrument = market.book("linear", "BTCUSDT").instrument
    assert instrument.price(last_bar.close) == tape[0].price
    ticker = market.ticker("linear", "BTCUSDT")
    assert Decimal(ticker["lastPrice"]) == tape[0].price
    assert "openInterestValue" in ticker
    assert "usdIndexPrice" in market.ticker("spot", "BTCUSDT")


def test_candles_fold_minutes_into_intervals_newest_first() -> None:
    series = CandleSeries()
    for minute in range(10):
        series.record(START_MS + minute * 60_000, 100 + minute, 2)
    bars = series.bars("5", START_MS, START_MS + 10 * 60_000, 10)
    assert [b.start_ms for b in bars] == [START_MS + 300_000, START_MS]
    assert (bars[1].open, bars[1].high, bars[1].low, bars[1].close, bars[1].volume) == (
        100,
        104,
        100,
        104,
        10,
    )
    assert bucket_start(START_MS + 5 * 86_400_000 + 1, "W") == START_MS + 4 * 86_400_000
    assert bucket_start(START_MS + 40 * 86_400_000, "M") == START_MS + 31 * 86_400_000


def test_history_is_backfilled_before_the_first_print() -> None:
    market = SimMarket(seed=7, start_ms=START_MS)
    bars = market.candles("spot", "ETHUSDT").minute_bars(START_MS - 86_400_000, START_MS)
    assert len(bars) == 1440
    assert all(isinstance(b, Bar) and b.low <= min(b.open, b.close) for b in bars)
    assert abs(market.book("spot", "ETHUSDT").instrument.price(bars[-1].close) - 3000) < 5


def test_a_coin_near_zero_is_never_quoted_at_or_below_zero() -> None:
    """A long fast run walked one coin's fair price from 150 to under 2, and its deep bids
    went below zero (the console refused the book as implausible, again and again)."""
    btc = next(i for i in DEFAULT_INSTRUMENTS if i.category == "linear" and i.base == "BTC")
    cheap = replace(btc, start_price=Decimal("0.3"), tick_size=Decimal("0.01"), level_gap_ticks=2)
    market = SimMarket(seed=7, start_ms=START_MS, instruments=[cheap])
    market.step(300)

    (book,) = market.books()
    bids, asks = book.top(1000)
    assert len(bids) >= 5
    assert min(price for price, _ in bids) >= cheap.tick_size  # minPrice: one tick
    assert bids[0][0] < asks[0][0]
