"""What the app told the trader, read from its messages rather than its private state.

Textual has no public accessor for the notifications an app holds; every one of them arrives
as a ``Notify`` message, and ``App.run_test(message_hook=...)`` shows each message to a hook.
"""

from __future__ import annotations

from textual.message import Message
from textual.notifications import Notification, Notify


class Notices:
    """Every notification posted while the app ran, oldest first (pass as ``message_hook``)."""

    def __init__(self) -> None:
        self.posted: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.posted.append(message.notification)

    @property
    def messages(self) -> list[str]:
        """The notifications' texts, oldest first."""
        return [notification.message for notification in self.posted]
