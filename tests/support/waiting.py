"""The one way a test waits: until a condition holds, never for a fixed time.

A fixed sleep is either too short on a loaded machine (the test flakes) or too long everywhere
(the suite crawls); polling a condition is as fast as the code allows and fails saying what it
waited for. Tests sleep only where elapsed time itself is what they test, and say so.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.pilot import Pilot

PILOT_POLL = 0.05
"""Between looks at a running app: each look repaints the screen, so not too often."""
POLL = 0.01
"""Between looks at anything else: a loopback round trip takes about this long."""


async def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float = 30.0,
    pilot: Pilot[Any] | None = None,
    poll: float | None = None,
    what: str = "the condition",
) -> float:
    """Let the event loop (and the app, given its ``pilot``) run until ``condition()`` is true.

    The timeout is generous because it only matters when the test fails: the suite shares two
    cores with other work, and a wait that holds returns as soon as it does.

    Args:
        condition: Looked at before every pause; may itself assert on what it sees on the way.
        timeout: Seconds before the test fails.
        pilot: The Pilot of a running Textual app: pauses go through it, so the screen updates
            between looks, and once the condition holds the app settles before the next key.
        poll: Seconds between looks (default: ``PILOT_POLL`` with a pilot, else ``POLL``).
        what: Named in the failure message.

    Returns:
        The seconds it took, for tests that report how long recovery took.

    Raises:
        AssertionError: ``condition`` did not hold within ``timeout``; with a pilot the message
            says which screen the app was on, what it showed, and which workers ran.
    """
    interval = poll if poll is not None else (POLL if pilot is None else PILOT_POLL)
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started >= timeout:
            where = "" if pilot is None else f"; {_where(pilot.app)}"
            raise AssertionError(f"{what} did not hold within {timeout} s{where}")
        if pilot is None:
            await asyncio.sleep(interval)
        else:
            await pilot.pause(interval)
    if pilot is not None:
        await pilot.pause()
    return time.monotonic() - started


def _where(app: App[Any]) -> str:
    """The app's screen, the notifications it shows and its workers, for a failure message."""
    toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
    workers = [(worker.name, worker.state.name) for worker in app.workers]
    return f"on {app.screen}; showing {toasts}; workers: {workers}"
