"""A panel's failure stays in the panel: the rest of the console keeps running and trading.

A value no one foresaw (a venue's absurd timestamp, a bug in one widget) raising inside a
panel's update or drawing would otherwise reach Textual, which exits the app, and a trader
with open orders loses the screen. So each panel of the main screen is a
:class:`PanelBoundary`: an exception while it draws, or while the screen hands it new data
(:meth:`PanelBoundary.contained`), is logged with its traceback (once per kind of failure,
not once per frame) and the panel shows one error line in place of its content until an
update succeeds again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from console.tui.textual_compat import WidgetMixin

log = logging.getLogger(__name__)

_ERROR_STYLE = Style(color="red", bold=True)
_REMEMBERED_FAILURES = 32
"""Distinct failures a panel remembers having logged."""


class PanelBoundary(WidgetMixin):
    """Mixed in first, before the Textual widget a main-screen panel extends
    (``class TradeTape(PanelBoundary, Widget)``): failures inside it are caught, logged and
    shown in it."""

    _failure: str | None = None
    """Why the last update failed, shown in place of the content; None when it did not."""

    _logged: frozenset[tuple[str, str]] = frozenset()
    """Failures already logged with their traceback: (what failed, the error's words)."""

    @property
    def failure(self) -> str | None:
        """The error line the panel shows, or None while it works."""
        return self._failure

    @contextmanager
    def contained(self) -> Iterator[None]:
        """Hand the panel new data inside this block; an exception stops at the panel.

        A block that completes clears an earlier failure: the panel works again.
        """
        try:
            yield
        except Exception as error:
            failure, first = self._report("update", error)
            self._failure = failure
            self.refresh()
            if first and self.children:  # a container: its children cover its own line
                self.notify(failure, severity="error", timeout=10)
        else:
            if self._failure is not None:
                self._failure = None
                self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual's drawing of the panel, or its error line when the update or the drawing
        failed."""
        failure = self._failure
        if failure is None:
            try:
                return self.render_panel_lines(crop)
            except Exception as error:
                failure, _ = self._report("draw", error)
        # The error is the panel's first line wherever the crop starts: the screen may ask
        # for any rows of a panel (only the dirty ones), and must find each where it was.
        line = Strip([Segment(failure, _ERROR_STYLE)]).crop_extend(crop.x, crop.right, None)
        blank = Strip.blank(crop.width)
        return [line if y == 0 else blank for y in range(crop.y, crop.bottom)]

    def render_panel_lines(self, crop: Region) -> list[Strip]:
        """The panel's lines in ``crop``: Textual's drawing, unless the panel draws them
        itself (the ladder does); a failure here is contained like any other."""
        return super().render_lines(crop)

    def _report(self, kind: str, error: Exception) -> tuple[str, bool]:
        """The line to show for ``error``, and whether this panel met it for the first time
        (then it is logged with its traceback)."""
        line = (
            f"⚠ {self._panel_name} could not {kind}: {type(error).__name__}: {error} (see the log)"
        )
        key = (kind, line)
        first = key not in self._logged
        if first:
            # bounded: a stream of ever-different errors logs again rather than growing
            kept = self._logged if len(self._logged) < _REMEMBERED_FAILURES else frozenset()
            self._logged = kept | {key}
            log.error("the %s panel failed to %s", self._panel_name, kind, exc_info=error)
        return line, first

    @property
    def _panel_name(self) -> str:
        return self.id or type(self).__name__


__all__ = ["PanelBoundary"]
