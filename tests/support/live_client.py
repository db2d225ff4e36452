"""A live ExchangeClient (and ccxt configs) wired to a running simulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.config import Settings, load_settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange import Credentials, ExchangeClient, VenueEndpoints, venue_preset
from console.sim import SimServer

LINEAR = "BTC/USDT:USDT"


def sim_settings(mode: str = "live") -> Settings:
    return load_settings({"venue": "sim", "mode": mode}, environ={}, dotenv_path=None)


def sim_endpoints(sim: Any) -> VenueEndpoints:
    return VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)


def sim_credentials(
    sim: Any, *, api_key: str | None = None, secret: str | None = None
) -> Credentials:
    return Credentials(api_key=api_key or sim.api_key, secret=secret or sim.api_secret)


def make_client(sim: Any, *, mode: str = "live", **kwargs: Any) -> ExchangeClient:
    credentials = kwargs.pop("credentials", None) or sim_credentials(sim)
    return ExchangeClient(
        sim_settings(mode), endpoints=sim_endpoints(sim), credentials=credentials, **kwargs
    )


async def resting_buy(client: ExchangeClient, symbol: str = LINEAR, **extra: Any) -> OrderRequest:
    """A limit buy 10 % under the bid: it rests, it never fills during a test."""
    market = await client.market(symbol)
    ticker = await client.fetch_ticker(symbol)
    assert ticker.bid is not None
    price = market.round_price(ticker.bid * Decimal("0.9"))
    quantity = max(market.min_qty, market.qty_step)
    while price * quantity < market.min_notional:
        quantity += market.qty_step
    return OrderRequest(
        symbol=symbol, side=Side.BUY, type=OrderType.LIMIT, quantity=quantity, price=price, **extra
    )


def sim_config(sim: SimServer) -> dict[str, Any]:
    endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
    config = dict(venue_preset(Settings(), endpoints).config)
    return config | {"apiKey": sim.api_key, "secret": sim.api_secret}
