"""Conditional orders: the price each one watches, the side of the market it must start on,
and the board of orders waiting for their trigger.

Bybit's rules (``bybit-v5-private.md`` §4): ``triggerDirection`` 1 fires when the watched
price rises to ``triggerPrice`` and must be placed above it (else 110092), 2 fires when it
falls to it and must be placed below (else 110093). ``triggerBy`` picks the watched price:
the last print (``LastPrice``, the default), the mark (``MarkPrice``: the linear mid on the
tick, as the ``tickers`` topic publishes it) or the index (``IndexPrice``: the spot mid, as
``tickers`` publishes ``indexPrice``).
"""

from __future__ import annotations

from decimal import Decimal

from console.sim.accounts import SimAccount
from console.sim.bybit_rows import fmt
from console.sim.envelopes import BybitError
from console.sim.market import SimMarket
from console.sim.orders import SimOrder
from console.sim.pricing import mark_price

LAST, MARK, INDEX = "LastPrice", "MarkPrice", "IndexPrice"
RISING, FALLING = 1, 2
TPSL_STOP_TYPES = frozenset(
    {"TakeProfit", "StopLoss", "PartialTakeProfit", "PartialStopLoss", "tpslOrder"}
)
MAX_CONDITIONAL_PER_SYMBOL = 10
"""Bybit: at most 10 conditional orders per symbol on perpetuals (110009 beyond)."""


def order_filter_of(order: SimOrder) -> str:
    """Which ``orderFilter`` lists the order: ``Order``, ``StopOrder`` or ``tpslOrder``."""
    if order.stop_order_type in TPSL_STOP_TYPES:
        return "tpslOrder"
    if order.stop_order_type:
        return "StopOrder"
    return "Order"


def matches_filter(order: SimOrder, order_filter: str | None) -> bool:
    """No filter lists every kind, as on Bybit."""
    return order_filter is None or order_filter_of(order) == order_filter


def watched_price(market: SimMarket, category: str, symbol: str, trigger_by: str) -> Decimal | None:
    """The price a conditional order of ``symbol`` compares with its trigger, or None when
    the market has none yet."""
    if trigger_by == MARK and category == "linear":
        mark = mark_price(market, symbol)
        return mark or None
    if trigger_by == INDEX and category == "linear":
        if market.has_book("spot", symbol):
            spot_mid = market.book("spot", symbol).mid_price()
            if spot_mid is not None:
                return spot_mid.quantize(market.book(category, symbol).instrument.tick_size)
        trigger_by = LAST
    return market.last_price(category, symbol)


def direction_for(trigger: Decimal, current: Decimal) -> int:
    """The direction Bybit infers for a trigger above (rising) or below (falling) the market."""
    return RISING if trigger > current else FALLING


def check_trigger_side(direction: int, trigger: Decimal, current: Decimal, trigger_by: str) -> None:
    """Refuse a trigger already on the wrong side of the watched price, in Bybit's words."""
    if direction == RISING and trigger <= current:
        raise BybitError(
            110092,
            f"expect Rising, but trigger_price[{fmt(trigger)}] <= current[{fmt(current)}]"
            f"??{trigger_by}",
        )
    if direction == FALLING and trigger >= current:
        raise BybitError(
            110093,
            f"expect Falling, but trigger_price[{fmt(trigger)}] >= current[{fmt(current)}]"
            f"??{trigger_by}",
        )


def crossed(order: SimOrder, price: Decimal) -> bool:
    """Whether ``price`` reached the order's trigger in its direction."""
    trigger = order.trigger_price
    if trigger is None:
        return False
    return price >= trigger if order.trigger_direction == RISING else price <= trigger


class TriggerBoard:
    """The ``Untriggered`` orders by symbol; tells which are due after a book changes.

    A linear order watching the index waits on the spot book of the same symbol too, so any
    change of either book of a symbol looks at the symbol's waiting orders (and nothing is
    read when none wait).
    """

    def __init__(self, market: SimMarket) -> None:
        self._market = market
        self._waiting: dict[str, dict[str, tuple[SimAccount, SimOrder]]] = {}

    def arm(self, account: SimAccount, order: SimOrder) -> None:
        self._waiting.setdefault(order.symbol, {})[order.order_id] = (account, order)

    def disarm(self, order: SimOrder) -> None:
        waiting = self._waiting.get(order.symbol)
        if waiting is not None:
            waiting.pop(order.order_id, None)
            if not waiting:
                del self._waiting[order.symbol]

    def count(self, account: SimAccount, category: str, symbol: str) -> int:
        return sum(
            1
            for owner, order in self._waiting.get(symbol, {}).values()
            if owner is account and order.category == category
        )

    def due(self, symbol: str) -> list[tuple[SimAccount, SimOrder]]:
        """Waiting orders of ``symbol`` whose watched price reached the trigger, oldest first."""
        waiting = self._waiting.get(symbol)
        if not waiting:
            return []
        prices: dict[tuple[str, str], Decimal | None] = {}
        fired: list[tuple[SimAccount, SimOrder]] = []
        for account, order in list(waiting.values()):
            key = (order.category, order.trigger_by or LAST)
            if key not in prices:
                prices[key] = watched_price(self._market, key[0], symbol, key[1])
            price = prices[key]
            if order.status == "Untriggered" and price is not None and crossed(order, price):
                fired.append((account, order))
        return sorted(fired, key=lambda pair: pair[1].sequence)
