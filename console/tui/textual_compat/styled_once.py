"""Textual workaround 12: a screen styled once at start (:class:`StyledOnceScreen`).

Textual gives a screen its breakpoint classes (``HORIZONTAL_BREAKPOINTS``) at its first
Resize, after its widgets were styled on mount: that Resize changes a class of the screen and
restyles every widget; and the ScreenResume that follows the mount restyles every widget once
more. Each costs about 0.03 s of CPU before the first frame (``bench/RESULTS.md``).

Textual's rule for which class a size gets is private (``Screen._get_breakpoint_classes``),
and the resume's restyle can be turned off only from a handler that runs before Textual's own,
an override of the private ``Screen._on_screen_resume``. Both are here.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import Screen

ResultT = TypeVar("ResultT")


class StyledOnceScreen(Screen[ResultT]):
    """A screen that starts with its size's breakpoint classes and skips the restyle of its
    first resume; later resumes (back from a dialog) restyle as Textual's do."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        width, height = self.app.size
        app = self.app
        horizontal = (
            app.HORIZONTAL_BREAKPOINTS
            if self.HORIZONTAL_BREAKPOINTS is None
            else self.HORIZONTAL_BREAKPOINTS
        ) or []
        vertical = (
            app.VERTICAL_BREAKPOINTS
            if self.VERTICAL_BREAKPOINTS is None
            else self.VERTICAL_BREAKPOINTS
        ) or []
        starting = self._get_breakpoint_classes(width, list(horizontal))
        starting |= self._get_breakpoint_classes(height, list(vertical))
        self.add_class(*sorted(starting), update=False)
        self._first_resume_pending = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's handler (Textual dispatches down the class's MRO): the
        first resume follows the mount, which styled every widget with the classes above."""
        if self._first_resume_pending:
            self._first_resume_pending = False
            event.refresh_styles = False


def screen_styles_breakpoints_privately() -> bool:
    """Whether Textual still names a size's breakpoint class only privately and restyles
    on resume unless a handler before its own says otherwise."""
    return (
        callable(getattr(Screen, "_get_breakpoint_classes", None))
        and callable(getattr(Screen, "_on_screen_resume", None))
        and "refresh_styles" in events.ScreenResume.__dataclass_fields__
        and not hasattr(Screen, "breakpoint_classes")
    )
