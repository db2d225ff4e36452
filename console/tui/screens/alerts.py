"""The Alerts screen: every alert with its state, keys to arm, disarm, delete and add one,
and the alerts that fired, newest first, with their time and the value that fired them."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from console.domain.alert_command import describe_spec, parse_alert
from console.domain.alerts import Alert, plain, refusal
from console.domain.order_command import CommandRefused
from console.tui.screens.dialog import DialogScreen

if TYPE_CHECKING:
    from console.tui.trading.alert_center import AlertCenter

FIRED_SHOWN = 50
"""Fired alerts listed (the file keeps more)."""


def alert_state(center: AlertCenter, alert: Alert) -> str:
    if not alert.armed:
        return "off"
    return (
        "fired, re-arms past the hysteresis" if center.book.is_waiting(alert.alert_id) else "armed"
    )


class AlertsScreen(DialogScreen[None]):
    """The alert list and the fired list; redrawn when the alert center changes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="alerts.new"),
        Binding("a", "arm_or_disarm", "Arm/disarm", id="alerts.arm_or_disarm"),
        Binding("d,delete", "delete", "Delete", id="alerts.delete"),
        Binding("escape,q", "close", "Close", id="alerts.close"),
    ]

    DEFAULT_CSS = """
    AlertsScreen > #dialog { width: 110; }
    AlertsScreen #title { text-style: bold; }
    AlertsScreen .section { text-style: bold; margin-top: 1; }
    AlertsScreen DataTable { height: auto; max-height: 12; }
    AlertsScreen #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, center: AlertCenter) -> None:
        super().__init__()
        self.center = center
        self._shown = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Alerts", id="title")
            yield DataTable(id="alerts-table", cursor_type="row", zebra_stripes=True)
            yield Static("Fired (newest first)", classes="section")
            yield DataTable(id="fired-table", cursor_type="row")
            yield Static(
                "n new · a arm/disarm · d delete · Esc close   "
                "(on the main screen: ! sets a price alert at the ladder cursor)",
                id="hint",
            )

    def on_mount(self) -> None:
        alerts = self.query_one("#alerts-table", DataTable)
        alerts.add_columns("#", "Watches", "Re-arm", "State")
        fired = self.query_one("#fired-table", DataTable)
        fired.add_columns("Time (UTC)", "#", "Fired")
        self.refresh_lists()
        self.set_interval(0.5, self.refresh_lists)
        alerts.focus()

    def refresh_lists(self) -> None:
        """Redraw both lists when the alert center changed since the last drawing."""
        if self._shown == self.center.revision:
            return
        self._shown = self.center.revision
        table = self.query_one("#alerts-table", DataTable)
        row = table.cursor_row
        table.clear()
        for alert in self.center.book.alerts:
            table.add_row(
                str(alert.alert_id),
                alert.describe(),
                plain(alert.rearm) if alert.rearm else "",
                alert_state(self.center, alert),
                key=str(alert.alert_id),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        fired = self.query_one("#fired-table", DataTable)
        fired.clear()
        for index, shot in enumerate(reversed(self.center.book.fired[-FIRED_SHOWN:])):
            fired.add_row(
                shot.at.strftime("%Y-%m-%d %H:%M:%S"),
                str(shot.alert_id),
                shot.describe(),
                key=str(index),
            )

    def selected(self) -> Alert | None:
        table = self.query_one("#alerts-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else self.center.book.get(int(key))

    def action_arm_or_disarm(self) -> None:
        alert = self.selected()
        if alert is not None:
            self.center.set_armed(alert.alert_id, not alert.armed)
            self.refresh_lists()

    def action_delete(self) -> None:
        alert = self.selected()
        if alert is not None:
            self.center.remove(alert.alert_id)
            self.refresh_lists()

    def action_new(self) -> None:
        self.app.push_screen(NewAlertScreen(self.center), lambda _: self.refresh_lists())

    def action_close(self) -> None:
        self.dismiss(None)


class NewAlertScreen(DialogScreen[None]):
    """One line for an alert of any kind, read as it is typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="new_alert.close"),
    ]

    DEFAULT_CSS = """
    NewAlertScreen > #dialog { width: 90; }
    NewAlertScreen #title { text-style: bold; margin-bottom: 1; }
    NewAlertScreen #preview { height: auto; margin-top: 1; }
    NewAlertScreen #preview.-refused { color: $error; }
    NewAlertScreen #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, center: AlertCenter) -> None:
        super().__init__()
        self.center = center

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("New alert", id="title")
            yield Input(placeholder="price btc > 61000", id="alert-line")
            yield Static("", id="preview")
            yield Static(
                "price [SYM] >|< PRICE · trades [SYM] > 3x · spread [SYM] > 2.5 · "
                "pnl [SYM] >|< AMOUNT · liq [SYM] < 5% · ratelimit < 20% · stream > 10s · "
                "fill [SYM] · add rearm X for your own hysteresis.  Enter sets it, Esc goes back",
                id="hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        preview = self.query_one("#preview", Static)
        if not event.value.strip():
            preview.update("")
            return
        try:
            text = f"Alert when {describe_spec(parse_alert(event.value, self.center.context()))}"
        except CommandRefused as refused:
            preview.update(refused.reason)
            preview.add_class("-refused")
            return
        except ValueError as problem:
            preview.update(refusal(problem))
            preview.add_class("-refused")
            return
        preview.update(text)
        preview.remove_class("-refused")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.center.add_line(event.value)
        if problem is None:
            self.dismiss(None)
        else:
            preview = self.query_one("#preview", Static)
            preview.update(problem)
            preview.add_class("-refused")

    def action_close(self) -> None:
        self.dismiss(None)


__all__ = ["AlertsScreen", "NewAlertScreen", "alert_state"]
