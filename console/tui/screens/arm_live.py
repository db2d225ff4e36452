"""Arming live trading: once per run, by typing a phrase that names the venue.

A keypress can be an accident; typing ``ARM LIVE bybit`` cannot. The modal shows what the
trader is about to arm (venue, account, what the API key may do, flagging withdrawal rights,
a missing IP allow-list and a read-only key), and dismisses True only when the phrase matches
exactly, case and spacing included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from console.tui.forms.theme_colours import theme_colour
from console.tui.keymap import label_with_key
from console.tui.screens.dialog import DialogScreen

_RISKY_PERMISSIONS = ("withdraw", "transfer")
"""Rights a trading key does not need; shown as a warning when the key has them."""


def arming_phrase(venue: str) -> str:
    """What the trader must type to arm live trading on ``venue``."""
    return f"ARM LIVE {venue}"


class ArmLiveScreen(DialogScreen[bool]):
    """Dismisses True only when the typed phrase is exactly :func:`arming_phrase`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Stay unarmed", id="arm_live.cancel", tooltip="Do not arm"),
    ]

    DEFAULT_CSS = """
    ArmLiveScreen > #dialog {
        width: 72;
    }
    ArmLiveScreen #title {
        text-style: bold;
        width: 1fr;
        content-align: center middle;
        height: 3;
        margin-bottom: 1;
    }
    ArmLiveScreen #facts {
        margin-bottom: 1;
    }
    ArmLiveScreen #hint {
        color: $text-muted;
        margin-top: 1;
    }
    ArmLiveScreen #hint.-mismatch {
        color: $text-error;
    }
    """

    def __init__(
        self,
        venue: str,
        account: str,
        permissions: Sequence[str],
        *,
        ip_bound: bool | None = None,
        read_only: bool = False,
        unread: str | None = None,
    ) -> None:
        """
        Args:
            venue: The venue id as the trader knows it (``bybit``, ``sim``).
            account: Which account the key belongs to (a label or UID, never the key).
            permissions: What the key may do, as the venue reports it.
            ip_bound: Whether the key is bound to an IP allow-list; False warns, None (not
                reported) says nothing.
            read_only: The key cannot trade; warns that live orders would be refused.
            unread: Why the key's rights could not be read, in the trader's words; shown
                instead of them (arming stays possible).
        """
        super().__init__()
        self.venue = venue
        self.account = account
        self.permissions = tuple(permissions)
        self.ip_bound = ip_bound
        self.read_only = read_only
        self.unread = unread
        self.phrase = arming_phrase(venue)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-live"):
            yield Static(Text("ARM LIVE TRADING · REAL MONEY"), id="title")
            yield Static(self._facts(), id="facts")
            yield Static(Text.assemble("Type ", (self.phrase, "bold"), " to arm:"), id="prompt")
            yield Input(placeholder=self.phrase, id="phrase")
            yield Static("Live orders stay refused until armed.", id="hint")
            with Horizontal(id="buttons"):
                yield Button("Stay unarmed", id="cancel")
                yield Button("Arm live trading", variant="error", id="arm", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#title", Static).styles.background = theme_colour(self.app, "live")
        self.query_one("#phrase", Input).focus()
        label_with_key(self, self.query_one("#cancel", Button), "arm_live.cancel")

    def _facts(self) -> Text:
        lines = [
            Text.assemble(("Venue        ", "bold"), self.venue),
            Text.assemble(("Account      ", "bold"), self.account),
            Text.assemble(("Key may      ", "bold"), self._rights()),
        ]
        warning = f"bold {theme_colour(self.app, 'stale')}"
        lines += [Text(f"Warning: {text}", style=warning) for text in self._warnings()]
        return Text("\n").join(lines)

    def _rights(self) -> str:
        if self.unread is not None:
            return f"could not be read: {self.unread}"
        return ", ".join(self.permissions) if self.permissions else "not reported"

    def _warnings(self) -> list[str]:
        risky = [
            p for p in self.permissions if any(word in p.lower() for word in _RISKY_PERMISSIONS)
        ]
        warnings = []
        if risky:
            warnings.append(f"this key can {', '.join(risky)}; a trading key does not need that.")
        if self.ip_bound is False:
            warnings.append("this key has no IP allow-list; bind it to your IP address.")
        if self.read_only:
            warnings.append("this key is read-only; the venue will refuse live orders.")
        return warnings

    @property
    def matches(self) -> bool:
        return self.query_one("#phrase", Input).value == self.phrase

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#arm", Button).disabled = not self.matches
        hint = self.query_one("#hint", Static)
        hint.set_class(False, "-mismatch")
        hint.update(
            "Matches: Enter arms live trading."
            if self.matches
            else "Live orders stay refused until armed."
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._try_arm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "arm":
            self._try_arm()
        else:
            self.action_cancel()

    def _try_arm(self) -> None:
        if self.matches:
            self.dismiss(True)
            return
        hint = self.query_one("#hint", Static)
        hint.set_class(True, "-mismatch")
        hint.update(f"That is not the phrase. Type exactly: {self.phrase}")
        self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(False)
