"""Live trading is armed once per run, by typing a phrase; until then live orders are
refused with a message that says how to arm.

Paper mode needs no arming. Arming lasts until the console exits; it is never stored.

Before the modal opens, a worker reads from the venue whose account the key reaches and what
it may do, so the trader sees the UID and the key's rights next to the phrase. That read may
fail (or the services may not be up yet): the modal then opens anyway and says why the rights
are missing, because arming must never depend on a read-only courtesy call.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from console.domain import ApiKeyInfo, TradingMode
from console.tui.bindings import describe_keys
from console.tui.messages import KeyInfoRead, LiveArmed
from console.tui.trading.keys import TRADING_BINDINGS

if TYPE_CHECKING:
    from console.exchange import ExchangeClient
    from console.tui.trading.host import TradingHost

log = logging.getLogger(__name__)

NOT_CONNECTED = "the console is not connected to the venue yet"
"""Why the key's rights are missing when arming is asked for before the services are up."""


class LiveArming:
    """Whether live orders may leave, and the modal that arms them."""

    def __init__(self, app: TradingHost) -> None:
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
        services = self._app.services
        if services is None:
            self.open_modal(None, NOT_CONNECTED)
            return
        # On a slow venue the read can take seconds: say what the key press started.
        self._app.notify(
            f"Reading the API key's permissions from {self._app.settings.venue}…", timeout=3
        )
        # exclusive: pressing the key twice while the read is out opens one modal, not two
        self._app.run_worker(
            self._read_key(services.client),
            name="read API key",
            group="arm live",
            exclusive=True,
            exit_on_error=False,
        )

    async def _read_key(self, client: ExchangeClient) -> None:
        from console.exchange import ExchangeError

        try:
            key = await client.fetch_key_info()
        except ExchangeError as error:
            self._app.post_message(KeyInfoRead(None, str(error)))
        except Exception:  # the modal must still open: words, not a traceback or its text
            log.exception("reading the API key's permissions failed")
            self._app.post_message(KeyInfoRead(None, "an unexpected error (see the log)"))
        else:
            self._app.post_message(KeyInfoRead(key))

    def open_modal(self, key: ApiKeyInfo | None, problem: str | None = None) -> None:
        """The arming modal, with what is known about the key (``problem``: why nothing)."""
        from console.tui.screens.arm_live import ArmLiveScreen

        if self.armed or isinstance(self._app.screen, ArmLiveScreen):
            return
        settings = self._app.settings
        self._app.push_screen(
            ArmLiveScreen(
                settings.venue,
                self._account(key),
                () if key is None else key.permissions,
                ip_bound=None if key is None else key.ip_bound,
                read_only=key is not None and key.read_only,
                unread=problem,
            ),
            callback=self._armed,
        )

    def _account(self, key: ApiKeyInfo | None) -> str:
        """The UID the venue reported; without one, where the key came from (never the key)."""
        if key is not None and key.uid is not None:
            return f"UID {key.uid}"
        return "the simulator's generated key" if self._app.settings.is_sim else "EXCHANGE_API_KEY"

    def _armed(self, armed: bool | None) -> None:
        if not armed:
            self._app.notify("Live trading stays unarmed", severity="warning")
            return
        self.armed = True
        self._app.post_message(LiveArmed())


__all__ = ["NOT_CONNECTED", "LiveArming"]
