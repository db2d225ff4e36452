"""Live trading is armed once per run, by typing a phrase; until then live orders are
refused with a message that says how to arm.

Paper mode needs no arming. Arming lasts until the console exits; it is never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from console.domain import TradingMode
from console.tui.bindings import describe_keys
from console.tui.trading.keys import TRADING_BINDINGS

if TYPE_CHECKING:
    from console.tui.app import ConsoleApp


class LiveArmed(Message):
    """The trader typed the arming phrase: live orders may be sent from now on."""


class LiveArming:
    """Whether live orders may leave, and the modal that arms them."""

    def __init__(self, app: ConsoleApp) -> None:
        self._app = app
        self.armed = False
        """True once the trader armed live trading in this run."""

    @property
    def needed(self) -> bool:
        return self._app.settings.mode is TradingMode.LIVE

    def arm_key(self) -> str:
        binding = next(b for b in TRADING_BINDINGS if b.id == "arm_live")
        return describe_keys(binding, self._app.keymap)

    def refusal(self) -> str | None:
        """Why a live order may not be sent now, with how to arm; None when it may."""
        if not self.needed or self.armed:
            return None
        from console.tui.screens.arm_live import arming_phrase

        phrase = arming_phrase(self._app.settings.venue)
        return (
            f"Live trading is not armed, so no live order is sent. Press {self.arm_key()} "
            f'and type "{phrase}" to arm it for this run.'
        )

    def arm(self) -> None:
        """Open the arming modal (live mode, not yet armed)."""
        if not self.needed:
            self._app.notify("Paper mode: orders are simulated, there is nothing to arm")
            return
        if self.armed:
            self._app.notify("Live trading is already armed for this run")
            return
        from console.tui.screens.arm_live import ArmLiveScreen

        settings = self._app.settings
        account = "the simulator's generated key" if settings.is_sim else "EXCHANGE_API_KEY"
        self._app.push_screen(
            ArmLiveScreen(settings.venue, account, permissions=()), callback=self._armed
        )

    def _armed(self, armed: bool | None) -> None:
        if not armed:
            self._app.notify("Live trading stays unarmed", severity="warning")
            return
        self.armed = True
        self._app.post_message(LiveArmed())


__all__ = ["LiveArmed", "LiveArming"]
