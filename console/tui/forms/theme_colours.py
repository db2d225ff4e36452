"""Colours for Rich text drawn in code (table cells, gauges, banners), taken from the theme.

The console's themes define ``bid``, ``ask``, ``own-order``, ``live``, ``paper`` and ``stale``.
A widget mounted in an app without those variables (a test host, a reused widget) still needs
a colour, so each name falls back to one of Textual's own theme variables, and that in turn
to a fixed colour.
"""

from __future__ import annotations

from textual.app import App

_FALLBACK_VARIABLE: dict[str, str] = {
    "bid": "success",
    "ask": "error",
    "own-order": "accent",
    "live": "error",
    "paper": "primary",
    "stale": "warning",
}
"""The Textual theme variable that stands in for each console variable."""

_LAST_RESORT: dict[str, str] = {
    "success": "#4EBF71",
    "error": "#BA3C5B",
    "warning": "#FFA62B",
    "accent": "#FFA62B",
    "primary": "#0178D4",
}


def theme_colour(app: App[object], name: str) -> str:
    """The colour of theme variable ``name`` (e.g. ``"bid"``), as a Rich colour string."""
    variables = app.theme_variables
    if name in variables:
        return variables[name]
    stand_in = _FALLBACK_VARIABLE.get(name, name)
    return variables.get(stand_in) or _LAST_RESORT.get(stand_in, "default")
