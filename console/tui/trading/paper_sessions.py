"""Paper practice from the app: start or resume a session, its summary, and how each fill
was priced.

The engine is ``services.paper`` (None in live mode); the ledger is local SQLite, so these
reads are quick and happen on the event loop like the engine's own fills do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.tui.forms.session_form import NewSession, ResumeSession
from console.tui.messages import SessionChanged

if TYPE_CHECKING:
    from console.paper import PaperTradingExchange
    from console.tui.trading.host import TradingHost

PAPER_ONLY = "Practice sessions are part of paper mode (start with --mode paper)"


class PaperSessions:
    """Opens the session form, the summary and the fill explanations."""

    def __init__(self, app: TradingHost) -> None:
        self._app = app

    def _paper(self) -> PaperTradingExchange | None:
        services = self._app.services
        paper = None if services is None else services.paper
        if paper is None or paper.ledger is None:
            self._app.notify(PAPER_ONLY, severity="warning")
            return None
        return paper

    def start_or_resume(self) -> None:
        paper = self._paper()
        if paper is None or paper.ledger is None:
            return
        from console.tui.screens.start_session import StartSessionScreen

        settings = self._app.settings
        sessions = list(reversed(paper.ledger.list_sessions()))
        self._app.push_screen(
            StartSessionScreen(
                default_balances=settings.paper.starting_balances,
                default_leverage=settings.paper.leverage,
                default_name=f"practice {self._app.clock.now():%Y-%m-%d %H:%M}",
                sessions=sessions,
            ),
            callback=self._chosen,
        )

    def _chosen(self, choice: NewSession | ResumeSession | None) -> None:
        paper = self._paper()
        if paper is None or choice is None:
            return
        from console.paper import SessionNotFound

        if isinstance(choice, ResumeSession):
            try:
                info = paper.resume_session(choice.session_id)
            except SessionNotFound as error:
                self._app.notify(str(error), severity="error")
                return
            self._app.post_message(SessionChanged(info.session_id, info.name, resumed=True))
        else:
            info = paper.start_session(choice.name, choice.starting_balances, choice.leverage)
            self._app.post_message(SessionChanged(info.session_id, info.name, resumed=False))

    def show_summary(self) -> None:
        paper = self._paper()
        if paper is None or paper.ledger is None:
            return
        from console.paper import summarise
        from console.tui.screens.session_summary import SessionSummaryScreen

        summary = summarise(paper.ledger, paper.session_id)
        currency = next(iter(summary.session.starting_balances), "USDT")
        self._app.push_screen(SessionSummaryScreen(summary, currency=currency))

    def pick_fill(self) -> None:
        """The session's fills, newest first; the one picked is explained."""
        paper = self._paper()
        if paper is None:
            return
        fills = paper.fills()
        if not fills:
            self._app.notify("No paper fills in this session yet", severity="warning")
            return
        from console.tui.screens.fill_list import FillListScreen

        def picked(fill_id: str | None) -> None:
            if fill_id is not None:
                self.explain_fill(fill_id)

        self._app.push_screen(FillListScreen(fills), callback=picked)

    def explain_fill(self, fill_id: str) -> None:
        """How the fill ``fill_id`` was priced."""
        paper = self._paper()
        if paper is None:
            return
        explanation = paper.explanation(fill_id)
        if explanation is None:
            self._app.notify(f"No explanation is kept for fill {fill_id}", severity="warning")
            return
        from console.tui.screens.fill_explanation import FillExplanationScreen

        self._app.push_screen(FillExplanationScreen(explanation))

    def show_positions(self) -> None:
        """Paper positions and PnL into the main screen's positions panel."""
        services = self._app.services
        paper = None if services is None else services.paper
        screen = self._app.open_screen()
        if paper is not None and screen is not None:
            screen.show_positions(paper.venue_positions())
            screen.show_fills([paper_fill.fill for paper_fill in paper.fills()])


__all__ = ["PAPER_ONLY", "PaperSessions"]
