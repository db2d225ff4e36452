"""Alerts: conditions the console watches while the trader does not, and when they fire.

Each alert compares one value (a price, trades per minute as a multiple of their median, a
spread, a position's PnL or distance to liquidation, rate-limit headroom, how long a stream
has been down) with a level, or waits for a fill. An alert fires once when its condition
starts to hold, then stays quiet until it re-arms: the value must come back past the level
by the alert's hysteresis (``rearm``), so a price jittering around a level does not ring on
every tick. What fired is kept with its time and the value that fired it.

Pure: the console feeds values in (:class:`AlertBook`'s ``check_*`` methods) from the data
it already has; nothing here reads a clock, a file or a stream.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from statistics import median

from pydantic import Field, ValidationError, model_validator

from console.domain._base import Money, NonNegativeMoney, UtcDateTime, Value
from console.domain.enums import StreamState
from console.domain.health import RateLimitStatus, StreamHealth
from console.domain.orders import Fill
from console.domain.positions import Position

FIRED_KEPT = 200
"""Fired alerts remembered (newest kept); older ones drop off the list."""
FILLS_REMEMBERED = 1000
"""Fill ids remembered so a fill reported twice (stream and poll) rings once."""
MIN_MEDIAN_MINUTES = 3
"""Full minutes of trades needed before a median is trusted."""


class AlertKind(StrEnum):
    """What an alert watches; the value is the word the alert editor reads."""

    PRICE = "price"
    """The last trade price, above or below a level."""
    TRADE_RATE = "trades"
    """Trades in the last minute as a multiple of the median minute (above)."""
    SPREAD = "spread"
    """Best ask minus best bid, in price units (above)."""
    PNL = "pnl"
    """A position's unrealised PnL in the quote currency, above or below."""
    LIQUIDATION = "liq"
    """Distance from the mark to the liquidation price, in percent of the mark (below)."""
    RATE_LIMIT = "ratelimit"
    """Requests left in any rate-limit window, in percent of its limit (below)."""
    STREAM_DOWN = "stream"
    """Seconds a market stream has not been live (above)."""
    FILL = "fill"
    """One of our orders filled (each fill once)."""


_UNIT = {
    AlertKind.PRICE: "",
    AlertKind.TRADE_RATE: "x median",
    AlertKind.SPREAD: "",
    AlertKind.PNL: "",
    AlertKind.LIQUIDATION: "%",
    AlertKind.RATE_LIMIT: "%",
    AlertKind.STREAM_DOWN: " s",
    AlertKind.FILL: "",
}
_FIXED_DIRECTION = {
    AlertKind.TRADE_RATE: True,
    AlertKind.SPREAD: True,
    AlertKind.LIQUIDATION: False,
    AlertKind.RATE_LIMIT: False,
    AlertKind.STREAM_DOWN: True,
}
"""Kinds whose condition only makes sense one way: True = above the level, False = below."""
_NEEDS_SYMBOL = frozenset(
    {AlertKind.PRICE, AlertKind.TRADE_RATE, AlertKind.SPREAD, AlertKind.PNL, AlertKind.LIQUIDATION}
)
_NO_SYMBOL = frozenset({AlertKind.RATE_LIMIT, AlertKind.STREAM_DOWN})


def fixed_direction(kind: AlertKind) -> bool | None:
    """True (above) or False (below) for kinds that go one way only; None for either."""
    return _FIXED_DIRECTION.get(kind)


def default_rearm(kind: AlertKind, level: Decimal) -> Decimal:
    """How far back past the level the value must go before the alert can fire again.

    Price and spread: a tenth of a percent of the level (a price that ticks around the level
    stays quiet); PnL: a tenth of the level, at least 1; trades/min: half a multiple;
    percentages: one point; a stream: none (it re-arms once the stream is live again).
    """
    match kind:
        case AlertKind.PRICE:
            return abs(level) / 1000
        case AlertKind.SPREAD:
            return abs(level) / 10
        case AlertKind.PNL:
            return max(abs(level) / 10, Decimal(1))
        case AlertKind.TRADE_RATE:
            return Decimal("0.5")
        case AlertKind.LIQUIDATION | AlertKind.RATE_LIMIT:
            return Decimal(1)
        case _:
            return Decimal(0)


def plain(number: Decimal) -> str:
    """``61000`` rather than ``6.1E+4``; no trailing zeros."""
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text


