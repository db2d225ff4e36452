"""What went wrong at the exchange, in words a trader understands.

ccxt raises its own exception classes whose messages carry raw response bodies (Bybit's
``retCode``/``retMsg`` JSON, URLs, sometimes the signed ``origin_string`` with the API key).
:func:`translate` turns any of them into one small taxonomy whose ``str()`` is a readable
line that is safe to show and to log: no secrets, signatures, headers or query strings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import ccxt.async_support as ccxt

from console.domain.errors import OrderRefused, UnknownOrder

IP_BAN_DURATION = timedelta(minutes=10)
"""Bybit: after an HTTP 403 "access too frequent", stop for at least 10 minutes."""

_MAX_VENUE_TEXT = 160
_NO_ANSWER = (
    "No answer from the exchange in time; an order's outcome is unknown until the exchange is asked"
)


class ExchangeError(Exception):
    """Base of the taxonomy. ``str()`` is the readable message; ``code`` is the venue's code."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class BadSymbol(ExchangeError):
    """The symbol is not traded on this venue."""

    def __init__(
        self, message: str, *, code: int | None = None, suggestions: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message, code=code)
        self.suggestions = suggestions


class InsufficientFunds(ExchangeError):
    """The account cannot pay for the order."""


class AuthenticationFailed(ExchangeError):
    """The venue did not accept the credentials, the signature or the timestamp."""


class PermissionDenied(AuthenticationFailed):
    """The key is valid but may not do this (permissions, IP whitelist)."""


