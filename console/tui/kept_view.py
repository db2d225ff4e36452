"""The market view the trader arranged (watchlist, ladder groupings, timeframe), kept for the
next start in the UI state.

A value the console no longer knows (a timeframe or grouping step removed since) is dropped
rather than refused: what was noticed must never stop the console from starting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from console.tui.ui_state import UIState, load_ui_state, update_ui_state
from console.tui.widgets.candles import TIMEFRAMES
from console.tui.widgets.ladder_rows import GROUPING_MULTIPLES

Notify = Callable[[str], None]
"""Shows the trader a sentence (a save that failed)."""


class KeptView:
    """Reads the kept arrangement once and saves each change as the trader makes it."""

    def __init__(self, data_dir: Path | None, notify: Notify) -> None:
        """
        Args:
            data_dir: where the UI state lives; None keeps nothing (fixed-data screens).
            notify: shows a sentence when a change could not be saved.
        """
        self._data_dir = data_dir
        self._notify = notify
        state = load_ui_state(data_dir) if data_dir is not None else UIState()
        self._grouping = {
            symbol: multiple
            for symbol, multiple in state.grouping.items()
            if multiple in GROUPING_MULTIPLES
        }
        self.timeframe: str = state.timeframe if state.timeframe in TIMEFRAMES else TIMEFRAMES[0]
        """The timeframe the chart opens with."""

    def grouping(self, symbol: str) -> int:
        """Ticks per ladder line for ``symbol`` (1, every tick, unless the trader changed it)."""
        return self._grouping.get(symbol, 1)

    def grouping_changed(self, symbol: str, multiple: int) -> None:
        self._grouping[symbol] = multiple
        self._save(grouping=dict(self._grouping))

    def timeframe_changed(self, timeframe: str) -> None:
        self.timeframe = timeframe
        self._save(timeframe=timeframe)

    def watchlist_changed(self, symbols: Sequence[str]) -> None:
        self._save(watchlist=tuple(symbols))

    def _save(self, **changes: object) -> None:
        if self._data_dir is None:
            return
        problem = update_ui_state(self._data_dir, **changes)
        if problem:
            self._notify(problem)


def starting_watchlist(data_dir: Path, configured: Sequence[str], explicit: bool) -> list[str]:
    """The watchlist to start with: the one the settings named when they named one (a flag,
    the environment, ``.env`` or the settings file), else the one kept from the last run,
    else the default.

    Args:
        data_dir: where the UI state lives.
        configured: ``settings.symbols``.
        explicit: the settings named the symbols (not their default).
    """
    kept = load_ui_state(data_dir).watchlist
    return list(configured if explicit or not kept else kept)
