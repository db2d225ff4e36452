"""SQLite files the console owns (the paper ledger, the order journal): their schema version.

Each file stamps its schema version in SQLite's ``user_version`` header field. An older file is
upgraded step by step after a backup copy (:mod:`console.storage_migrations`); a newer one is
refused before anything writes to it, so the trader's record is left byte for byte as it was,
rather than read with the wrong columns.
"""

from __future__ import annotations

import sqlite3


class SchemaMismatch(Exception):
    """The file was written with another schema version; it was not changed."""

    def __init__(self, found: int, expected: int) -> None:
        super().__init__(f"schema {found}; this version of the console reads {expected}")
        self.found = found
        self.expected = expected


def stamp_schema_version(db: sqlite3.Connection, version: int) -> None:
    """Write ``version`` into the file's header (new files, and adopted unstamped ones)."""
    db.execute(f"PRAGMA user_version={int(version)}")
