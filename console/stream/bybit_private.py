"""Bybit v5 private stream: the live account over ``/v5/private``, rebuilt from REST on
every (re)connect.

Connection discipline is the public stream's (:class:`ReconnectingWebSocket`: heartbeat,
silence watchdog, capped full-jitter backoff); on top of it, each connection:

1. sends ``auth`` (``expires`` ten seconds ahead, signed over ``"GET/realtime" + expires``)
   and, pipelined behind it, one ``subscribe`` for ``order``, ``execution``, ``position``
   and ``wallet``;
2. once both are acknowledged, rebuilds the account from REST: open orders (and the final
   state of orders that were open and are no longer listed), positions, balances, and every
   execution since shortly before the last one seen. Pushes arriving meanwhile are held and
   replayed on top, each applied only if newer than what the view holds
   (:class:`~console.domain.account_view.AccountView`), so a fill that happened while the
   stream was down is added once, and one both pushed and listed counts once;
3. is *live* only after that rebuild: until then (and whenever the connection is down) the
   account view may be behind, and a caller should poll REST instead (:attr:`live`).

Bybit documents no replay of missed pushes and no snapshot on subscribe
(``bybit-v5-private.md`` §9), hence the rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import logging
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

import orjson
from pydantic import ValidationError

from console.config import StreamSettings
from console.domain import (
    Balance,
    Clock,
    Fill,
    Order,
    Position,
    StreamHealth,
    SystemClock,
)
from console.domain.account_view import AccountView
from console.stream.backoff import FullJitterBackoff
from console.stream.bybit import is_pong
from console.stream.bybit_private_frames import (
    ExecutionRow,
    OrderRow,
    PositionRow,
    PushFrame,
    SymbolMap,
    UnknownSymbol,
    WalletRow,
    to_balances,
    to_fill,
    to_order,
    to_position,
)
from console.stream.connection import ReconnectingWebSocket
from console.stream.health import StreamCounters

log = logging.getLogger(__name__)

PRIVATE_TOPICS = ("order", "execution", "position", "wallet")
PRIVATE_WS_BY_VENUE = {
    "bybit": "wss://stream.bybit.com",
    "bybit-testnet": "wss://stream-testnet.bybit.com",
    "bybit-demo": "wss://stream-demo.bybit.com",
}
"""Unlike public data, demo trading has its own private stream host (§2.1)."""
AUTH_EXPIRES_MS = 10_000
"""How far ahead the auth ``expires`` is set (ccxt: 10 s; pybit: 1 s, which slow hosts miss)."""
FILL_LOOKBACK = timedelta(seconds=5)
"""The rebuild asks for executions from this long before the newest one seen: fills of the
same millisecond, or listed a little late, are not skipped (duplicates are dropped by id)."""

AccountListener = Callable[[str], None]
"""Told ``"order"``, ``"fill"``, ``"position"``, ``"balance"`` or ``"live"`` after a change."""


class AccountRest(Protocol):
    """The REST reads the rebuild needs (``ExchangeClient`` offers them)."""

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]: ...

    async def fetch_order(self, order_id: str, symbol: str) -> Order: ...

    async def fetch_positions(self, symbol: str | None = None) -> list[Position]: ...

    async def fetch_balance(self) -> list[Balance]: ...

    async def fetch_fills(
        self, symbol: str | None = None, *, since: datetime | None = None
    ) -> list[Fill]: ...


def private_url(base_url: str) -> str:
    """``ws://host:port`` (or Bybit's stream host) plus the private path."""
    return f"{base_url.rstrip('/')}/v5/private"


def auth_request(api_key: str, secret: str, now_ms: int) -> str:
    expires = now_ms + AUTH_EXPIRES_MS
    signature = hmac.new(
        secret.encode(), f"GET/realtime{expires}".encode(), hashlib.sha256
    ).hexdigest()
    return orjson.dumps(
        {"req_id": "auth", "op": "auth", "args": [api_key, expires, signature]}
    ).decode()


