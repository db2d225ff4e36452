"""Textual workaround 8: raw terminal output (:func:`write_to_terminal`).

An alert's desktop notification is an OSC escape written to the terminal; Textual has no
public way to write one, and its own ``App.bell`` writes through the private
``App._driver``. So does this, the same way (nothing when headless, as the bell).
"""

from __future__ import annotations

from typing import Any

from textual.app import App


def write_to_terminal(app: App[Any], text: str) -> bool:
    """Write ``text`` (an escape sequence) to the terminal as ``App.bell`` writes its BEL;
    returns False when there is no terminal (headless)."""
    driver = app._driver
    if app.is_headless or driver is None:
        return False
    driver.write(text)
    return True


def public_terminal_write_is_missing() -> bool:
    """Whether Textual still has no public way to write to the terminal."""
    return not any(hasattr(App, name) for name in ("write_to_terminal", "write_escape"))
