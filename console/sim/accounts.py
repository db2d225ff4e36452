"""A unified trading account in the simulator: balances, positions, orders, executions.

Bybit's unified account shares one wallet between spot and linear. What is locked by resting
spot orders and the initial margin of linear orders and positions are derived from the open
orders and positions whenever asked, so they can never drift from the book.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from console.sim.book import BybitSide
from console.sim.closed_pnl import ClosedPnl
from console.sim.instruments import SimInstrument
from console.sim.orders import ZERO, Position, SimExecution, SimOrder
from console.sim.risk_tiers import risk_tier

LEVERAGE = Decimal(10)
"""Default leverage of every linear symbol (initial margin = notional / 10)."""
CROSS_MARGIN = "REGULAR_MARGIN"
ISOLATED_MARGIN = "ISOLATED_MARGIN"
RECENT_CLOSED = 500
"""Closed orders ``order/realtime`` still returns when asked by id (Bybit: the last 500)."""
DEFAULT_BALANCES: Mapping[str, Decimal] = {
    "USDT": Decimal(100_000),
    "BTC": Decimal(1),
    "ETH": Decimal(10),
    "SOL": Decimal(100),
}

FEE_PLACES = Decimal("0.0000000001")
MarkPrice = Callable[[str], Decimal]
"""Symbol -> current mark price of the linear contract."""


@dataclass(frozen=True, slots=True)
class FillEffect:
    """What a fill cost: the fee, its coin, and the position size it closed (linear)."""

    fee: Decimal
    fee_coin: str
    closed: Decimal | None
    pnl: Decimal = ZERO
    """PnL the closed size realised, before the fee."""


@dataclass(frozen=True, slots=True)
class CoinBalance:
    """One coin's figures as Bybit's wallet-balance reports them."""

    coin: str
    wallet: Decimal
    locked: Decimal
    order_im: Decimal
    position_im: Decimal
    unrealised: Decimal
    realised: Decimal
    position_mm: Decimal = ZERO
    """Maintenance margin of the coin's positions (entry value x the tier's MMR)."""

    @property
    def equity(self) -> Decimal:
        return self.wallet + self.unrealised

    @property
    def available(self) -> Decimal:
        return (
            self.wallet
            - self.locked
            - self.order_im
            - self.position_im
            + min(self.unrealised, ZERO)
        )


class SimAccount:
    """Everything one UID owns in the simulator."""

    def __init__(self, uid: str, balances: Mapping[str, Decimal] = DEFAULT_BALANCES) -> None:
        self.uid = uid
        self.wallet: dict[str, Decimal] = dict(balances)
        self.realised: dict[str, Decimal] = {}
        self.positions: dict[str, Position] = {}
        self.open_orders: dict[str, SimOrder] = {}
        self.closed_orders: deque[SimOrder] = deque(maxlen=10_000)
        self.executions: deque[SimExecution] = deque(maxlen=10_000)
        self.leverages: dict[str, Decimal] = {}
        """Per linear symbol, once set (``position/set-leverage``); :data:`LEVERAGE` before."""
        self.margin_mode = CROSS_MARGIN
        """``REGULAR_MARGIN`` (cross) or ``ISOLATED_MARGIN``, account-wide as on a UTA."""
        self.closed_pnls: dict[str, ClosedPnl] = {}
        """``position/closed-pnl`` records by closing order id, oldest first."""
        """``REGULAR_MARGIN`` (cross) or ``ISOLATED_MARGIN``, account-wide as on a UTA."""

    # --- orders ----------------------------------------------------------------------------

    def all_orders(self) -> Iterable[SimOrder]:
        yield from self.open_orders.values()
        yield from self.closed_orders

    def find_open(
        self, category: str, order_id: str | None, link_id: str | None
    ) -> SimOrder | None:
        for order in self.open_orders.values():
            if order.category != category:
                continue
            if order_id is not None and order.order_id == order_id:
                return order
            if order_id is None and link_id is not None and order.order_link_id == link_id:
                return order
        return None

    def link_id_in_use(self, category: str, link_id: str) -> bool:
        return any(
            o.order_link_id == link_id and o.category == category for o in self.open_orders.values()
        )

    def recent_closed(self) -> list[SimOrder]:
        return list(self.closed_orders)[-RECENT_CLOSED:]

    def settle(self, order: SimOrder) -> None:
        """Move an order that reached a final status out of the open set."""
        if not order.is_open and self.open_orders.pop(order.order_id, None) is not None:
            self.closed_orders.append(order)

    # --- balances --------------------------------------------------------------------------

    def apply_fill(
        self,
        instrument: SimInstrument,
        side: BybitSide,
        price: Decimal,
        qty: Decimal,
        rate: Decimal,
    ) -> FillEffect:
        """Move balances (and the linear position) for one fill, fee included.

        Spot buys pay the fee in the coin received (base), spot sells in the quote coin;
        linear fills pay it in the settle coin, and closing size realises PnL there.
        """
        value = price * qty
        if instrument.category == "spot":
            if side == "Buy":
                fee = (qty * rate).quantize(FEE_PLACES)
                self.credit(instrument.quote, -value)
                self.credit(instrument.base, qty - fee)
                return FillEffect(fee, instrument.base, None)
            fee = (value * rate).quantize(FEE_PLACES)
            self.credit(instrument.base, -qty)
            self.credit(instrument.quote, value - fee)
            return FillEffect(fee, instrument.quote, None)
        coin = instrument.quote
        fee = (value * rate).quantize(FEE_PLACES)
        position = self.position(instrument.symbol)
        if position.size == 0:
            position.cur_realised = ZERO
        pnl, closed = position.apply(side, qty, price)
        position.cum_realised += pnl - fee
        position.cur_realised += pnl - fee
        self.credit(coin, pnl - fee)
        self.realised[coin] = self.realised.get(coin, ZERO) + pnl - fee
        return FillEffect(fee, coin, closed, pnl)

    def position(self, symbol: str) -> Position:
        return self.positions.setdefault(symbol, Position())

    def leverage(self, symbol: str) -> Decimal:
        """The leverage of a linear symbol: what ``set-leverage`` set, else the default."""
        return self.leverages.get(symbol, LEVERAGE)

    def credit(self, coin: str, amount: Decimal) -> None:
        self.wallet[coin] = self.wallet.get(coin, ZERO) + amount

    def locked(self, coin: str) -> Decimal:
        """Spot balance held by resting spot orders: quote for buys, base for sells."""
        total = ZERO
        for order in self.open_orders.values():
            if order.category != "spot" or order.price is None or order.status == "Untriggered":
                continue
            instrument = order.instrument
            if order.side == "Buy" and instrument.quote == coin:
                total += order.leaves_qty * order.price
            elif order.side == "Sell" and instrument.base == coin:
                total += order.leaves_qty
        return total

    def order_im(self, coin: str) -> Decimal:
        """Initial margin of resting linear orders that would open or grow a position."""
        total = ZERO
        for order in self.open_orders.values():
            if (
                order.category != "linear"
                or order.reduce_only
                or order.price is None
                or order.instrument.quote != coin
                or order.status == "Untriggered"
            ):
                continue
            total += order.leaves_qty * order.price / self.leverage(order.symbol)
        return total

    def position_im(self, coin: str) -> Decimal:
        if coin != "USDT":
            return ZERO
        return sum(
            (abs(p.size) * p.entry_price / self.leverage(s) for s, p in self.positions.items()),
            ZERO,
        )

    def position_mm(self, coin: str) -> Decimal:
        if coin != "USDT":
            return ZERO
        return sum(
            (abs(p.size) * p.entry_price * risk_tier(s).mmr for s, p in self.positions.items()),
            ZERO,
        )

    def unrealised(self, coin: str, mark: MarkPrice) -> Decimal:
        if coin != "USDT":
            return ZERO
        return sum(
            (
                (mark(symbol) - p.entry_price) * p.size
                for symbol, p in self.positions.items()
                if p.size
            ),
            ZERO,
        )

    def balance(self, coin: str, mark: MarkPrice) -> CoinBalance:
        return CoinBalance(
            coin=coin,
            wallet=self.wallet.get(coin, ZERO),
            locked=self.locked(coin),
            order_im=self.order_im(coin),
            position_im=self.position_im(coin),
            position_mm=self.position_mm(coin),
            unrealised=self.unrealised(coin, mark),
            realised=self.realised.get(coin, ZERO),
        )

    def coins(self) -> list[str]:
        return sorted(self.wallet)