def _private_settings(settings: StreamSettings) -> StreamSettings:
    """A quiet account pushes nothing for minutes, so the heartbeat must come well inside the
    silence timeout, or a healthy private connection would be cut as silent."""
    ping = min(settings.ping_interval, settings.silence_timeout / 2)
    return settings.model_copy(update={"ping_interval": ping})


class BybitPrivateStream:
    """One private connection and the account view it keeps current.

    Args:
        url: the private endpoint (:func:`private_url`).
        api_key, secret: the key pair (the secret only signs; it is never logged).
        rest: the REST reads for the rebuild.
        symbols: Bybit (category, symbol) to the console's unified symbols.
        settings: heartbeat, timeouts and backoff (the public stream's).
        clock: monotonic time for the watchdog.
        rng: backoff jitter (seeded in tests).
    """

    def __init__(
        self,
        url: str,
        *,
        api_key: str,
        secret: str,
        rest: AccountRest,
        symbols: SymbolMap,
        settings: StreamSettings,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.url = url
        self.view = AccountView()
        self.counters = StreamCounters("bybit private", clock or SystemClock())
        self.rebuilds = 0
        """Completed REST rebuilds (one per connection that got through auth)."""
        self.dropped_rows = 0
        """Push rows that failed their schema or named an unknown instrument."""
        self._api_key = api_key
        self._secret = secret
        self._rest = rest
        self._symbols = symbols
        self._listeners: list[AccountListener] = []
        self._acks: set[str] = set()
        self._held: list[PushFrame] | None = None
        self._rebuild: asyncio.Task[None] | None = None
        self._live = False
        self._ids = itertools.count(1)
        private = _private_settings(settings)
        self._connection = ReconnectingWebSocket(
            url,
            settings=private,
            counters=self.counters,
            clock=clock or SystemClock(),
            backoff=FullJitterBackoff(
                private.reconnect_base_delay, private.reconnect_max_delay, rng=rng
            ),
            on_open=self._on_open,
            on_frame=self._on_frame,
            on_down=self._on_down,
            ping_text=lambda: orjson.dumps({"req_id": str(next(self._ids)), "op": "ping"}).decode(),
        )

    def __repr__(self) -> str:
        return f"BybitPrivateStream({self.url}, live={self._live})"

    @property
    def live(self) -> bool:
        """Authenticated, subscribed and rebuilt: the view is current and REST polling of the
        account can stop. False while connecting, rebuilding or down."""
        return self._live

    def health(self) -> StreamHealth:
        """For the Streams panel: ``bybit private``, its state, reconnects and rebuilds."""
        return self.counters.snapshot(topics=len(PRIVATE_TOPICS))

    def add_listener(self, listener: AccountListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: AccountListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    async def start(self) -> None:
        self._connection.start()

    async def stop(self) -> None:
        self._set_live(False)
        await self._cancel_rebuild()
        await self._connection.stop()

    def drop(self, reason: str) -> None:
        """Cut the connection now (tests; a caller that found the view inconsistent)."""
        self._connection.drop(reason)

    # --- connection callbacks ----------------------------------------------------------------

    async def _on_open(self) -> None:
        self._acks.clear()
        self._held = []
        await self._connection.send(auth_request(self._api_key, self._secret, _now_ms()))
        subscribe = {"req_id": "subscribe", "op": "subscribe", "args": list(PRIVATE_TOPICS)}
        await self._connection.send(orjson.dumps(subscribe).decode())

    def _on_down(self) -> None:
        self._set_live(False)
        self._held = None
        if self._rebuild is not None:
            self._rebuild.cancel()
            self._rebuild = None

    def _on_frame(self, raw: str | bytes) -> None:
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            self.counters.malformed += 1
            return
        if not isinstance(message, dict):
            self.counters.malformed += 1
            return
        if is_pong(message):
            self._connection.pong_received()
            return
        if "topic" in message:
            self._on_push(message)
            return
        op = message.get("op")
        if op in ("auth", "subscribe"):
            if message.get("success") is not True:
                self.counters.last_error = f"{op} refused: {message.get('ret_msg')}"
                log.warning("private stream: %s", self.counters.last_error)
                self._connection.drop(self.counters.last_error)
                return
            self._acks.add(str(op))
            if self._acks >= {"auth", "subscribe"} and self._rebuild is None:
                self._rebuild = asyncio.get_running_loop().create_task(self._rebuild_view())

    def _on_push(self, message: dict[str, Any]) -> None:
        try:
            frame = PushFrame.model_validate(message)
        except ValidationError:
            self.counters.malformed += 1
            return
        if self._held is not None and not self._live:
            self._held.append(frame)
            return
        self._apply(frame)

    # --- rebuild -------------------------------------------------------------------------

    async def _rebuild_view(self) -> None:
        try:
            await self._read_rest()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.counters.last_error = f"rebuild failed: {error}"
            log.warning("private stream: %s; reconnecting", self.counters.last_error)
            self._rebuild = None
            self._connection.drop(self.counters.last_error)
            return
        held, self._held = self._held or [], None
        for frame in held:
            self._apply(frame)
        self.rebuilds += 1
        self.counters.resyncs += 1
        self._rebuild = None
        self._set_live(True)

    async def _read_rest(self) -> None:
        view, rest = self.view, self._rest
        since = view.last_fill_time()
        balances_read_at = time.time()
        balances = await rest.fetch_balance()
        open_orders = await rest.fetch_open_orders()
        listed = {order.order_id for order in open_orders}
        for order in open_orders:
            view.apply_order(order)
        for held in view.open_orders():
            if held.order_id not in listed:
                view.apply_order(await rest.fetch_order(held.order_id, held.symbol))
        view.replace_positions(await rest.fetch_positions())
        view.apply_balances(balances, balances_read_at)
        fills = await rest.fetch_fills(since=None if since is None else since - FILL_LOOKBACK)
        for fill in fills:
            view.add_fill(fill)
        self._tell("order", "position", "balance", "fill")

    async def _cancel_rebuild(self) -> None:
        task, self._rebuild = self._rebuild, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- applying pushes -------------------------------------------------------------------

    def _apply(self, frame: PushFrame) -> None:
        kind = frame.kind
        changed = False
        for row in frame.data:
            try:
                changed |= self._apply_row(kind, row, frame.creationTime)
            except (ValidationError, UnknownSymbol, KeyError, ValueError):
                self.dropped_rows += 1
        if changed:
            self._tell({"execution": "fill", "wallet": "balance"}.get(kind, kind))

    def _apply_row(self, kind: str, row: dict[str, Any], created_ms: int) -> bool:
        view, symbols = self.view, self._symbols
        if kind == "execution":
            return view.add_fill(to_fill(ExecutionRow.model_validate(row), symbols))
        if kind == "order":
            return view.apply_order(to_order(OrderRow.model_validate(row), symbols))
        if kind == "position":
            return view.apply_position(to_position(PositionRow.model_validate(row), symbols))
        if kind == "wallet":
            return view.apply_balances(
                to_balances(WalletRow.model_validate(row)), created_ms / 1000
            )
        return False

    def _set_live(self, live: bool) -> None:
        if live != self._live:
            self._live = live
            self._tell("live")

    def _tell(self, *kinds: str) -> None:
        for kind in kinds:
            for listener in list(self._listeners):
                try:
                    listener(kind)
                except Exception:
                    log.exception("private stream listener failed")


def _now_ms() -> int:
    return int(time.time() * 1000)


__all__ = [
    "AUTH_EXPIRES_MS",
    "PRIVATE_TOPICS",
    "PRIVATE_WS_BY_VENUE",
    "AccountListener",
    "AccountRest",
    "BybitPrivateStream",
    "auth_request",
    "private_url",
]
