"""Shared ccxt instances: one per (venue, credentials), markets loaded once, closed once.

An instance owns an aiohttp session and the venue's market table (the first load costs
several requests), so every part of the console that talks REST to the same venue with the
same key shares one. Credentials are identified by a hash, never kept as a key in clear.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from console.exchange.venues import Credentials, VenuePreset

log = logging.getLogger(__name__)

ResponseObserver = Callable[[str, int, Mapping[str, str]], None]
"""Told ``(endpoint path, HTTP status, response headers)`` of every HTTP response; the rate
limiter's ``observe_response`` has this shape."""

CCXT_LOGGER = "ccxt.base.exchange"
"""ccxt logs every request's headers (API key, signature) here at DEBUG."""


class _CredentialRedactor(logging.Filter):
    """Scrubs pooled credentials and request signatures from ccxt's own log records.

    ccxt's DEBUG lines carry the signed request headers (``X-BAPI-API-KEY``,
    ``X-BAPI-SIGN``) and Bybit's 10004 body echoes the signed origin string with the key.
    """

    _HEADER_VALUE = re.compile(
        r"('X-BAPI-(?:API-KEY|SIGN)'\s*:\s*')[^']*'|(origin_string\[)[^\]]*\]", re.IGNORECASE
    )

    def __init__(self) -> None:
        super().__init__()
        self._values: dict[str, int] = {}

    def add(self, values: list[str]) -> None:
        for value in values:
            self._values[value] = self._values.get(value, 0) + 1

    def remove(self, values: list[str]) -> None:
        for value in values:
            left = self._values.get(value, 0) - 1
            if left > 0:
                self._values[value] = left
            else:
                self._values.pop(value, None)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        message = self._HEADER_VALUE.sub(
            lambda m: f"{m.group(1)}[redacted]'" if m.group(1) else "origin_string[redacted]",
            message,
        )
        for value in self._values:
            message = message.replace(value, "[redacted]")
        record.msg, record.args = message, None
        return True


_REDACTOR = _CredentialRedactor()
logging.getLogger(CCXT_LOGGER).addFilter(_REDACTOR)


def credentials_fingerprint(credentials: Credentials | None) -> str:
    """A stable, non-reversible identity of a key pair (``public`` when there is none)."""
    if credentials is None:
        return "public"
    material = "\0".join(
        (
            credentials.api_key.get_secret_value(),
            credentials.secret.get_secret_value(),
            credentials.passphrase.get_secret_value() if credentials.passphrase else "",
        )
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def _secret_values(credentials: Credentials | None) -> list[str]:
    if credentials is None:
        return []
    secrets = [credentials.api_key, credentials.secret, credentials.passphrase]
    return [s.get_secret_value() for s in secrets if s is not None and s.get_secret_value()]


@dataclass
class _Entry:
    exchange: Any
    secrets: list[str] = field(repr=False)
    users: int = 0
    markets_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_headers: dict[str, Mapping[str, str]] = field(default_factory=dict)
    """Path -> headers of the latest response from it (for RateLimited.retry_after)."""


class ExchangeConnectionPool:
    """One ccxt async instance per (venue, credentials fingerprint), shared and reused.

    Instances stay open while idle (warming one costs the market load) until
    :meth:`close_all`, which the composition root calls on exit.
    """

    def __init__(self, *, observer: ResponseObserver | None = None) -> None:
        self._observer = observer
        self._entries: dict[tuple[str, str], _Entry] = {}

    def __repr__(self) -> str:
        users = sum(entry.users for entry in self._entries.values())
        return f"ExchangeConnectionPool(instances={len(self._entries)}, users={users})"

    def get_connection(self, preset: VenuePreset, credentials: Credentials | None = None) -> Any:
        """The shared instance for this venue and key; built on first use."""
        key = (preset.pool_key, credentials_fingerprint(credentials))
        entry = self._entries.get(key)
        if entry is None:
            exchange = preset.build(credentials)
            if preset.config.get("urls", {}).get("api", {}).get("public", "").startswith("http:"):
                exchange.timeout_on_exit = 0  # no TLS shutdown to wait for on loopback
            entry = _Entry(exchange=exchange, secrets=_secret_values(credentials))
            _tap_responses(exchange, entry.last_headers, self._observer)
            _REDACTOR.add(entry.secrets)
            self._entries[key] = entry
        entry.users += 1
        return entry.exchange

    def release_connection(self, connection: Any) -> None:
        """Give a connection back; it stays open for the next user until :meth:`close_all`."""
        entry = self._entry_of(connection)
        entry.users = max(entry.users - 1, 0)

    def last_response_headers(self, connection: Any, path: str) -> Mapping[str, str]:
        """Headers of the latest response from ``path`` on this connection (empty if none)."""
        return self._entry_of(connection).last_headers.get(path, {})

    async def load_markets(self, connection: Any) -> dict[str, Any]:
        """The venue's ccxt market table, loaded once per instance; concurrent first callers
        wait for the same load, and a failed load is retried by the next caller."""
        entry = self._entry_of(connection)
        async with entry.markets_lock:
            if not connection.markets:
                await connection.load_markets()
        markets: dict[str, Any] = connection.markets
        return markets

    async def close_all(self) -> None:
        """Close every instance (and its aiohttp session); the pool can be reused after."""
        entries, self._entries = list(self._entries.values()), {}
        results = await asyncio.gather(
            *(entry.exchange.close() for entry in entries), return_exceptions=True
        )
        for entry, result in zip(entries, results, strict=True):
            _REDACTOR.remove(entry.secrets)
            if isinstance(result, BaseException):
                log.warning("closing %s failed: %s", entry.exchange.id, type(result).__name__)

    def _entry_of(self, connection: Any) -> _Entry:
        for entry in self._entries.values():
            if entry.exchange is connection:
                return entry
        raise ValueError("this connection does not belong to the pool (or it was closed)")


def _tap_responses(
    exchange: Any, last_headers: dict[str, Mapping[str, str]], observer: ResponseObserver | None
) -> None:
    """Keep every HTTP response's headers by path and report the response to ``observer``.

    ccxt calls ``on_rest_response`` once per response, with status and headers, before it
    parses the body or raises for a ``retCode`` or an HTTP error; so the limiter sees the
    ``X-Bapi-Limit*`` headers of failed calls (10006, 403) too. ``handle_errors`` would also
    see them, but Bybit overrides it with logic of its own that we would have to chain.
    """
    original = exchange.on_rest_response

    def on_rest_response(
        code: int,
        reason: str,
        url: str,
        method: str,
        response_headers: Mapping[str, str],
        response_body: str,
        request_headers: Any,
        request_body: Any,
    ) -> Any:
        path = urlsplit(url).path
        last_headers[path] = response_headers
        try:
            if observer is not None:
                observer(path, int(code), response_headers)
        except Exception as error:  # an observer bug must not fail a trade
            log.error("response observer failed: %s", type(error).__name__)
        return original(
            code,
            reason,
            url,
            method,
            response_headers,
            response_body,
            request_headers,
            request_body,
        )

    exchange.on_rest_response = on_rest_response


__all__ = ["ExchangeConnectionPool", "ResponseObserver", "credentials_fingerprint"]