class Alert(Value):
    """One condition the trader asked to be told about.

    Attributes:
        alert_id: its number, unique in the alert book (shown on screen, used to delete).
        kind: what it watches.
        symbol: the market watched; None for rate limits and streams, and for a fill
            alert that rings for any market.
        above: fire when the value is at or above ``level`` (False: at or below).
        level: the threshold, in the kind's unit.
        rearm: the hysteresis: after firing, the value must go back past ``level`` by
            more than this before the alert can fire again.
        armed: the trader's switch: a disarmed alert never fires.
        created_at: when it was made.
    """

    alert_id: int = Field(ge=1)
    kind: AlertKind
    symbol: str | None = None
    above: bool = True
    level: Money = Decimal(0)
    rearm: NonNegativeMoney = Decimal(0)
    armed: bool = True
    created_at: UtcDateTime

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Alert:
        if self.kind in _NEEDS_SYMBOL and not self.symbol:
            raise ValueError(f"a {self.kind.value} alert needs a market")
        if self.kind in _NO_SYMBOL and self.symbol is not None:
            raise ValueError(f"a {self.kind.value} alert watches no single market")
        direction = fixed_direction(self.kind)
        if direction is not None and self.above is not direction:
            way = "above" if direction else "below"
            raise ValueError(f"a {self.kind.value} alert fires {way} its level only")
        if self.kind in (AlertKind.LIQUIDATION, AlertKind.RATE_LIMIT) and not (
            0 < self.level <= 100
        ):
            raise ValueError("the level is a percentage: more than 0, at most 100")
        positive = (AlertKind.PRICE, AlertKind.TRADE_RATE, AlertKind.SPREAD, AlertKind.STREAM_DOWN)
        if self.kind in positive and self.level <= 0:
            raise ValueError("the level must be more than zero")
        return self

    def describe(self) -> str:
        """The condition in words: ``BTC/USDT:USDT price above 61000``."""
        if self.kind is AlertKind.FILL:
            return f"a fill on {self.symbol}" if self.symbol else "any fill"
        where = f"{self.symbol} " if self.symbol else ""
        way = "above" if self.above else "below"
        names = {
            AlertKind.PRICE: "price",
            AlertKind.TRADE_RATE: "trades/min",
            AlertKind.SPREAD: "spread",
            AlertKind.PNL: "PnL",
            AlertKind.LIQUIDATION: "distance to liquidation",
            AlertKind.RATE_LIMIT: "rate-limit headroom",
            AlertKind.STREAM_DOWN: "a stream down",
        }
        if self.kind is AlertKind.STREAM_DOWN:
            return f"a stream down longer than {plain(self.level)} s"
        return f"{where}{names[self.kind]} {way} {plain(self.level)}{_UNIT[self.kind]}"


class FiredAlert(Value):
    """An alert that fired: which, when, and the value that fired it.

    ``subject`` names what fired it when the alert watches several things (the rate-limit
    window, the stream, the fill id).
    """

    alert_id: int
    kind: AlertKind
    condition: str
    value: Money
    subject: str | None = None
    at: UtcDateTime

    def describe(self) -> str:
        """``BTC/USDT:USDT price above 61000: 61012.5``."""
        about = f" ({self.subject})" if self.subject else ""
        return f"{self.condition}: {plain(self.value)}{_UNIT[self.kind]}{about}"


def refusal(error: ValueError) -> str:
    """Why an alert was refused, in one sentence (pydantic's first complaint, unwrapped)."""
    if isinstance(error, ValidationError) and error.errors():
        return str(error.errors()[0]["msg"]).removeprefix("Value error, ")
    return str(error)


def crossed(above: bool, level: Decimal, value: Decimal) -> bool:
    """The condition holds: ``value`` is at or past ``level`` on the alert's side."""
    return value >= level if above else value <= level


def cleared(above: bool, level: Decimal, rearm: Decimal, value: Decimal) -> bool:
    """``value`` went back past ``level`` by more than ``rearm``: the alert may fire again."""
    return value < level - rearm if above else value > level + rearm


def trade_rate_multiple(last_minute: int, earlier_minutes: Sequence[int]) -> Decimal | None:
    """Trades in the last minute as a multiple of the median of ``earlier_minutes``.

    Minutes before the first trade seen (leading zeros: the stream had not started) do not
    count; None until :data:`MIN_MEDIAN_MINUTES` minutes are known or while the median is 0.
    """
    counts = list(earlier_minutes)
    while counts and counts[0] == 0:
        counts.pop(0)
    if len(counts) < MIN_MEDIAN_MINUTES:
        return None
    middle = Decimal(str(median(counts)))
    if middle <= 0:
        return None
    return (Decimal(last_minute) / middle).quantize(Decimal("0.01"))


