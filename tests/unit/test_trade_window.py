"""TradeWindow: a 60 s window on exchange time, and per-minute buckets."""

from __future__ import annotations

from decimal import Decimal

from console.domain.trade_window import TradeWindow

T0 = 1_700_000_040_000  # 40 s into a minute


def test_empty_window() -> None:
    window = TradeWindow("BTC/USDT")
    stats = window.stats()
    assert stats.trade_count == 0
    assert stats.volume == 0
    assert stats.last_price is None
    assert stats.as_of is None
    assert window.per_minute_counts(3) == [0, 0, 0]


def test_counts_volume_split_and_last_price() -> None:
    window = TradeWindow("BTC/USDT")
    window.add(T0, Decimal("100.5"), Decimal("0.5"), True)
    window.add(T0 + 10, Decimal("100.0"), Decimal("1.25"), False)
    window.add(T0 + 20, Decimal("101.0"), Decimal("2"), True)
    stats = window.stats()
    assert stats.trade_count == 3
    assert stats.buy_count == 2
    assert stats.sell_count == 1
    assert stats.buy_volume == Decimal("2.5")
    assert stats.sell_volume == Decimal("1.25")
    assert stats.volume == Decimal("3.75")
    assert stats.last_price == Decimal("101.0")
    assert stats.as_of is not None
    assert stats.as_of.timestamp() * 1000 == T0 + 20
    assert stats.trades_per_minute == 3.0


def test_window_slides_on_exchange_time() -> None:
    window = TradeWindow("X", window_seconds=60)
    window.add(T0, Decimal(1), Decimal(1), True)
    window.add(T0 + 30_000, Decimal(1), Decimal(2), False)
    window.add(T0 + 60_000, Decimal(1), Decimal(4), True)  # the first trade leaves exactly now
    stats = window.stats()
    assert stats.trade_count == 2
    assert stats.volume == Decimal(6)
    assert stats.buy_count == 1
    assert stats.sell_count == 1
    window.advance(T0 + 90_000)
    assert window.stats().trade_count == 1
    window.advance(T0 + 500_000)
    stats = window.stats()
    assert stats.trade_count == 0
    assert stats.volume == 0
    assert stats.buy_volume == 0
    assert stats.last_price == Decimal(1)


def test_late_trades_outside_the_window_are_ignored() -> None:
    window = TradeWindow("X")
    window.add(T0 + 120_000, Decimal(1), Decimal(1), True)
    window.add(T0, Decimal(2), Decimal(1), True)
    assert window.stats().trade_count == 1
    assert window.stats().last_price == Decimal(1)


def test_per_minute_buckets_end_with_the_current_minute() -> None:
    window = TradeWindow("X", minutes_kept=10)
    minute = 60_000
    start = (T0 // minute) * minute
    for offset, count in ((0, 2), (2, 1), (3, 4)):
        for i in range(count):
            window.add(start + offset * minute + i, Decimal(1), Decimal("0.5"), True)
    assert window.per_minute_counts(5) == [0, 2, 0, 1, 4]
    assert window.per_minute_volumes(2) == [Decimal("0.5"), Decimal(2)]
    window.add(start + 20 * minute, Decimal(1), Decimal(1), False)
    assert window.per_minute_counts(25)[:5] == [0, 0, 0, 0, 0]
    assert sum(window.per_minute_counts(25)) == 1
