"""Files the console owns: private on disk, and SQLite files stamped with their schema version.

Order history, balances and DEBUG request logs are nobody else's business, so every folder
the console keeps them in is 0700 and every file it writes 0600, whatever the umask and
also when the folder or file was made earlier by a looser version (modes are fixed at
open). SQLite gives a database's ``-wal`` and ``-shm`` files the mode of the database
itself, so creating the database 0600 keeps those private too; leftovers are fixed as well.

Each file stamps its schema version in SQLite's ``user_version`` header field. An older file is
upgraded step by step after a backup copy (:mod:`console.storage_migrations`); a newer one is
refused before anything writes to it, so the trader's record is left byte for byte as it was,
rather than read with the wrong columns.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TextIO

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database, named by suffix."""


def _tighten(path: Path, mode: int) -> None:
    """Give ``path`` exactly ``mode`` when it is ours; another user's file is left alone
    (only its owner may change it, and what we create in it is private anyway)."""
    status = path.stat()
    owner = getattr(os, "getuid", None)
    if status.st_mode & 0o777 != mode and (owner is None or status.st_uid == owner()):
        path.chmod(mode)


def make_private(path: Path) -> None:
    """Make an existing file of ours 0600 (one left readable by an older version)."""
    _tighten(path, PRIVATE_FILE_MODE)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make ``path`` itself 0700."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` if missing (0600, in a private folder) or make an existing one 0600."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE))
    _tighten(path, PRIVATE_FILE_MODE)
    return path


def open_private_text(path: Path) -> TextIO:
    """Open ``path`` for writing text (truncated), 0600 from the first byte.

    The folder is left as it is (an export may go wherever the trader likes); folders of
    the console's own go through :func:`private_dir` first.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        _tighten(path, PRIVATE_FILE_MODE)
    except OSError:
        os.close(descriptor)
        raise
    return open(descriptor, "w", encoding="utf-8", newline="")


def connect_private(path: Path) -> sqlite3.Connection:
    """Open the SQLite file at ``path`` as the console does: private, autocommit.

    The database is created 0600 before SQLite opens it, so its WAL and SHM files inherit
    that mode; companions left by an older, looser run are made 0600 too.
    """
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _tighten(companion, PRIVATE_FILE_MODE)
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


class SchemaMismatch(Exception):
    """The file was written with another schema version; it was not changed."""

    def __init__(self, found: int, expected: int) -> None:
        super().__init__(f"schema {found}; this version of the console reads {expected}")
        self.found = found
        self.expected = expected


def stamp_schema_version(db: sqlite3.Connection, version: int) -> None:
    """Write ``version`` into the file's header (new files, and adopted unstamped ones)."""
    db.execute(f"PRAGMA user_version={int(version)}")
