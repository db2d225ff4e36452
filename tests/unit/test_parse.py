"""ccxt's parsed Bybit answers become exact domain models.

Inputs are ccxt's own recorded outputs (``tests/fixtures/ccxt-static/response-bybit.json``,
``parsedResponse``), and for markets ccxt's bybit parser run over Bybit's documented
instruments-info answers (docs/v5/market/instrument.mdx).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import ccxt.async_support as ccxt
import pytest

from console.domain import MarketType, OrderRequest, OrderStatus, OrderType, Side, TimeInForce
from console.exchange.bybit_parse import parse_key_info
from console.exchange.errors import MalformedResponse
from console.exchange.parse import (
    DECIMAL_PLACES,
    parse_balances,
    parse_candles,
    parse_market,
    parse_markets,
    parse_order,
    parse_order_book,
    parse_ticker,
    parse_trades,
    to_decimal,
)

FIXTURE = Path(__file__).parents[1] / "fixtures" / "ccxt-static" / "response-bybit.json"
RECEIVED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

SPOT_INSTRUMENTS = {
    "retCode": 0,
    "retMsg": "OK",
    "result": {
        "category": "spot",
        "list": [
            {
                "symbol": "BTCUSDT",
                "baseCoin": "BTC",
                "quoteCoin": "USDT",
                "innovation": "0",
                "status": "Trading",
                "marginTrading": "utaOnly",
                "stTag": "0",
                "lotSizeFilter": {
                    "basePrecision": "0.000001",
                    "quotePrecision": "0.00000001",
                    "minOrderQty": "0.000048",
                    "maxOrderQty": "71.73956243",
                    "minOrderAmt": "1",
                    "maxOrderAmt": "2000000",
                },
                "priceFilter": {"tickSize": "0.01"},
                "riskParameters": {"priceLimitRatioX": "0.05", "priceLimitRatioY": "0.05"},
            }
        ],
    },
    "retExtInfo": {},
    "time": 1760000000000,
}
LINEAR_INSTRUMENTS = {
    "retCode": 0,
    "retMsg": "OK",
    "result": {
        "category": "linear",
        "list": [
            {
                "symbol": "BTCUSDT",
                "contractType": "LinearPerpetual",
                "status": "Trading",
                "baseCoin": "BTC",
                "quoteCoin": "USDT",
                "launchTime": "1585526400000",
                "deliveryTime": "0",
                "deliveryFeeRate": "",
                "priceScale": "2",
                "leverageFilter": {
                    "minLeverage": "1",
                    "maxLeverage": "100.00",
                    "leverageStep": "0.01",
                },
                "priceFilter": {"minPrice": "0.10", "maxPrice": "199999.80", "tickSize": "0.10"},
                "lotSizeFilter": {
                    "maxOrderQty": "1190.000",
                    "minOrderQty": "0.001",
                    "qtyStep": "0.001",
                    "postOnlyMaxOrderQty": "1190.000",
                    "maxMktOrderQty": "500.000",
                    "minNotionalValue": "5",
                },
                "unifiedMarginTrade": True,
                "fundingInterval": 480,
                "settleCoin": "USDT",
                "copyTrading": "both",
                "upperFundingRate": "0.00375",
                "lowerFundingRate": "-0.00375",
                "isPreListing": False,
                "preListingInfo": None,
                "displayName": "",
            }
        ],
        "nextPageCursor": "",
    },
    "retExtInfo": {},
    "time": 1760000000000,
}


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    methods: dict[str, Any] = json.loads(FIXTURE.read_text())["methods"]
    return methods


def parsed(recorded: dict[str, Any], method: str, index: int = 0) -> Any:
    return recorded[method][index]["parsedResponse"]


async def ccxt_markets() -> dict[str, Any]:
    """ccxt's bybit parser over the documented instruments answers (no network)."""
    exchange = ccxt.bybit({"options": {"fetchMarkets": {"types": ["spot", "linear"]}}})

    async def instruments_info(params: dict[str, Any]) -> dict[str, Any]:
        if params.get("status") == "PreLaunch":
            return {**LINEAR_INSTRUMENTS, "result": {"category": "linear", "list": []}}
        return SPOT_INSTRUMENTS if params["category"] == "spot" else LINEAR_INSTRUMENTS

    exchange.publicGetV5MarketInstrumentsInfo = instruments_info
    markets: dict[str, Any] = {m["symbol"]: m for m in await exchange.fetch_markets()}
    return markets


