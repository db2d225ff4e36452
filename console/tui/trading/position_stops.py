"""Take-profit and stop-loss on the open position: asked, confirmed, set once in a worker.

Bybit keeps a position's whole-position TP/SL with the position (``position/trading-stop``),
not as orders the trader places; the console sets them through
``ExchangeClient.set_trading_stop``, which routes to the venue live and to the paper engine
in paper, so the ``E``/``D`` keys, the ``tp``/``sl`` command and moving a ``TP``/``SL`` line
on the ladder are one path in both modes. Every change is confirmed like an order is (live
always, with the LIVE wording; paper unless ``ui.confirm_paper_orders`` is off), and refused
up front when it could only fail: no position, or the price on the wrong side of the market
(a long's take-profit above it, its stop-loss below).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Position, Side, TradingMode
from console.tui.forms.amounts import plain_amount
from console.tui.messages import PositionStopsSet, RequestFailed

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StopsChange:
    """What to set on ``symbol``'s position (None: leave that one as it is)."""

    symbol: str
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None

    def describe(self) -> str:
        """``take-profit at 62,000 and stop-loss at 58,500``."""
        parts = []
        if self.take_profit is not None:
            parts.append(f"take-profit at {plain_amount(self.take_profit)}")
        if self.stop_loss is not None:
            parts.append(f"stop-loss at {plain_amount(self.stop_loss)}")
        return " and ".join(parts)


def check_change(
    change: StopsChange, position: Position | None, market: Decimal | None
) -> str | None:
    """Why ``change`` cannot be set on ``position`` with the market at ``market``, in the
    trader's words; None when it can (the venue still has the last word)."""
    if position is None or position.is_flat or position.side is None:
        return f"There is no {change.symbol} position to protect"
    if market is None:
        return None
    long = position.side is Side.BUY
    for name, price, above in (
        ("take-profit", change.take_profit, long),
        ("stop-loss", change.stop_loss, not long),
    ):
        if price is None or price == 0:
            continue
        if (price <= market) if above else (price >= market):
            where = "above" if above else "below"
            holding = "long" if long else "short"
            return (
                f"The {name} of a {holding} must be {where} the market "
                f"({plain_amount(price)} vs {plain_amount(market)})"
            )
    return None


class PositionStops:
    """Sets TP/SL on positions for the keys, the command line and the ladder's move keys.

    Args:
        host: the console.
        refusal: why no order or account change may be made now (loading, live not
            armed), or None.
        market_price: the price TP/SL are compared with for a symbol (the last print, else
            the mid), or None when unknown.
    """

    def __init__(
        self,
        host: TradingHost,
        refusal: Callable[[], str | None],
        market_price: Callable[[str], Decimal | None],
    ) -> None:
        self._host = host
        self._refusal = refusal
        self._market_price = market_price

    def problem(self, change: StopsChange) -> str | None:
        """Why ``change`` would be refused now, or None (the command line's preview)."""
        position = self._host.main_screen.position(change.symbol)
        return check_change(change, position, self._market_price(change.symbol))

    def ask(self, change: StopsChange, *, was: Decimal | None = None) -> None:
        """Check, confirm, then set ``change`` in a worker.

        Args:
            was: the price the moved TP/SL line had (the confirmation says from what).
        """
        host = self._host
        if (reason := self._refusal()) is not None or (reason := self.problem(change)):
            host.notify(reason, title="TP/SL not set", severity="warning", timeout=8)
            return
        settings = host.settings
        if settings.mode is TradingMode.PAPER and not settings.ui.confirm_paper_orders:
            self.send(change)
            return
        from console.tui.screens.confirm_action import ConfirmActionScreen

        live = settings.mode is TradingMode.LIVE
        what = change.describe()
        if was is not None:
            what = f"{what} (was {plain_amount(was)})"
        mode = (
            f"LIVE · {settings.venue} · REAL MONEY"
            if live
            else f"PAPER · {settings.venue} · simulated"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(change)

        host.push_screen(
            ConfirmActionScreen(
                f"{mode}: set on the {change.symbol} position?",
                f"{what[:1].upper()}{what[1:]}: the whole position closes at market when the "
                "price reaches it.",
                confirm_label="Set LIVE TP/SL" if live else "Set paper TP/SL",
            ),
            callback=answered,
        )

    def send(self, change: StopsChange) -> None:
        """Set ``change`` once, in a worker."""
        self._host.run_worker(
            self._set(change), name="set TP/SL", group="orders", exit_on_error=False
        )

    async def _set(self, change: StopsChange) -> None:
        from console.exchange import ExchangeError
        from console.paper import PaperOrderRejected

        services = self._host.services
        if services is None:
            return
        try:
            changed = await services.client.set_trading_stop(
                change.symbol, take_profit=change.take_profit, stop_loss=change.stop_loss
            )
        except (ExchangeError, PaperOrderRejected) as error:
            self._host.post_message(RequestFailed(f"TP/SL of {change.symbol}: {error}"))
        except Exception as error:  # words, not a traceback
            log.exception("set TP/SL failed")
            self._host.post_message(RequestFailed(f"TP/SL of {change.symbol} not set ({error})"))
        else:
            self._host.post_message(
                PositionStopsSet(change.symbol, change.take_profit, change.stop_loss, changed)
            )


__all__ = ["PositionStops", "StopsChange", "check_change"]
