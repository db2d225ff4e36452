"""The margin desk: each account's linear positions at the current mark, and liquidation.

It reads marks from the simulator's books (the same mark its ``tickers`` topic publishes),
computes each position's figures (:mod:`console.sim.positions`) and, after every change of a
linear book, liquidates a position whose mark has reached its liquidation price: isolated
positions one by one at their bankruptcy price, and under cross margin the biggest
maintenance margin first while the settle coin's equity is at or below the total
maintenance margin.
"""

from __future__ import annotations

from decimal import Decimal

from console.sim.accounts import ISOLATED_MARGIN, SimAccount
from console.sim.instruments import SimInstrument
from console.sim.orders import ZERO
from console.sim.positions import PositionFigures, crossed_liquidation, figures
from console.sim.trading import OrderEngine

SETTLE_COIN = "USDT"


class MarginDesk:
    """Position figures for the routes and the private stream; liquidation on mark moves."""

    def __init__(self, engine: OrderEngine) -> None:
        self._engine = engine
        self._market = engine.market
        self.liquidations = 0
        engine.add_book_watcher(self._on_book_change)

    def instrument(self, symbol: str) -> SimInstrument | None:
        if not self._market.has_book("linear", symbol):
            return None
        return self._market.book("linear", symbol).instrument

    def position(self, account: SimAccount, symbol: str) -> PositionFigures:
        """The figures of one symbol's position (flat ones too)."""
        instrument = self.instrument(symbol)
        if instrument is None:
            raise KeyError(symbol)
        equity, total_mm = self._coin_totals(account)
        return figures(account, instrument, self._engine.mark_price(symbol), equity, total_mm)

    def open_positions(self, account: SimAccount) -> list[PositionFigures]:
        """Every non-flat linear position, by symbol."""
        return [
            self.position(account, symbol)
            for symbol in sorted(account.positions)
            if account.positions[symbol].size != 0 and self.instrument(symbol) is not None
        ]

    def _coin_totals(self, account: SimAccount) -> tuple[Decimal, Decimal]:
        """(equity, total maintenance margin) of the settle coin: what cross margin weighs."""
        mark = self._engine.mark_price
        equity = account.wallet.get(SETTLE_COIN, ZERO) + account.unrealised(SETTLE_COIN, mark)
        return equity, account.position_mm(SETTLE_COIN)

    def _on_book_change(self, category: str, symbol: str) -> None:
        if category != "linear":
            return
        for account in self._engine.accounts():
            if not any(p.size for p in account.positions.values()):
                continue
            if account.margin_mode == ISOLATED_MARGIN:
                if account.positions.get(symbol) is not None:
                    self._liquidate_isolated(account, symbol)
            else:
                self._liquidate_cross(account)

    def _liquidate_isolated(self, account: SimAccount, symbol: str) -> None:
        f = self.position(account, symbol)
        if crossed_liquidation(f) and f.bust_price is not None:
            self._close(account, symbol, f.bust_price)

    def _liquidate_cross(self, account: SimAccount) -> None:
        while True:
            equity, total_mm = self._coin_totals(account)
            if equity > total_mm:
                return
            held = self.open_positions(account)
            if not held:
                return
            worst = max(held, key=lambda f: f.mm)
            price = worst.bust_price if worst.bust_price is not None else worst.mark
            self._close(account, worst.symbol, price)

    def _close(self, account: SimAccount, symbol: str, price: Decimal) -> None:
        instrument = self.instrument(symbol)
        if instrument is None:
            return
        self.liquidations += 1
        self._engine.liquidate(account, instrument, max(price, instrument.tick_size))


__all__ = ["SETTLE_COIN", "MarginDesk"]
