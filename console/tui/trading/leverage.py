"""A symbol's leverage from the console: asked in a dialog (key or palette), set in a worker
through ``ExchangeClient.set_leverage`` live or the paper engine in paper; the result comes
back as :class:`~console.tui.messages.LeverageSet` (or :class:`RequestFailed` in words)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from console.tui.messages import LeverageSet, RequestFailed

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

log = logging.getLogger(__name__)


class LeverageSetter:
    """Opens the leverage dialog for the selected symbol and sets what the trader typed."""

    def __init__(self, host: TradingHost, refusal: Callable[[], str | None]) -> None:
        """
        Args:
            host: the console.
            refusal: why no live account change may be made now (live not armed), or None.
        """
        self._host = host
        self._refusal = refusal
        self.known: dict[str, Decimal] = {}
        """Leverage last seen per symbol (set here, or reported with a position)."""

    def ask(self) -> None:
        host = self._host
        if host.services is None or not host.markets:
            host.notify("Markets are still loading; try again in a moment", severity="warning")
            return
        if (reason := self._refusal()) is not None:
            host.notify(reason, title="Leverage not changed", severity="warning", timeout=8)
            return
        symbol = host.main_screen.selected_symbol
        market = host.markets.get(symbol)
        if market is None or not market.is_contract:
            host.notify(
                f"{symbol} is not a linear contract: it has no leverage", severity="warning"
            )
            return
        from console.tui.screens.leverage import LeverageScreen

        paper = host.services.paper
        current = paper.leverage(symbol) if paper is not None else self.known.get(symbol)

        def chosen(leverage: Decimal | None) -> None:
            if leverage is not None:
                self.set(symbol, leverage)

        host.push_screen(LeverageScreen(symbol, current, mode=host.settings.mode), chosen)

    def set(self, symbol: str, leverage: Decimal) -> None:
        """Set ``symbol``'s leverage in a worker."""
        self._host.run_worker(
            self._set(symbol, leverage), name="set leverage", group="leverage", exit_on_error=False
        )

    async def _set(self, symbol: str, leverage: Decimal) -> None:
        from console.exchange import ExchangeError
        from console.paper import PaperOrderRejected

        services = self._host.services
        if services is None:
            return
        try:
            if services.paper is not None:
                changed = await services.paper.set_leverage(symbol, leverage)
            else:
                changed = await services.client.set_leverage(symbol, leverage)
        except (ExchangeError, PaperOrderRejected) as error:
            self._host.post_message(RequestFailed(f"Leverage of {symbol}: {error}"))
        except Exception as error:  # words, not a traceback
            log.exception("set leverage failed")
            self._host.post_message(RequestFailed(f"Leverage of {symbol} not set ({error})"))
        else:
            self.known[symbol] = leverage
            self._host.post_message(LeverageSet(symbol, leverage, changed))


__all__ = ["LeverageSetter"]
