"""The main screen's panels as the trader arranges them: keys and palette commands to show,
hide and zoom each one, the bottom area's tabs, and the arrangement kept across runs.

:class:`PanelLayout` applies :func:`~console.tui.layout.plan_layout` to the screen's
containers on every resize, toggle and account poll (a plan equal to the last one changes
nothing), and saves the trader's choices in the UI state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget
from textual.widgets import TabbedContent

from console.tui.layout import PANELS, LayoutPlan, plan_layout
from console.tui.ui_state import LayoutChoice, load_ui_state, update_ui_state
from console.tui.widgets.keyed_table import catch_up_tables_in
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.rate_limits import RateLimitGauges

if TYPE_CHECKING:
    from textual.screen import Screen

PANEL_TITLES: dict[str, str] = {
    "tape": "tape",
    "activity": "trades per minute",
    "gauges": "rate-limit gauges",
    "candles": "candle chart",
    "watchlist": "watchlist",
    "bottom": "account tables",
}
PANEL_KEYS: dict[str, str] = {
    "tape": "T",
    "activity": "M",
    "gauges": "G",
    "candles": "K",
    "watchlist": "W",
    "bottom": "B",
}
"""Shift-letters, free on the main screen: the lower-case ones trade and navigate."""
PANEL_ROOTS: dict[str, str] = {
    "tape": "#tape",
    "activity": "#trades-per-minute",
    "gauges": "#gauges-panel",
    "candles": "#candles",
    "watchlist": "#left-column",
    "bottom": "#bottom",
}
"""The container of each panel on the main screen."""

WIDTH_BREAKPOINTS: list[tuple[int, str]] = [(0, "-narrow"), (100, "-medium"), (160, "-wide")]
"""Screen classes by width, for what CSS alone can shorten (the status bar's fixed labels)."""
BOTTOM_TABS: tuple[str, ...] = ("balances", "positions", "orders", "fills", "streams")
"""The bottom area's tabs in the order the cycle key walks them (those the mode has)."""
PAPER_TABS = frozenset({"positions", "fills"})
"""Tabs only a paper session has (positions and fills come from the paper engine)."""


def layout_bindings() -> tuple[Binding, ...]:
    """The main screen's layout keys, each with an id for ``ui.keymap``."""
    toggles = tuple(
        Binding(
            PANEL_KEYS[panel],
            f"toggle_panel('{panel}')",
            PANEL_TITLES[panel].capitalize(),
            id=f"main.toggle_{panel}",
            show=False,
            tooltip=f"Show or hide the {PANEL_TITLES[panel]}",
        )
        for panel in PANELS
    )
    return (
        *toggles,
        Binding(
            "a",
            "cycle_bottom_tab",
            "Tables",
            id="main.cycle_bottom_tab",
            show=False,
            tooltip="Next table in the bottom area (balances, positions, orders, fills, streams)",
        ),
        Binding(
            "z",
            "zoom",
            "Zoom",
            id="main.zoom",
            tooltip="Give the focused panel the whole screen, and back",
        ),
    )


class PanelLayout:
    """Applies :func:`plan_layout` to the main screen and remembers the trader's choices."""

    def __init__(self, screen: Screen[None], data_dir: Path | None) -> None:
        self._screen = screen
        self._data_dir = data_dir
        choice = load_ui_state(data_dir).layout if data_dir is not None else LayoutChoice()
        self.hidden: frozenset[str] = frozenset(choice.hidden) & frozenset(PANELS)
        """Panels the trader hid (kept across runs)."""
        self.initial_tab: str | None = choice.bottom_tab
        """The bottom tab last shown, for the first frame."""
        self.plan: LayoutPlan | None = None
        """The plan last applied."""
        self.bottom_rows = 0
        """Rows that matter in the bottom tables; set as the account is polled."""

    # -- the trader's choices ----------------------------------------------------------

    def toggle(self, panel: str) -> None:
        """Hide a shown panel; show a hidden one, or zoom it if there is no room for it."""
        if self._screen.maximized is not None:
            self._screen.minimize()  # the key acts on the layout the zoom was hiding
        if self.plan is not None and panel in self.plan.shown:
            self.hidden |= {panel}
        else:
            self.hidden -= {panel}
            self.apply()
            if self.plan is not None and panel not in self.plan.shown:
                # collapsed for lack of room: shown zoomed instead
                self._maximize(self._screen.query_one(PANEL_ROOTS[panel], Widget))
        self._remember()
        self.apply()

    def cycle_tab(self) -> str:
        """Show the bottom area's next tab (revealing the area if it was hidden)."""
        tabs = self._screen.query_one("#bottom", TabbedContent)
        names = [pane.id or "" for pane in tabs.query("TabPane")]
        current = names.index(tabs.active) if tabs.active in names else -1
        tabs.active = names[(current + 1) % len(names)]
        if "bottom" in self.hidden:
            self.hidden -= {"bottom"}
            self.apply()
        self._remember()
        return tabs.active

    def show_tab(self, tab: str) -> None:
        """Bring the bottom tab ``tab`` (``orders``...) to the front, e.g. before focusing it."""
        tabs = self._screen.query_one("#bottom", TabbedContent)
        if tabs.query(f"#{tab}"):
            tabs.active = tab
            if "bottom" in self.hidden:
                self.hidden -= {"bottom"}
                self.apply()

    def zoom(self) -> None:
        """The focused panel (or the main ladder) fills the screen; again to go back."""
        screen = self._screen
        if screen.maximized is not None:
            screen.minimize()
            return
        self._maximize(self._panel_of(screen.focused))

    def _maximize(self, panel: Widget) -> None:
        """Zoom ``panel``: shown, and free of the plan's sizes (:meth:`refit` puts them back)."""
        _display(panel, True)
        panel.styles.width = None
        panel.styles.height = None
        self._screen.maximized = panel

    def refit(self) -> None:
        """Apply the plan afresh (after a zoom ends: a zoomed panel was shown regardless)."""
        self.plan = None
        self.apply()

    def _panel_of(self, widget: Widget | None) -> Widget:
        roots = {selector.removeprefix("#") for selector in PANEL_ROOTS.values()}
        node: object = widget
        while isinstance(node, Widget):
            if isinstance(node, OrderBookLadder) or node.id in roots:
                return node
            node = node.parent
        return self._screen.query(OrderBookLadder).first()

    def _remember(self) -> None:
        if self._data_dir is None:
            return
        active = self._screen.query_one("#bottom", TabbedContent).active or None
        choice = LayoutChoice(
            hidden=tuple(p for p in PANELS if p in self.hidden), bottom_tab=active
        )
        problem = update_ui_state(self._data_dir, layout=choice)
        if problem:
            self._screen.notify(problem, severity="warning")

    # -- applying the plan -------------------------------------------------------------

    def apply(self, after: Callable[[], None] | None = None) -> LayoutPlan:
        """Fit the panels to the screen's current size (on resize, toggle and account poll)."""
        screen = self._screen
        banner = screen.query_one("#halt-banner", Widget)
        gauges = screen.query_one("#rate-limits", RateLimitGauges)
        plan = plan_layout(
            screen.size.width,
            screen.size.height,
            hidden=self.hidden,
            bottom_rows=self.bottom_rows,
            gauge_lines=gauges.line_counts,
            banner_lines=1 if banner.display and banner.has_class("-halted") else 0,
        )
        if screen.maximized is not None:
            self.plan = None  # a zoomed panel keeps the screen; the plan applies after the zoom
        elif plan != self.plan:
            self.plan = plan
            self._set(PANEL_ROOTS["watchlist"], plan.watchlist_width)
            self._set("#right-column", plan.side_width)
            self._show("tape", plan.tape)
            self._set(PANEL_ROOTS["activity"], plan.activity_height, height=True)
            self._set(PANEL_ROOTS["gauges"], plan.gauges_height, height=True)
            self._show("candles", plan.candles)
            self._set(PANEL_ROOTS["bottom"], plan.bottom_height, height=True)
            self._keep_focus_visible()
        if after is not None:
            screen.call_after_refresh(after)
        return plan

    def _show(self, panel: str, shown: bool) -> None:
        _display(self._screen.query_one(PANEL_ROOTS[panel], Widget), shown)

    def _set(self, selector: str, size: int, *, height: bool = False) -> None:
        widget = self._screen.query_one(selector, Widget)
        _display(widget, size > 0)
        if size > 0:
            if height:
                widget.styles.height = size
            else:
                widget.styles.width = size

    def _keep_focus_visible(self) -> None:
        """Focus in a panel that just collapsed moves to the main ladder."""
        focused = self._screen.focused
        node: object = focused
        while isinstance(node, Widget) and node is not self._screen:
            if not node.display:
                self._screen.query(OrderBookLadder).first().focus()
                return
            node = node.parent


def _display(panel: Widget, shown: bool) -> None:
    """Show or hide ``panel``; the tables in a panel shown again draw the rows they kept
    while it was hidden before its first frame."""
    was_shown = panel.display
    panel.display = shown
    if shown and not was_shown:
        catch_up_tables_in(panel)


class LayoutCommands(Provider):
    """The layout keys in the command palette: show or hide each panel, zoom, next table."""

    BINDINGS: ClassVar[tuple[Binding, ...]] = layout_bindings()

    def _entries(self) -> list[tuple[str, str, str]]:
        return [
            (binding.tooltip or binding.description, binding.action, binding.key)
            for binding in self.BINDINGS
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, action),
                    help=f"key: {key}",
                )

    async def discover(self) -> Hits:
        for title, action, key in self._entries():
            yield DiscoveryHit(title, partial(self._run, action), help=f"key: {key}")

    def _run(self, action: str) -> None:
        screen = self.screen
        self.app.call_later(screen.run_action, action)


__all__ = [
    "BOTTOM_TABS",
    "PANEL_KEYS",
    "PANEL_ROOTS",
    "PAPER_TABS",
    "WIDTH_BREAKPOINTS",
    "LayoutCommands",
    "PanelLayout",
    "layout_bindings",
]
