"""Public market-data endpoints: instruments, tickers, klines, order book, trades, time."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from console.sim.bybit_rows import fmt
from console.sim.candles import INTERVAL_MINUTES, INTERVALS, MINUTE_MS, bucket_start
from console.sim.context import Call, Endpoint, SimContext
from console.sim.envelopes import BybitError, params_error
from console.sim.instruments import SimInstrument
from console.sim.params import (
    InstrumentsParams,
    KlineParams,
    OrderbookParams,
    RecentTradeParams,
    TickersParams,
    parse,
)

LAUNCH_TIME = "1585526400000"
_MONTH_MS = 31 * 86_400_000


def _decimals(step: Decimal) -> int:
    exponent = step.as_tuple().exponent
    return -exponent if isinstance(exponent, int) else 0


def _known(ctx: SimContext, category: str, symbol: str) -> None:
    if not ctx.market.has_book(category, symbol):
        raise BybitError(10001, "Not supported symbols")


def _instrument_row(instrument: SimInstrument) -> dict[str, Any]:
    risk = {"priceLimitRatioX": "0.05", "priceLimitRatioY": "0.1"}
    if instrument.category == "spot":
        return {
            "symbol": instrument.symbol,
            "baseCoin": instrument.base,
            "quoteCoin": instrument.quote,
            "innovation": "0",
            "status": "Trading",
            "marginTrading": "utaOnly",
            "stTag": "0",
            "lotSizeFilter": {
                "basePrecision": str(instrument.qty_step),
                "quotePrecision": str(instrument.quote_precision),
                "minOrderQty": str(instrument.min_qty),
                "maxOrderQty": str(instrument.max_qty),
                "minOrderAmt": str(instrument.min_notional),
                "maxOrderAmt": str(instrument.max_notional),
            },
            "priceFilter": {"tickSize": str(instrument.tick_size)},
            "riskParameters": risk,
        }
    tick = instrument.tick_size
    return {
        "symbol": instrument.symbol,
        "contractType": "LinearPerpetual",
        "status": "Trading",
        "baseCoin": instrument.base,
        "quoteCoin": instrument.quote,
        "launchTime": LAUNCH_TIME,
        "deliveryTime": "0",
        "deliveryFeeRate": "",
        "priceScale": str(_decimals(tick)),
        "leverageFilter": {"minLeverage": "1", "maxLeverage": "100.00", "leverageStep": "0.01"},
        "priceFilter": {
            "minPrice": str(tick),
            "maxPrice": str(tick * 19_999_980),
            "tickSize": str(tick),
        },
        "lotSizeFilter": {
            "maxOrderQty": str(instrument.max_qty),
            "minOrderQty": str(instrument.min_qty),
            "qtyStep": str(instrument.qty_step),
            "postOnlyMaxOrderQty": str(instrument.max_qty),
            "maxMktOrderQty": str(instrument.max_market_qty),
            "minNotionalValue": str(instrument.min_notional),
        },
        "unifiedMarginTrade": True,
        "fundingInterval": 480,
        "settleCoin": instrument.quote,
        "copyTrading": "both",
        "upperFundingRate": "0.005",
        "lowerFundingRate": "-0.005",
        "isPreListing": False,
        "preListingInfo": None,
        "riskParameters": risk,
        "displayName": "",
    }


def instruments_info(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Listed instruments; pre-launch listings are none, so ccxt's PreLaunch call is empty."""
    p = parse(InstrumentsParams, call.params)
    listed = ctx.market.instruments(p.category)
    if p.status is not None and p.status != "Trading":
        listed = []
    listed = [i for i in listed if p.symbol in (None, i.symbol) and p.baseCoin in (None, i.base)]
    start = p.cursor
    page = listed[start : start + p.limit]
    more = start + p.limit < len(listed)
    return {
        "category": p.category,
        "list": [_instrument_row(i) for i in page],
        "nextPageCursor": str(start + p.limit) if more else "",
    }


