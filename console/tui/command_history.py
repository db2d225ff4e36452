"""The command line's history: the lines the trader ran, walked with the arrow keys and kept
across runs in a small file in ``data_dir``.

The file is the trader's own order flow (sizes, prices, symbols), so it is written readable
by its owner only (0600), like a shell's history. A missing or unreadable file is a fresh
start, never an error; a failed write is reported once in the trader's words and the
history still works for this run.
"""

from __future__ import annotations

import os
from pathlib import Path

HISTORY_FILE = "command-history.txt"
MAX_ENTRIES = 500
"""Lines kept; the oldest go first."""


class CommandHistory:
    """The lines run so far, oldest first, and a cursor for walking them.

    Walking starts past the newest line; :meth:`older` first keeps what is being typed, so
    :meth:`newer` past the newest line gives it back.
    """

    def __init__(self, path: Path | None, *, limit: int = MAX_ENTRIES) -> None:
        """
        Args:
            path: the file to keep the lines in; None keeps them for this run only.
            limit: how many lines are kept.
        """
        self.path = path
        self.limit = limit
        self.entries: list[str] = _read(path)[-limit:] if path is not None else []
        self._cursor = len(self.entries)
        self._typed = ""

    def add(self, line: str) -> str | None:
        """Remember ``line`` (not twice in a row) and save; the problem in the trader's words
        when the file could not be written."""
        line = line.strip()
        self.reset()
        if not line or (self.entries and self.entries[-1] == line):
            return None
        self.entries = [*self.entries, line][-self.limit :]
        self._cursor = len(self.entries)
        return self._save()

    def reset(self) -> None:
        """Back past the newest line (the prompt was closed or a line was run)."""
        self._cursor = len(self.entries)
        self._typed = ""

    def older(self, current: str) -> str | None:
        """The line before the one shown (``current`` is kept when walking starts); None at
        the oldest."""
        if self._cursor == 0:
            return None
        if self._cursor == len(self.entries):
            self._typed = current
        self._cursor -= 1
        return self.entries[self._cursor]

    def newer(self) -> str | None:
        """The line after the one shown, or what was being typed past the newest; None when
        not walking."""
        if self._cursor >= len(self.entries):
            return None
        self._cursor += 1
        return self._typed if self._cursor == len(self.entries) else self.entries[self._cursor]

    def _save(self) -> str | None:
        if self.path is None:
            return None
        text = "".join(f"{entry}\n" for entry in self.entries)
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(text)
            os.chmod(tmp, 0o600)  # an older file made under another umask
            tmp.replace(self.path)
        except OSError as error:
            return f"Could not keep the command history in {self.path} ({error.strerror or error})"
        return None


def _read(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [line for line in text.splitlines() if line.strip()]


__all__ = ["HISTORY_FILE", "MAX_ENTRIES", "CommandHistory"]
