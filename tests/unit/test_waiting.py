"""The one waiting helper: returns once its condition holds, fails saying what it waited for."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App

from support.waiting import wait_until


async def test_returns_as_soon_as_the_condition_holds() -> None:
    looks: list[int] = []

    def third_look() -> bool:
        looks.append(1)
        return len(looks) >= 3

    waited = await wait_until(third_look, poll=0.001)
    assert len(looks) == 3
    assert waited >= 0


async def test_a_condition_that_never_holds_fails_naming_it() -> None:
    with pytest.raises(AssertionError, match=r"the door opening did not hold within 0\.05 s"):
        await wait_until(lambda: False, timeout=0.05, what="the door opening")


async def test_a_coroutine_condition_is_awaited() -> None:
    answers = iter([False, False, True])

    async def asks_the_venue() -> bool:
        await asyncio.sleep(0)
        return next(answers)

    await wait_until(asks_the_venue, poll=0.001)


async def test_what_a_condition_asserts_on_the_way_fails_the_wait() -> None:
    def crossed() -> bool:
        raise AssertionError("a crossed book was read")

    with pytest.raises(AssertionError, match="a crossed book was read"):
        await wait_until(crossed)


async def test_with_a_pilot_the_failure_says_where_the_app_was() -> None:
    class Greeter(App[None]):
        def on_mount(self) -> None:
            self.notify("hello from the app")

    app = Greeter()
    async with app.run_test(notifications=True) as pilot:
        await wait_until(lambda: bool(app.screen.query("Toast")), pilot=pilot)
        with pytest.raises(AssertionError) as failed:
            await wait_until(lambda: False, timeout=0.1, pilot=pilot, what="never")
    assert "never did not hold within 0.1 s; on Screen" in str(failed.value)
    assert "hello from the app" in str(failed.value)
