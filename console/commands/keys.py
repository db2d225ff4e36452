"""``breakout-console keys``: every key binding id, where it acts, and its keys now.

The list comes from the interface's own classes (:mod:`console.tui.keymap`), so it names
exactly the ids ``ui.keymap`` (``BREAKOUT_UI__KEYMAP``) can remap. A keymap the console
would refuse is reported here too, with every reason, and the exit code is 2.
"""

from __future__ import annotations

import argparse
import re
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from console.config import Settings

EXIT_REFUSED = 2


def _place(scope: str) -> str:
    """``ConfirmOrderScreen`` -> ``confirm order``; ``main`` -> ``main screen``."""
    if scope == "main":
        return "main screen"
    words = re.findall(r"[A-Z][a-z]*", scope.removesuffix("Screen"))
    return " ".join(word.lower() for word in words)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``keys`` takes only the shared setting flags (``--env-file`` for another keymap)."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.tui.bindings import key_label
    from console.tui.keymap import (
        KnownBinding,
        binding_registry,
        keymap_problems,
        normalize_keys,
    )
    from console.tui.settings_notes import KEYMAP_VARIABLE

    problems = keymap_problems(settings.ui.keymap)
    keymap = {} if problems else settings.ui.keymap
    by_id: dict[str, list[KnownBinding]] = {}
    for known in binding_registry():
        if known.id is not None:
            by_id.setdefault(known.id, []).append(known)
    table = Table(title="Key bindings (remap with " + KEYMAP_VARIABLE + ")", title_justify="left")
    for column in ("ID", "KEYS", "WHAT", "WHERE"):
        table.add_column(column, no_wrap=column in {"ID", "KEYS"})
    ordered = sorted(by_id.items(), key=lambda item: (item[1][0].scope != "main", item[0]))
    for binding_id, places in ordered:
        first = places[0]
        keys = normalize_keys(keymap[binding_id]) if binding_id in keymap else first.keys
        shown = " / ".join(key_label(key) for key in keys)
        if binding_id in keymap:
            shown += f" (default {' / '.join(key_label(key) for key in first.keys)})"
        what = first.description or first.action
        if first.protected:
            what += " (safety key)"
        where = ", ".join(sorted({_place(known.scope) for known in places}))
        table.add_row(binding_id, shown, Text(what), where)
    Console(soft_wrap=False).print(table)
    for problem in problems:
        print(f"breakout-console: {KEYMAP_VARIABLE}: {problem}", file=sys.stderr)
    return EXIT_REFUSED if problems else 0
