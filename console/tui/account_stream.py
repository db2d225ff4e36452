"""The live account from the private stream, posted to the app the moment it changes.

The private stream (:class:`~console.stream.bybit_private.BybitPrivateStream`) keeps the
account view current and tells its listeners what kind of thing changed. This bridge is one
such listener: on every change it posts the view as it now stands
(:class:`~console.tui.messages.AccountStreamed`), so balances, open orders, positions and
fills reach the screen without a REST request; and when the stream goes live or down it
posts :class:`~console.tui.messages.AccountSourceChanged`, which is when REST polling of the
account stops or resumes (:mod:`console.tui.account_poller`).

Changes within one turn of the event loop (a fill's four pushes) go up as one message.
Fills are told once each, as news: the view numbers them as they arrive, so the new ones are
those after the last number seen (however many the view trimmed since). The first rebuild
lists the account's history, which is not news; fills a later rebuild finds (made while the
stream was down) are.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from textual.message import Message

from console.domain import Fill
from console.domain.account_view import AccountView
from console.tui.messages import AccountSourceChanged, AccountStreamed

AccountListener = Callable[[str], None]
RECENT_FILLS = 50
"""Fills each message carries for the fills list (the view keeps more, the newest)."""


class PrivateAccountStream(Protocol):
    """What the bridge needs of a private stream."""

    @property
    def view(self) -> AccountView: ...

    @property
    def live(self) -> bool: ...

    def add_listener(self, listener: AccountListener) -> None: ...

    def remove_listener(self, listener: AccountListener) -> None: ...


class AccountStreamBridge:
    """Listens to a private stream and posts what changed.

    Args:
        stream: the private stream whose view is shown.
        post: where the messages go (the app's ``post_message``).
    """

    def __init__(self, stream: PrivateAccountStream, post: Callable[[Message], object]) -> None:
        self._stream = stream
        self._post = post
        self._fills_told = stream.view.fills_added
        """The arrival number of the last fill told (or not news)."""
        self._primed = stream.live
        """False until the stream has been live once: the first rebuild's fills are history."""
        self._news: list[Fill] = []
        self._scheduled = False
        stream.add_listener(self._changed)
        if stream.live:
            self._post(AccountSourceChanged(True))
            self._post_view([])

    def close(self) -> None:
        self._stream.remove_listener(self._changed)

    def _changed(self, kind: str) -> None:
        if kind == "live":
            live = self._stream.live
            self._primed = self._primed or live
            self._post(AccountSourceChanged(live))
            if live:
                self._post_view([])
            return
        view = self._stream.view
        if self._primed:
            self._news.extend(view.fills_after(self._fills_told))
        self._fills_told = view.fills_added
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        """One message for all the changes of one turn of the loop: a fill's order,
        execution, position and wallet pushes arrive together and are drawn once."""
        self._scheduled = False
        news, self._news = self._news, []
        self._post_view(news)

    def _post_view(self, new_fills: list[Fill]) -> None:
        view = self._stream.view
        self._post(
            AccountStreamed(
                balances=list(view.balances.values()),
                orders=view.open_orders(),
                positions=view.open_positions(),
                fills=view.recent_fills(RECENT_FILLS),
                new_fills=new_fills,
            )
        )


__all__ = ["AccountStreamBridge", "PrivateAccountStream"]
