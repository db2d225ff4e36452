"""What the trading helpers need from the console, as two small protocols.

The helpers (:mod:`.order_flow`, :mod:`.ladder_keys`, :mod:`.kill_switch`,
:mod:`.live_arming`, :mod:`.paper_sessions`) read the services, the settings and the
markets, open screens, start workers and post their results; and they read the ladders and
write a few panels of the main screen. They depend on these protocols rather than on
``ConsoleApp`` and ``MainScreen``, so they can be read (and tested) without the whole app,
and the app can import them without an import cycle. ``ConsoleApp`` and ``MainScreen``
satisfy them structurally.
"""

from __future__ import annotations

from collections.abc import Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultCallbackType

from console.config import Settings
from console.domain import Clock, Fill, Market, Position

if TYPE_CHECKING:
    from console.services import Services
    from console.tui.market_store import MarketStore
    from console.tui.widgets.ladder import OrderBookLadder

ScreenResult = TypeVar("ScreenResult")


class TradingView(Protocol):
    """The part of the main screen trading reads (ladders, the selected symbol) and writes
    (the status bar's kill-switch and armed marks, the positions)."""

    @property
    def is_active(self) -> bool:
        """True while no dialog (form, confirmation, help) is up over the screen."""

    @property
    def selected_symbol(self) -> str: ...

    @property
    def ladders(self) -> list[OrderBookLadder]: ...

    def focused_ladder(self) -> OrderBookLadder: ...

    def show_kill_switch(self, engaged: bool) -> None: ...

    def show_armed(self, armed: bool) -> None: ...

    def show_positions(self, positions: Sequence[Position]) -> None: ...

    def position(self, symbol: str) -> Position | None:
        """The open position of ``symbol`` as shown (None when flat or unknown)."""

    @property
    def held_positions(self) -> tuple[Position, ...]:
        """The open positions the positions panel shows, re-marked at the mid as books move."""

    def show_fills(self, fills: Sequence[Fill]) -> None: ...


class TradingHost(Protocol):
    """The part of the app trading uses: what it knows, and how work and results travel."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def keymap(self) -> Mapping[str, str]:
        """Binding id -> keys, after the trader's remapping."""

    @property
    def markets(self) -> Mapping[str, Market]: ...

    @property
    def market_store(self) -> MarketStore: ...

    @property
    def services(self) -> Services | None:
        """None until start-up has brought the exchange client and the risk gate up."""

    @property
    def screen(self) -> Screen[object]: ...

    @property
    def main_screen(self) -> TradingView: ...

    def open_screen(self) -> TradingView | None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> None: ...

    def bell(self) -> None: ...

    def post_message(self, message: Message) -> bool: ...

    def push_screen(
        self,
        screen: Screen[ScreenResult],
        callback: ScreenResultCallbackType[ScreenResult] | None = None,
    ) -> object: ...

    def run_worker(
        self,
        work: Coroutine[Any, Any, None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
    ) -> object: ...


__all__ = ["TradingHost", "TradingView"]
