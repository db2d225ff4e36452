"""The recording file: one append-only, versioned, gzip-compressed stream of records.

Layout (``docs/recording-format.md`` is the full description): concatenated gzip members,
each holding whole records; the first record is the header. A record is one ASCII line
``<kind> <time_ns> <channel> <length>\\n`` followed by ``length`` payload bytes and ``\\n``.
Length-prefixed, so a payload is kept byte for byte whatever it contains.

The writer compresses what it buffered into a new gzip member at least every
``flush_interval`` seconds, so a recorder killed with SIGKILL loses at most that much: every
member already written is complete and readable, and the reader stops quietly at a member
the kill cut short.
"""

from __future__ import annotations

import enum
import gzip
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from console.storage import PRIVATE_FILE_MODE

FORMAT = "breakout-recording"
VERSION = 1
FLUSH_INTERVAL_S = 0.5
"""At most this long between gzip members: what a SIGKILL can lose (the issue allows 1 s)."""
FLUSH_BYTES = 1 << 20
"""A buffer this large is compressed at once, so memory stays bounded on a busy stream."""
_READ_CHUNK = 1 << 16


class RecordKind(enum.StrEnum):
    """What a record holds; the letter is what the file stores."""

    HEADER = "H"
    """JSON: format, version, venue, symbols, topics, start time."""
    REST = "R"
    """JSON: one REST answer a replay serves (path, params, the ``result`` object)."""
    FRAME = "F"
    """A public WebSocket text frame exactly as received (UTF-8)."""
    EVENT = "E"
    """JSON: a connection opened or went down (``{"event": "open"|"down"}``)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record: receive time (epoch ns), channel (``linear``/``spot``/``rest``), payload."""

    kind: RecordKind
    time_ns: int
    channel: str
    payload: bytes

    @property
    def text(self) -> str:
        return self.payload.decode()

    def json(self) -> Any:
        return orjson.loads(self.payload)


class RecordingError(Exception):
    """The file is not a recording this version can read (wrong magic, version, damage)."""


def encode_record(record: Record) -> bytes:
    if " " in record.channel or "\n" in record.channel or not record.channel:
        raise ValueError(f"a channel is one word, not {record.channel!r}")
    head = f"{record.kind.value} {record.time_ns} {record.channel} {len(record.payload)}\n"
    return head.encode() + record.payload + b"\n"


class RecordingWriter:
    """Appends records to a new recording file; call :meth:`maybe_flush` often, :meth:`close` last.

    Args:
        path: the file to create (an existing file is refused: nothing is overwritten).
        header: the header's fields (format and version are added).
        flush_interval: seconds between gzip members at most.
    """

    def __init__(
        self, path: Path, header: dict[str, Any], *, flush_interval: float = FLUSH_INTERVAL_S
    ) -> None:
        self.path = path
        self._fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, PRIVATE_FILE_MODE
        )
        self._buffer = bytearray()
        self._flush_interval = flush_interval
        self._last_flush = time.monotonic()
        self.records = 0
        self.bytes_written = 0
        fields = {"format": FORMAT, "version": VERSION, **header}
        self.write(RecordKind.HEADER, time.time_ns(), "meta", orjson.dumps(fields))
        self.flush()

    def write(self, kind: RecordKind, time_ns: int, channel: str, payload: bytes) -> None:
        self._buffer += encode_record(Record(kind, time_ns, channel, payload))
        self.records += 1
        if len(self._buffer) >= FLUSH_BYTES:
            self.flush()

    def maybe_flush(self) -> None:
        """Write a member if the oldest buffered record is getting close to the interval."""
        if self._buffer and time.monotonic() - self._last_flush >= self._flush_interval:
            self.flush()

    def flush(self) -> None:
        """Compress the buffer into one gzip member and hand it to the kernel."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        member = gzip.compress(bytes(self._buffer), compresslevel=6, mtime=0)
        self._buffer.clear()
        view = memoryview(member)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.bytes_written += len(member)

    def close(self) -> None:
        if self._fd < 0:
            return
        self.flush()
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1


def _decompressed_members(stream: BinaryIO) -> Iterator[bytes]:
    """The data of each complete gzip member; a member cut short (a killed writer) ends it."""
    pending = b""
    while True:
        decoder = zlib.decompressobj(wbits=31)
        out = bytearray()
        while not decoder.eof:
            chunk = pending or stream.read(_READ_CHUNK)
            pending = b""
            if not chunk:
                return  # a truncated last member, or the clean end of the file
            try:
                out += decoder.decompress(chunk)
            except zlib.error as error:
                raise RecordingError(f"damaged gzip data: {error}") from error
        pending = decoder.unused_data
        yield bytes(out)
        if not pending:
            pending = stream.read(_READ_CHUNK)
            if not pending:
                return


def _records_of(data: bytes) -> Iterator[Record]:
    position = 0
    while position < len(data):
        newline = data.index(b"\n", position)
        kind, stamp, channel, length = data[position:newline].decode().split(" ")
        start = newline + 1
        end = start + int(length)
        yield Record(RecordKind(kind), int(stamp), channel, data[start:end])
        position = end + 1


def read_records(path: Path) -> Iterator[Record]:
    """Every record of ``path`` in file order, the header first (checked).

    Raises:
        RecordingError: not a recording, a newer version, or damaged in the middle.
    """
    with path.open("rb") as stream:
        first = True
        members = _decompressed_members(stream)
        while True:
            try:
                data = next(members, None)
            except RecordingError as error:
                what = "not a recording" if first else "damaged after its start"
                raise RecordingError(f"{path}: {what} ({error})") from error
            if data is None:
                break
            try:
                records = list(_records_of(data))
            except (ValueError, IndexError, UnicodeDecodeError) as error:
                raise RecordingError(f"{path}: damaged record: {error}") from error
            for record in records:
                if first:
                    check_header(path, record)
                    first = False
                yield record
        if first:
            raise RecordingError(f"{path}: empty or not a recording")


def check_header(path: Path, record: Record) -> dict[str, Any]:
    if record.kind is not RecordKind.HEADER:
        raise RecordingError(f"{path}: does not start with a recording header")
    header: dict[str, Any] = record.json()
    if header.get("format") != FORMAT:
        raise RecordingError(f"{path}: not a {FORMAT} file")
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise RecordingError(f"{path}: format version {version!r}; this build reads {VERSION}")
    return header


def read_header(path: Path) -> dict[str, Any]:
    """The header of ``path`` (format, version, venue, symbols, topics, started)."""
    for record in read_records(path):
        return check_header(path, record)
    raise RecordingError(f"{path}: empty or not a recording")  # pragma: no cover
