"""The recording file format: round trip, a cut-short tail, and what is refused."""

from __future__ import annotations

import gzip
import stat
from pathlib import Path

import orjson
import pytest

from console.replay.recording import (
    FORMAT,
    VERSION,
    Record,
    RecordingError,
    RecordingWriter,
    RecordKind,
    encode_record,
    read_header,
    read_records,
)


def write(path: Path, payloads: list[bytes], *, flush_each: bool = False) -> None:
    writer = RecordingWriter(path, {"venue": "sim", "symbols": ["BTC/USDT:USDT"]})
    for index, payload in enumerate(payloads):
        writer.write(RecordKind.FRAME, 1_000 + index, "linear", payload)
        if flush_each:
            writer.flush()
    writer.close()


def test_records_come_back_byte_for_byte_whatever_the_payload_holds(tmp_path: Path) -> None:
    payloads = [b'{"topic":"a"}', b"two\nlines \xe2\x82\xac", b"", b"F 1 linear 99\n"]
    path = tmp_path / "a.rec"
    write(path, payloads)
    header, *frames = list(read_records(path))
    assert header.kind is RecordKind.HEADER
    assert header.json()["format"] == FORMAT
    assert header.json()["version"] == VERSION
    assert [f.payload for f in frames] == payloads
    assert [f.time_ns for f in frames] == [1000, 1001, 1002, 1003]
    assert {f.channel for f in frames} == {"linear"}
    assert read_header(path)["symbols"] == ["BTC/USDT:USDT"]


def test_the_file_is_concatenated_gzip_members_that_gzip_itself_reads(tmp_path: Path) -> None:
    path = tmp_path / "a.rec"
    write(path, [b"x" * 10, b"y" * 10], flush_each=True)
    data = gzip.decompress(path.read_bytes())
    assert data.count(b"\nF ") == 2
    assert data.startswith(b"H ")


def test_a_member_cut_short_by_a_kill_loses_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "a.rec"
    writer = RecordingWriter(path, {})
    for index, payload in enumerate([b"first", b"second"]):
        writer.write(RecordKind.FRAME, index, "linear", payload)
        writer.flush()
    complete = path.stat().st_size
    writer.write(RecordKind.FRAME, 2, "linear", b"third")
    writer.close()
    assert path.stat().st_size > complete + 7
    path.write_bytes(path.read_bytes()[: complete + 7])
    frames = [r.payload for r in read_records(path) if r.kind is RecordKind.FRAME]
    assert frames == [b"first", b"second"]


def test_a_newer_version_is_refused_with_the_version_named(tmp_path: Path) -> None:
    path = tmp_path / "new.rec"
    header = orjson.dumps({"format": FORMAT, "version": VERSION + 1})
    path.write_bytes(gzip.compress(encode_record(Record(RecordKind.HEADER, 1, "meta", header))))
    with pytest.raises(RecordingError, match=f"version {VERSION + 1}"):
        read_header(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"not gzip at all", gzip.compress(b"F 1 linear 2\nhi\n")],
    ids=["empty", "not-gzip", "no-header"],
)
def test_what_is_not_a_recording_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.rec"
    path.write_bytes(content)
    with pytest.raises(RecordingError):
        list(read_records(path))


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "kept.rec"
    path.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        RecordingWriter(path, {})
    assert path.read_bytes() == b"precious"


def test_a_channel_must_be_one_word(tmp_path: Path) -> None:
    writer = RecordingWriter(tmp_path / "a.rec", {})
    with pytest.raises(ValueError, match="channel"):
        writer.write(RecordKind.FRAME, 1, "two words", b"x")
    writer.close()


def test_a_recording_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """A recording holds what was watched and when; like every file the console writes,
    other local users cannot read it."""
    path = tmp_path / "day.rec"
    write(path, [b"{}"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
