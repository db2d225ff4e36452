"""The alert editor's lines: one typed line to a new alert of any kind.

The order command line makes price alerts (``alert btc > 61000``); the Alerts screen takes
every kind, in the same words and with the same market names::

    price [SYM] >|< PRICE            trades [SYM] > 3x        spread [SYM] > 2.5
    pnl [SYM] >|< AMOUNT             liq [SYM] < 5%           ratelimit < 20%
    stream > 10s                     fill [SYM]
    ... [rearm X]                    (the hysteresis; each kind has a default)

Pure: a line and the markets in, an :class:`AlertSpec` (or a refusal naming the word at
fault) out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from console.domain.alerts import Alert, AlertKind, fixed_direction
from console.domain.order_command import (
    CommandContext,
    CommandRefused,
    PriceAlert,
    Token,
    read_number,
    read_symbol,
    tokenize,
)

_UNITS = {
    AlertKind.TRADE_RATE: "x",
    AlertKind.LIQUIDATION: "%",
    AlertKind.RATE_LIMIT: "%",
    AlertKind.STREAM_DOWN: "s",
}
_WITH_SYMBOL = (
    AlertKind.PRICE,
    AlertKind.TRADE_RATE,
    AlertKind.SPREAD,
    AlertKind.PNL,
    AlertKind.LIQUIDATION,
    AlertKind.FILL,
)
KINDS = tuple(kind.value for kind in AlertKind)
"""The first words an alert line may start with."""


@dataclass(frozen=True, slots=True)
class AlertSpec:
    """What to watch: :meth:`AlertBook.add <console.domain.alerts.AlertBook.add>`'s
    arguments."""

    kind: AlertKind
    symbol: str | None = None
    above: bool = True
    level: Decimal = Decimal(0)
    rearm: Decimal | None = None


def describe_spec(spec: AlertSpec) -> str:
    """What the alert will watch, in words (``BTC/USDT:USDT price above 61000``).

    Raises:
        ValueError: the alert does not fit its kind (a percentage over 100).
    """
    direction = fixed_direction(spec.kind)
    above = spec.above if direction is None else direction
    alert = Alert(
        alert_id=1,
        kind=spec.kind,
        symbol=spec.symbol,
        above=above,
        level=spec.level,
        created_at=datetime(2000, 1, 1, tzinfo=UTC),
    )
    return alert.describe()


def spec_for(command: PriceAlert) -> AlertSpec:
    """The order command line's ``alert`` as an alert spec."""
    return AlertSpec(AlertKind.PRICE, command.symbol, command.above, command.price)


def parse_alert(text: str, context: CommandContext) -> AlertSpec:
    """Read one alert line.

    Raises:
        CommandRefused: the line cannot be read; its token is the word at fault.
    """
    tokens = tokenize(text)
    end = Token("", len(text.rstrip()) + 1)
    if not tokens:
        raise CommandRefused(f"Say what to watch: {', '.join(KINDS)}", end)
    first = tokens[0]
    try:
        kind = AlertKind(first.text.lower())
    except ValueError:
        raise CommandRefused(
            f'"{first.text}" is not an alert kind: {", ".join(KINDS)}', first
        ) from None
    rest = tokens[1:]
    rearm: Decimal | None = None
    if len(rest) >= 2 and rest[-2].text.lower() == "rearm":
        rearm = _level(rest[-1], "the re-arm distance", allow_negative=False)
        rest = rest[:-2]
    symbol: str | None = None
    if kind in _WITH_SYMBOL and rest and rest[0].text not in ("<", ">"):
        symbol = read_symbol(rest[0], context)
        rest = rest[1:]
    if kind in _WITH_SYMBOL and symbol is None and kind is not AlertKind.FILL:
        if context.focused is None:
            raise CommandRefused("Name the market: no market is focused", end)
        symbol = context.focused
    if kind is AlertKind.FILL:
        if rest:
            raise CommandRefused(f'"{rest[0].text}" is not understood here', rest[0])
        return AlertSpec(kind, symbol)
    if not rest:
        raise CommandRefused('"> LEVEL" or "< LEVEL" is missing', end)
    sign = rest[0]
    if sign.text not in ("<", ">"):
        raise CommandRefused(f'"{sign.text}" is not understood here (expected > or <)', sign)
    above = sign.text == ">"
    direction = fixed_direction(kind)
    if direction is not None and above is not direction:
        way = ">" if direction else "<"
        raise CommandRefused(f"A {kind.value} alert is written with {way}", sign)
    if len(rest) < 2:
        raise CommandRefused("The level is missing", end)
    level = _level(
        rest[1], "the level", unit=_UNITS.get(kind), allow_negative=kind is AlertKind.PNL
    )
    if len(rest) > 2:
        raise CommandRefused(f'"{rest[2].text}" is not understood here', rest[2])
    return AlertSpec(kind, symbol, above, level, rearm)


def _level(
    token: Token, what: str, *, unit: str | None = None, allow_negative: bool = False
) -> Decimal:
    text = token.text
    if unit and text.lower().endswith(unit):
        text = text[: -len(unit)]
    negative = allow_negative and text.startswith("-")
    if negative:
        text = text[1:]
    if text == "0" and allow_negative:
        return Decimal(0)
    value = read_number(Token(text, token.start), what)
    return -value if negative else value


__all__ = ["KINDS", "AlertSpec", "describe_spec", "parse_alert", "spec_for"]
