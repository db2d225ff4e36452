"""The command line's history: walking it, its limit, and its file (kept, private, and never
an error when missing, damaged or unwritable)."""

from __future__ import annotations

import stat
from pathlib import Path

from console.tui.command_history import HISTORY_FILE, CommandHistory


def test_walking_keeps_what_was_being_typed(tmp_path: Path) -> None:
    history = CommandHistory(tmp_path / HISTORY_FILE)
    for line in ("buy 1 mkt", "sell 1 mkt"):
        assert history.add(line) is None
    assert history.newer() is None, "not walking yet"
    assert history.older("can") == "sell 1 mkt"
    assert history.older("sell 1 mkt") == "buy 1 mkt"
    assert history.older("buy 1 mkt") is None
    assert history.newer() == "sell 1 mkt"
    assert history.newer() == "can"
    assert history.newer() is None


def test_blank_lines_and_a_repeat_of_the_last_line_are_not_kept(tmp_path: Path) -> None:
    history = CommandHistory(tmp_path / HISTORY_FILE)
    for line in ("flatten", "  ", "flatten", " cancel all ", "flatten"):
        history.add(line)
    assert history.entries == ["flatten", "cancel all", "flatten"]


def test_the_newest_lines_are_kept_up_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / HISTORY_FILE
    history = CommandHistory(path, limit=3)
    for number in range(5):
        history.add(f"buy {number + 1} mkt")
    assert CommandHistory(path, limit=3).entries == ["buy 3 mkt", "buy 4 mkt", "buy 5 mkt"]


def test_the_file_is_readable_by_its_owner_only_even_if_it_was_not(tmp_path: Path) -> None:
    path = tmp_path / "nested" / HISTORY_FILE
    path.parent.mkdir()
    path.write_text("close btc\n", encoding="utf-8")
    path.chmod(0o644)
    history = CommandHistory(path)
    assert history.entries == ["close btc"]
    history.add("flatten")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == "close btc\nflatten\n"


def test_a_damaged_file_is_a_fresh_start(tmp_path: Path) -> None:
    path = tmp_path / HISTORY_FILE
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert CommandHistory(path).entries == []


def test_an_unwritable_place_is_reported_and_the_run_keeps_its_history(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data directory should be", encoding="utf-8")
    history = CommandHistory(blocker / HISTORY_FILE)
    problem = history.add("cancel all")
    assert problem is not None
    assert problem.startswith("Could not keep the command history in ")
    assert history.older("") == "cancel all"
