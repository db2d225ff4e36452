"""The account bridge tells each new fill once, as news, however many fills the view has
trimmed since (issue 13): it follows the view's running fill number, not a position in it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from textual.message import Message

from console.domain.account_view import AccountView
from console.tui.account_stream import AccountListener, AccountStreamBridge
from console.tui.messages import AccountStreamed

from support.builders import maker_fill

T0 = datetime(2026, 1, 1, tzinfo=UTC)


class _PrivateStream:
    """A private stream as the bridge sees it: a real view, and its listeners told what
    changed the way :class:`~console.stream.bybit_private.BybitPrivateStream` tells them."""

    def __init__(self, view: AccountView) -> None:
        self.view = view
        self.live = False
        self._listeners: list[AccountListener] = []

    def add_listener(self, listener: AccountListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: AccountListener) -> None:
        self._listeners.remove(listener)

    def tell(self, kind: str) -> None:
        for listener in list(self._listeners):
            listener(kind)

    def go_live(self) -> None:
        self.live = True
        self.tell("live")

    def execute(self, *fill_ids: str) -> None:
        """Fills pushed or listed by a rebuild (one told change, as a rebuild's)."""
        for fill_id in fill_ids:
            number = int(fill_id.removeprefix("e").removeprefix("h"))
            self.view.add_fill(maker_fill(fill_id, T0 + timedelta(seconds=number)))
        self.tell("fill")


def _news(posted: list[Message]) -> list[str]:
    return [
        fill.fill_id
        for message in posted
        if isinstance(message, AccountStreamed)
        for fill in message.new_fills
    ]


async def test_each_new_fill_is_told_once_though_the_view_keeps_only_the_newest() -> None:
    stream = _PrivateStream(AccountView(kept_fills=2))
    posted: list[Message] = []
    bridge = AccountStreamBridge(stream, posted.append)
    stream.execute("h0", "h1", "h2")  # the first rebuild's history: not news
    stream.go_live()
    await asyncio.sleep(0)
    assert _news(posted) == []

    for n in range(3, 8):
        stream.execute(f"e{n}")
        await asyncio.sleep(0)
    stream.execute("e6", "e7")  # a rebuild lists the last seconds again
    await asyncio.sleep(0)
    stream.execute("e8", "e9")  # two in one turn
    await asyncio.sleep(0)

    assert _news(posted) == [f"e{n}" for n in range(3, 10)]
    last = posted[-1]
    assert isinstance(last, AccountStreamed)
    assert [fill.fill_id for fill in last.fills] == ["e8", "e9"]
    assert stream.view.duplicate_fills == 2
    bridge.close()