def liquidation_distance(position: Position) -> Decimal | None:
    """How far the mark is from the liquidation price, in percent of the mark."""
    mark, liquidation = position.mark_price, position.liquidation_price
    if position.is_flat or mark is None or liquidation is None or mark <= 0:
        return None
    return (abs(mark - liquidation) / mark * 100).quantize(Decimal("0.01"))


def headroom_percent(status: RateLimitStatus) -> Decimal | None:
    """Requests left in a window, in percent of its limit."""
    if status.limit <= 0:
        return None
    return (Decimal(max(status.remaining, 0)) * 100 / status.limit).quantize(Decimal("0.1"))


def window_name(status: RateLimitStatus) -> str:
    return status.endpoint or status.category.value


class AlertBook:
    """The alerts, their firing state and the fired list.

    An alert's latch is per subject: a rate-limit alert fires once for each window that
    runs low, a stream alert once for each stream that goes down.
    """

    def __init__(
        self,
        alerts: Iterable[Alert] = (),
        fired: Iterable[FiredAlert] = (),
        *,
        next_id: int = 1,
    ) -> None:
        self._alerts: dict[int, Alert] = {alert.alert_id: alert for alert in alerts}
        self._fired: list[FiredAlert] = list(fired)[-FIRED_KEPT:]
        self.next_id = max(next_id, *(alert_id + 1 for alert_id in self._alerts), 1)
        self._latched: set[tuple[int, str | None]] = set()
        self._down_since: dict[str, datetime] = {}
        self._fills_seen: OrderedDict[str, None] = OrderedDict()
        self._index: dict[tuple[AlertKind, str | None], list[Alert]] = {}
        self._reindex()

    # -- the list ------------------------------------------------------------------------

    @property
    def alerts(self) -> tuple[Alert, ...]:
        """Every alert, oldest first."""
        return tuple(sorted(self._alerts.values(), key=lambda alert: alert.alert_id))

    @property
    def fired(self) -> tuple[FiredAlert, ...]:
        """What fired, oldest first (at most :data:`FIRED_KEPT`)."""
        return tuple(self._fired)

    def get(self, alert_id: int) -> Alert | None:
        return self._alerts.get(alert_id)

    def add(
        self,
        kind: AlertKind,
        *,
        level: Decimal = Decimal(0),
        symbol: str | None = None,
        above: bool | None = None,
        rearm: Decimal | None = None,
        now: datetime,
    ) -> Alert:
        """Make and keep a new alert (armed).

        Raises:
            ValueError: the alert does not fit its kind (no market, a percentage over 100).
        """
        direction = fixed_direction(kind)
        alert = Alert(
            alert_id=self.next_id,
            kind=kind,
            symbol=symbol,
            above=(True if direction is None else direction) if above is None else above,
            level=level,
            rearm=default_rearm(kind, level) if rearm is None else rearm,
            created_at=now,
        )
        self._alerts[alert.alert_id] = alert
        self.next_id += 1
        self._reindex()
        return alert

    def set_armed(self, alert_id: int, armed: bool) -> Alert | None:
        """Arm or disarm an alert; arming starts it afresh (it may fire at once)."""
        alert = self._alerts.get(alert_id)
        if alert is None:
            return None
        alert = alert.model_copy(update={"armed": armed})
        self._alerts[alert_id] = alert
        self._unlatch(alert_id)
        self._reindex()
        return alert

    def remove(self, alert_id: int) -> Alert | None:
        alert = self._alerts.pop(alert_id, None)
        self._unlatch(alert_id)
        self._reindex()
        return alert

    def is_waiting(self, alert_id: int) -> bool:
        """Fired, and waiting for the value to come back before it can fire again."""
        return any(key[0] == alert_id for key in self._latched)

    def wants(self, kind: AlertKind, symbol: str | None = None) -> bool:
        """Some armed alert watches ``kind`` on ``symbol``: the caller may skip the work of
        computing a value no alert reads."""
        return (kind, symbol) in self._index

    def symbols(self, kind: AlertKind) -> set[str]:
        """The markets armed alerts of ``kind`` watch."""
        return {symbol for k, symbol in self._index if k is kind and symbol is not None}

    def price_levels(self, symbol: str) -> list[Alert]:
        """The armed price alerts of ``symbol`` (what the ladder marks)."""
        return list(self._index.get((AlertKind.PRICE, symbol), ()))

    # -- values in, fired alerts out ------------------------------------------------------

    def check(
        self,
        kind: AlertKind,
        symbol: str | None,
        value: Decimal,
        now: datetime,
        *,
        subject: str | None = None,
    ) -> list[FiredAlert]:
        """Compare ``value`` with every armed alert of ``kind`` on ``symbol``."""
        fired: list[FiredAlert] = []
        for alert in self._index.get((kind, symbol), ()):
            key = (alert.alert_id, subject)
            if key in self._latched:
                if cleared(alert.above, alert.level, alert.rearm, value):
                    self._latched.discard(key)
                continue
            if crossed(alert.above, alert.level, value):
                self._latched.add(key)
                fired.append(self._record(alert, value, now, subject))
        return fired

    def check_positions(self, positions: Iterable[Position], now: datetime) -> list[FiredAlert]:
        """PnL and distance-to-liquidation alerts against open positions (marked)."""
        fired: list[FiredAlert] = []
        for position in positions:
            if position.is_flat:
                continue
            if self.wants(AlertKind.PNL, position.symbol):
                fired += self.check(AlertKind.PNL, position.symbol, position.unrealised_pnl, now)
            distance = liquidation_distance(position)
            if distance is not None and self.wants(AlertKind.LIQUIDATION, position.symbol):
                fired += self.check(AlertKind.LIQUIDATION, position.symbol, distance, now)
        return fired

    def check_rate_limits(
        self, statuses: Iterable[RateLimitStatus], now: datetime
    ) -> list[FiredAlert]:
        """Headroom alerts against every rate-limit window (each window latches alone)."""
        if not self.wants(AlertKind.RATE_LIMIT):
            return []
        fired: list[FiredAlert] = []
        for status in statuses:
            percent = headroom_percent(status)
            if percent is not None:
                fired += self.check(
                    AlertKind.RATE_LIMIT, None, percent, now, subject=window_name(status)
                )
        return fired

    def check_streams(self, streams: Iterable[StreamHealth], now: datetime) -> list[FiredAlert]:
        """Stream-down alerts: how long each stream has not been live, from when this book
        first saw it down (a stream back to live resets its time to 0)."""
        fired: list[FiredAlert] = []
        for health in streams:
            if health.state is StreamState.LIVE:
                self._down_since.pop(health.stream, None)
                seconds = Decimal(0)
            else:
                since = self._down_since.setdefault(health.stream, now)
                seconds = Decimal(int((now - since).total_seconds()))
            if self.wants(AlertKind.STREAM_DOWN):
                fired += self.check(
                    AlertKind.STREAM_DOWN, None, seconds, now, subject=health.stream
                )
        return fired

    def check_fills(self, fills: Iterable[Fill], now: datetime) -> list[FiredAlert]:
        """Fill alerts (for the fill's market, or any): each fill id rings once."""
        fired: list[FiredAlert] = []
        for fill in fills:
            if fill.fill_id in self._fills_seen:
                continue
            self._fills_seen[fill.fill_id] = None
            if len(self._fills_seen) > FILLS_REMEMBERED:
                self._fills_seen.popitem(last=False)
            alerts = [
                *self._index.get((AlertKind.FILL, None), ()),
                *self._index.get((AlertKind.FILL, fill.symbol), ()),
            ]
            for alert in alerts:
                subject = f"{fill.side.value} {plain(fill.size)} {fill.symbol}, fill {fill.fill_id}"
                fired.append(self._record(alert, fill.price, now, subject))
        return fired

    # -- inside ---------------------------------------------------------------------------

    def _record(
        self, alert: Alert, value: Decimal, now: datetime, subject: str | None
    ) -> FiredAlert:
        fired = FiredAlert(
            alert_id=alert.alert_id,
            kind=alert.kind,
            condition=alert.describe(),
            value=value,
            subject=subject,
            at=now,
        )
        self._fired.append(fired)
        del self._fired[:-FIRED_KEPT]
        return fired

    def _unlatch(self, alert_id: int) -> None:
        self._latched = {key for key in self._latched if key[0] != alert_id}

    def _reindex(self) -> None:
        index: dict[tuple[AlertKind, str | None], list[Alert]] = {}
        for alert in self.alerts:
            if alert.armed:
                index.setdefault((alert.kind, alert.symbol), []).append(alert)
        self._index = index


__all__ = [
    "FIRED_KEPT",
    "Alert",
    "AlertBook",
    "AlertKind",
    "FiredAlert",
    "cleared",
    "crossed",
    "default_rearm",
    "fixed_direction",
    "headroom_percent",
    "liquidation_distance",
    "plain",
    "refusal",
    "trade_rate_multiple",
]
