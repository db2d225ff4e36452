"""What the console remembers between runs, kept in ``data_dir``: the theme, the panels, the
watchlist, each symbol's ladder grouping and the candle timeframe.

A small JSON file rather than a settings change: settings are what the trader tells the
console; this is what the console noticed. A missing or damaged file is the same as a
fresh start, never an error.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from console.storage import make_private, open_private_text, private_dir

STATE_FILE = "ui-state.json"


class LayoutChoice(BaseModel):
    """How the trader arranged the main screen."""

    model_config = ConfigDict(frozen=True)

    hidden: tuple[str, ...] = ()
    """Panels hidden with their keys (names from ``console.tui.layout.PANELS``)."""
    bottom_tab: str | None = None
    """The bottom area's tab last shown (``balances``, ``orders``...)."""


class UIState(BaseModel):
    """Choices made inside the app that the next start should repeat."""

    model_config = ConfigDict(frozen=True)

    theme: str | None = None
    """The theme last picked in the palette or given with ``--theme``."""
    layout: LayoutChoice = LayoutChoice()
    """The panels shown and the bottom tab."""
    watchlist: tuple[str, ...] = ()
    """The watchlist as the trader last arranged it (empty: none kept yet)."""
    grouping: dict[str, int] = {}
    """Ticks per ladder line, by symbol, where the trader changed it."""
    timeframe: str | None = None
    """The candle timeframe last picked."""


def load_ui_state(data_dir: Path) -> UIState:
    """The remembered state; a file left world-readable by an older version is made 0600."""
    path = data_dir / STATE_FILE
    try:
        text = path.read_text(encoding="utf-8")
        make_private(path)
        return UIState.model_validate_json(text)
    except (OSError, ValidationError, ValueError):
        return UIState()


def save_ui_state(data_dir: Path, state: UIState) -> str | None:
    """Write the state; returns a sentence for the trader if it could not be written."""
    path = data_dir / STATE_FILE
    try:
        private_dir(data_dir)
        tmp = path.with_suffix(".tmp")
        with open_private_text(tmp) as out:
            out.write(json.dumps(state.model_dump(mode="json"), indent=2))
        tmp.replace(path)
    except OSError as error:
        return f"Could not remember your choices in {data_dir} ({error.strerror or error})"
    return None


def update_ui_state(data_dir: Path, **changes: object) -> str | None:
    """Change some fields of the remembered state and keep the others (the theme picker and
    the layout keys each save only their own)."""
    current = load_ui_state(data_dir)
    return save_ui_state(data_dir, current.model_copy(update=changes))
