"""The trading keys, each with an id so ``ui.keymap`` can remap it (merged into the
console's bindings, so the footer, help screen and palette list them)."""

from __future__ import annotations

from textual.binding import Binding

TRADING_BINDINGS: tuple[Binding, ...] = (
    Binding("n", "new_order", "Order", id="new_order", tooltip="Open the order form"),
    Binding(
        "N",
        "scale_order",
        "Scale",
        id="main.scale_order",
        show=False,
        tooltip="Scale order: N limit orders between two prices, from the ladder cursor",
    ),
    Binding(
        "colon",
        "command_line",
        "Command",
        id="main.command_line",
        show=False,
        tooltip="Type an order: buy 0.01 btc @ 59000 post, sell 50% pos mkt, cancel all",
    ),
    Binding(
        "b",
        "buy_at_cursor",
        "Buy",
        id="buy_at_cursor",
        tooltip="Buy limit at the ladder cursor (l, then up/down moves it)",
    ),
    Binding(
        "v",
        "sell_at_cursor",
        "Sell",
        id="sell_at_cursor",
        tooltip="Sell limit at the ladder cursor (l, then up/down moves it)",
    ),
    Binding(
        "j", "join_bid", "Join bid", id="join_bid", show=False, tooltip="Buy limit at the best bid"
    ),
    Binding(
        "J", "join_ask", "Join ask", id="join_ask", show=False, tooltip="Sell limit at the best ask"
    ),
    Binding(
        "i",
        "improve_bid",
        "Improve bid",
        id="improve_bid",
        show=False,
        tooltip="Buy limit one tick above the best bid",
    ),
    Binding(
        "I",
        "improve_ask",
        "Improve ask",
        id="improve_ask",
        show=False,
        tooltip="Sell limit one tick below the best ask",
    ),
    Binding(
        "x",
        "cancel_at_cursor",
        "Cancel@cursor",
        id="cancel_at_cursor",
        show=False,
        tooltip="Cancel our orders on the ladder cursor's line",
    ),
    Binding(
        "full_stop",
        "size_up",
        "Size+",
        id="size_up",
        show=False,
        tooltip="Bigger size preset for ladder orders",
    ),
    Binding(
        "comma",
        "size_down",
        "Size-",
        id="size_down",
        show=False,
        tooltip="Smaller size preset for ladder orders",
    ),
    Binding(
        "o",
        "focus_orders",
        "Orders",
        id="focus_orders",
        tooltip="Move to the open orders (c cancels one, C all)",
    ),
    Binding(
        "ctrl+k",
        "kill_switch",
        "Kill",
        id="kill_switch",
        tooltip="Kill switch: cancel every order and block new ones (again to release)",
        # Checked before the focused widget: the kill switch works while the trader is
        # typing in the order command line, whose text box binds ctrl+k itself.
        priority=True,
    ),
    Binding("A", "arm_live", "Arm live", id="arm_live", show=False, tooltip="Arm live trading"),
    Binding(
        "p",
        "practice_session",
        "Session",
        id="practice_session",
        show=False,
        tooltip="Start or resume a paper practice session",
    ),
    Binding(
        "P",
        "session_summary",
        "Summary",
        id="session_summary",
        show=False,
        tooltip="Summary of the paper practice session",
    ),
    Binding(
        "m",
        "pick_up_order",
        "Move",
        id="main.pick_up_order",
        show=False,
        tooltip="Pick up our order at the ladder cursor: arrows move it, Enter amends, Esc drops",
    ),
    Binding(
        "R",
        "pick_up_quantity",
        "Resize",
        id="main.pick_up_quantity",
        show=False,
        tooltip="Change the size of our order at the cursor: arrows, Enter amends, Esc drops",
    ),
    Binding(
        "up",
        "carry(1)",
        "Carry up",
        id="main.carry_up",
        show=False,
        priority=True,
        tooltip="While an order is picked up: one line up (or one size more)",
    ),
    Binding(
        "down",
        "carry(-1)",
        "Carry down",
        id="main.carry_down",
        show=False,
        priority=True,
        tooltip="While an order is picked up: one line down (or one size less)",
    ),
    Binding(
        "enter",
        "drop_order",
        "Amend",
        id="main.drop_order",
        show=False,
        priority=True,
        tooltip="While an order is picked up: amend it to where it is now",
    ),
    Binding(
        "escape",
        "put_back_order",
        "Put back",
        id="main.put_back_order",
        show=False,
        priority=True,
        tooltip="While an order is picked up: leave it where it was",
    ),
    Binding(
        "L",
        "set_leverage",
        "Leverage",
        id="main.set_leverage",
        show=False,
        tooltip="Set the leverage of the selected symbol",
    ),
    Binding(
        "exclamation_mark",
        "alert_at_cursor",
        "Alert",
        id="main.alert_at_cursor",
        show=False,
        tooltip="Price alert at the ladder cursor (above or below the last price)",
    ),
    Binding(
        "at",
        "alerts",
        "Alerts",
        id="main.alerts",
        show=False,
        tooltip="The alerts: arm, disarm, delete, add; and what fired",
    ),
    Binding(
        "f",
        "explain_fill",
        "Fills",
        id="explain_fill",
        show=False,
        tooltip="Explain how a paper fill was priced",
    ),
)
"""The trading keys, in the order the help screen lists them."""

KEY_NAMES: dict[str, str] = {
    "full_stop": ".",
    "comma": ",",
    "colon": ":",
    "exclamation_mark": "!",
    "at": "@",
}
"""How the trading keys are written for the trader."""
