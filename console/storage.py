"""SQLite files the console owns (the paper ledger, the order journal): their schema version.

Each file stamps its schema version in SQLite's ``user_version`` header field. A file of
another version is refused before anything writes to it, so the trader's record is left byte
for byte as it was, rather than read or migrated with the wrong columns.
"""

from __future__ import annotations

import sqlite3


class SchemaMismatch(Exception):
    """The file was written with another schema version; it was not changed."""

    def __init__(self, found: int, expected: int) -> None:
        super().__init__(f"schema {found}; this version of the console reads {expected}")
        self.found = found
        self.expected = expected


def check_schema_version(db: sqlite3.Connection, expected: int, *, unstamped: int = 0) -> bool:
    """True when the file is empty (new: create the schema, then :func:`stamp_schema_version`).

    Reads only, so call it before any pragma that writes the header.

    Args:
        db: the open file.
        expected: the version this code reads and writes.
        unstamped: the version a file with tables but no stamp (``user_version`` 0) has:
            0 for files that always carried a stamp, or the version that predates stamping.

    Raises:
        SchemaMismatch: the file holds another version.
    """
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        if tables.fetchone()[0] == 0:
            return True
        found = unstamped
    if found != expected:
        raise SchemaMismatch(found, expected)
    return False


def stamp_schema_version(db: sqlite3.Connection, version: int) -> None:
    """Write ``version`` into the file's header (new files, and adopted unstamped ones)."""
    db.execute(f"PRAGMA user_version={int(version)}")
