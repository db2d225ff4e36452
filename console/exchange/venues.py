"""Venue presets: which ccxt class to build and with which options, per venue name.

A preset is data (a ccxt id and a config dict) plus the two switches ccxt offers only as
calls after construction (sandbox, demo). Credentials are added by the pool, never stored
here, so a preset can be logged or shown.
"""

from __future__ import annotations

import difflib
from typing import Any

import ccxt.async_support as ccxt
from pydantic import BaseModel, ConfigDict

from console.config import BYBIT_VENUES, SIM_VENUE, Settings
from console.exchange.access import Credentials, VenueEndpoints
from console.exchange.errors import UnknownVenue

SIM_MARKET_TYPES = ("spot", "linear")
"""What the console trades (domain MarketType); the sim serves exactly these."""

_BYBIT_REST_KEYS = ("public", "private", "spot", "futures", "v2")
_WS_PUBLIC_TYPES = ("spot", "linear", "inverse", "option")


class VenuePreset(BaseModel):
    """How to build the ccxt instance for one venue (without credentials)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    venue: str
    """The console's venue name (``sim``, ``bybit-demo``, ``okx``...)."""
    exchange_id: str
    """The ccxt class name."""
    config: dict[str, Any]
    sandbox: bool = False
    demo: bool = False
    is_bybit: bool = False
    """Bybit v5 (or the sim): the console's own limiter governs, ccxt's throttle is off."""
    recv_window_ms: int | None = None
    """How long a signed request stays valid after its timestamp; given to every ccxt class
    that has a ``recvWindow`` option (Bybit, Binance and its kin, MEXC, BingX...), so the
    setting means the same on every venue instead of only on Bybit."""

    @property
    def pool_key(self) -> str:
        """Identity of the venue for sharing instances: two sims on two ports differ."""
        api = self.config.get("urls", {}).get("api", {})
        return f"{self.venue}@{api.get('public', '')}" if api else self.venue

    def build(self, credentials: Credentials | None) -> Any:
        """A fresh ccxt async instance. Its aiohttp session opens lazily on the first call."""
        config = dict(self.config)
        if credentials is not None:
            config.update(credentials.ccxt_config())
        exchange = getattr(ccxt, self.exchange_id)(config)
        if self.recv_window_ms is not None and "recvWindow" in exchange.options:
            default = exchange.options["recvWindow"]
            exchange.options["recvWindow"] = (
                str(self.recv_window_ms) if isinstance(default, str) else self.recv_window_ms
            )
        if self.sandbox:
            exchange.set_sandbox_mode(True)
        if self.demo:
            exchange.enable_demo_trading(True)
        return exchange


def market_load_requests(exchange: Any) -> int:
    """How many HTTP requests one ``load_markets`` of this ccxt instance sends.

    ccxt venues that split their markets by type say which types they load in
    ``options["fetchMarkets"]`` and ask once per type (Bybit: once for spot, once for
    linear; per currency for options). Venues without that option ask once as far as we can
    know, so 1 is a floor, never an overcount.
    """
    option = exchange.options.get("fetchMarkets")
    types = option.get("types") if isinstance(option, dict) else option
    if not isinstance(types, list) or not types:
        return 1
    per_currency = option.get("options") if isinstance(option, dict) else None
    currencies = len(per_currency) if isinstance(per_currency, list) and per_currency else 1
    return sum(currencies if kind == "option" else 1 for kind in types)


def _bybit_options(settings: Settings) -> dict[str, Any]:
    """Skip the hidden unified-account probe and currency/option loads (bybit-v5.md s.1)."""
    return {
        "enableRateLimit": False,
        "has": {"fetchCurrencies": False},
        "options": {
            "enableUnifiedAccount": True,
            "enableUnifiedMargin": False,
            "unifiedMarginStatus": 6,
            "fetchMarkets": {"types": list(SIM_MARKET_TYPES)},
        },
    }


def _sim_urls(endpoints: VenueEndpoints) -> dict[str, Any]:
    """Point every REST key and the WS URLs at the simulator (bybit-v5.md section 2)."""
    rest = endpoints.rest_url.rstrip("/")
    ws = endpoints.ws_url.rstrip("/")
    api: dict[str, Any] = dict.fromkeys(_BYBIT_REST_KEYS, rest)
    api["ws"] = {
        "public": {kind: f"{ws}/v5/public/{kind}" for kind in _WS_PUBLIC_TYPES},
        "private": {
            "contract": f"{ws}/v5/private",
            "spot": {"unified": f"{ws}/v5/private", "nonUnified": f"{ws}/v5/private"},
            "trade": f"{ws}/v5/trade",
        },
    }
    return {"api": api}


def venue_url_endpoints(settings: Settings) -> VenueEndpoints | None:
    """``settings.venue_url`` as REST and WebSocket bases (the simulator's layout), or None."""
    if settings.venue_url is None or settings.venue_ws_url is None:
        return None
    return VenueEndpoints(rest_url=settings.venue_url, ws_url=settings.venue_ws_url)


def venue_preset(settings: Settings, endpoints: VenueEndpoints | None = None) -> VenuePreset:
    """The preset for ``settings.venue``.

    A Bybit venue with ``settings.venue_url`` (or given ``endpoints``) talks to that server
    instead of Bybit's hosts, with every REST key and stream URL pointed at it.

    Raises:
        UnknownVenue: the venue is no preset and no ccxt id (names close matches), or venue
            ``sim`` was asked for without the simulator's endpoints.
    """
    venue = settings.venue
    if endpoints is None:
        endpoints = venue_url_endpoints(settings)
    if venue == SIM_VENUE or (venue in BYBIT_VENUES and endpoints is not None):
        if endpoints is None:
            raise UnknownVenue("Venue sim needs a running simulator (its URLs were not given)")
        config = _bybit_options(settings) | {"urls": _sim_urls(endpoints)}
        return VenuePreset(
            venue=venue,
            exchange_id="bybit",
            config=config,
            is_bybit=True,
            recv_window_ms=settings.recv_window_ms,
        )
    if venue in BYBIT_VENUES:
        return VenuePreset(
            venue=venue,
            exchange_id="bybit",
            config=_bybit_options(settings),
            sandbox=venue == "bybit-testnet",
            demo=venue == "bybit-demo",
            is_bybit=True,
            recv_window_ms=settings.recv_window_ms,
        )
    if venue in ccxt.exchanges:
        return VenuePreset(
            venue=venue,
            exchange_id=venue,
            config={"enableRateLimit": True},
            recv_window_ms=settings.recv_window_ms,
        )
    raise UnknownVenue(_unknown_venue_message(venue))


def _unknown_venue_message(venue: str) -> str:
    known = [SIM_VENUE, *BYBIT_VENUES, *ccxt.exchanges]
    close = difflib.get_close_matches(venue, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"Unknown venue {venue!r}: use sim, bybit, bybit-testnet, bybit-demo or a ccxt id{hint}"


__all__ = [
    "Credentials",
    "VenueEndpoints",
    "VenuePreset",
    "market_load_requests",
    "venue_preset",
    "venue_url_endpoints",
]
