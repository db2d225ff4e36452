"""The garbage collector is paused while the console starts (console/launch.py) and runs
again once the first live ladder is drawn (the first frame, for a console that streams
nothing), whatever the command or its outcome."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from console.cli import EXIT_BAD_SETTINGS
from console.launch import main
from console.services import Services
from console.tui.app import ConsoleApp

from support.console import SIZE, main_ladder, settings
from support.fixed_scene import console_app
from support.waiting import wait_until


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


async def test_a_streaming_console_collects_again_once_its_ladder_is_live(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            ladder = main_ladder(app)
            await wait_until(
                lambda: ladder.snapshot is not None and not ladder.snapshot.stale, pilot=pilot
            )
            await wait_until(gc.isenabled, pilot=pilot)
            assert gc.get_freeze_count() > 0
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_console_whose_start_fails_collects_again(tmp_path: Path) -> None:
    def no_services(*args: object, **kwargs: object) -> Services:
        raise RuntimeError("no services here")

    app = ConsoleApp(settings(tmp_path), services_factory=no_services)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(gc.isenabled, pilot=pilot)
    finally:
        gc.enable()
        gc.unfreeze()
