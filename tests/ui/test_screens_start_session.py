"""Starting or resuming a paper session from the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Input, Static

from console.paper import SessionInfo
from console.tui.forms.session_form import NewSession, ResumeSession, check_new_session
from console.tui.screens.start_session import SessionChoice, StartSessionScreen

from support.screen_host import ScreenHost

OLD = SessionInfo(
    session_id=7,
    name="monday scalps",
    started_at="2026-11-23T08:00:00+00:00",
    last_active_at="2026-11-23T10:12:00+00:00",
    starting_balances={"USDT": Decimal("5000")},
    leverage=Decimal("5"),
    fill_count=31,
)


def screen(*sessions: SessionInfo) -> StartSessionScreen:
    return StartSessionScreen(
        default_balances={"USDT": Decimal("10000"), "BTC": Decimal("0")},
        default_leverage=Decimal("10"),
        default_name="practice 2026-11-25",
        sessions=sessions,
    )


@pytest.mark.parametrize(
    ("name", "balances", "leverage", "errors"),
    [
        ("", {"USDT": "100"}, "10", {"name": "Give the session a name"}),
        (
            "x",
            {"USDT": "0", "BTC": ""},
            "10",
            {"balances": "Start with some balance: at least one amount above zero"},
        ),
        ("x", {"USDT": "-5"}, "10", {"balance-USDT": "The USDT balance must be zero or more"}),
        ("x", {"USDT": "5"}, "250", {"leverage": "Leverage must be between 1 and 100"}),
        ("x", {"US-DT": "5"}, "2", {"balances": "'US-DT' is not a currency code"}),
    ],
)
def test_new_session_rules(
    name: str, balances: dict[str, str], leverage: str, errors: dict[str, str]
) -> None:
    check = check_new_session(name, balances, leverage)
    assert check.errors == errors
    assert check.session is None


def test_a_valid_form_makes_a_session_with_exact_balances() -> None:
    check = check_new_session(" drills ", {"USDT": "2500.50", "BTC": "0", "eth": "1.5"}, "3")
    assert check.session == NewSession(
        name="drills",
        starting_balances={"USDT": Decimal("2500.50"), "ETH": Decimal("1.5")},
        leverage=Decimal("3"),
    )


async def test_start_a_new_session_with_chosen_balances() -> None:
    app: ScreenHost[SessionChoice | None] = ScreenHost(screen())
    async with app.run_test(size=(90, 30)) as pilot:
        form = app.modal
        form.query_one("#balance-USDT", Input).value = "2500"
        form.query_one("#other-currency", Input).value = "eth"
        form.query_one("#other-amount", Input).value = "abc"
        await pilot.pause()
        assert str(form.query_one("#errors", Static).render()) == (
            "The ETH balance must be a number, like 0.25"
        )
        await pilot.press("ctrl+s")
        assert app.results == []
        form.query_one("#other-amount", Input).value = "2"
        await pilot.pause()
        await pilot.click("#start")
        assert app.results == [
            NewSession(
                name="practice 2026-11-25",
                starting_balances={"USDT": Decimal("2500"), "ETH": Decimal("2")},
                leverage=Decimal("10"),
            )
        ]


async def test_resume_picks_a_session_from_the_ledger() -> None:
    app: ScreenHost[SessionChoice | None] = ScreenHost(screen(OLD))
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press("enter")
        assert app.results == [ResumeSession(session_id=7)]


async def test_escape_starts_nothing() -> None:
    app: ScreenHost[SessionChoice | None] = ScreenHost(screen())
    async with app.run_test(size=(90, 30)) as pilot:
        await pilot.press("escape")
        assert app.results == [None]
