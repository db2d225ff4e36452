"""The path of every order: form (or ladder key) -> confirmation -> one send in a worker ->
a notification with the result or the refusal in the trader's words.

The rules live here once, so the form and the ladder keys cannot drift apart:

* live orders are refused until live trading is armed (:mod:`.live_arming`);
* every order is confirmed, except paper orders when ``ui.confirm_paper_orders`` is off;
* a confirmed request is sent exactly once (a second confirmation of the same request is
  ignored), in a worker, never awaited in a handler;
* a refusal (risk gate, venue rules, the venue's own rejection) comes back as
  :class:`OrderFailed` carrying ``str(error)`` from the error taxonomy, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Order, OrderRequest, TradingMode
from console.tui.account_poller import read_account
from console.tui.forms.order_draft import OrderDraft, RiskCheck, check_draft
from console.tui.messages import OrderFailed, OrderPlaced, OrdersCancelled
from console.tui.trading.sent_once import SentOnce

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

log = logging.getLogger(__name__)

Placed = Callable[[Order], None]
"""Told the order the venue accepted (the chase's start)."""


class OrderFlow:
    """Opens the order form and confirmation, and sends confirmed orders in workers.

    Args:
        app: the console; read for its services, markets, books and settings.
        refusal: why no order may be started now (live not armed), or None.
    """

    def __init__(self, app: TradingHost, refusal: Callable[[], str | None]) -> None:
        self._app = app
        self._refusal = refusal
        self._sent: SentOnce[OrderRequest] = SentOnce()
        """The requests handed to a worker: a request object is sent once."""

    # -- what the app knows ----------------------------------------------------------

    def mid(self, symbol: str) -> Decimal | None:
        book = self._app.market_store.book(symbol)
        return None if book is None else book.mid

    def risk_check(self) -> RiskCheck | None:
        """The risk gate as a side-effect-free preview (typing must not use up the order
        rate); None before the services are up."""
        services = self._app.services
        if services is None:
            return None
        from console.tui.forms.risk_preview import preview_risk_gate

        return preview_risk_gate(services.risk, self._app.markets, self.mid, self._app.clock.now)

    def blocked(self) -> str | None:
        """Why no order can be started now, in the trader's words; None when one can."""
        if self._app.services is None or not self._app.markets:
            return "Markets are still loading; try again in a moment"
        return self._refusal()

    def dialog_open(self) -> bool:
        """A dialog (form, confirmation, help) is up: the trading keys wait for it, so a
        stray ``b`` cannot stack a second order behind the one being confirmed."""
        return not self._app.main_screen.is_active

    # -- the flow --------------------------------------------------------------------

    def open_form(self, draft: OrderDraft | None = None) -> None:
        """The order form, pre-filled with ``draft``; its request goes on to :meth:`review`."""
        if self.dialog_open():
            self._app.bell()
            return
        if (reason := self.blocked()) is not None:
            self._app.notify(reason, title="Order not started", severity="warning", timeout=8)
            return
        from console.tui.screens.order_entry import OrderEntryScreen

        symbol = draft.symbol if draft else self._app.main_screen.selected_symbol
        markets = self._app.markets
        self._app.push_screen(
            OrderEntryScreen(
                markets,
                draft=draft or OrderDraft(symbol=symbol),
                risk_check=self.risk_check(),
                reference_prices={s: m for s in markets if (m := self.mid(s)) is not None},
                mode=self._app.settings.mode,
            ),
            callback=self.review,
        )

    def submit_draft(
        self,
        draft: OrderDraft,
        *,
        placed: Placed | None = None,
        note: tuple[str, str] | None = None,
    ) -> None:
        """A ladder key's order: checked like the form checks it, then confirmed and sent.

        A problem (size below the minimum, the risk gate) is shown and nothing is sent.

        Args:
            placed: told the order once the venue accepted it (a chase starts following it).
            note: a row the confirmation adds (``("Chase", "follows the best bid ...")``).
        """
        if self.dialog_open():
            self._app.bell()
            return
        if (reason := self.blocked()) is not None:
            self._app.notify(reason, title="Order not sent", severity="warning", timeout=8)
            return
        check = check_draft(
            draft,
            self._app.markets,
            risk_check=self.risk_check(),
            reference_price=self.mid(draft.symbol),
        )
        if check.request is None:
            self._app.notify(
                "; ".join(check.errors.values()),
                title="Order not sent",
                severity="error",
                timeout=8,
            )
            return
        self.review(check.request, placed=placed, note=note)

    def review(
        self,
        request: OrderRequest | None,
        *,
        placed: Placed | None = None,
        note: tuple[str, str] | None = None,
    ) -> None:
        """Confirm ``request`` (live always; paper unless the setting skips it), then send."""
        if request is None:
            return
        settings = self._app.settings
        if settings.mode is TradingMode.PAPER and not settings.ui.confirm_paper_orders:
            self.send(request, placed=placed)
            return
        from console.tui.screens.confirm_order import ConfirmOrderScreen

        market = self._app.markets.get(request.symbol)
        if market is None:
            self._app.notify(f"{request.symbol} is not a market of this venue", severity="error")
            return

        def confirmed(send: bool | None) -> None:
            if send:
                self.send(request, placed=placed)

        self._app.push_screen(
            ConfirmOrderScreen(
                request,
                market,
                mode=settings.mode,
                venue=settings.venue,
                reference_price=self.mid(request.symbol),
                price_band_pct=settings.risk.price_band_pct,
                note=note,
            ),
            callback=confirmed,
        )

    def send(self, request: OrderRequest, *, placed: Placed | None = None) -> None:
        """Send ``request`` once, in a worker; the result comes back as a message (and the
        accepted order to ``placed``)."""
        if request in self._sent:
            log.warning("ignored a second send of the same request: %s", request)
            return
        if (reason := self.blocked()) is not None:
            self._app.post_message(OrderFailed(request, reason))
            return
        self._sent.add(request)
        self._app.run_worker(
            self._send(request, placed), name="send order", group="orders", exit_on_error=False
        )

    async def _send(self, request: OrderRequest, placed: Placed | None = None) -> None:
        from console.exchange.errors import outcome_unknown

        services = self._app.services
        assert services is not None
        try:
            order = await services.client.create_order(request)
        except Exception as error:  # the last line of defence: words, not a traceback
            if not outcome_unknown(error):
                self._app.post_message(OrderFailed(request, str(error)))
            else:
                await self._outcome_unknown(request, error)
        else:
            self._app.post_message(OrderPlaced(order))
            if placed is not None:
                placed(order)
        await self._read_account()

    async def _outcome_unknown(self, request: OrderRequest, error: Exception) -> None:
        """No usable answer: the order may be working on the venue. Say so, never "not
        sent" (the trader would send it twice), and reconcile the journal with the venue,
        which keeps live entry closed while the order's fate is still unknown."""
        from console.exchange import ExchangeError

        if not isinstance(error, ExchangeError):
            log.error("order outcome unknown", exc_info=error)
        side, symbol = request.side.value.upper(), request.symbol
        why = error if isinstance(error, ExchangeError) else type(error).__name__
        self._app.notify(
            f"{side} {request.quantity.normalize():f} {symbol}: the exchange's answer was lost "
            f"or unreadable ({why})."
            " The order may be working: check the open orders before sending it again; "
            "the console is reconciling it with the exchange.",
            title="Order outcome unknown",
            severity="warning",
            timeout=20,
        )
        await self.reconcile()

    async def reconcile(self) -> None:
        """After an unknown outcome: compare the journal with the venue (live entry stays
        closed while an order's fate is unknown) and say so when it stays paused."""
        services = self._app.services
        if services is None:
            return
        report = await services.reconcile_orders()
        if report is not None and not report.clean:
            self._app.notify(
                "\n".join(report.lines()),
                title="Live order entry paused until the exchange confirms every order",
                severity="error",
                timeout=30,
            )

    def refresh(self) -> None:
        """Read balances and open orders now, in a worker."""
        self._app.run_worker(self._read_account(), name="refresh account", exit_on_error=False)

    async def _read_account(self) -> None:
        """Balances and open orders now, so a placed or cancelled order shows at once rather
        than at the next poll (whose failure report covers this read's too). Not while the
        private stream is live: it pushes the order's change itself, without a request."""
        services = self._app.services
        if services is not None and not services.account_streaming:
            await read_account(
                services.client,
                self._app.post_message,
                report_failure=False,
                positions=services.settings.mode is TradingMode.LIVE,
            )

    # -- cancelling ------------------------------------------------------------------

    def cancel(self, orders: list[tuple[str, str]]) -> None:
        """Cancel these ``(order_id, symbol)`` pairs in a worker."""
        if self._app.services is None:
            return
        self._app.run_worker(
            self._cancel(orders), name="cancel orders", group="cancels", exit_on_error=False
        )

    def cancel_all(self) -> None:
        """Ask, then cancel every open order (all symbols)."""
        from console.tui.screens.confirm_action import ConfirmActionScreen

        def answered(yes: bool | None) -> None:
            if yes and self._app.services is not None:
                self._app.run_worker(
                    self._cancel_all(), name="cancel all", group="cancels", exit_on_error=False
                )

        self._app.push_screen(
            ConfirmActionScreen(
                "Cancel every open order?",
                "Every working order on every symbol is cancelled.",
                confirm_label="Cancel all",
            ),
            callback=answered,
        )

    async def _cancel_all(self) -> None:
        from console.exchange import ExchangeError

        services = self._app.services
        assert services is not None
        try:
            orders = await services.client.fetch_open_orders()
        except ExchangeError as error:
            self._app.post_message(OrdersCancelled([], [str(error)]))
            return
        await self._cancel([(order.order_id, order.symbol) for order in orders])

    async def _cancel(self, orders: list[tuple[str, str]]) -> None:
        from console.exchange import ExchangeError
        from console.exchange.errors import outcome_unknown

        services = self._app.services
        assert services is not None
        cancelled: list[Order] = []
        failures: list[str] = []
        for order_id, symbol in orders:
            try:
                cancelled.append(await services.client.cancel_order(order_id, symbol))
            except Exception as error:  # the last line of defence: words, not a traceback
                if not outcome_unknown(error):
                    failures.append(f"{order_id}: {error}")
                    continue
                if not isinstance(error, ExchangeError):
                    log.error("cancel outcome unknown", exc_info=error)
                why = error if isinstance(error, ExchangeError) else type(error).__name__
                failures.append(
                    f"{order_id}: outcome unknown ({why}); the order may still be working: "
                    "check the open orders"
                )
        self._app.post_message(OrdersCancelled(cancelled, failures))
        await self._read_account()


__all__ = ["OrderFlow"]
