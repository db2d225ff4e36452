"""The garbage collector is paused while the console starts (console/launch.py) and runs
again once the first frame is drawn, whatever the command or its outcome."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from console.cli import EXIT_BAD_SETTINGS
from console.launch import main

from support.fixed_scene import console_app


async def test_the_console_collects_again_once_its_first_frame_is_drawn(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    garbage = _Cycle()
    garbage.itself = garbage
    freed = weakref.ref(garbage)
    del garbage
    gc.disable()  # as the launcher leaves it
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert freed() is None  # start-up's garbage was collected, not frozen
            assert gc.get_freeze_count() > 0  # the survivors are out of later scans
    finally:
        gc.enable()
        gc.unfreeze()


class _Cycle:
    itself: _Cycle | None = None


def test_a_refused_start_leaves_the_collector_running() -> None:
    assert main(["--venue", "no such venue"]) == EXIT_BAD_SETTINGS
    assert gc.isenabled()

    with pytest.raises(SystemExit):  # argparse's refusal
        main(["--mode", "sideways"])
    assert gc.isenabled()


def test_a_command_other_than_run_runs_with_the_collector(tmp_path: Path) -> None:
    """``sim`` runs for hours: it must not start with the collector paused."""
    code = (
        "import gc, sys\n"
        "import console.commands.paths as paths\n"
        "from console.launch import main\n"
        "shown = paths.run\n"
        "def run(args, settings):\n"
        "    print('collecting' if gc.isenabled() else 'paused', file=sys.stderr)\n"
        "    return shown(args, settings)\n"
        "paths.run = run\n"
        f"raise SystemExit(main(['--data-dir', {str(tmp_path)!r}, 'paths']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "collecting"
