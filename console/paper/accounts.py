"""Cash, locked funds and positions of one practice session.

Spot: each currency is cash; an open buy locks quote, an open sell locks base. Linear: the
settle currency is cash (wallet balance); realised PnL and fees move it; open orders lock
initial margin plus the worst-case fee, positions hold margin at their entry price. Fees are
always charged in the quote (settle) currency. Nothing here knows about books or orders.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from console.domain import Balance, Market, Side
from console.paper.models import Position

ZERO = Decimal(0)


PNL_QUANTUM = Decimal("0.00000001")
"""Realised PnL of a partial close is rounded to this (Bybit keeps USDT to 8 decimals)."""


def entry_price(size: Decimal, cost: Decimal) -> Decimal | None:
    """Average entry for display, to ``PNL_QUANTUM``; None when flat. PnL never uses it."""
    if size == 0:
        return None
    price = (cost / size).quantize(PNL_QUANTUM, rounding=ROUND_HALF_EVEN).normalize()
    exponent = price.as_tuple().exponent
    return price.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else price


@dataclass
class _Holding:
    """Signed size and signed cost (sum of price x size still open) of one symbol.

    Keeping the cost rather than an average price keeps everything exact: the average is a
    division, but only a partial close needs one (its share of the cost, rounded to
    ``PNL_QUANTUM``), and a full close releases exactly the cost that is left. Spot holdings
    are never negative; selling more than was bought here sells the starting balance, which
    has no cost basis and realises nothing.
    """

    size: Decimal = ZERO
    cost: Decimal = ZERO
    realised: Decimal = ZERO

    @property
    def entry(self) -> Decimal | None:
        return entry_price(self.size, self.cost)

    def apply(self, side: Side, size: Decimal, price: Decimal, *, can_short: bool) -> Decimal:
        """Add a fill; returns the size that reduced the holding (the realised PnL accrues)."""
        sign = Decimal(1) if side is Side.BUY else Decimal(-1)
        if self.size == 0 or (self.size > 0) == (sign > 0):
            if can_short or sign > 0:
                self.size += sign * size
                self.cost += sign * size * price
            return ZERO
        held = abs(self.size)
        closed = min(size, held)
        if closed == held:
            released = self.cost
        else:
            released = (self.cost * closed / held).quantize(PNL_QUANTUM, rounding=ROUND_HALF_EVEN)
        self.realised += -sign * closed * price - released
        self.cost -= released
        self.size += sign * closed
        opened = size - closed
        if opened > 0 and can_short:
            self.size += sign * opened
            self.cost += sign * opened * price
        return closed


class Accounts:
    """Balances, per-order locks and positions; every change comes through a method here."""

    def __init__(
        self,
        cash: Mapping[str, Decimal],
        *,
        leverage: Decimal,
        positions: Mapping[str, tuple[Decimal, Decimal, Decimal]] | None = None,
    ) -> None:
        if leverage <= 0:
            raise ValueError(f"leverage must be greater than zero, got {leverage}")
        self.leverage = leverage
        """The session's leverage: each linear symbol's unless set (:meth:`set_leverage`)."""
        self._symbol_leverage: dict[str, Decimal] = {}
        self._cash: dict[str, Decimal] = dict(cash)
        self._locks: dict[str, tuple[str, Decimal]] = {}
        self._holdings: dict[str, _Holding] = {
            symbol: _Holding(size, cost, realised)
            for symbol, (size, cost, realised) in (positions or {}).items()
        }
        self._linear: set[str] = set()
        self._settle_of: dict[str, str] = {}

    @staticmethod
    def settle_currency(market: Market) -> str:
        return market.settle or market.quote

    # ----- locks -----------------------------------------------------------------------

    def lock(self, order_id: str, currency: str, amount: Decimal) -> None:
        self._locks[order_id] = (currency, amount)

    def release(self, order_id: str, portion: Decimal | None = None) -> None:
        """Give back ``portion`` of an order's lock, or all of it (an order that ended)."""
        if order_id not in self._locks:
            return
        currency, amount = self._locks[order_id]
        if portion is None or portion >= amount:
            del self._locks[order_id]
        else:
            self._locks[order_id] = (currency, amount - portion)

    def locked_by(self, order_id: str) -> tuple[str, Decimal] | None:
        return self._locks.get(order_id)

    # ----- what is available -----------------------------------------------------------

    def cash(self, currency: str) -> Decimal:
        return self._cash.get(currency, ZERO)

    def used(self, currency: str) -> Decimal:
        locked = sum((amount for cur, amount in self._locks.values() if cur == currency), ZERO)
        return locked + self._margin(currency)

    def free(self, currency: str) -> Decimal:
        return self.cash(currency) - self.used(currency)

    def _margin(self, currency: str) -> Decimal:
        return sum(
            (
                abs(h.cost) / self.leverage_for(symbol)
                for symbol, h in self._holdings.items()
                if symbol in self._linear and self._settle_of[symbol] == currency
            ),
            ZERO,
        )

    def leverage_for(self, symbol: str) -> Decimal:
        return self._symbol_leverage.get(symbol, self.leverage)

    def set_leverage(self, symbol: str, leverage: Decimal) -> bool:
        """One symbol's leverage from now on (its position's margin follows at once);
        False when it already had it, as Bybit's 110043 says."""
        if leverage <= 0:
            raise ValueError(f"leverage must be greater than zero, got {leverage}")
        if self.leverage_for(symbol) == leverage:
            return False
        self._symbol_leverage[symbol] = leverage
        return True

    def position_size(self, symbol: str) -> Decimal:
        holding = self._holdings.get(symbol)
        return holding.size if holding else ZERO

    # ----- fills -----------------------------------------------------------------------

    def apply_fill(
        self, market: Market, side: Side, price: Decimal, size: Decimal, fee: Decimal
    ) -> tuple[Decimal, Decimal]:
        """Move cash and positions for one fill; returns (realised PnL, size closed)."""
        holding = self._holdings.setdefault(market.symbol, _Holding())
        before = holding.realised
        notional = price * size
        settle = self.settle_currency(market)
        if market.is_contract:
            self._linear.add(market.symbol)
            self._settle_of[market.symbol] = settle
            closed = holding.apply(side, size, price, can_short=True)
            realised = holding.realised - before
            self._add(settle, realised - fee)
        else:
            closed = holding.apply(side, size, price, can_short=False)
            realised = holding.realised - before
            sign = Decimal(1) if side is Side.BUY else Decimal(-1)
            self._add(market.base, sign * size)
            self._add(market.quote, -sign * notional - fee)
        return realised, closed

    def register(self, markets: Iterable[Market]) -> None:
        """Tell the accounts which symbols are contracts (positions restored from the ledger)."""
        for market in markets:
            if market.is_contract:
                self._linear.add(market.symbol)
                self._settle_of[market.symbol] = self.settle_currency(market)

    def _add(self, currency: str, amount: Decimal) -> None:
        self._cash[currency] = self._cash.get(currency, ZERO) + amount

    # ----- views -----------------------------------------------------------------------

    def balances(self) -> list[Balance]:
        currencies = set(self._cash) | {cur for cur, _ in self._locks.values()}
        currencies |= set(self._settle_of.values())
        return [
            Balance(currency=cur, total=self.cash(cur), free=self.free(cur), used=self.used(cur))
            for cur in sorted(currencies)
        ]

    def cash_snapshot(self) -> dict[str, Decimal]:
        return dict(self._cash)

    def positions(self, marks: Mapping[str, Decimal | None] | None = None) -> list[Position]:
        marks = marks or {}
        result = []
        for symbol, holding in sorted(self._holdings.items()):
            mark = marks.get(symbol)
            unrealised = None
            if mark is not None and holding.size != 0:
                unrealised = mark * holding.size - holding.cost
            result.append(
                Position(
                    symbol=symbol,
                    size=holding.size,
                    entry_price=holding.entry,
                    cost=holding.cost,
                    realised_pnl=holding.realised,
                    unrealised_pnl=unrealised,
                    mark_price=mark,
                )
            )
        return result
