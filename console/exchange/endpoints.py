"""Names of the REST endpoints the console calls, with their rate-limit category.

The names are Bybit v5 paths because Bybit's per-endpoint limits are keyed by them and the
``X-Bapi-Limit*`` headers arrive for them; for other venues they are logical names for the
same operations. The rate limiter keys its windows by these strings.
"""

from __future__ import annotations

from typing import NamedTuple

from console.domain import EndpointCategory


class Endpoint(NamedTuple):
    category: EndpointCategory
    path: str


INSTRUMENTS = Endpoint(EndpointCategory.PUBLIC, "/v5/market/instruments-info")
SERVER_TIME = Endpoint(EndpointCategory.PUBLIC, "/v5/market/time")
TICKERS = Endpoint(EndpointCategory.MARKET_DATA, "/v5/market/tickers")
KLINE = Endpoint(EndpointCategory.MARKET_DATA, "/v5/market/kline")
ORDERBOOK = Endpoint(EndpointCategory.MARKET_DATA, "/v5/market/orderbook")
RECENT_TRADES = Endpoint(EndpointCategory.MARKET_DATA, "/v5/market/recent-trade")
ORDER_CREATE = Endpoint(EndpointCategory.TRADING, "/v5/order/create")
ORDER_CANCEL = Endpoint(EndpointCategory.TRADING, "/v5/order/cancel")
ORDER_AMEND = Endpoint(EndpointCategory.TRADING, "/v5/order/amend")
ORDER_CREATE_BATCH = Endpoint(EndpointCategory.TRADING, "/v5/order/create-batch")
ORDER_CANCEL_BATCH = Endpoint(EndpointCategory.TRADING, "/v5/order/cancel-batch")
TRADING_STOP = Endpoint(EndpointCategory.ACCOUNT, "/v5/position/trading-stop")
EXECUTION_LIST = Endpoint(EndpointCategory.TRADING, "/v5/execution/list")
POSITION_LIST = Endpoint(EndpointCategory.ACCOUNT, "/v5/position/list")
SET_LEVERAGE = Endpoint(EndpointCategory.ACCOUNT, "/v5/position/set-leverage")
ORDER_REALTIME = Endpoint(EndpointCategory.TRADING, "/v5/order/realtime")
ORDER_HISTORY = Endpoint(EndpointCategory.TRADING, "/v5/order/history")
WALLET_BALANCE = Endpoint(EndpointCategory.ACCOUNT, "/v5/account/wallet-balance")
KEY_INFO = Endpoint(EndpointCategory.ACCOUNT, "/v5/user/query-api")
