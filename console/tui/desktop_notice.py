"""Desktop notifications through the terminal: the OSC escapes terminals turn into one.

``OSC 9`` (iTerm2, Windows Terminal, WezTerm, kitty, foot) takes one text; ``OSC 777``
(rxvt-unicode, foot, Ghostty, VTE terminals) takes a title and a body. A terminal that
knows neither ignores the sequence. The text comes partly from the venue (symbol names), so
it is cleaned first: a control character (an ESC or BEL in particular) would end the escape
early and let the rest be read as terminal commands, and ``;`` separates OSC 777's fields.
"""

from __future__ import annotations

from typing import Literal

DesktopNotices = Literal["off", "osc9", "osc777"]
"""The setting ``ui.desktop_notifications``."""

MAX_TEXT = 200
"""Characters of a notice kept (terminals cut or drop long ones anyway)."""


def clean(text: str, *, separator: str = "") -> str:
    """``text`` with every control character (C0, DEL, C1) made a space, ``separator``
    replaced by a comma, and at most :data:`MAX_TEXT` characters."""
    kept = "".join(" " if ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F else ch for ch in text)
    if separator:
        kept = kept.replace(separator, ",")
    return kept[:MAX_TEXT]


def notice_escape(kind: DesktopNotices, title: str, body: str) -> str | None:
    """The escape that shows ``title`` and ``body`` as a desktop notification, or None when
    the setting is off."""
    if kind == "osc9":
        return f"\x1b]9;{clean(f'{title}: {body}')}\x07"
    if kind == "osc777":
        return f"\x1b]777;notify;{clean(title, separator=';')};{clean(body, separator=';')}\x07"
    return None


__all__ = ["MAX_TEXT", "DesktopNotices", "clean", "notice_escape"]
