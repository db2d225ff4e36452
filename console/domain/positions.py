"""A derivatives position as the venue reports it (one-way mode: one per symbol)."""

from __future__ import annotations

from decimal import Decimal

from console.domain._base import Money, NonNegativeMoney, UtcDateTime, Value
from console.domain.enums import Side


class Position(Value):
    """One symbol's position: size and side, entry, margins, PnL and the liquidation price.

    A flat position has size 0 and no side; venues report one when asked for the symbol.
    """

    symbol: str
    side: Side | None = None
    """BUY for a long, SELL for a short, None when flat."""
    size: NonNegativeMoney = Decimal(0)
    entry_price: Money | None = None
    mark_price: Money | None = None
    leverage: Money | None = None
    initial_margin: Money | None = None
    maintenance_margin: Money | None = None
    unrealised_pnl: Money = Decimal(0)
    realised_pnl: Money | None = None
    """Cumulative realised PnL net of fees, where the venue reports it."""
    liquidation_price: Money | None = None
    """None when the venue reports none (flat, or out of range)."""
    updated_at: UtcDateTime | None = None
    sequence: int | None = None
    """The venue's position sequence (Bybit ``seq``): a higher one is newer."""
    take_profit: Money | None = None
    stop_loss: Money | None = None
    """The whole-position take-profit / stop-loss, where set."""

    @property
    def is_flat(self) -> bool:
        return self.size == 0

    @property
    def signed_size(self) -> Decimal:
        return -self.size if self.side is Side.SELL else self.size

    def at_mark(self, mark: Decimal) -> Position:
        """This position re-marked at ``mark``: unrealised PnL follows every mark move
        between the venue's own position reports (which come with fills, not with marks)."""
        if self.is_flat or self.entry_price is None or mark == self.mark_price:
            return self
        unrealised = (mark - self.entry_price) * self.signed_size
        return self.model_copy(update={"mark_price": mark, "unrealised_pnl": unrealised})
