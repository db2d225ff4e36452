"""The simulator's private WebSocket: Bybit v5 ``/v5/private`` (``bybit-v5-private.md`` §2).

A connection authenticates with ``op: auth`` (``args: [apiKey, expires, signature]``, the
signature being HMAC-SHA256 of ``"GET/realtime" + expires``; ``expires`` a number or a numeric
string, in the future), then subscribes to ``order``, ``execution``, ``execution.fast``,
``position`` and ``wallet`` (or their categorised forms, never both in one request). Frames
are handled in arrival order, so a subscribe pipelined right behind the auth (pybit) works.
No snapshot follows a subscribe, as on Bybit.

The matching engine reports every change synchronously (:mod:`console.sim.account_events`);
the hub batches what one turn of the event loop produced and pushes it in Bybit's order:
``execution``, then ``order`` (each order's latest state once), then ``position``, then
``wallet``. Fault switches (:class:`~console.sim.ws_faults.PrivateWsFaultCommand`) drop the
connection, silence it, or lose a push.

Replies whose exact v5 wording Bybit does not document (a wrong key or signature, a
subscribe before auth, a repeated auth) follow the shapes observed for the documented ones;
see the module constants.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import random
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from aiohttp import web

from console.sim.account_events import AccountEvent
from console.sim.accounts import SimAccount
from console.sim.auth import ApiCredential
from console.sim.bybit_rows import execution_row, fmt, order_row, wallet_result
from console.sim.envelopes import wall_ms
from console.sim.http import admin_command
from console.sim.margin import MarginDesk
from console.sim.orders import SimExecution, SimOrder
from console.sim.position_rows import push_row
from console.sim.trading import OrderEngine
from console.sim.ws_faults import ConnectionFaults, PrivateWsFaultCommand
from console.sim.ws_serving import open_socket, serve_requests

log = logging.getLogger(__name__)

AUTH_PARAMS_ERROR = "Params Error"
"""Observed on v5 for an expired or malformed auth (api-usage-examples #70, pybit #152)."""
AUTH_BAD_KEY = "error:invalid api key"
AUTH_BAD_SIGN = "error:signature verification failed"
AUTH_REPEATED = "Repeat auth"
NOT_AUTHORIZED = "Request not authorized"
"""Unverified wording (a nautilus_trader PR); the older streams said ``needs auth first``."""
MAX_QUEUED_FRAMES = 20_000
TOPIC_KINDS = ("order", "execution", "execution.fast", "position", "wallet")
CATEGORISED = {
    "order": ("spot", "linear", "inverse", "option"),
    "execution": ("spot", "linear", "inverse", "option"),
    "execution.fast": ("spot", "linear", "inverse", "option"),
    "position": ("linear", "inverse", "option"),
}
FAST_FIELDS = (
    "category",
    "symbol",
    "execId",
    "execPrice",
    "execQty",
    "orderId",
    "isMaker",
    "orderLinkId",
    "side",
    "execTime",
    "seq",
)

Frame = dict[str, Any]


def _topic_kind(topic: str) -> tuple[str, str | None] | None:
    """(kind, category) of a private topic name; None when it is not one."""
    if topic in TOPIC_KINDS:
        return topic, None
    kind, _, category = topic.rpartition(".")
    if category in CATEGORISED.get(kind, ()):
        return kind, category
    return None


def auth_signature(secret: str, expires: int) -> str:
    """Bybit's WS auth signature: hex HMAC-SHA256 of ``"GET/realtime" + expires``."""
    return hmac.new(secret.encode(), f"GET/realtime{expires}".encode(), hashlib.sha256).hexdigest()


# --- rows --------------------------------------------------------------------------------


def order_push_row(order: SimOrder) -> Frame:
    """An ``order`` push row: the REST row with the push's types and ``category``.

    Linear rows carry ``tpslMode`` and ``createType`` and spot rows do not: ccxt tells a
    contract push from a spot one by those keys (``bybit-v5-private.md`` §2.6).
    """
    row = order_row(order)
    row.pop("extraFees", None)
    row.update(
        category=order.category,
        positionIdx=0,
        smpGroup=0,
        triggerDirection=order.trigger_direction,
        closedPnl="0",
        feeCurrency="",
        parentOrderLinkId="",
        brokerOrderPrice="",
        ocoTriggerBy="OcoTriggerByUnknown",
        rpiTakerAccess=False,
        rpiMatchedQty="0",
    )
    if order.category == "spot":
        row.pop("tpslMode", None)
        row.pop("createType", None)
    else:
        row["tpslMode"] = order.tpsl_mode or "UNKNOWN"
    return row


def execution_push_row(execution: SimExecution) -> Frame:
    """An ``execution`` push row: the REST row plus ``category``, ``execPnl`` and a numeric
    ``seq``; spot rows lack ``createType`` (ccxt's contract test, §2.7)."""
    row = execution_row(execution)
    category = execution.instrument.category
    row.update(
        category=category,
        seq=execution.seq,
        execPnl=fmt(execution.exec_pnl),
        isLeverage="0",
        extraFees=[],
    )
    if category == "spot":
        row.pop("createType", None)
    return row


# --- batching ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Batch:
    """What one account's changes in one loop turn add up to."""

    executions: list[SimExecution] = field(default_factory=list)
    orders: dict[str, SimOrder] = field(default_factory=dict)
    positions: dict[str, None] = field(default_factory=dict)
    wallet: bool = False

    def add(self, event: AccountEvent) -> None:
        if event.kind == "execution" and event.execution is not None:
            self.executions.append(event.execution)
        elif event.kind == "order" and event.order is not None:
            self.orders.pop(event.order.order_id, None)
            self.orders[event.order.order_id] = event.order
        elif event.kind == "position" and event.symbol is not None:
            self.positions[event.symbol] = None
        elif event.kind == "wallet":
            self.wallet = True


class PrivateWsConnection:
    """One client: its account once authenticated, its topics, its queue and its faults."""

    def __init__(self, hub: PrivateWsHub, ws: web.WebSocketResponse, request: web.Request) -> None:
        self.hub = hub
        self.conn_id = hub.new_conn_id()
        self.account: SimAccount | None = None
        self.topics: dict[str, tuple[str, str | None]] = {}
        """Subscribed topic name -> (kind, category or None for all)."""
        self.faults = ConnectionFaults()
        self.pushes_sent = 0
        self._ws = ws
        self._request = request
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()

    # --- fault switches ---------------------------------------------------------------------

    def drop(self) -> None:
        transport = self._request.transport
        if transport is not None:
            transport.abort()

    def go_silent(self, seconds: float | None = None) -> None:
        now = asyncio.get_running_loop().time()
        self.faults.silent_until = now + seconds if seconds is not None else math.inf

    def lose_next_push(self, topic: str | None = None) -> None:
        self.faults.arm("lose_push", topic)

    def drop_on_next_push(self, topic: str | None = None) -> None:
        self.faults.arm("drop_on_push", topic)

    def apply(self, command: PrivateWsFaultCommand) -> None:
        if command.action == "drop":
            self.drop()
        elif command.action == "silence":
            self.go_silent(command.seconds)
        elif command.action == "lose_push":
            self.lose_next_push(command.topic)
        elif command.action == "drop_on_push":
            self.drop_on_next_push(command.topic)
        else:
            self.faults.clear()

    # --- delivery ---------------------------------------------------------------------------

    def push(self, topic: str, data: list[Frame]) -> None:
        """Send one push of ``topic``, unless a fault loses it or cuts the connection."""
        if self.faults.take("drop_on_push", topic):
            self.drop()
            return
        if self.faults.take("lose_push", topic):
            return
        frame = {
            "id": self.hub.new_push_id(),
            "topic": topic,
            "creationTime": wall_ms(),
            "data": data,
        }
        if topic.startswith("execution.fast"):
            del frame["id"]
        self.pushes_sent += 1
        self._send(frame)

    def _send(self, frame: Frame) -> None:
        if self.faults.is_silent(asyncio.get_running_loop().time()):
            return
        if self._queue.qsize() >= MAX_QUEUED_FRAMES:
            log.warning("sim private ws %s: client too slow, dropping it", self.conn_id)
            self.drop()
            return
        self._queue.put_nowait(orjson.dumps(frame).decode())

    async def write_loop(self) -> None:
        while (text := await self._queue.get()) is not None:
            if self._ws.closed:
                return
            await self._ws.send_str(text)

    def close_writer(self) -> None:
        self._queue.put_nowait(None)

    # --- requests ---------------------------------------------------------------------------

    def handle_request(self, text: str) -> None:
        try:
            request = orjson.loads(text)
            if not isinstance(request, dict):
                raise TypeError("a request is a JSON object")
        except (orjson.JSONDecodeError, TypeError):
            self._send(self._answer(None, "", False, "error:invalid request"))
            return
        op, req_id = request.get("op"), request.get("req_id")
        if op == "ping":
            pong: Frame = {"op": "pong", "args": [str(wall_ms())], "conn_id": self.conn_id}
            if req_id is not None:
                pong = {"req_id": req_id, **pong}
            self._send(pong)
        elif op == "auth":
            self._auth(req_id, request.get("args"))
        elif op in ("subscribe", "unsubscribe"):
            self._subscription(str(op), req_id, request.get("args"))
        else:
            self._send(self._answer(req_id, str(op), False, "error:request not supported"))

    def _auth(self, req_id: Any, args: Any) -> None:
        if self.account is not None:
            self._send(self._answer(req_id, "auth", False, AUTH_REPEATED))
            return
        problem = self.hub.authenticate(args)
        if isinstance(problem, str):
            self._send(self._answer(req_id, "auth", False, problem))
            return
        self.account = self.hub.engine.account(problem.uid)
        self._send(self._answer(req_id, "auth", True, ""))

    def _subscription(self, op: str, req_id: Any, args: Any) -> None:
        if self.account is None:
            self._send(self._answer(req_id, op, False, NOT_AUTHORIZED))
            return
        if not isinstance(args, list) or not args or not all(isinstance(a, str) for a in args):
            self._send(self._answer(req_id, op, False, "error:args must be a list of topics"))
            return
        kinds: dict[str, tuple[str, str | None]] = {}
        for topic in args:
            parsed = _topic_kind(topic)
            if parsed is None:
                self._send(
                    self._answer(req_id, op, False, f"error:handler not found,topic:{topic}")
                )
                return
            kinds[topic] = parsed
        forms = {(kind, category is None) for kind, category in kinds.values()}
        if any((kind, not whole) in forms for kind, whole in forms):
            self._send(
                self._answer(req_id, op, False, "error:all-in-one and categorised topics mixed")
            )
            return
        if op == "subscribe":
            already = next((t for t in kinds if t in self.topics), None)
            if already is not None:
                self._send(
                    self._answer(req_id, op, False, f"error:already subscribed,topic:{already}")
                )
                return
            self.topics.update(kinds)
        else:
            for topic in kinds:
                self.topics.pop(topic, None)
        self._send(self._answer(req_id, op, True, ""))

    def _answer(self, req_id: Any, op: str, success: bool, ret_msg: str) -> Frame:
        answer: Frame = {"success": success, "ret_msg": ret_msg, "op": op, "conn_id": self.conn_id}
        if req_id is not None:
            answer["req_id"] = req_id
        return answer


class PrivateWsHub:
    """Every private connection, fed by the engine's account events."""

    def __init__(
        self,
        engine: OrderEngine,
        margin: MarginDesk,
        credentials: Mapping[str, ApiCredential],
        *,
        seed: int = 7,
    ) -> None:
        self.engine = engine
        self.margin = margin
        self.connections: list[PrivateWsConnection] = []
        self._credentials = credentials
        self._rng = random.Random(f"private-ws-{seed}")
        self._batches: dict[str, tuple[SimAccount, _Batch]] = {}
        self._flush_scheduled = False
        engine.add_account_listener(self._on_event)

    def new_conn_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def new_push_id(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def connections_of(self, uid: str) -> list[PrivateWsConnection]:
        return [c for c in self.connections if c.account is not None and c.account.uid == uid]

    def authenticate(self, args: Any) -> ApiCredential | str:
        """The credential an auth request proves, or the ``ret_msg`` refusing it."""
        if not isinstance(args, list) or len(args) != 3:
            return AUTH_PARAMS_ERROR
        api_key, expires, signature = args
        if isinstance(expires, bool) or not isinstance(expires, int | str):
            return AUTH_PARAMS_ERROR
        text = str(expires)
        if not text.isdigit() or int(text) <= wall_ms():
            return AUTH_PARAMS_ERROR
        credential = self._credentials.get(api_key) if isinstance(api_key, str) else None
        if credential is None:
            return AUTH_BAD_KEY
        expected = auth_signature(credential.secret, int(text))
        if not isinstance(signature, str) or not hmac.compare_digest(expected, signature.lower()):
            return AUTH_BAD_SIGN
        return credential

    # --- events -----------------------------------------------------------------------------

    def _on_event(self, account: SimAccount, event: AccountEvent) -> None:
        if not any(c.account is account and c.topics for c in self.connections):
            return
        entry = self._batches.get(account.uid)
        if entry is None:
            entry = self._batches[account.uid] = (account, _Batch())
        entry[1].add(event)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        batches, self._batches = self._batches, {}
        for account, batch in batches.values():
            try:
                self._publish(account, batch)
            except Exception:
                log.exception("sim private ws: publishing failed")

    def _publish(self, account: SimAccount, batch: _Batch) -> None:
        connections = [c for c in self.connections if c.account is account and c.topics]
        executions = [execution_push_row(e) for e in batch.executions]
        orders = [order_push_row(o) for o in batch.orders.values()]
        positions = [push_row(self.margin.position(account, s)) for s in batch.positions]
        wallet = [self._wallet_row(account)] if batch.wallet else []
        for connection in connections:
            for topic, (kind, category) in list(connection.topics.items()):
                if kind == "execution":
                    self._deliver(connection, topic, executions, category)
                elif kind == "execution.fast":
                    fast = [{k: row[k] for k in FAST_FIELDS} for row in executions]
                    self._deliver(connection, topic, fast, category)
            for kind, rows in (("order", orders), ("position", positions), ("wallet", wallet)):
                for topic, (subscribed, category) in list(connection.topics.items()):
                    if subscribed == kind:
                        self._deliver(connection, topic, rows, category)

    def _deliver(
        self,
        connection: PrivateWsConnection,
        topic: str,
        rows: Iterable[Frame],
        category: str | None,
    ) -> None:
        chosen = [r for r in rows if category is None or r.get("category") == category]
        if chosen:
            connection.push(topic, chosen)

    def _wallet_row(self, account: SimAccount) -> Frame:
        """The ``wallet-balance`` row plus the push's mark-price (``ByMp``) margin figures."""
        coins = account.coins()
        balances = [account.balance(c, self.engine.mark_price) for c in coins]
        prices = {c: self.engine.coin_price(c) for c in coins}
        row: Frame = wallet_result(account, balances, prices)["list"][0]
        held = self.margin.open_positions(account)
        order_im = sum((b.order_im * prices[b.coin] for b in balances), Decimal(0))
        im = order_im + sum((f.size * f.mark / f.leverage for f in held), Decimal(0))
        mm = sum((f.size * f.mark * f.tier.mmr for f in held), Decimal(0))
        equity = Decimal(row["totalEquity"])
        places, rate = Decimal("0.00000001"), Decimal("0.0001")
        row.update(
            totalInitialMarginByMp=fmt(im.quantize(places)),
            totalMaintenanceMarginByMp=fmt(mm.quantize(places)),
            accountIMRateByMp=fmt((im / equity).quantize(rate)) if equity else "0",
            accountMMRateByMp=fmt((mm / equity).quantize(rate)) if equity else "0",
        )
        return row

    # --- HTTP -------------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = await open_socket(request)
        connection = PrivateWsConnection(self, ws, request)
        self.connections.append(connection)

        def forget() -> None:
            self.connections.remove(connection)
            connection.close_writer()

        await serve_requests(ws, connection, forget)
        return ws

    async def admin_faults(self, request: web.Request) -> web.Response:
        command = await admin_command(request, PrivateWsFaultCommand)
        for connection in list(self.connections):
            connection.apply(command)
        return web.json_response({"applied": len(self.connections)})

    async def close(self, app: web.Application | None = None) -> None:
        for connection in list(self.connections):
            connection.drop()


__all__ = [
    "PrivateWsConnection",
    "PrivateWsHub",
    "auth_signature",
    "execution_push_row",
    "order_push_row",
]
