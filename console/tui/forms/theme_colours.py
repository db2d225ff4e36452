"""Colours for Rich text drawn in code (table cells, gauges, banners), taken from the theme.

The console's themes define ``bid``, ``ask``, ``own-order``, ``live``, ``paper`` and ``stale``
(:data:`console.tui.themes.CONSOLE_VARIABLES`). A widget mounted in an app that does not
register those variables (a test host, a reused widget) still needs a colour, so a missing
variable falls back to the console's default for it, then to Textual's own variable of that
name (``success``, ``error``, ...).
"""

from __future__ import annotations

from textual.app import App

from console.tui.themes import CONSOLE_VARIABLES


def theme_colour(app: App[object], name: str) -> str:
    """The colour of theme variable ``name`` (e.g. ``"bid"``), as a Rich colour string."""
    variables = app.theme_variables
    return variables.get(name) or CONSOLE_VARIABLES.get(name) or variables.get(name, "default")
