"""The request pipeline every REST call of the simulator goes through, in Bybit's order.

IP limit (HTTP 403) -> injected faults -> read the exact bytes -> signature (private) ->
per-endpoint window (10006) -> handler -> ``X-Bapi-Limit*`` headers. A client's mistake is
answered with Bybit's envelope (10001, 10017 with HTTP 404, ...) and logs nothing; only a
defect of the simulator becomes retCode 10016 with a logged traceback. WebSocket upgrades
pass through untouched: the WS half has its own rules.

Everything under ``/sim/admin/`` is guarded here, in one place (:func:`admin_guard`), so an
admin endpoint added anywhere is refused to clients outside the admin networks (loopback by
default) without a check of its own.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import orjson
from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError
from pydantic import BaseModel, ValidationError

from console.sim.auth import authenticate
from console.sim.context import Call, Endpoint, SimContext
from console.sim.envelopes import (
    BybitError,
    envelope,
    error_response,
    json_response,
    ok_response,
    wall_ms,
)
from console.sim.faults import FaultCommand
from console.sim.limits import LimitDecision, endpoint_limit

log = logging.getLogger(__name__)

CONTEXT_KEY = web.AppKey("sim_context", SimContext)
ADMIN_PREFIX = "/sim/admin"
ADMIN_FAULTS_PATH = f"{ADMIN_PREFIX}/faults"
LOOPBACK_NETWORKS = ("127.0.0.0/8", "::1/128")
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
ADMIN_NETWORKS_KEY = web.AppKey("sim_admin_networks", tuple[IpNetwork, ...])
CATEGORIES = frozenset({"spot", "linear"})
RATE_LIMITED = BybitError(10006, "Too many visits!")
RequestHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ProtocolLog(logging.LoggerAdapter[logging.Logger]):
    """aiohttp's server log, with a client's malformed HTTP as one line instead of a traceback.

    aiohttp answers an unparsable request (a bad byte in the URL, a broken header) with HTTP
    400 itself, before any handler runs, and logs it with ``logger.exception``: a client's
    mistake that would read like a defect of the simulator. Pass it as ``logger=`` to the
    ``AppRunner``.
    """

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        error = kwargs.get("exc_info")
        if isinstance(error, HttpProcessingError):
            first_line = error.message.strip().splitlines()[0] if error.message.strip() else ""
            self.warning("%s: HTTP %d %s", str(msg) % args, error.code, first_line)
            return
        super().exception(msg, *args, **kwargs)


CommandT = TypeVar("CommandT", bound=BaseModel)


def protocol_log() -> ProtocolLog:
    return ProtocolLog(logging.getLogger("aiohttp.server"), {})


def _is_websocket(request: web.Request) -> bool:
    return request.headers.get(hdrs.UPGRADE, "").lower() == "websocket"


def _client_ip(request: web.Request) -> str:
    return request.remote or "unknown"


def admin_networks(networks: Sequence[str]) -> tuple[IpNetwork, ...]:
    """Parse the networks whose clients may use ``/sim/admin/*`` (ValueError if malformed)."""
    return tuple(ipaddress.ip_network(network) for network in networks)


def client_in(remote: str | None, networks: tuple[IpNetwork, ...]) -> bool:
    """Whether ``remote`` (a peer address as aiohttp reports it) lies in ``networks``."""
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def _is_admin(request: web.Request) -> bool:
    """By the path asked and by the route it resolved to, so no spelling slips past."""
    route = request.match_info.route.resource
    canonical = route.canonical if route is not None else ""
    return any(
        path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
        for path in (request.path, canonical)
    )


@web.middleware
async def admin_guard(request: web.Request, handler: RequestHandler) -> web.StreamResponse:
    """Refuse every ``/sim/admin/*`` request from outside the admin networks (HTTP 403)."""
    networks = request.app[ADMIN_NETWORKS_KEY]
    if _is_admin(request) and not client_in(request.remote, networks):
        allowed = ", ".join(str(network) for network in networks)
        return web.Response(status=403, text=f"sim admin is for {allowed} only")
    return await handler(request)


@web.middleware
async def guard_middleware(request: web.Request, handler: RequestHandler) -> web.StreamResponse:
    """The IP limit, unknown paths as Bybit-style 404s, and 10016 for anything unexpected."""
    if _is_websocket(request):
        return await handler(request)
    ctx = request.app[CONTEXT_KEY]
    if not _is_admin(request):
        ctx.requests[request.path] += 1
        if not ctx.ip_limiter.allow(_client_ip(request), wall_ms()):
            return web.Response(status=403, text="access too frequent")
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        return json_response(envelope(10017, "Route not found", {}), status=404)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("sim: unexpected error on %s %s", request.method, request.path)
        return error_response(BybitError(10016, "Internal system error."))


async def _read_params(request: web.Request) -> tuple[str, dict[str, Any]]:
    """The exact payload that was signed, and the parameters it carries."""
    if request.method == "GET":
        raw = request.raw_path.partition("?")[2]
        return raw, dict(parse_qsl(raw, keep_blank_values=True))
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise BybitError(10001, "params error: the body is too large") from None
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise BybitError(10001, "params error: the body is not UTF-8") from None
    if not text.strip():
        return text, {}
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BybitError(10001, "params error: the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise BybitError(10001, "params error: the body must be a JSON object")
    return text, data


def _limit_key(request: web.Request, who: str, params: dict[str, Any]) -> tuple[str, str, str]:
    category = params.get("category")
    known = category if isinstance(category, str) and category in CATEGORIES else ""
    return who, request.path, known


async def _drop(request: web.Request) -> web.StreamResponse:
    """Close the connection without a byte of answer (a reset, or a lost response)."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError


def make_handler(endpoint: Endpoint) -> RequestHandler:
    """The aiohttp handler of one endpoint: faults, auth, limits, then the endpoint itself."""

    async def handle(request: web.Request) -> web.StreamResponse:
        ctx = request.app[CONTEXT_KEY]
        path = request.path
        try:
            raw, params = await _read_params(request)
        except BybitError as error:
            return error_response(error)
        who = _client_ip(request)
        account = None
        try:
            if endpoint.private:
                credential = authenticate(request.headers, raw, ctx.credentials, wall_ms())
                who = credential.uid
                account = ctx.engine.account(credential.uid)
        except BybitError as error:
            return error_response(error)
        key = _limit_key(request, who, params)
        limit = endpoint_limit(path, key[2])
        if ctx.faults.take(path, "rate_limit") is not None:
            return error_response(RATE_LIMITED, ctx.windows.peek(key, limit, wall_ms()).headers())
        if ctx.faults.take(path, "reset") is not None:
            return await _drop(request)
        decision = (
            ctx.windows.hit(key, limit, wall_ms())
            if ctx.rate_limits
            else LimitDecision(True, limit, limit, wall_ms())
        )
        headers = decision.headers()
        if not decision.allowed:
            return error_response(RATE_LIMITED, headers)
        try:
            result = endpoint.handler(ctx, Call(params, account))
        except BybitError as error:
            response = error_response(error, headers)
        else:
            response = ok_response(result, headers)
        if ctx.faults.take(path, "drop_response") is not None:
            return await _drop(request)
        delay = ctx.faults.take(path, "delay")
        if delay is not None:
            await asyncio.sleep(delay.delay_seconds)
        return response

    return handle


async def admin_faults(request: web.Request) -> web.StreamResponse:
    """``POST /sim/admin/faults``: arm a fault switch (unsigned; :func:`admin_guard` guards it)."""
    ctx = request.app[CONTEXT_KEY]
    if request.method == "GET":
        armed = [
            {
                "action": r.action,
                "path": r.path,
                "remaining": r.remaining,
                "probability": r.probability,
                "seconds": r.delay_seconds,
            }
            for r in ctx.faults.armed
        ]
        return ok_response({"armed": armed})
    try:
        command = FaultCommand.model_validate_json(await request.read())
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return error_response(BybitError(10001, f"params error: {where}: {first['msg']}"))
    try:
        ctx.faults.apply(command)
    except (ValueError, RuntimeError) as error:
        return error_response(BybitError(10001, f"params error: {error}"))
    return ok_response({"armed": len(ctx.faults.armed)})


async def admin_command(request: web.Request, model: type[CommandT]) -> CommandT:
    """The JSON body of an admin request read as ``model``.

    Raises:
        web.HTTPBadRequest: the body is not that command; a JSON answer lists the problems
            without echoing the input (it may be bytes that JSON cannot hold).
    """
    try:
        return model.model_validate_json(await request.read())
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        raise web.HTTPBadRequest(
            text=orjson.dumps({"error": problems}).decode(), content_type="application/json"
        ) from None


def install_rest_routes(app: web.Application, endpoints: Iterable[Endpoint]) -> None:
    for endpoint in endpoints:
        app.router.add_route(endpoint.method, endpoint.path, make_handler(endpoint))
    app.router.add_route("POST", ADMIN_FAULTS_PATH, admin_faults)
    app.router.add_route("GET", ADMIN_FAULTS_PATH, admin_faults)
