"""Bybit ``market/tickers`` rows computed from a book and its minute candles.

ccxt tells a contract ticker from a spot one by the presence of ``openInterestValue``, so the
two categories get different field sets, each as Bybit sends it (every value a string).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from console.sim.book import BUY, SimBook
from console.sim.candles import CandleSeries

FUNDING_INTERVAL_MS = 8 * 3_600_000
FUNDING_RATE = "0.0001"
_PERCENT_PLACES = Decimal("0.000001")


def ticker_fields(
    book: SimBook, series: CandleSeries, now_ms: int, spot: SimBook | None
) -> dict[str, str]:
    """The ticker row of ``book``; ``spot`` (the same coin's spot book) supplies the index."""
    instrument = book.instrument
    price, size = instrument.price, instrument.size
    stats = series.day_stats(now_ms)
    last_tick = stats.last_close if stats.last_close is not None else book.best_tick(BUY) or 0
    first = stats.first_open if stats.first_open is not None else last_tick
    prev_1h = stats.hour_open if stats.hour_open is not None else last_tick
    volume, turnover = stats.volume, stats.turnover
    high = stats.high if stats.high is not None else last_tick
    low = stats.low if stats.low is not None else last_tick
    change = (Decimal(last_tick - first) / Decimal(first)) if first else Decimal(0)
    bids, asks = book.top_ticks(1)
    bid1 = (str(price(bids[0][0])), str(size(bids[0][1]))) if bids else ("", "")
    ask1 = (str(price(asks[0][0])), str(size(asks[0][1]))) if asks else ("", "")
    turnover_value = (Decimal(turnover) * instrument.tick_size * instrument.qty_step).quantize(
        Decimal("0.0001")
    )
    index_mid = spot.mid_price() if spot is not None else None
    index = (index_mid if index_mid is not None else price(last_tick)).quantize(
        instrument.tick_size
    )
    common = {
        "symbol": instrument.symbol,
        "bid1Price": bid1[0],
        "bid1Size": bid1[1],
        "ask1Price": ask1[0],
        "ask1Size": ask1[1],
        "lastPrice": str(price(last_tick)),
        "prevPrice24h": str(price(first)),
        "price24hPcnt": str(change.quantize(_PERCENT_PLACES, rounding=ROUND_HALF_EVEN)),
        "highPrice24h": str(price(high)),
        "lowPrice24h": str(price(low)),
        "turnover24h": str(turnover_value),
        "volume24h": str(size(volume)),
    }
    if instrument.category == "spot":
        return {**common, "usdIndexPrice": str(index)}
    mark = book.mid_price() or price(last_tick)
    open_interest = size(volume * 2)
    return {
        **common,
        "indexPrice": str(index),
        "markPrice": str(mark.quantize(instrument.tick_size)),
        "prevPrice1h": str(price(prev_1h)),
        "openInterest": str(open_interest),
        "openInterestValue": str((open_interest * price(last_tick)).quantize(Decimal("0.01"))),
        "fundingRate": FUNDING_RATE,
        "nextFundingTime": str(now_ms - now_ms % FUNDING_INTERVAL_MS + FUNDING_INTERVAL_MS),
        "predictedDeliveryPrice": "",
        "basisRate": "",
        "deliveryFeeRate": "",
        "deliveryTime": "0",
        "basis": "",
    }
