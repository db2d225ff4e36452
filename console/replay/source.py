"""A recording opened for replay: its header, the REST answers it holds, then its frames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from console.replay.recording import Record, RecordingError, RecordKind, check_header, read_records


class RecordingSource:
    """Reads the preamble (header and REST records) at once; the frames stay a lazy stream.

    Args:
        path: the recording.

    Raises:
        RecordingError: not a recording, or one without any instrument to serve.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._records = read_records(path)
        self.header: dict[str, Any] = {}
        self.rest: dict[tuple[str, str, str], dict[str, Any]] = {}
        """(path, category, symbol) -> the recorded ``result`` object."""
        self._first: Record | None = None
        for record in self._records:
            if record.kind is RecordKind.HEADER:
                self.header = check_header(path, record)
            elif record.kind is RecordKind.REST:
                body = record.json()
                params = body["params"]
                key = (body["path"], params["category"], params["symbol"])
                self.rest[key] = body["result"]
            else:
                self._first = record
                break
        if not any(key[0] == "/v5/market/instruments-info" for key in self.rest):
            raise RecordingError(f"{path}: no instruments recorded, nothing to serve")

    def result(self, path: str, category: str, symbol: str) -> dict[str, Any] | None:
        return self.rest.get((path, category, symbol))

    def instruments(self) -> list[tuple[str, dict[str, Any]]]:
        """(category, instruments-info row) of every recorded symbol."""
        rows: list[tuple[str, dict[str, Any]]] = []
        for (path, category, _), result in self.rest.items():
            if path == "/v5/market/instruments-info":
                rows.extend((category, row) for row in result.get("list", []))
        return rows

    def frames(self) -> Iterator[Record]:
        """The records after the preamble (frames and connection events), in file order."""
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._records
