"""Forward-only schema upgrades for the SQLite files the console owns.

The paper ledger and the order journal stamp their schema version in SQLite's
``user_version`` (see :mod:`console.storage`). When the console meets a file of an older
version it upgrades it rather than refusing it: a trader's practice history or live order
record should outlive the release that wrote it. The rules:

- Steps are numbered by the version they produce and run in order, never backwards.
- Before the first step runs, the file's layout is checked against what that step expects, so
  a file that only looks like ours (right name, no stamp, other tables) is refused untouched.
- A backup copy of the file as it was is written next to it first, named after the schema it
  holds (``paper-ledger.schema-0-backup.sqlite3``), through SQLite's backup API so a WAL file
  left by a killed process is included.
- All steps and the new stamp commit in one transaction: a failure leaves the file as it was.
- A file from a *newer* console is refused before anything writes to it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from console.storage import SchemaMismatch, stamp_schema_version

log = logging.getLogger(__name__)


class SchemaTooNew(SchemaMismatch):
    """The file was written by a newer console; nothing in it was changed."""

    def __init__(self, found: int, expected: int) -> None:
        super().__init__(found, expected)
        self.args = (
            f"schema {found}, written by a newer version of the console; this version reads "
            f"schema {expected} and older",
        )


class SchemaUnrecognised(SchemaMismatch):
    """The file carries a version we know but not its tables: it is not one of ours."""

    def __init__(self, found: int, expected: int, reason: str) -> None:
        super().__init__(found, expected)
        self.args = (f"schema {found} expected, but {reason}",)
        self.reason = reason


class BackupFailed(SchemaMismatch):
    """The copy to take before upgrading could not be written; nothing was upgraded."""

    def __init__(self, found: int, expected: int, cause: OSError | sqlite3.Error) -> None:
        super().__init__(found, expected)
        self.args = (
            f"schema {found} needs upgrading to {expected}, but the backup copy could not be "
            f"written ({cause}), so it was not upgraded",
        )


class MigrationFailed(SchemaMismatch):
    """A step raised; the transaction was rolled back and the file is as it was."""

    def __init__(self, found: int, expected: int, backup: Path, cause: BaseException) -> None:
        super().__init__(found, expected)
        self.args = (
            f"upgrading schema {found} to {expected} failed ({cause}); the file was left as it "
            f"was and a copy is in {backup.name}",
        )
        self.backup = backup


@dataclass(frozen=True, slots=True)
class Migration:
    """One forward step: from ``version - 1`` to ``version``.

    Attributes:
        version: the schema this step produces.
        summary: what changes, in a line (shown in logs and docs).
        check: reads the file (still at ``version - 1``) and raises
            :class:`SchemaUnrecognised` when its tables are not what this step expects.
        apply: the change itself; runs inside the upgrade's transaction, so it must not
            commit (no ``executescript``).
    """

    version: int
    summary: str
    check: Callable[[sqlite3.Connection], None]
    apply: Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class SchemaHistory:
    """Every schema a kind of file has had, and the steps between them.

    Attributes:
        current: the version this code reads and writes.
        migrations: one step per version from 1 to ``current``, keyed by that version.
    """

    current: int
    migrations: Mapping[int, Migration] = field(default_factory=dict)

    def __post_init__(self) -> None:
        expected = set(range(1, self.current + 1))
        if set(self.migrations) != expected or any(
            step.version != version for version, step in self.migrations.items()
        ):
            raise ValueError(
                f"schema history needs exactly one step for each of versions 1..{self.current}, "
                f"got {sorted(self.migrations)}"
            )


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What opening the file did to its schema."""

    is_new: bool
    """The file was empty: create the current schema and stamp it."""
    upgraded_from: int | None = None
    """The version the file had before this open upgraded it (None: it was current)."""
    backup: Path | None = None
    """The copy of the file as it was, taken before upgrading."""


def upgrade_schema(db: sqlite3.Connection, path: Path, history: SchemaHistory) -> Upgrade:
    """Bring an open file up to ``history.current``; call before any pragma writes the header.

    Args:
        db: the open file, in autocommit mode (``isolation_level=None``).
        path: where it lives; the backup goes next to it.
        history: the file kind's versions and steps.

    The check and the backup read inside the transaction the steps then write in (SQLite's
    backup API cannot read through a connection that already holds the write lock, so the
    transaction starts deferred and takes that lock at the first step's write).

    Raises:
        SchemaTooNew: written by a newer console; nothing written.
        SchemaUnrecognised: its tables are not those of the version it claims; nothing written.
        BackupFailed: the copy could not be written (disk full, no permission); not upgraded.
        MigrationFailed: a step raised; rolled back, only the backup was written.
    """
    found = _stamped_version(db)
    if found is None:
        return Upgrade(is_new=True)
    if found > history.current:
        raise SchemaTooNew(found, history.current)
    if found == history.current:
        return Upgrade(is_new=False)
    db.execute("BEGIN")
    try:
        history.migrations[found + 1].check(db)
        backup = _backup(db, path, found)
    except (OSError, sqlite3.Error) as error:
        db.execute("ROLLBACK")
        raise BackupFailed(found, history.current, error) from error
    except BaseException:
        db.execute("ROLLBACK")
        raise
    try:
        for version in range(found + 1, history.current + 1):
            history.migrations[version].apply(db)
        stamp_schema_version(db, history.current)
    except Exception as error:
        db.execute("ROLLBACK")
        raise MigrationFailed(found, history.current, backup, error) from error
    db.execute("COMMIT")
    log.warning(
        "%s upgraded from schema %d to %d; the file as it was is in %s",
        path.name,
        found,
        history.current,
        backup.name,
    )
    return Upgrade(is_new=False, upgraded_from=found, backup=backup)


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of ``path`` at schema ``version`` goes: next to it, never overwriting."""
    candidate = path.with_name(f"{path.stem}.schema-{version}-backup{path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.schema-{version}-backup-{number}{path.suffix}")
        number += 1
    return candidate


def table_columns(db: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Every table of the file with its column names (for a step's layout check)."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: frozenset(row[1] for row in db.execute(f'PRAGMA table_info("{table}")'))
        for table in tables
    }


def require_columns(
    db: sqlite3.Connection, version: int, expected: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Raise :class:`SchemaUnrecognised` unless every table has (at least) these columns.

    Returns:
        The file's tables and columns, for a step that accepts more than one layout.
    """
    found = table_columns(db)
    for table, columns in expected.items():
        if table not in found:
            raise SchemaUnrecognised(version, version + 1, f"it has no table {table!r}")
        missing = columns - found[table]
        if missing:
            raise SchemaUnrecognised(
                version, version + 1, f"table {table!r} lacks {', '.join(sorted(missing))}"
            )
    return found


def _stamped_version(db: sqlite3.Connection) -> int | None:
    """The file's version, or None when it has no tables yet (a new file)."""
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found == 0:
        tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        if tables.fetchone()[0] == 0:
            return None
    return found


def _backup(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the file as ``db`` sees it (WAL included) to a new private file beside it."""
    target = backup_path(path, version)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    copy = sqlite3.connect(target)
    try:
        db.backup(copy)
    finally:
        copy.close()
    return target


__all__ = [
    "BackupFailed",
    "Migration",
    "MigrationFailed",
    "SchemaHistory",
    "SchemaTooNew",
    "SchemaUnrecognised",
    "Upgrade",
    "backup_path",
    "require_columns",
    "table_columns",
    "upgrade_schema",
]
