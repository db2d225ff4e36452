"""What the console says once at start-up about its settings: where they came from, what
loosens safety, and a refused keymap.

A value inherited from a forgotten ``.env`` (live mode, a risk limit raised for a test, a
moved confirmation key) must not act silently: the log names the sources every time, and
one notification lists anything that loosens safety.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from console.config import Settings, env_name, loosened_safety
from console.tui.keymap import KEYS_COMMAND, remapped_protected

log = logging.getLogger(__name__)

KEYMAP_VARIABLE = env_name(("ui", "keymap"))


@dataclass(frozen=True)
class SettingsNote:
    """One notification: its title, text and severity."""

    title: str
    text: str
    severity: Literal["information", "warning", "error"]


def settings_notes(settings: Settings, keymap_problems: Sequence[str]) -> list[SettingsNote]:
    """The start-up notifications for ``settings`` (also written to the log).

    Args:
        settings: What the console was started with.
        keymap_problems: Why ``settings.ui.keymap`` was refused (then none of it applies).
    """
    origins = settings.origins.describe()
    log.info("%s", origins)
    notes: list[SettingsNote] = []
    if keymap_problems:
        for problem in keymap_problems:
            log.warning("keymap refused: %s", problem)
        notes.append(
            SettingsNote(
                "Keys",
                f"{KEYMAP_VARIABLE} was refused, the default keys apply: "
                + "; ".join(keymap_problems),
                "error",
            )
        )
    loosened = loosened_safety(settings)
    if not keymap_problems:
        moved = remapped_protected(settings.ui.keymap)
        if moved:
            loosened.append(f"safety keys remapped: {', '.join(moved)} ({KEYS_COMMAND})")
    for line in loosened:
        log.warning("loosened safety: %s", line)
    if loosened:
        notes.append(
            SettingsNote(
                "Safety loosened by settings",
                "\n".join([*(f"• {line}" for line in loosened), origins]),
                "warning",
            )
        )
    return notes