async def test_markets_carry_exact_tick_step_and_minimums() -> None:
    markets = parse_markets(await ccxt_markets())

    linear = markets["BTC/USDT:USDT"]
    assert linear.type is MarketType.LINEAR
    assert linear.venue_id == "BTCUSDT"
    assert linear.settle == "USDT"
    assert linear.tick_size == Decimal("0.1")
    assert linear.qty_step == Decimal("0.001")
    assert linear.min_qty == Decimal("0.001")
    assert linear.max_qty == Decimal("1190")
    assert linear.min_notional == Decimal("5")
    assert linear.taker_fee == Decimal("0.0006")
    assert linear.maker_fee == Decimal("0.0001")
    spot = markets["BTC/USDT"]
    assert spot.type is MarketType.SPOT
    assert spot.tick_size == Decimal("0.01")
    assert spot.qty_step == Decimal("0.000001")
    assert spot.min_qty == Decimal("0.000048")
    assert spot.min_notional == Decimal("1")


def test_unsupported_market_types_are_left_out() -> None:
    option = {"symbol": "BTC/USD:BTC-1", "option": True, "spot": False, "swap": False}
    inverse = {"symbol": "BTC/USD:BTC", "swap": True, "linear": False, "inverse": True}

    assert parse_markets({"a": option, "b": inverse}) == {}


def test_decimal_places_precision_becomes_a_step() -> None:
    market = {
        "id": "BTC-USDT",
        "symbol": "BTC/USDT",
        "base": "BTC",
        "quote": "USDT",
        "spot": True,
        "precision": {"price": 2, "amount": 5},
        "limits": {},
    }

    parsed_market = parse_market(market, precision_mode=DECIMAL_PLACES)

    assert parsed_market is not None
    assert parsed_market.tick_size == Decimal("0.01")
    assert parsed_market.qty_step == Decimal("0.00001")


def test_market_without_precision_is_malformed() -> None:
    market = {
        "id": "X",
        "symbol": "X/Y",
        "base": "X",
        "quote": "Y",
        "spot": True,
        "precision": {"price": None, "amount": 1},
    }

    with pytest.raises(MalformedResponse, match="tick size"):
        parse_market(market)


def test_ticker_without_timestamp_takes_arrival_time(recorded: dict[str, Any]) -> None:
    ticker = parse_ticker(parsed(recorded, "fetchTicker"), received_at=RECEIVED)

    assert ticker.symbol == "BTC/USDT:USDT"
    assert ticker.timestamp == RECEIVED
    assert ticker.last == Decimal("51444.4")
    assert ticker.bid == Decimal("51444.3")
    assert ticker.ask_size == Decimal("491.691")
    assert ticker.change_24h_pct == Decimal("2.5861")
    assert ticker.volume_24h == Decimal("47293.887")


def test_candles_are_exact_and_oldest_first(recorded: dict[str, Any]) -> None:
    candles = parse_candles(parsed(recorded, "fetchOHLCV"))

    assert [c.close for c in candles] == [Decimal(43488), Decimal("43376.1"), Decimal("43352.8")]
    assert candles[0].timestamp == datetime(2024, 1, 30, 16, 0, tzinfo=UTC)
    assert candles[0].volume == Decimal("1341.261")


def test_short_candle_row_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match="3 fields"):
        parse_candles([[1, 2, 3]])


@pytest.mark.parametrize(("index", "symbol"), [(0, "BTC/USDT:USDT"), (1, "BTC/USDT")])
def test_order_book(recorded: dict[str, Any], index: int, symbol: str) -> None:
    book = parse_order_book(
        parsed(recorded, "fetchOrderBook", index), symbol=symbol, received_at=RECEIVED
    )

    assert book.symbol == symbol
    assert len(book.bids) == len(book.asks) == 2
    assert book.best_bid is not None
    assert book.best_ask is not None
    assert book.best_bid.price < book.best_ask.price
    assert book.exchange_time is not None
    assert book.received_at == RECEIVED
    assert all(isinstance(level.price, Decimal) for level in book.bids + book.asks)


