"""What the console imports before its first frame is paid at every start
(``bench/ui_startup.py``): screens opened by a key, the services (the simulator, the
stream, the exchange layer and ccxt) come later. The settings are read before it (flags, the
environment, ``.env`` and the file decide the theme and the layout it draws).
"""

from __future__ import annotations

import subprocess
import sys

LATER = (
    "console.tui.screens.help",
    "console.tui.screens.alerts",
    "console.tui.screens.dialog",
    "console.tui.screens.order_entry",
    "console.services",
    "console.sim",
    "console.stream",
    "console.exchange",
    "ccxt",
    "aiohttp",
    "websockets",
)


def test_the_modules_of_the_first_frame_import_none_of_the_later_ones() -> None:
    code = (
        "import sys\n"
        "import console.launch, console.cli, console.commands.run, console.tui.app\n"
        f"print(' '.join(name for name in {LATER!r} if name in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert found.split() == []
