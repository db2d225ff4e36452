"""Textual workaround 3: theme lookup (:class:`CompatApp`).

``App.get_theme`` copies the registry of themes into a new dict (``available_themes``),
twice, and runs for every line drawn (through ``current_theme``).
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ReturnType
from textual.theme import Theme


def theme_lookup_copies_the_registry(app: App[Any]) -> bool:
    """Whether ``App.available_themes`` (which ``get_theme`` reads) is a new dict per call."""
    return app.available_themes is not app.available_themes


class CompatApp(App[ReturnType]):
    """Textual's App with the workarounds that have to be methods of the app: theme
    lookups are remembered, and forgotten whenever the registered themes change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._theme_by_name: dict[str, Theme | None] = {}
        super().__init__(*args, **kwargs)

    def get_theme(self, theme_name: str) -> Theme | None:
        try:
            return self._theme_by_name[theme_name]
        except KeyError:
            found = self._theme_by_name[theme_name] = super().get_theme(theme_name)
            return found

    def register_theme(self, theme: Theme) -> None:
        super().register_theme(theme)
        self._theme_by_name.clear()

    def unregister_theme(self, theme_name: str) -> None:
        super().unregister_theme(theme_name)
        self._theme_by_name.clear()
