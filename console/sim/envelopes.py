"""Bybit v5 response envelopes and the error a handler raises to answer with a retCode.

Every answer, success or business error, is HTTP 200 with
``{"retCode", "retMsg", "result", "retExtInfo", "time"}``; ccxt raises when ``retCode`` is
missing, so nothing the simulator sends as JSON may lack it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

OK_MESSAGE = "OK"


class BybitError(Exception):
    """Answer the request with this retCode and retMsg (HTTP 200, Bybit's way).

    Messages may echo the client's text (Bybit echoes a bad timestamp or the string it
    signed); undecodable bytes of a header arrive as lone surrogates, which JSON cannot
    carry, so they are escaped here rather than failing the answer.
    """

    def __init__(self, code: int, message: str) -> None:
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def params_error(detail: str) -> BybitError:
    """retCode 10001 with Bybit's ``params error: ...`` wording."""
    return BybitError(10001, f"params error: {detail}")


def wall_ms() -> int:
    """Server time in ms. Auth and ``time`` use the wall clock: ccxt signs with it."""
    return int(time.time() * 1000)


def envelope(code: int, message: str, result: Any) -> dict[str, Any]:
    return {
        "retCode": code,
        "retMsg": message,
        "result": result,
        "retExtInfo": {},
        "time": wall_ms(),
    }


def json_response(
    payload: Mapping[str, Any], headers: Mapping[str, str] | None = None, status: int = 200
) -> web.Response:
    return web.Response(
        body=orjson.dumps(payload),
        status=status,
        content_type="application/json",
        headers=headers,
    )


@dataclass(frozen=True, slots=True)
class WithExtInfo:
    """A handler's result that also fills ``retExtInfo`` (the batch endpoints' per-item
    outcomes)."""

    result: Any
    ext_info: Mapping[str, Any]


def ok_response(result: Any, headers: Mapping[str, str] | None = None) -> web.Response:
    if isinstance(result, WithExtInfo):
        payload = envelope(0, OK_MESSAGE, result.result)
        payload["retExtInfo"] = dict(result.ext_info)
        return json_response(payload, headers)
    return json_response(envelope(0, OK_MESSAGE, result), headers)


def error_response(error: BybitError, headers: Mapping[str, str] | None = None) -> web.Response:
    return json_response(envelope(error.code, error.message, {}), headers)
