"""Textual's footer, recomposed only when the keys it would show have changed.

Textual's :class:`~textual.widgets.Footer` recomposes on every change of the screen's
bindings, and the console's start changes them three times (the mount, the resume, the
first focus) with the same keys each time: each recompose mounts a key widget per binding
and styles each twice (about 0.03 s of CPU between the first frame and the first live
ladder, ``bench/RESULTS.md``). This footer compares what it would show with what it shows
and skips a recompose that would rebuild the same keys.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

from console.tui.textual_compat import mark_footer_ready


class KeyFooter(Footer):
    """The footer of the main screen: Textual's, without identical recomposes."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        mark_footer_ready(self)
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        shown = self._keys_to_show()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_to_show(self) -> tuple[Any, ...]:
        """Everything :meth:`Footer.compose` reads: the shown bindings, whether each is
        enabled, their tooltips and key displays, and the command palette's key."""
        app = self.app
        return (
            tuple(
                (binding, enabled, tooltip, app.get_key_display(binding))
                for _, binding, enabled, tooltip in self.screen.active_bindings.values()
                if binding.show
            ),
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
            self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING),
        )
