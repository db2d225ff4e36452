"""The console asks Textual for a faster screen-update timer, unless the user set one."""

from __future__ import annotations

import os
import subprocess
import sys

from console.tui import SCREEN_UPDATES_PER_SECOND

_PRINT_RATE = "import console.tui.app, textual.constants as c; print(c.MAX_FPS)"


def _rate_in_a_fresh_interpreter(**environ: str) -> str:
    """This test process may have imported Textual before ``console.tui``: ask a new one."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | environ
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_RATE], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout.strip()


def test_the_console_sets_textuals_screen_rate() -> None:
    assert _rate_in_a_fresh_interpreter() == SCREEN_UPDATES_PER_SECOND


def test_a_rate_the_user_chose_wins() -> None:
    assert _rate_in_a_fresh_interpreter(TEXTUAL_FPS="30") == "30"