def tickers(ctx: SimContext, call: Call) -> dict[str, Any]:
    p = parse(TickersParams, call.params)
    if p.symbol is not None:
        _known(ctx, p.category, p.symbol)
    symbols = [
        i.symbol
        for i in ctx.market.instruments(p.category)
        if p.symbol in (None, i.symbol) and p.baseCoin in (None, i.base)
    ]
    rows: list[dict[str, object]] = [dict(ctx.market.ticker(p.category, s)) for s in symbols]
    if p.category == "linear":
        now = ctx.market.now_ms()
        for row in rows:
            row.update(preOpenPrice="", preQty="", curPreListingPhase="", timestamp=now)
    return {"category": p.category, "list": rows}


def kline(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Bars newest first. With ``start`` and no ``end`` the bars run forward from ``start``
    (how ccxt pages with ``since``); otherwise they are the latest up to ``end``."""
    p = parse(KlineParams, call.params)
    _known(ctx, p.category, p.symbol)
    if p.interval not in INTERVALS:
        raise params_error(f"interval: invalid period {p.interval}")
    length = INTERVAL_MINUTES.get(p.interval, 0) * MINUTE_MS or _MONTH_MS
    now = ctx.market.now_ms()
    end = p.end if p.end is not None else now
    series = ctx.market.candles(p.category, p.symbol)
    if p.start is not None and p.end is None:
        bars = series.bars(p.interval, p.start, now, 10_000)
        bars = [b for b in bars if b.start_ms >= bucket_start(p.start, p.interval)][-p.limit :]
    else:
        start = (
            p.start
            if p.start is not None
            else bucket_start(end, p.interval) - (p.limit - 1) * length
        )
        bars = series.bars(p.interval, start, end, p.limit)
    instrument = ctx.market.book(p.category, p.symbol).instrument
    price, size = instrument.price, instrument.size
    turnover_unit = instrument.tick_size * instrument.qty_step
    return {
        "symbol": p.symbol,
        "category": p.category,
        "list": [
            [
                str(b.start_ms),
                str(price(b.open)),
                str(price(b.high)),
                str(price(b.low)),
                str(price(b.close)),
                str(size(b.volume)),
                fmt(b.turnover * turnover_unit),
            ]
            for b in bars
        ],
    }


def orderbook(ctx: SimContext, call: Call) -> dict[str, Any]:
    p = parse(OrderbookParams, call.params)
    _known(ctx, p.category, p.symbol)
    spot = p.category == "spot"
    depth = min(p.limit or (1 if spot else 25), 200 if spot else 500)
    book = ctx.market.book(p.category, p.symbol)
    bids, asks = book.top(depth)
    now = ctx.market.now_ms()
    return {
        "s": p.symbol,
        "b": [[str(px), str(sz)] for px, sz in bids],
        "a": [[str(px), str(sz)] for px, sz in asks],
        "ts": now,
        "u": book.version,
        "seq": book.version,
        "cts": now,
    }


def recent_trade(ctx: SimContext, call: Call) -> dict[str, Any]:
    p = parse(RecentTradeParams, call.params)
    _known(ctx, p.category, p.symbol)
    spot = p.category == "spot"
    limit = min(p.limit or (60 if spot else 500), 60 if spot else 1000)
    trades = ctx.market.recent_trades(p.category, p.symbol, limit)
    return {
        "category": p.category,
        "list": [
            {
                "execId": t.trade_id,
                "symbol": t.symbol,
                "price": str(t.price),
                "size": str(t.size),
                "side": t.taker_side,
                "time": str(t.time_ms),
                "isBlockTrade": False,
                "isRPITrade": False,
            }
            for t in trades
        ],
    }


def server_time(ctx: SimContext, call: Call) -> dict[str, str]:
    nanos = time.time_ns()
    return {"timeSecond": str(nanos // 1_000_000_000), "timeNano": str(nanos)}


MARKET_ENDPOINTS = (
    Endpoint("GET", "/v5/market/instruments-info", instruments_info, private=False),
    Endpoint("GET", "/v5/market/tickers", tickers, private=False),
    Endpoint("GET", "/v5/market/kline", kline, private=False),
    Endpoint("GET", "/v5/market/orderbook", orderbook, private=False),
    Endpoint("GET", "/v5/market/recent-trade", recent_trade, private=False),
    Endpoint("GET", "/v5/market/time", server_time, private=False),
)