class RateLimited(ExchangeError):
    """Too many requests; ``retry_after`` seconds is when the venue lets us in again, if known."""

    def __init__(
        self, message: str, *, code: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class VenueHalted(ExchangeError):
    """The venue banned our IP (HTTP 403): no request may leave before ``until``."""

    def __init__(self, message: str, *, code: int | None = None, until: datetime) -> None:
        super().__init__(message, code=code)
        self.until = until


class ExchangeUnavailable(ExchangeError):
    """The venue could not be reached or failed internally (network, 5xx, maintenance)."""


class RequestRejected(ExchangeError):
    """The venue refused the request's parameters; ``reason`` is the venue's own words."""

    def __init__(self, message: str, *, code: int | None = None, reason: str = "") -> None:
        super().__init__(message, code=code)
        self.reason = reason


class OrderRejected(RequestRejected):
    """The venue refused the order; ``reason`` is the venue's own words."""


class DuplicateClientOrderId(OrderRejected):
    """An open order already carries this client order id. After a timeout this means the
    first attempt did reach the venue."""


class OrderNotFound(ExchangeError):
    """The venue does not know this order (never existed, or aged out of its history)."""


class InvalidRequest(ExchangeError):
    """A request broke a rule checked locally before anything was sent."""


class InvalidOrder(InvalidRequest):
    """The order broke a rule checked locally (tick, step, minimums) before it was sent."""


class PaperTradingUnavailable(ExchangeError):
    """Paper mode was asked to trade but no paper engine is wired in."""


class RequestTimedOut(ExchangeError):
    """No answer came in time. For an order this is not a failure: its outcome is UNKNOWN
    until the venue is asked what happened."""


class MalformedResponse(ExchangeError):
    """The venue answered with data the console cannot read or believe (a value that fails
    :mod:`console.domain.plausibility`). For an order this is not a refusal: the request
    may have been carried out, so its outcome is UNKNOWN until the venue is asked again."""


class OrderNotSent(ExchangeError):
    """A check before sending (markets, the risk gate's price) could not be completed, so
    nothing left the console. Unlike a lost answer, this outcome is certain."""


class UnknownVenue(ExchangeError):
    """The configured venue is neither a preset nor a ccxt exchange id."""


AMBIGUOUS = (RequestTimedOut, MalformedResponse, ExchangeUnavailable)
"""Failures after which an order request may or may not have been carried out: no answer,
an unreadable or implausible answer, a connection lost mid-request."""


def outcome_unknown(error: BaseException) -> bool:
    """Whether ``error`` leaves an order's fate unknown rather than settled.

    Only the venue's own refusal (or a rule checked before sending) may say an order was
    not placed. Anything else (a timeout, an unreadable answer, a lost connection, an
    error outside the taxonomy) means the order may be working on the venue: it must be
    reconciled, never reported as "not sent", or a trader would send it twice.
    """
    if isinstance(error, AMBIGUOUS):
        return True
    return not isinstance(error, ExchangeError) or type(error) is ExchangeError


Factory = Callable[[str, int | None, datetime], ExchangeError]


def _rejected(summary: str, kind: type[RequestRejected] = OrderRejected) -> Factory:
    def build(venue_text: str, code: int | None, now: datetime) -> ExchangeError:
        message = f"{summary}: {venue_text}" if venue_text else summary
        return kind(_with_code(message, code), code=code, reason=venue_text)

    return build


def _simple(kind: type[ExchangeError], message: str) -> Factory:
    def build(venue_text: str, code: int | None, now: datetime) -> ExchangeError:
        return kind(_with_code(message, code), code=code)

    return build


def _rate_limited(venue_text: str, code: int | None, now: datetime) -> ExchangeError:
    return RateLimited(
        _with_code("Rate limited by the exchange: too many requests, slowing down", code),
        code=code,
    )


def _bad_request(venue_text: str, code: int | None, now: datetime) -> ExchangeError:
    if "symbol" in venue_text.lower():
        return BadSymbol(
            _with_code(f"The exchange does not trade this symbol: {venue_text}", code), code=code
        )
    return _rejected("The exchange refused the request", RequestRejected)(venue_text, code, now)


_INSUFFICIENT = _simple(
    InsufficientFunds, "Insufficient funds: the available balance does not cover this order"
)

RETCODES: dict[int, Factory] = {
    10001: _bad_request,
    10002: _simple(
        AuthenticationFailed,
        "Request expired: the computer's clock is off or the network is slow "
        "(outside the recv window); synchronise the system clock",
    ),
    10003: _simple(
        AuthenticationFailed,
        "API key rejected: it is invalid or belongs to another environment "
        "(mainnet, testnet or demo)",
    ),
    10004: _simple(
        AuthenticationFailed, "Signature rejected: check the API secret that goes with this key"
    ),
    10005: _simple(PermissionDenied, "Permission denied: this API key may not do that"),
    10006: _rate_limited,
    10010: _simple(PermissionDenied, "Permission denied: this IP is not whitelisted for the key"),
    10016: _simple(
        ExchangeUnavailable, "The exchange had an internal error or is restarting; try again"
    ),
    10017: _rejected("The exchange does not know this request", RequestRejected),
    110001: _simple(OrderNotFound, "Order not found: it is already closed or never existed"),
    110003: _rejected("Order rejected: price outside the permitted range"),
    110004: _INSUFFICIENT,
    110007: _INSUFFICIENT,
    110012: _INSUFFICIENT,
    110008: _rejected("Order rejected: the order is already filled or cancelled"),
    110017: _rejected("Order rejected: quantity rounds to zero or reduce-only cannot be met"),
    110072: _rejected("Order rejected: duplicate client order id", DuplicateClientOrderId),
    110094: _rejected("Order rejected: order value is below the minimum"),
    110009: _rejected("Order rejected: too many conditional orders on this symbol"),
    110057: _rejected("Order rejected: this order cannot carry a take-profit or stop-loss"),
    110061: _rejected("Order rejected: too many partial take-profit/stop-loss orders"),
    110092: _rejected("Order rejected: a rising trigger must be above the market"),
    110093: _rejected("Order rejected: a falling trigger must be below the market"),
    34040: _rejected("Not modified: the take-profit/stop-loss is already set", RequestRejected),
    170131: _INSUFFICIENT,
    170136: _rejected("Order rejected: quantity is below the minimum"),
    170140: _rejected("Order rejected: order value is below the minimum"),
    170141: _rejected("Order rejected: duplicate client order id", DuplicateClientOrderId),
    170213: _simple(OrderNotFound, "Order not found: it is already closed or never existed"),
}
"""Bybit v5 ``retCode`` -> how to say it (docs/v5/error.mdx, bybit-v5.md section 3)."""

_CCXT_CLASSES: list[tuple[type[BaseException], Factory]] = [
    (ccxt.BadSymbol, _simple(BadSymbol, "The exchange does not trade this symbol")),
    (ccxt.InsufficientFunds, _INSUFFICIENT),
    (ccxt.OrderNotFound, RETCODES[110001]),
    (ccxt.DuplicateOrderId, RETCODES[110072]),
    (ccxt.InvalidOrder, _rejected("Order rejected")),
    (ccxt.PermissionDenied, _simple(PermissionDenied, "Permission denied by the exchange")),
    (ccxt.AuthenticationError, _simple(AuthenticationFailed, "The exchange rejected the API key")),
    (ccxt.InvalidNonce, RETCODES[10002]),
    (ccxt.RateLimitExceeded, _rate_limited),
    (ccxt.DDoSProtection, _rate_limited),
    (ccxt.RequestTimeout, _simple(RequestTimedOut, _NO_ANSWER)),
    (ccxt.OnMaintenance, _simple(ExchangeUnavailable, "The exchange is under maintenance")),
    (ccxt.BadResponse, _simple(MalformedResponse, "The exchange sent an unreadable answer")),
    (ccxt.NetworkError, _simple(ExchangeUnavailable, "The exchange cannot be reached")),
    (ccxt.BadRequest, _rejected("The exchange refused the request", RequestRejected)),
    (ccxt.ArgumentsRequired, _rejected("The request is missing something", RequestRejected)),
    (ccxt.NotSupported, _rejected("The exchange does not support this", RequestRejected)),
    (ccxt.OperationRejected, _rejected("The exchange refused the request", RequestRejected)),
    (ccxt.ExchangeClosedByUser, _simple(ExchangeUnavailable, "The connection was closed")),
]
"""ccxt classes, most specific first, for errors without a known retCode."""

_RETCODE_FIELD = re.compile(r'"ret_?[cC]ode"\s*:\s*"?(-?\d+)')
_RETMSG_FIELD = re.compile(r'"ret_?[mM]sg"\s*:\s*"((?:[^"\\]|\\.)*)"')
_HTTP_STATUS = re.compile(r"\b(?:GET|POST|PUT|DELETE|PATCH) \S+ (\d{3})\b")
_ORIGIN_STRING = re.compile(r"origin_string\[[^\]]*\]?", re.IGNORECASE)
_SIGN_LIKE = re.compile(
    r"(api[_-]?key|apikey|sign(ature)?|secret|x-bapi-[a-z-]+)([\"'\s]*[:=\[][\"'\s]*)[^\s,\]\"'&]+",
    re.IGNORECASE,
)
_URL_QUERY = re.compile(r"(https?://[^\s?\"']+)\?[^\s\"']*")


def sanitize(text: str) -> str:
    """Remove what must never be shown: signed origin strings, key/signature values, query
    strings of URLs; collapse whitespace and cap the length."""
    text = _ORIGIN_STRING.sub("origin_string[redacted]", text)
    text = _SIGN_LIKE.sub(lambda m: f"{m.group(1)}{m.group(3)}[redacted]", text)
    text = _URL_QUERY.sub(r"\1", text)
    text = " ".join(text.split())
    if len(text) > _MAX_VENUE_TEXT:
        text = text[: _MAX_VENUE_TEXT - 1] + "…"
    return text


def _with_code(message: str, code: int | None) -> str:
    return message if code is None else f"{message} (code {code})"


def _venue_fields(text: str) -> tuple[int | None, str]:
    """The venue's code and message from a ccxt exception text (``bybit {json}``)."""
    start = text.find("{")
    if start >= 0:
        try:
            body, _ = json.JSONDecoder().raw_decode(text[start:])
        except ValueError:
            body = None
        if isinstance(body, dict):
            raw_code = body.get("retCode", body.get("ret_code"))
            raw_msg = body.get("retMsg", body.get("ret_msg"))
            code = _as_int(raw_code)
            if code is not None:
                return code, sanitize(str(raw_msg or ""))
    code_match = _RETCODE_FIELD.search(text)
    if code_match is None:
        return None, ""
    msg_match = _RETMSG_FIELD.search(text)
    return int(code_match.group(1)), sanitize(msg_match.group(1) if msg_match else "")


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _http_status(text: str) -> int | None:
    match = _HTTP_STATUS.search(text)
    return int(match.group(1)) if match else None


_LOCAL_RULE_KINDS: dict[str, type[ExchangeError]] = {
    "insufficient_funds": InsufficientFunds,
    "unknown_symbol": BadSymbol,
    "price_precision": InvalidOrder,
    "quantity_precision": InvalidOrder,
    "below_min_quantity": InvalidOrder,
    "above_max_quantity": InvalidOrder,
    "below_min_notional": InvalidOrder,
}
"""Refusal rules (``OrderRefused.rule``) that are not plain order rejections."""


def _refusal(exc: OrderRefused) -> ExchangeError:
    """A venue-neutral refusal (the paper engine's) in the taxonomy; its text is ours, vetted."""
    kind = _LOCAL_RULE_KINDS.get(exc.rule)
    if kind is None:
        return OrderRejected(f"Order rejected: {exc.reason}", reason=exc.reason)
    return kind(exc.reason)


def from_retcode(code: int, venue_text: str, *, now: datetime | None = None) -> ExchangeError:
    """One item's failure inside an answer that succeeded as a whole (a batch's
    ``retExtInfo.list``), in the taxonomy."""
    text = sanitize(venue_text)
    factory = RETCODES.get(code, _rejected("Order rejected"))
    return factory(text, code, now or datetime.now(UTC))


def translate(exc: BaseException, *, now: datetime | None = None) -> ExchangeError:
    """Map any exception from a REST call to the taxonomy.

    Bybit ``retCode``s win over ccxt's class (they are more precise, e.g. 10002 is a clock
    problem, not a "nonce"); then HTTP statuses ccxt reports without a body (403 = IP ban);
    then ccxt's class hierarchy; then network errors from below ccxt. Anything else becomes
    a plain ExchangeError naming only the exception type, because its text is unvetted.

    Args:
        exc: what the call raised.
        now: the moment, for ``VenueHalted.until``; the system clock when None.
    """
    if isinstance(exc, ExchangeError):
        return exc
    moment = now or datetime.now(UTC)
    text = str(exc)
    if isinstance(exc, ccxt.BaseError):
        code, venue_text = _venue_fields(text)
        if code == 10016 and "timeout" in venue_text.lower():
            return RequestTimedOut(_with_code("The exchange timed out internally", code), code=code)
        if code is not None and code in RETCODES:
            return RETCODES[code](venue_text, code, moment)
        status = _http_status(text)
        if status == 403:
            until = moment + IP_BAN_DURATION
            return VenueHalted(
                "The exchange blocked this IP for sending too many requests (HTTP 403); "
                f"requests resume after {until:%H:%M:%S} UTC",
                code=403,
                until=until,
            )
        if status == 429:
            return _rate_limited("", 429, moment)
        for kind, factory in _CCXT_CLASSES:
            if isinstance(exc, kind):
                return factory(venue_text, code if code is not None else status, moment)
        if code is not None:
            summary = "The exchange reported an error"
            message = f"{summary}: {venue_text}" if venue_text else summary
            return ExchangeError(_with_code(message, code), code=code)
        return ExchangeError("The exchange reported an error")
    if isinstance(exc, OrderRefused):
        return _refusal(exc)
    if isinstance(exc, UnknownOrder):
        return OrderNotFound(str(exc))
    if isinstance(exc, TimeoutError):
        return RequestTimedOut(_NO_ANSWER)
    if isinstance(exc, ConnectionError | OSError):
        return ExchangeUnavailable("The exchange cannot be reached (network error)")
    return ExchangeError(f"Unexpected error talking to the exchange ({type(exc).__name__})")


__all__ = [
    "AMBIGUOUS",
    "AuthenticationFailed",
    "BadSymbol",
    "DuplicateClientOrderId",
    "ExchangeError",
    "ExchangeUnavailable",
    "InsufficientFunds",
    "InvalidOrder",
    "InvalidRequest",
    "MalformedResponse",
    "OrderNotFound",
    "OrderNotSent",
    "OrderRejected",
    "PaperTradingUnavailable",
    "PermissionDenied",
    "RateLimited",
    "RequestRejected",
    "RequestTimedOut",
    "UnknownVenue",
    "VenueHalted",
    "from_retcode",
    "outcome_unknown",
    "sanitize",
    "translate",
]
