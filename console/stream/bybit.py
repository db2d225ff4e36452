"""Bybit v5 public WebSocket protocol: symbols, topics, requests and control frames.

Only what is specific to Bybit lives here (``bybit-v5.md`` section 5); the feed that uses it
(``feed.py``) keeps books and windows, and the connection (``connection.py``) knows nothing
about Bybit at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import orjson

from console.config import StreamSettings
from console.domain import GapPolicy, MarketType

MAINNET_WS = "wss://stream.bybit.com"
TESTNET_WS = "wss://stream-testnet.bybit.com"
PUBLIC_WS_BY_VENUE = {"bybit": MAINNET_WS, "bybit-demo": MAINNET_WS, "bybit-testnet": TESTNET_WS}
"""Demo trading takes its public data from mainnet (Bybit's demo docs)."""

BOOK_DEPTHS = (1, 50, 200, 1000)
SPOT_MAX_ARGS = 10
"""Bybit spot refuses subscribe requests with more than ten topics."""

_UNIFIED = re.compile(r"^([A-Z0-9]+)/([A-Z0-9]+)(?::([A-Z0-9]+))?$")


class BybitSymbol:
    """A ccxt unified symbol mapped to Bybit's category and instrument id."""

    __slots__ = ("category", "unified", "venue_id")

    def __init__(self, unified: str) -> None:
        match = _UNIFIED.match(unified)
        if match is None:
            raise ValueError(f"not a ccxt symbol: {unified!r} (e.g. BTC/USDT:USDT or BTC/USDT)")
        base, quote, settle = match.groups()
        if settle is not None and settle != quote:
            raise ValueError(f"{unified}: only linear contracts settled in the quote coin")
        self.unified = unified
        self.category = MarketType.LINEAR if settle else MarketType.SPOT
        self.venue_id = base + quote

    def book_topic(self, depth: int) -> str:
        if depth not in BOOK_DEPTHS:
            raise ValueError(f"Bybit book depth must be one of {BOOK_DEPTHS}, not {depth}")
        return f"orderbook.{depth}.{self.venue_id}"

    def trade_topic(self) -> str:
        return f"publicTrade.{self.venue_id}"


def public_url(base_url: str, category: MarketType) -> str:
    """``ws://host:port`` (or Bybit's host) plus the category's public path."""
    return f"{base_url.rstrip('/')}/v5/public/{category.value}"


def gap_policy(settings: StreamSettings) -> GapPolicy:
    """Bybit documents ``u`` only as "a sequence": strict unless the user says otherwise."""
    return GapPolicy.TOLERATE if settings.tolerate_gaps else GapPolicy.STRICT


def request(op: str, req_id: int, args: Sequence[str] = ()) -> str:
    body: dict[str, Any] = {"req_id": str(req_id), "op": op}
    if args:
        body["args"] = list(args)
    return orjson.dumps(body).decode()


def subscription_requests(
    op: str, topics: Sequence[str], category: MarketType, next_id: Iterator[int]
) -> list[str]:
    """``subscribe``/``unsubscribe`` requests for ``topics``, chunked where spot needs it."""
    size = SPOT_MAX_ARGS if category is MarketType.SPOT else max(len(topics), 1)
    return [
        request(op, next(next_id), topics[start : start + size])
        for start in range(0, len(topics), size)
    ]


def is_pong(message: dict[str, Any]) -> bool:
    """Every pong shape Bybit sends: spot/linear ``ret_msg: pong``, option/private ``op: pong``."""
    return message.get("ret_msg") == "pong" or message.get("op") == "pong"
