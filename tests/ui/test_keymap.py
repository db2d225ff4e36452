"""Key remaps: every id is known, none may collide, safety keys cannot be swapped, and a
button's label names the key that really presses it.

The registry is read from the classes themselves; a Pilot test checks it against the ids
Textual finds on the running main screen, so it stays right when bindings move between
the app, its screens and widgets.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.widgets import Button

from console.config import Settings, UISettings
from console.domain import OrderRequest, OrderType, Side, TradingMode
from console.tui.app import ConsoleApp
from console.tui.keymap import (
    MAIN_SCOPE,
    PROTECTED_IDS,
    binding_ids,
    binding_registry,
    keymap_problems,
)
from console.tui.screens.arm_live import ArmLiveScreen
from console.tui.screens.confirm_action import ConfirmActionScreen
from console.tui.screens.confirm_order import ConfirmOrderScreen

from support.builders import spot_market

SIZE = (200, 50)
BTC = spot_market()
LIMIT_BUY = OrderRequest(
    symbol="BTC/USDT",
    side=Side.BUY,
    type=OrderType.LIMIT,
    quantity=Decimal("2"),
    price=Decimal("100"),
)


def app_with(tmp_path: Path, keymap: dict[str, str]) -> ConsoleApp:
    settings = Settings(data_dir=tmp_path / "data", ui=UISettings(keymap=keymap))
    return ConsoleApp(settings, connect=False)


def test_unknown_id_is_refused_with_the_close_matches() -> None:
    problems = keymap_problems({"confirm_order.snd": "s"})

    assert len(problems) == 1
    assert "'confirm_order.snd'" in problems[0]
    assert "confirm_order.send" in problems[0]
    assert "breakout-console keys" in problems[0]


def test_ids_textual_applies_are_known() -> None:
    """The old start-up warning called these unknown while Textual applied them."""
    assert {"confirm_order.send", "confirm_order.back", "open_orders.cancel_all"} <= binding_ids()
    assert keymap_problems({"open_orders.cancel_all": "U"}) == []


def test_every_safety_key_exists() -> None:
    assert binding_ids() >= PROTECTED_IDS


def test_two_actions_of_one_screen_may_not_share_a_key() -> None:
    problems = keymap_problems({"next_symbol": "n"})

    assert problems == [
        "next_symbol and new_order would both answer 'n' on the main screen; "
        "give next_symbol a key nothing else there uses"
    ]


def test_a_screen_key_may_not_hide_behind_a_focused_widget_key() -> None:
    problems = keymap_problems({"next_symbol": "c"})

    assert any("next_symbol and open_orders.cancel" in problem for problem in problems)


def test_keys_of_different_screens_do_not_collide() -> None:
    """``y`` sends on the confirmation; on the main screen it is free."""
    assert keymap_problems({"next_symbol": "y", "help": "u"}) == []


@pytest.mark.parametrize(
    "keymap",
    [
        {"confirm_order.send": "n", "confirm_order.back": "y"},
        {"confirm_order.back": "y"},
        {"confirm_action.yes": "n", "confirm_action.no": "y"},
        {"new_order": "ctrl+k", "kill_switch": "ctrl+x"},
        {"arm_live": "ctrl+k"},
    ],
    ids=["swapped", "back-takes-send", "swapped-yes-no", "kill-key-reused", "arm-on-kill"],
)
def test_safety_keys_cannot_be_swapped_or_reused(keymap: dict[str, str]) -> None:
    problems = keymap_problems(keymap)

    assert problems
    assert all("safety key" in p or "would both answer" in p for p in problems)


@pytest.mark.parametrize(
    ("keymap", "words"),
    [
        ({"confirm_order.send": "enter"}, "Button's press would both answer 'enter'"),
        ({"arm_live.cancel": "q"}, "its text box takes that key"),
        ({"start_session.start": "s"}, "its text box takes that key"),
    ],
    ids=["focused-button-enter", "typed-into-the-phrase", "typed-into-the-form"],
)
def test_keys_a_focused_button_or_text_box_takes_are_refused(
    keymap: dict[str, str], words: str
) -> None:
    """Otherwise the label would name a key that presses something else, or types."""
    problems = keymap_problems(keymap)

    assert len(problems) == 1
    assert words in problems[0]


def test_safety_keys_may_move_to_keys_nothing_else_uses() -> None:
    assert keymap_problems({"confirm_order.send": "s", "kill_switch": "ctrl+x"}) == []
    assert keymap_problems({"arm_live.cancel": "f2"}) == []


def test_an_empty_key_is_refused() -> None:
    assert keymap_problems({"help": ""}) == ["help is given no key"]


async def test_the_registry_knows_every_id_on_the_running_main_screen(tmp_path: Path) -> None:
    app = app_with(tmp_path, {})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        nodes: list[DOMNode] = [app, *app.screen.walk_children(with_self=True)]
        on_screen = {
            binding.id
            for node in nodes
            for bindings in node._bindings.key_to_bindings.values()
            for binding in bindings
            if binding.id
        }
    main_ids = {b.id for b in binding_registry() if b.scope == MAIN_SCOPE and b.id}
    assert on_screen
    assert on_screen <= main_ids


async def test_a_refused_keymap_applies_none_of_it_and_says_why(tmp_path: Path) -> None:
    app = app_with(tmp_path, {"confirm_order.send": "n", "confirm_order.back": "y"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.keymap == {}
        messages = [str(n.message) for n in app._notifications]
        results: list[bool | None] = []
        app.push_screen(
            ConfirmOrderScreen(LIMIT_BUY, BTC, mode=TradingMode.PAPER, venue="sim"),
            results.append,
        )
        await pilot.pause()
        await pilot.press("y")
    assert any("BREAKOUT_UI__KEYMAP was refused" in m and "safety key" in m for m in messages)
    assert results == [True]


async def test_confirmation_labels_follow_the_keys_that_press_them(tmp_path: Path) -> None:
    app = app_with(tmp_path, {"confirm_order.send": "s", "confirm_order.back": "b"})
    async with app.run_test(size=SIZE) as pilot:
        results: list[bool | None] = []
        for expected in (True, False):
            screen = ConfirmOrderScreen(LIMIT_BUY, BTC, mode=TradingMode.LIVE, venue="sim")
            app.push_screen(screen, results.append)
            await pilot.pause()
            assert str(screen.query_one("#send", Button).label) == "Send LIVE order (s)"
            assert str(screen.query_one("#back", Button).label) == "Back (b)"
            await pilot.press("y", "n")  # the old keys do nothing now
            assert results == [] if expected else [True]
            await pilot.press("s" if expected else "b")
            await pilot.pause()
    assert results == [True, False]


async def test_yes_no_question_labels_follow_their_keys(tmp_path: Path) -> None:
    app = app_with(tmp_path, {"confirm_action.yes": "ctrl+y"})
    async with app.run_test(size=SIZE) as pilot:
        results: list[bool | None] = []
        screen = ConfirmActionScreen("Release the kill switch?", "", confirm_label="Release")
        app.push_screen(screen, results.append)
        await pilot.pause()
        assert str(screen.query_one("#confirm", Button).label) == "Release (ctrl+y)"
        assert str(screen.query_one("#back", Button).label) == "Back (n)"
        await pilot.press("y")
        assert results == []
        await pilot.press("ctrl+y")
        await pilot.pause()
    assert results == [True]


async def test_the_arm_live_label_follows_its_key(tmp_path: Path) -> None:
    app = app_with(tmp_path, {"arm_live.cancel": "ctrl+g"})
    async with app.run_test(size=SIZE) as pilot:
        results: list[bool | None] = []
        screen = ArmLiveScreen("bybit", "UID 1", ["read", "order"])
        app.push_screen(screen, results.append)
        await pilot.pause()
        assert str(screen.query_one("#cancel", Button).label) == "Stay unarmed (ctrl+g)"
        await pilot.press("ctrl+g")
        await pilot.pause()
    assert results == [False]


def test_the_user_guide_lists_every_binding_id() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "user-guide.md").read_text(encoding="utf-8")

    missing = sorted(binding_id for binding_id in binding_ids() if f"`{binding_id}`" not in guide)
    assert missing == []


def test_checking_a_keymap_imports_no_exchange_layer() -> None:
    """The check runs before the first frame and imports every module of ``console.tui``:
    none of them may pull in ccxt at import (about 0.7 s; it loads after the first frame)."""
    script = (
        "import sys\n"
        "from console.tui.keymap import keymap_problems\n"
        "assert keymap_problems({'next_symbol': 'f12'}) == []\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'ccxt'\n"
        "                or name.startswith('console.exchange.'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout
