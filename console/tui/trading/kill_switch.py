"""The kill switch key: block new orders at once, cancel every open order, and stay
blocked until the trader releases it (which asks first).

The block is the risk gate's own (``services.risk``), so it holds for every path that sends
an order, not only the keys of this console.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from console.tui.account_poller import read_account
from console.tui.bindings import describe_keys
from console.tui.messages import KillSwitchChanged
from console.tui.trading.keys import TRADING_BINDINGS

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

log = logging.getLogger(__name__)

KILL_REASON = "kill switch pressed in the console"


class KillSwitch:
    """Engage (block, then cancel all in a worker) or, after a confirmation, release."""

    def __init__(self, app: TradingHost) -> None:
        self._app = app

    @property
    def engaged(self) -> bool:
        services = self._app.services
        return services is not None and services.risk.killed

    def key(self) -> str:
        """The kill switch's key as the trader typed it (after remapping)."""
        binding = next(b for b in TRADING_BINDINGS if b.id == "kill_switch")
        return describe_keys(binding, self._app.keymap)

    def toggle(self) -> None:
        if self._app.services is None:
            self._app.notify("Not connected yet: there is nothing to cancel", severity="warning")
            return
        if self.engaged:
            self.ask_release()
        else:
            self.engage()

    def engage(self) -> None:
        services = self._app.services
        assert services is not None
        services.risk.engage(KILL_REASON)  # block first, before any await
        self._app.run_worker(self._cancel_everything(), name="kill switch", exit_on_error=False)

    async def _cancel_everything(self) -> None:
        from console.exchange.risk import kill

        services = self._app.services
        assert services is not None
        try:
            cancelled = await kill(services.risk, services.client, KILL_REASON)
        except Exception as error:  # fetching the open orders failed; the block holds
            log.exception("kill switch could not list the open orders")
            self._app.notify(
                f"Kill switch engaged, but the open orders could not be listed: {error}",
                severity="error",
                timeout=15,
            )
            cancelled = []
        self._app.post_message(KillSwitchChanged(True, cancelled))
        await read_account(services.client, self._app.post_message, report_failure=False)

    def ask_release(self) -> None:
        from console.tui.screens.confirm_action import ConfirmActionScreen

        def answered(yes: bool | None) -> None:
            services = self._app.services
            if yes and services is not None:
                services.risk.release()
                self._app.post_message(KillSwitchChanged(False))

        self._app.push_screen(
            ConfirmActionScreen(
                "Release the kill switch?",
                "New orders will be accepted again.",
                confirm_label="Release",
            ),
            callback=answered,
        )


__all__ = ["KILL_REASON", "KillSwitch"]
