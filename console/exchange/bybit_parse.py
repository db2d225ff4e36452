"""Bybit's own shapes inside ccxt's answers: what ccxt's unified fields lose or never read.

ccxt maps every venue to one unified order; Bybit's ``info`` carries more (its finer
``orderStatus``, its ``rejectReason``), and some answers ccxt does not parse at all (the
API key's description from ``/v5/user/query-api``). Those readings live here, under the
venue's name; :mod:`console.exchange.parse` stays venue-free and asks this module where
Bybit knows better. Values pass the same plausibility rules and raise
:class:`MalformedResponse` when unusable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from console.domain import ApiKeyInfo, OrderStatus
from console.exchange.errors import MalformedResponse

ORDER_STATUS = {
    "New": OrderStatus.OPEN,
    "Untriggered": OrderStatus.OPEN,
    "Triggered": OrderStatus.OPEN,
    "Active": OrderStatus.OPEN,
    "PartiallyFilled": OrderStatus.PARTIALLY_FILLED,
    "Filled": OrderStatus.FILLED,
    "PartiallyFilledCanceled": OrderStatus.CANCELED,
    "Cancelled": OrderStatus.CANCELED,
    "Deactivated": OrderStatus.CANCELED,
    "Rejected": OrderStatus.REJECTED,
}
"""Bybit's own ``orderStatus`` is finer than ccxt's: ccxt calls PartiallyFilledCanceled
"closed", which would read as filled."""

_NO_REJECT_REASON = ("", "EC_NoError")


def order_status(info: object) -> OrderStatus | None:
    """The status Bybit's ``info.orderStatus`` names; None when absent or unknown (then
    ccxt's unified status is used)."""
    raw = info.get("orderStatus") if isinstance(info, Mapping) else None
    return ORDER_STATUS.get(str(raw)) if raw is not None else None


def reject_reason(info: object) -> str | None:
    """Bybit's ``rejectReason``, unless it is its way of saying "none"."""
    reason = info.get("rejectReason") if isinstance(info, Mapping) else None
    return None if reason is None or reason in _NO_REJECT_REASON else str(reason)


_KEY = "key description"
_READ_ONLY_FLAGS = (0, 1, "0", "1")


def parse_key_info(answer: Mapping[str, Any]) -> ApiKeyInfo:
    """Bybit's ``/v5/user/query-api`` answer, the whole envelope as ccxt's implicit method
    returns it (``{"retCode": 0, "result": {...}}``).

    The account is ``userID``: ``id`` is the key's own internal id, not the account's.
    The key itself (``apiKey``) is left behind on purpose, so the value is safe to show.
    """
    if not isinstance(answer, Mapping) or "result" not in answer:
        raise MalformedResponse(f"The exchange sent a {_KEY} without 'result'")
    result = answer["result"]
    if not isinstance(result, Mapping):
        raise MalformedResponse(f"The exchange sent a {_KEY} whose result is not an object")
    try:
        return ApiKeyInfo(
            uid=_key_uid(result.get("userID")),
            read_only=_read_only(result.get("readOnly")),
            permissions=_key_permissions(result.get("permissions")),
            ips=_names(result.get("ips"), "IP allow-list"),
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MalformedResponse(
            f"The exchange sent an unusable {_KEY}: {where} {first['msg']}"
        ) from None


def batch_item_codes(answer: Mapping[str, Any], count: int) -> list[tuple[int, str]]:
    """Each item's ``(code, msg)`` from a batch answer's ``retExtInfo.list`` (0 = done),
    index-aligned with the ``count`` items sent (``bybit-v5-private.md`` §5).

    Raises:
        MalformedResponse: the list is missing, of another length, or an item has no code:
            what happened to each item is unknown.
    """
    infos = (answer.get("retExtInfo") or {}).get("list") if isinstance(answer, Mapping) else None
    if not isinstance(infos, list) or len(infos) != count:
        raise MalformedResponse("The exchange's batch answer does not say what became of each")
    codes: list[tuple[int, str]] = []
    for info in infos:
        code = info.get("code") if isinstance(info, Mapping) else None
        if isinstance(code, bool) or not str(code).lstrip("-").isdigit():
            raise MalformedResponse("The exchange's batch answer has an item without a code")
        codes.append((int(str(code)), str(info.get("msg") or "")))
    return codes


def _key_uid(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedResponse(f"The exchange sent a {_KEY} with an unreadable userID: {value!r}")
    return str(value)


def _read_only(value: object) -> bool:
    """Bybit sends 0 or 1; a missing flag reads as a trading key, as Bybit's default."""
    if value is None:
        return False
    if isinstance(value, bool) or value not in _READ_ONLY_FLAGS:
        raise MalformedResponse(f"The exchange sent a {_KEY} with readOnly {value!r}, not 0 or 1")
    return value in (1, "1")


def _names(value: object, what: str) -> tuple[str, ...]:
    """A JSON list of strings; blanks dropped, a missing list is empty. A bare string is
    refused rather than read letter by letter."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise MalformedResponse(
            f"The exchange sent a {_KEY} whose {what} is not a list of names: {value!r}"
        )
    return tuple(item for item in value if item)


def _key_permissions(value: object) -> tuple[str, ...]:
    """``{"Spot": ["SpotTrade"], "Options": []}`` -> ``("Spot:SpotTrade",)``."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise MalformedResponse(
            f"The exchange sent a {_KEY} whose permissions are not an object: {value!r}"
        )
    return tuple(
        f"{group}:{right}"
        for group, rights in value.items()
        for right in _names(rights, f"{group} permissions")
    )


def server_time_ms(answer: Mapping[str, Any]) -> float:
    """The venue's time in ``/v5/market/time``'s answer, in epoch ms, as finely as it says.

    ``result.timeNano`` (nanoseconds) is the fine one; ``result.timeSecond`` is cut to the
    second, so it reads as the middle of that second (±500 ms); the envelope's ``time``
    (ms) is the last resort.

    Raises:
        MalformedResponse: none of the three is a whole number.
    """
    result = answer.get("result")
    result = result if isinstance(result, Mapping) else {}
    for field, to_ms, middle in (("timeNano", 1e-6, 0.0), ("timeSecond", 1e3, 500.0)):
        value = result.get(field)
        if isinstance(value, str) and value.isdigit() and len(value) <= 20:
            return int(value) * to_ms + middle
    stamp = answer.get("time")
    if type(stamp) is int and stamp > 0:
        return float(stamp)
    raise MalformedResponse(f"The venue's time answer holds no time: {str(answer)[:120]}")


__all__ = [
    "ORDER_STATUS",
    "batch_item_codes",
    "order_status",
    "parse_key_info",
    "reject_reason",
    "server_time_ms",
]
