"""Arming live mode: only the exact phrase arms; anything else, or escape, leaves it unarmed."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from console.tui.screens.arm_live import ArmLiveScreen, arming_phrase

from support.screen_host import ScreenHost


def host() -> ScreenHost[bool]:
    return ScreenHost(
        ArmLiveScreen("bybit", "UID 4242 (unified)", ["read", "spot trade", "Withdraw"])
    )


def test_the_phrase_names_the_venue() -> None:
    assert arming_phrase("bybit-testnet") == "ARM LIVE bybit-testnet"


async def test_exact_phrase_arms() -> None:
    app = host()
    async with app.run_test(size=(90, 30)) as pilot:
        screen = app.modal
        facts = str(screen.query_one("#facts", Static).render())
        assert "Venue        bybit" in facts
        assert "Account      UID 4242 (unified)" in facts
        assert "Key may      read, spot trade, Withdraw" in facts
        assert "Warning: this key can Withdraw" in facts
        assert screen.query_one("#arm", Button).disabled
        await pilot.press(*"ARM LIVE bybit")
        assert not screen.query_one("#arm", Button).disabled
        await pilot.press("enter")
        assert app.results == [True]


async def test_a_near_miss_does_not_arm_and_says_what_to_type() -> None:
    app = host()
    async with app.run_test(size=(90, 30)) as pilot:
        screen = app.modal
        for attempt in ("arm live bybit", "ARM LIVE bybit ", "ARM  LIVE bybit", "ARM LIVE sim"):
            screen.query_one("#phrase", Input).value = attempt
            await pilot.pause()
            assert screen.query_one("#arm", Button).disabled, attempt
            await pilot.press("enter")
            assert app.results == []
        assert str(screen.query_one("#hint", Static).render()) == (
            "That is not the phrase. Type exactly: ARM LIVE bybit"
        )
        await pilot.press("escape")
        assert app.results == [False]


async def test_a_key_without_risky_rights_shows_no_warning() -> None:
    app = ScreenHost(ArmLiveScreen("sim", "sim account", ["read", "trade"]))
    async with app.run_test(size=(90, 30)) as pilot:
        assert "Warning" not in str(app.modal.query_one("#facts", Static).render())
        await pilot.click("#cancel")
        assert app.results == [False]


def facts_of(screen: ArmLiveScreen) -> str:
    return str(screen.query_one("#facts", Static).render())


async def test_a_key_open_to_every_ip_is_warned_about() -> None:
    app = ScreenHost(ArmLiveScreen("sim", "UID 1000001", ["Spot:SpotTrade"], ip_bound=False))
    async with app.run_test(size=(90, 30)):
        assert "Warning: this key has no IP allow-list" in facts_of(app.modal)


async def test_ip_bound_or_unreported_says_nothing_about_ips() -> None:
    for ip_bound in (True, None):
        app = ScreenHost(ArmLiveScreen("sim", "UID 1", ["Spot:SpotTrade"], ip_bound=ip_bound))
        async with app.run_test(size=(90, 30)):
            assert "Warning" not in facts_of(app.modal), ip_bound


async def test_a_read_only_key_is_warned_about() -> None:
    app = ScreenHost(ArmLiveScreen("sim", "UID 1", ["Spot:SpotTrade"], read_only=True))
    async with app.run_test(size=(90, 30)):
        assert "Warning: this key is read-only; the venue will refuse live orders" in facts_of(
            app.modal
        )


async def test_unreadable_rights_say_why_and_arming_stays_possible() -> None:
    app = ScreenHost(ArmLiveScreen("sim", "sim account", [], unread="Request timed out"))
    async with app.run_test(size=(90, 30)) as pilot:
        assert "Key may      could not be read: Request timed out" in facts_of(app.modal)
        await pilot.press(*"ARM LIVE sim", "enter")
        assert app.results == [True]
