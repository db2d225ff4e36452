"""The trader's alerts kept between runs: ``alerts.json`` in ``data_dir``, private, versioned.

A damaged file must neither stop the console nor be overwritten by the next save (the
alerts in it are the trader's): it is moved aside to ``alerts.json.damaged`` and the console
starts with none, saying so. A file from a newer console is left as it is and this run
keeps its alerts in memory only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from console.domain.alerts import Alert, AlertBook, FiredAlert
from console.storage import make_private, open_private_text, private_dir

ALERTS_FILE = "alerts.json"
FORMAT_VERSION = 1
"""Version written; a file with a higher one is not read or written."""


class AlertsFile(BaseModel):
    """What the file holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int = Field(ge=1)
    next_id: int = Field(default=1, ge=1)
    alerts: list[Alert] = []
    fired: list[FiredAlert] = []


@dataclass(frozen=True)
class LoadedAlerts:
    """The alert book read, and a sentence for the trader when the file was not usable."""

    book: AlertBook
    problem: str | None = None


class AlertStore:
    """Reads and writes ``alerts.json`` in ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / ALERTS_FILE
        self.writable = True
        """False after a newer console's file was found: saving would destroy it."""

    def load(self) -> LoadedAlerts:
        """The alerts kept, or none (with the reason) when the file cannot be used."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LoadedAlerts(AlertBook())
        except OSError as error:
            self.writable = False
            return LoadedAlerts(
                AlertBook(),
                f"Could not read your alerts in {self.path} ({error.strerror or error}); "
                "alerts set now last for this run only",
            )
        make_private(self.path)
        try:
            version = json.loads(text).get("version")
        except (ValueError, AttributeError):
            version = None
        if isinstance(version, int) and version > FORMAT_VERSION:
            self.writable = False
            return LoadedAlerts(
                AlertBook(),
                f"{self.path} was written by a newer console (format {version}; this one "
                f"reads {FORMAT_VERSION}): it is left as it is, and alerts set now last for "
                "this run only",
            )
        try:
            kept = AlertsFile.model_validate_json(text)
        except ValidationError as error:
            return LoadedAlerts(AlertBook(), self._set_aside(error))
        return LoadedAlerts(AlertBook(kept.alerts, kept.fired, next_id=kept.next_id))

    def save(self, book: AlertBook) -> str | None:
        """Write the alerts and the fired list; a sentence for the trader if it failed."""
        if not self.writable:
            return None
        kept = AlertsFile(
            version=FORMAT_VERSION,
            next_id=book.next_id,
            alerts=list(book.alerts),
            fired=list(book.fired),
        )
        try:
            private_dir(self.path.parent)
            tmp = self.path.with_suffix(".tmp")
            with open_private_text(tmp) as out:
                out.write(json.dumps(kept.model_dump(mode="json"), indent=1))
            tmp.replace(self.path)
        except OSError as error:
            return f"Could not save your alerts in {self.path} ({error.strerror or error})"
        return None

    def _set_aside(self, error: ValidationError) -> str:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        reason = f"{where}: {first['msg']}"
        aside = self.path.with_name(self.path.name + ".damaged")
        try:
            self.path.replace(aside)
        except OSError:
            self.writable = False
            return (
                f"Your alerts in {self.path} could not be read ({reason}); it is left as it "
                "is, and alerts set now last for this run only"
            )
        return (
            f"Your alerts in {self.path} could not be read ({reason}); the file was kept as "
            f"{aside.name} and the console starts with no alerts"
        )


__all__ = ["ALERTS_FILE", "FORMAT_VERSION", "AlertStore", "AlertsFile", "LoadedAlerts"]
