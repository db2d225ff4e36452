"""Could a value from a venue be true? The rules of the trust boundary, written once.

Every value a venue sends (a REST answer read by ``console.exchange``, a WebSocket frame read
by ``console.stream``) passes these checks where it is parsed, before it becomes a domain
value. A venue that is broken, replayed wrongly or hostile must not be able to crash the
console (a timestamp no ``datetime`` can hold), freeze it (a number with a million digits)
or make it lie (a crossed book, an order filled beyond its size, an order id ``"None"``).

Each rule raises :class:`Implausible` (a ``ValueError``) naming the field; each parser turns
that into its own answer: the REST side into ``MalformedResponse``, the stream into a frame
counted as malformed and dropped. The ``is_*`` forms answer without raising, for the
stream's hot path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

EARLIEST_MS = 1_420_070_400_000
"""2015-01-01T00:00:00Z. No venue the console reads printed anything earlier, and a time
before it is a unit mix-up (seconds for milliseconds) or garbage."""

MAX_AHEAD_MS = 300_000
"""How far (ms) a venue's timestamp may lead the local clock by default: 5 minutes. Clocks
drift and a machine may be minutes off, so this is generous; a time further ahead would pin
the trade window's end in the future and hide every later trade. :func:`allow_ahead`
changes it for the process; every check also takes ``max_ahead_ms`` for one call."""

SIMULATED_AHEAD_MS = 100 * 365 * 86_400_000
"""The lead allowed to the built-in simulator when it runs faster than real time: its
market clock (trade, candle and order times) then runs ahead of the wall clock by design."""

_allowed_ahead_ms = MAX_AHEAD_MS

MAX_MAGNITUDE = Decimal("1e18")
"""Larger than any price, size or balance a venue quotes (PEPE's whole supply is 4.2e14)."""

MAX_NUMBER_TEXT = 40
"""Characters a number's text may have; Bybit's longest prices and sizes have under 20.
Longer text costs parsing time before it could be refused on its value."""

MAX_SEQUENCE = 2**63 - 1
"""Bybit's update ids are int64."""


class Implausible(ValueError):
    """A value from a venue that cannot be true. ``str()`` names the field and the value."""

    def __init__(self, what: str, value: object, rule: str) -> None:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{what} {shown} {rule}")
        self.what = what
        self.rule = rule


# --- time --------------------------------------------------------------------------------


def allow_ahead(milliseconds: int) -> None:
    """How far venue timestamps may lead the local clock, for this process: the configurable
    skew. One process talks to one venue, so the composition root sets it once, before the
    streamer and the client start (they read it when built and on every REST answer)."""
    global _allowed_ahead_ms
    if milliseconds < 0:
        raise ValueError("the allowed lead cannot be negative")
    _allowed_ahead_ms = milliseconds


def allowed_ahead_ms() -> int:
    """The lead :func:`allow_ahead` set (:data:`MAX_AHEAD_MS` unless told otherwise)."""
    return _allowed_ahead_ms


def is_plausible_ms(value: object, now_ms: int, max_ahead_ms: int | None = None) -> bool:
    """An integer epoch-milliseconds from 2015 to ``max_ahead_ms`` after ``now_ms``."""
    lead = _allowed_ahead_ms if max_ahead_ms is None else max_ahead_ms
    return type(value) is int and EARLIEST_MS <= value <= now_ms + lead


def timestamp_ms(
    value: object, now_ms: int, what: str = "timestamp", *, max_ahead_ms: int | None = None
) -> int:
    """``value`` as epoch milliseconds, if it is a plausible moment.

    Whole-number floats are accepted (ccxt sometimes hands those over); booleans are not.

    Raises:
        Implausible: not a whole number, before 2015, or too far ahead of ``now_ms``.
    """
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is not int:
        raise Implausible(what, value, "is not a whole number of milliseconds")
    if value < EARLIEST_MS:
        raise Implausible(what, value, "is before 2015")
    lead = _allowed_ahead_ms if max_ahead_ms is None else max_ahead_ms
    if value > now_ms + lead:
        raise Implausible(what, value, f"is more than {lead // 1000} s ahead of the clock")
    return value


def now_ms() -> int:
    """The local clock in epoch milliseconds, for callers that have no injected clock."""
    return int(datetime.now(UTC).timestamp() * 1000)


# --- numbers ----------------------------------------------------------------------------


def number_text(text: object, what: str) -> Decimal:
    """A decimal string (as Bybit sends prices and sizes) read exactly, if it is readable.

    Raises:
        Implausible: not a string, too long, or not a decimal number.
    """
    if type(text) is not str:
        raise Implausible(what, text, "is not a decimal string")
    if len(text) > MAX_NUMBER_TEXT:
        raise Implausible(what, text, f"is longer than {MAX_NUMBER_TEXT} characters")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Implausible(what, text, "is not a number") from None


def finite(value: Decimal, what: str) -> Decimal:
    """Any sign, but a real, finite number below :data:`MAX_MAGNITUDE` in size.

    Raises:
        Implausible: NaN, an infinity, or absurdly large.
    """
    if not value.is_finite():
        raise Implausible(what, value, "is not a finite number")
    if abs(value) >= MAX_MAGNITUDE:
        raise Implausible(what, value, "is out of range")
    return value


def price(value: Decimal, what: str = "price") -> Decimal:
    """A finite price above zero.

    Raises:
        Implausible: not finite, out of range, zero or negative.
    """
    finite(value, what)
    if value <= 0:
        raise Implausible(what, value, "is not above zero")
    return value


def size(value: Decimal, what: str = "size") -> Decimal:
    """A finite size, balance or count: zero or more.

    Raises:
        Implausible: not finite, out of range or negative.
    """
    finite(value, what)
    if value < 0:
        raise Implausible(what, value, "is negative")
    return value


def is_price(value: Decimal) -> bool:
    """:func:`price` without raising, for the hot path."""
    return value.is_finite() and 0 < value < MAX_MAGNITUDE


def is_positive_size(value: Decimal) -> bool:
    """A size a trade or a book level can have: above zero, finite, in range."""
    return value.is_finite() and 0 < value < MAX_MAGNITUDE


# --- relations --------------------------------------------------------------------------


def filled_within(filled: Decimal, amount: Decimal, what: str = "order") -> None:
    """An order cannot have filled more than its size.

    Raises:
        Implausible: ``filled`` exceeds ``amount``.
    """
    if filled > amount:
        raise Implausible(f"{what} filled", filled, f"is more than its size {amount}")


def uncrossed(bid: Decimal | None, ask: Decimal | None, what: str = "book") -> None:
    """A best bid below the best ask (either may be missing).

    Raises:
        Implausible: the bid is at or above the ask.
    """
    if bid is not None and ask is not None and bid >= ask:
        raise Implausible(f"{what} bid", bid, f"is at or above the ask {ask} (crossed)")


# --- ids and sequences ------------------------------------------------------------------


def identifier(value: object, what: str = "id") -> str:
    """A non-empty id; integers are read as their digits. ``None`` never becomes ``"None"``.

    Raises:
        Implausible: missing, empty, or not a string or integer.
    """
    if type(value) is int:
        return str(value)
    if type(value) is not str or not value.strip():
        raise Implausible(what, value, "is missing or empty")
    return value


def is_sequence(value: object) -> bool:
    """A venue update id: a positive int64."""
    return type(value) is int and 0 < value <= MAX_SEQUENCE


__all__ = [
    "EARLIEST_MS",
    "MAX_AHEAD_MS",
    "MAX_MAGNITUDE",
    "MAX_NUMBER_TEXT",
    "MAX_SEQUENCE",
    "SIMULATED_AHEAD_MS",
    "Implausible",
    "allow_ahead",
    "allowed_ahead_ms",
    "filled_within",
    "finite",
    "identifier",
    "is_plausible_ms",
    "is_positive_size",
    "is_price",
    "is_sequence",
    "now_ms",
    "number_text",
    "price",
    "size",
    "timestamp_ms",
    "uncrossed",
]
