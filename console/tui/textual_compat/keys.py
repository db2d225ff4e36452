"""Textual workaround 7: key names (:func:`character_key`).

A keymap entry says ``?`` or ``:``; Textual binds it as ``question_mark`` or ``colon``
through its private ``_character_to_key``, with no public twin. The keymap check must name
keys exactly as Textual will, so it calls the same function, here and nowhere else.
"""

from __future__ import annotations

import textual.constants
import textual.keys
import textual.screen


def character_key(character: str) -> str:
    """The key name Textual binds for a single ``character`` (``"?"`` -> ``"question_mark"``)."""
    return textual.keys._character_to_key(character)


def public_character_key_is_missing() -> bool:
    """Whether Textual still offers the conversion only under a private name."""
    return not hasattr(textual.keys, "character_to_key")
