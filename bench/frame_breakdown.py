"""Where a frame's CPU goes, without a profiler's distortion: ``ui_latency.py``'s steady state
with ``time.thread_time`` wrappers around the functions named below, printed per paint.

cProfile charges every Python call, so it inflates small hot functions several times over
and hides what a frame really spends. A wrapper costs ~1 us a call; the figures are
inclusive (a wrapped function inside another counts in both).

Run: ``python bench/frame_breakdown.py [--seconds 20] [--speed 10] [--symbols 10]``
(every ``ui_latency.py`` option is accepted; ``--starts`` is forced to 0).
"""

from __future__ import annotations

import gc
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any

import ui_latency

WRAPPED = (
    # our paint
    ("console.tui.app", "ConsoleApp", "paint"),
    ("console.tui.market_store", "MarketStore", "book"),
    ("console.tui.screens.main", "MainScreen", "show_book"),
    ("console.tui.widgets.ladder", "OrderBookLadder", "_relayout"),
    ("console.tui.widgets.ladder_rows", None, "build_ladder"),
    ("console.tui.widgets.ladder", "OrderBookLadder", "_line_contents"),
    ("console.domain.ladder", "LadderSide", "update"),
    ("console.tui.screens.main", "MainScreen", "show_trades"),
    # Textual's update and what it draws
    ("textual.screen", "Screen", "_compositor_refresh"),
    ("console.tui.textual_compat.partial_update", None, "render_dirty_chops"),
    ("console.tui.widgets.ladder", "OrderBookLadder", "_framed_line"),
    ("console.tui.widgets.framed_lines", "FramedLines", "framed_crop"),
    # once-a-second work
    ("console.tui.widgets.keyed_table", "KeyedDataTable", "sync_rows"),
    ("console.tui.app", "ConsoleApp", "tick_clock"),
    ("console.tui.app", "ConsoleApp", "tick_activity"),
)


class Timed:
    """Inclusive CPU of one function on this thread, and its calls."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.thread_time

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += clock() - started
                self.calls += 1

        return timed


class TimedByClass:
    """Inclusive CPU of one method, per class of the object it runs on."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.by_class: dict[str, Timed] = {}

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.thread_time
        by_class = self.by_class

        def timed(widget: Any, *args: Any, **kwargs: Any) -> Any:
            started = clock()
            try:
                return function(widget, *args, **kwargs)
            finally:
                name = type(widget).__name__
                timer = by_class.get(name)
                if timer is None:
                    timer = by_class[name] = Timed(f"{name}.{self.name}")
                timer.seconds += clock() - started
                timer.calls += 1

        return timed


def install() -> list[Timed]:
    """Wrap every function in :data:`WRAPPED` that exists (a name not found is skipped)."""
    timers = []
    for module_name, class_name, function_name in WRAPPED:
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        function = owner.__dict__.get(function_name) if class_name else None
        if class_name is None:
            function = getattr(module, function_name, None)
        if function is None:
            print(f"  (not found: {module_name}.{class_name}.{function_name})")
            continue
        timer = Timed(f"{class_name + '.' if class_name else ''}{function_name}")
        setattr(owner, function_name, timer.wrap(function))
        if class_name is None:  # callers that imported the function by name
            for other in list(sys.modules.values()):
                if getattr(other, function_name, None) is function:
                    setattr(other, function_name, timer.wrap(function))
        timers.append(timer)
    from textual.widget import Widget

    from console.tui.widgets.panel_boundary import PanelBoundary

    by_class = TimedByClass("render_lines")
    PanelBoundary.render_lines = by_class.wrap(PanelBoundary.render_lines)  # type: ignore[method-assign]
    refresh = TimedByClass("refresh")
    Widget.refresh = refresh.wrap(Widget.refresh)  # type: ignore[method-assign]
    _BY_CLASS.extend((by_class, refresh))
    return timers


_BY_CLASS: list[TimedByClass] = []


class CollectorTime:
    """CPU of the garbage collector's runs, by generation (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.runs = [0, 0, 0]
        self._started = 0.0
        gc.callbacks.append(self._note)

    def reset(self) -> None:
        self.seconds, self.runs = [0.0, 0.0, 0.0], [0, 0, 0]

    def stop(self) -> None:
        gc.callbacks.remove(self._note)

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        else:
            self.seconds[info["generation"]] += time.thread_time() - self._started
            self.runs[info["generation"]] += 1


def main() -> None:
    timers = install()
    collector = CollectorTime()
    original = ui_latency.measure_app
    paints: dict[str, int] = {}

    async def measure_app(*args: Any, **kwargs: Any) -> dict[str, float]:
        # The wrappers count from the steady state's start: reset them as it begins.
        probe = args[2]
        original_painted = probe.painted

        def painted(symbol: str, lines: int) -> None:
            if probe.recording and not paints.get("started"):
                paints["started"] = 1
                for timer in timers:
                    timer.seconds, timer.calls = 0.0, 0
                for by_class in _BY_CLASS:
                    by_class.by_class.clear()
                collector.reset()
            original_painted(symbol, lines)

        probe.painted = painted
        figures = await original(*args, **kwargs)
        collector.stop()  # the baseline run that follows has no UI
        return figures

    ui_latency.measure_app = measure_app  # type: ignore[assignment]
    argv = [arg for arg in sys.argv[1:]]
    sys.argv = [sys.argv[0], *argv, "--starts", "0"]
    ui_latency.main()
    frames = next((t.calls for t in timers if t.name == "ConsoleApp.paint"), 1) or 1
    print(f"per paint ({frames:,} paints), inclusive CPU, wrappers ~1 us a call:")
    drawn = sorted(
        (timer for by_class in _BY_CLASS for timer in by_class.by_class.values()),
        key=lambda timer: -timer.seconds,
    )
    for timer in [*timers, *drawn]:
        print(
            f"  {timer.name:40} {timer.seconds / frames * 1000:7.3f} ms"
            f"  ({timer.calls / frames:5.2f} calls a paint)"
        )
    for generation in range(3):
        runs, seconds = collector.runs[generation], collector.seconds[generation]
        print(
            f"  garbage collection, generation {generation}:  {seconds / frames * 1000:7.3f} ms"
            f"  ({runs} runs, {seconds / max(1, runs) * 1000:.2f} ms each, anywhere in the"
            " app's steady state)"
        )


if __name__ == "__main__":
    main()
