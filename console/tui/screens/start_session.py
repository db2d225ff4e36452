"""Start a new paper practice session with chosen balances, or resume one from the ledger.

The form dismisses with a :class:`~console.tui.forms.session_form.NewSession` or a
:class:`~console.tui.forms.session_form.ResumeSession`; opening the ledger and the paper
engine is the app's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from console.paper import SessionInfo
from console.tui.forms.amounts import plain_amount
from console.tui.forms.session_form import (
    NewSession,
    ResumeSession,
    SessionFormCheck,
    check_new_session,
)
from console.tui.screens.dialog import DialogScreen

SessionChoice = NewSession | ResumeSession
_AFTER_SUBMIT = frozenset({"name", "balances"})
"""Problems of omission: shown once the trader tries to start, not while they type."""


class StartSessionScreen(DialogScreen[SessionChoice | None]):
    """Pick a session to resume, or fill in a new one; escape leaves without either."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="start_session.cancel"),
        Binding(
            "ctrl+s", "start", "Start", id="start_session.start", tooltip="Start a new session"
        ),
    ]

    DEFAULT_CSS = """
    StartSessionScreen > #dialog {
        width: 76;
    }
    StartSessionScreen #title {
        text-style: bold;
        margin-bottom: 1;
    }
    StartSessionScreen #resume {
        height: auto;
        max-height: 8;
        margin-bottom: 1;
    }
    StartSessionScreen .row {
        height: auto;
    }
    StartSessionScreen .field-label {
        width: 12;
    }
    StartSessionScreen Input {
        width: 1fr;
    }
    StartSessionScreen #other-currency {
        width: 12;
        margin-right: 1;
    }
    StartSessionScreen .error {
        color: $text-error;
        height: auto;
    }
    StartSessionScreen .error.-empty {
        display: none;
    }
    """

    submit_attempted: reactive[bool] = reactive(False)
    """After the first start attempt, problems with empty fields show too."""

    def __init__(
        self,
        *,
        default_balances: Mapping[str, Decimal],
        default_leverage: Decimal,
        default_name: str,
        sessions: Sequence[SessionInfo] = (),
    ) -> None:
        """
        Args:
            default_balances: Pre-filled balances (``Settings.paper.starting_balances``).
            default_leverage: Pre-filled leverage (``Settings.paper.leverage``).
            default_name: Pre-filled session name (the app suggests one with the date).
            sessions: Sessions in the ledger that can be resumed, newest first.
        """
        super().__init__()
        self.default_balances = dict(default_balances)
        self.default_leverage = default_leverage
        self.default_name = default_name
        self.sessions = tuple(sessions)
        self.check = SessionFormCheck()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Paper practice session", id="title")
            if self.sessions:
                yield Label("Resume a session (enter), or start a new one below:")
                yield OptionList(
                    *(
                        Option(_describe(session), id=str(session.session_id))
                        for session in self.sessions
                    ),
                    id="resume",
                )
            with Horizontal(classes="row"):
                yield Label("Name", classes="field-label")
                yield Input(self.default_name, compact=True, id="name")
            for currency, amount in self.default_balances.items():
                with Horizontal(classes="row"):
                    yield Label(currency, classes="field-label")
                    yield Input(plain_amount(amount), compact=True, id=f"balance-{currency}")
            with Horizontal(classes="row"):
                yield Label("Other", classes="field-label")
                yield Input(placeholder="code", compact=True, id="other-currency")
                yield Input(placeholder="amount", compact=True, id="other-amount")
            with Horizontal(classes="row"):
                yield Label("Leverage", classes="field-label")
                yield Input(plain_amount(self.default_leverage), compact=True, id="leverage")
            yield Static(classes="error -empty", id="errors")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Start new session", variant="primary", id="start")

    def on_mount(self) -> None:
        (self.query_one("#resume") if self.sessions else self.query_one("#name", Input)).focus()
        self.revalidate()

    def _balances(self) -> dict[str, str]:
        typed = {
            currency: self.query_one(f"#balance-{currency}", Input).value
            for currency in self.default_balances
        }
        other = self.query_one("#other-currency", Input).value.strip()
        amount = self.query_one("#other-amount", Input).value
        if other or amount.strip():
            typed[other or "?"] = amount
        return typed

    def revalidate(self) -> None:
        self.check = check_new_session(
            self.query_one("#name", Input).value,
            self._balances(),
            self.query_one("#leverage", Input).value,
        )
        shown = [
            problem
            for field, problem in self.check.errors.items()
            if self.submit_attempted or field not in _AFTER_SUBMIT
        ]
        errors = self.query_one("#errors", Static)
        errors.update("\n".join(shown))
        errors.set_class(not shown, "-empty")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.revalidate()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(ResumeSession(session_id=int(event.option.id)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "start":
            self.action_start()
        else:
            self.action_cancel()

    def action_start(self) -> None:
        self.submit_attempted = True
        self.revalidate()
        if self.check.session is None:
            self.app.bell()
            return
        self.dismiss(self.check.session)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _describe(session: SessionInfo) -> str:
    balances = ", ".join(
        f"{plain_amount(amount)} {currency}"
        for currency, amount in session.starting_balances.items()
    )
    return (
        f"#{session.session_id} {session.name} · {session.fill_count} fills · "
        f"last active {session.last_active_at[:16].replace('T', ' ')} · started with {balances}"
    )
