"""Every key the console answers to, each with an id so settings can remap it.

Most are the main screen's; of those, an action that concerns the whole app (help, the
pickers) is named ``app.<action>`` so Textual runs it on the app.

``BREAKOUT_UI__KEYMAP='{"next_symbol": "n"}'`` gives the binding with id ``next_symbol`` the
key ``n`` instead of its default (Textual's keymap, as Posting does it). The same list feeds
the footer, the help screen and the command palette, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

from console.tui.replay_deck import KEY_NAMES as REPLAY_KEY_NAMES
from console.tui.replay_deck import REPLAY_BINDINGS
from console.tui.trading.keys import KEY_NAMES, TRADING_BINDINGS

MAIN_SCREEN_BINDINGS: tuple[Binding, ...] = (
    Binding("f1,question_mark", "app.help", "Help", id="help", tooltip="List every key binding"),
    Binding(
        "s", "app.pick_symbol", "Symbol", id="pick_symbol", tooltip="Search the venue's markets"
    ),
    Binding(
        "right_square_bracket",
        "next_symbol",
        "Next",
        id="next_symbol",
        tooltip="Show the next symbol of the watchlist",
    ),
    Binding(
        "left_square_bracket",
        "previous_symbol",
        "Prev",
        id="previous_symbol",
        tooltip="Show the previous symbol of the watchlist",
    ),
    Binding(
        "plus,equals_sign",
        "coarser_grouping",
        "Group+",
        id="coarser_grouping",
        tooltip="Group more ticks per ladder line",
    ),
    Binding(
        "minus",
        "finer_grouping",
        "Group-",
        id="finer_grouping",
        tooltip="Group fewer ticks per ladder line",
    ),
    Binding(
        "t", "next_timeframe", "Timeframe", id="next_timeframe", tooltip="Cycle candle timeframes"
    ),
    Binding("ctrl+t", "app.pick_theme", "Theme", id="pick_theme", tooltip="Choose a colour theme"),
    Binding(
        "w",
        "focus_watchlist",
        "Watchlist",
        id="focus_watchlist",
        show=False,
        tooltip="Move to the watchlist (Enter picks a symbol)",
    ),
    Binding(
        "l",
        "focus_ladder",
        "Ladder",
        id="focus_ladder",
        show=False,
        tooltip="Move to the main ladder (grouping keys act on it)",
    ),
    *TRADING_BINDINGS,
    *REPLAY_BINDINGS,
)
"""The main screen's bindings, in the order the footer and help screen list them."""

APP_BINDINGS: tuple[Binding, ...] = (
    Binding("q,ctrl+q", "quit", "Quit", id="quit", tooltip="Close the console"),
)
"""The app's own: they hold on every screen that does not take the key itself."""

CONSOLE_BINDINGS: tuple[Binding, ...] = (*MAIN_SCREEN_BINDINGS, *APP_BINDINGS)
"""Every key of the console, in the order the footer, help screen and palette list them."""


def describe_keys(binding: Binding, keymap: Mapping[str, str]) -> str:
    """The keys of a binding as the trader would type them, after remapping."""
    keys = keymap.get(binding.id or "", binding.key)
    names = [key.strip() for key in keys.split(",") if key.strip()]
    return " / ".join(key_label(name) for name in names)


def key_label(key: str) -> str:
    """One key as the trader types it: ``question_mark`` -> ``?``."""
    return _KEY_NAMES.get(key, key)


_KEY_NAMES = {
    "question_mark": "?",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    **KEY_NAMES,
    **REPLAY_KEY_NAMES,
}