def test_order_book_levels_keep_decimal_text(recorded: dict[str, Any]) -> None:
    book = parse_order_book(
        parsed(recorded, "fetchOrderBook", 1), symbol="BTC/USDT", received_at=RECEIVED
    )

    assert book.bids[1].size == Decimal("0.000667")


def test_trades(recorded: dict[str, Any]) -> None:
    (trade,) = parse_trades(parsed(recorded, "fetchTrades"))

    assert trade.trade_id == "9afd1288-b444-53f8-8e40-c2f99368ad22"
    assert trade.side is Side.BUY
    assert trade.price == Decimal("51444.4")
    assert trade.size == Decimal("0.972")


def test_trade_with_unknown_side_is_malformed(recorded: dict[str, Any]) -> None:
    trade = dict(parsed(recorded, "fetchTrades")[0], side="sideways")

    with pytest.raises(MalformedResponse, match="sideways"):
        parse_trades([trade])


def test_partially_filled_then_cancelled_is_cancelled_not_filled(recorded: dict[str, Any]) -> None:
    order = parse_order(parsed(recorded, "fetchOrder", 0))

    assert order.status is OrderStatus.CANCELED
    assert order.filled == Decimal("0.001614")
    assert order.type is OrderType.MARKET
    assert order.price is None
    assert order.time_in_force is TimeInForce.IOC
    assert order.reason == "EC_CancelForNoFullFill"


def test_filled_spot_order(recorded: dict[str, Any]) -> None:
    order = parse_order(parsed(recorded, "fetchOrder", 1))

    assert order.status is OrderStatus.FILLED
    assert order.side is Side.SELL
    assert order.quantity == Decimal(123)
    assert order.average_price == Decimal("0.5351")
    assert order.reason is None


def test_open_order(recorded: dict[str, Any]) -> None:
    order = parse_order(parsed(recorded, "fetchOpenOrder"))

    assert order.status is OrderStatus.OPEN
    assert order.price == Decimal(102000)
    assert order.remaining == Decimal("0.001")
    assert order.created_at == datetime(2025, 9, 18, 10, 2, 55, 648000, tzinfo=UTC)


def test_closed_order_fee(recorded: dict[str, Any]) -> None:
    order = parse_order(parsed(recorded, "fetchClosedOrder"))

    assert order.status is OrderStatus.FILLED
    assert order.fee == Decimal("0.0679239")
    assert order.fee_currency == "USDT"


def test_acknowledgement_is_completed_from_the_request(recorded: dict[str, Any]) -> None:
    request = OrderRequest(
        symbol="LTC/USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        quantity=Decimal("0.1"),
        price=Decimal(60),
        time_in_force=TimeInForce.POST_ONLY,
    )

    order = parse_order(parsed(recorded, "createOrder", 1), request=request)

    assert order.order_id == "1609920528435648000"
    assert order.client_order_id == "1609920528444036608"
    assert order.status is OrderStatus.PENDING
    assert order.side is Side.BUY
    assert order.price == Decimal(60)
    assert order.quantity == Decimal("0.1")
    assert order.time_in_force is TimeInForce.POST_ONLY


def test_acknowledgement_without_request_is_malformed(recorded: dict[str, Any]) -> None:
    with pytest.raises(MalformedResponse):
        parse_order(parsed(recorded, "createOrder", 1))


def test_balances_derive_free_from_used(recorded: dict[str, Any]) -> None:
    balances = {b.currency: b for b in parse_balances(parsed(recorded, "fetchBalance"))}

    usdc = balances["USDC"]
    assert usdc.total == Decimal("5848.20013918")
    assert usdc.free + usdc.used == usdc.total
    assert list(balances) == sorted(balances)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, Decimal("0.1")),
        ("0.000667", Decimal("0.000667")),
        (5, Decimal(5)),
        (1e-8, Decimal("1E-8")),
    ],
)
def test_to_decimal_keeps_the_sent_digits(value: object, expected: Decimal) -> None:
    assert to_decimal(value) == expected
    assert str(to_decimal(0.1)) == "0.1"


@pytest.mark.parametrize("value", [None, True, "abc", float("nan"), float("inf"), [1]])
def test_to_decimal_refuses_junk(value: object) -> None:
    with pytest.raises(MalformedResponse):
        to_decimal(value)


QUERY_API = {
    "retCode": 0,
    "retMsg": "",
    "result": {
        "id": "13770661",
        "note": "trading bot",
        "apiKey": "XXXXXXXXXXXXXXXXXX",
        "readOnly": 0,
        "secret": "",
        "permissions": {
            "ContractTrade": ["Order", "Position"],
            "Spot": ["SpotTrade"],
            "Wallet": ["AccountTransfer", "SubMemberTransfer"],
            "Options": ["OptionsTrade"],
            "Derivatives": ["DerivativesTrade"],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": ["ExchangeHistory"],
            "NFT": [],
            "Affiliate": [],
        },
        "ips": ["*"],
        "type": 1,
        "deadlineDay": 66,
        "expiredAt": "2023-12-22T07:20:25Z",
        "createdAt": "2022-10-16T02:24:40Z",
        "unified": 0,
        "uta": 1,
        "userID": 24617703,
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
    },
    "retExtInfo": {},
    "time": 1697525990798,
}
"""A ``/v5/user/query-api`` answer in the shape Bybit documents ("Get API Key Information",
docs/v5/user/apikey-info): ``id`` is the key's internal id, ``userID`` the account's UID."""


def query_api(**result: object) -> dict[str, Any]:
    documented = QUERY_API["result"]
    assert isinstance(documented, dict)
    return {**QUERY_API, "result": {**documented, **result}}


def test_key_info_names_the_user_not_the_key() -> None:
    key = parse_key_info(QUERY_API)

    assert key.uid == "24617703", "userID is the account; id is the key's internal id"
    assert not key.read_only
    assert key.permissions == (
        "ContractTrade:Order",
        "ContractTrade:Position",
        "Derivatives:DerivativesTrade",
        "Exchange:ExchangeHistory",
        "Options:OptionsTrade",
        "Spot:SpotTrade",
        "Wallet:AccountTransfer",
        "Wallet:SubMemberTransfer",
    )
    assert key.ips == ("*",)
    assert not key.ip_bound
    assert not key.can_withdraw
    assert "XXXXXXXXXXXXXXXXXX" not in repr(key)


def test_key_info_of_a_bound_read_only_key_that_can_withdraw() -> None:
    key = parse_key_info(
        query_api(readOnly="1", permissions={"Wallet": ["Withdraw"]}, ips=["203.0.113.7", ""])
    )

    assert key.read_only
    assert key.permissions == ("Wallet:Withdraw",)
    assert key.can_withdraw
    assert key.ips == ("203.0.113.7",)
    assert key.ip_bound


def test_key_info_without_optional_fields_is_empty_not_malformed() -> None:
    key = parse_key_info({"retCode": 0, "result": {}})

    assert (key.uid, key.read_only, key.permissions, key.ips) == (None, False, (), ())


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"retCode": 0}, "key description without 'result'"),
        ({"retCode": 0, "result": []}, "result is not an object"),
        (query_api(permissions=["Spot:SpotTrade"]), "permissions are not an object"),
        (query_api(permissions={"Spot": "SpotTrade"}), "Spot permissions is not a list"),
        (query_api(permissions={"Spot": [1]}), "Spot permissions is not a list"),
        (query_api(ips="203.0.113.7"), "IP allow-list is not a list"),
        (query_api(readOnly=2), "readOnly 2, not 0 or 1"),
        (query_api(readOnly=True), "readOnly True, not 0 or 1"),
        (query_api(userID=24617703.0), "unreadable userID: 24617703.0"),
    ],
)
def test_malformed_key_info_says_what_is_wrong(answer: Any, message: str) -> None:
    with pytest.raises(MalformedResponse, match=message):
        parse_key_info(answer)
