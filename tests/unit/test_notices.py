"""support.notices: what the app told the trader, in order, from its Notify messages."""

from __future__ import annotations

from textual.app import App

from support.notices import Notices


async def test_every_notification_is_kept_in_order_with_its_details() -> None:
    class Chatty(App[None]):
        def on_mount(self) -> None:
            self.notify("first")
            self.notify("second", title="Careful", severity="error", timeout=60)

    app = Chatty()
    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        await pilot.pause()
    assert notices.messages == ["first", "second"]
    last = notices.posted[-1]
    assert (last.title, last.severity, last.timeout) == ("Careful", "error", 60)
