"""Each workaround of Textual's internals: its premise still holds (the test fails when an
upgrade makes it unnecessary, so it is removed), and it does what it says."""

from __future__ import annotations

import gc
import inspect
import os
import subprocess
import sys
import weakref
from collections.abc import Iterator
from typing import ClassVar

import pytest
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen
from textual.strip import Strip
from textual.theme import Theme
from textual.widgets import DataTable, Footer, Label
from textual.widgets._footer import FooterKey

from console.tui.textual_compat import (
    SCREEN_UPDATES_PER_SECOND,
    CompatApp,
    KeptCellsTable,
    StyledOnceScreen,
    character_key,
    data_table_renders_per_update,
    fix_lru_clear,
    fix_whole_strip_divide,
    footer_waits_on_private_ready_flag,
    lru_clear_leaves_a_cycle,
    mark_footer_ready,
    public_character_key_is_missing,
    public_terminal_write_is_missing,
    screen_styles_breakpoints_privately,
    screen_update_period_is_fixed_at_import,
    theme_lookup_copies_the_registry,
    write_to_terminal,
)
from console.tui.textual_compat.strip_divide import _textual_divide
from console.tui.widgets.keyed_table import KeyedDataTable


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Only reference counting frees objects, so what is left over is cyclic garbage."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _cyclic_garbage_after_dividing_a_whole_strip() -> int:
    gc.collect()  # whatever the test machinery left since the fixture ran
    strip = Strip([Segment("bid "), Segment("100.5")])
    parts = strip.divide([strip.cell_length])
    assert parts == [strip]
    del strip, parts
    return gc.collect()


def test_textuals_own_divide_needs_the_fix(collector_off: None) -> None:
    """The premise: Textual leaves the divided strip referring to itself (if an upgrade
    stops doing so, ``fix_whole_strip_divide`` no longer installs anything)."""
    gc.collect()
    strip = Strip([Segment("ask "), Segment("100.6")])
    _textual_divide(strip, [strip.cell_length])
    del strip
    assert gc.collect() > 0


def test_a_divided_whole_strip_is_freed_without_the_cycle_collector(
    collector_off: None,
) -> None:
    fix_whole_strip_divide()
    fix_whole_strip_divide()  # idempotent: the app calls it once per instance
    assert _cyclic_garbage_after_dividing_a_whole_strip() == 0


def test_real_cuts_still_divide_the_strip() -> None:
    fix_whole_strip_divide()
    strip = Strip([Segment("price"), Segment(" size")])
    parts = strip.divide([3, 7, 10])
    assert [part.text for part in parts] == ["pri", "ce s", "ize"]
    assert [part.cell_length for part in parts] == [3, 4, 3]
    assert strip.divide([strip.cell_length]) == [strip]


# -- screen-update rate -------------------------------------------------------------------

_PRINT_RATE = (
    "import textual.constants as c, textual.screen as s; print(c.MAX_FPS, s.UPDATE_PERIOD)"
)


def _in_a_fresh_interpreter(code: str, **environ: str) -> str:
    """This test process has long imported Textual: ask a new one."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | environ
    result = subprocess.run(
        [sys.executable, "-c", f"{code}; {_PRINT_RATE}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.strip()


def test_textual_still_fixes_the_screen_rate_when_imported() -> None:
    assert screen_update_period_is_fixed_at_import()


def test_importing_the_interface_changes_nothing() -> None:
    assert _in_a_fresh_interpreter("import console.tui.app") == f"60 {1 / 60}"


def test_the_app_start_sets_the_screen_rate() -> None:
    code = "from console.tui.textual_compat import apply_textual_compat; apply_textual_compat()"
    rate = SCREEN_UPDATES_PER_SECOND
    assert _in_a_fresh_interpreter(code) == f"{rate} {1 / rate}"


def test_a_rate_the_user_chose_wins() -> None:
    code = "from console.tui.textual_compat import apply_textual_compat; apply_textual_compat()"
    assert _in_a_fresh_interpreter(code, TEXTUAL_FPS="30") == f"30 {1 / 30}"


# -- theme lookup -------------------------------------------------------------------------


def test_textuals_theme_lookup_still_copies_the_registry() -> None:
    assert theme_lookup_copies_the_registry(App())


def test_theme_lookups_are_remembered_until_the_registry_changes() -> None:
    app: CompatApp[None] = CompatApp()
    assert app.get_theme("textual-dark") is app.get_theme("textual-dark")
    assert app.get_theme("desk") is None
    app.register_theme(Theme(name="desk", primary="#004578"))
    desk = app.get_theme("desk")
    assert desk is not None
    assert desk.primary == "#004578"
    app.unregister_theme("desk")
    assert app.get_theme("desk") is None


# -- DataTable render caches --------------------------------------------------------------


class _OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable[str]()


class _OneKeptTable(App[None]):
    def compose(self) -> ComposeResult:
        yield KeptCellsTable[str]()


async def _cached_cells_after_updates(*, drop: bool) -> int:
    """Render a one-cell table after each of ten updates; what its cell cache holds. With
    ``drop``, the console's table, dropping its outdated renders after each update."""
    app = _OneKeptTable() if drop else _OneTable()
    async with app.run_test() as pilot:
        table = app.query_one(DataTable)
        table.add_column("price", key="price")
        table.add_row("0", key="row")
        for value in range(1, 11):
            table.update_cell("row", "price", str(value))
            if isinstance(table, KeptCellsTable):
                table.drop_outdated_renders()
            await pilot.pause()
        return len(table._cell_render_cache)


async def test_datatable_still_keeps_outdated_render_caches() -> None:
    assert await _cached_cells_after_updates(drop=False) >= 10


async def test_dropped_render_caches_hold_only_what_is_on_screen() -> None:
    assert await _cached_cells_after_updates(drop=True) <= 2


def test_textuals_table_renders_every_cell_again_after_an_update() -> None:
    """The premise of the kept cells (workaround 15), and the methods copied from Textual
    are still its own (the oracle in ``test_kept_cells.py`` checks the drawing)."""
    assert data_table_renders_per_update()


def test_textual_names_character_keys_only_privately() -> None:
    assert public_character_key_is_missing()


@pytest.mark.parametrize(("character", "key"), [("?", "question_mark"), (":", "colon"), ("n", "n")])
def test_a_character_is_named_as_textual_binds_it(character: str, key: str) -> None:
    assert character_key(character) == key
    assert key_to_character(key) == character  # Textual's public way back


def test_textual_writes_to_the_terminal_only_privately() -> None:
    assert public_terminal_write_is_missing()
    assert "self._driver.write" in inspect.getsource(App.bell), "the bell's way, which we follow"


async def test_a_headless_app_has_no_terminal_to_write_to() -> None:
    app: App[None] = App()
    async with app.run_test():
        assert write_to_terminal(app, "\x1b]9;hello\x07") is False


# -- a screen styled once at start --------------------------------------------------------


_THIN_OR_FAT: list[tuple[int, str]] = [(0, "-thin"), (90, "-fat")]


class _Sized(StyledOnceScreen[None]):
    HORIZONTAL_BREAKPOINTS = _THIN_OR_FAT

    def compose(self) -> ComposeResult:
        yield Label("hello")


class _Elsewhere(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("elsewhere")


class _SizedApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.restyled: list[str] = []

    def on_mount(self) -> None:
        self.install_screen(_Sized(), "sized")
        self.push_screen("sized")

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        if isinstance(node, _Sized):
            self.restyled.append(type(node).__name__)
        super().update_styles(node, animate)


def test_textual_styles_breakpoints_and_resumes_only_privately() -> None:
    """The premise: the size's class comes from a private rule, and a resume restyles every
    widget unless a handler before Textual's private one says otherwise."""
    assert screen_styles_breakpoints_privately()
    assert "event.refresh_styles" in inspect.getsource(Screen._on_screen_resume)


@pytest.mark.parametrize(("width", "expected"), [(80, "-thin"), (120, "-fat")])
async def test_a_screen_starts_with_its_class_and_restyles_only_on_later_resumes(
    width: int, expected: str
) -> None:
    app = _SizedApp()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, _Sized)
        assert {"-thin", "-fat"} & set(screen.classes) == {expected}
        assert app.restyled == []  # neither its class nor its first resume restyled it

        await app.switch_screen(_Elsewhere())
        await pilot.pause()
        await app.switch_screen("sized")
        await pilot.pause()
        assert app.restyled == ["_Sized"], "a later resume restyles as Textual's does"


# -- footer keys ready ---------------------------------------------------------------------


class _FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("x", "bell", "Ring")]

    def compose(self) -> ComposeResult:
        yield Footer()


def test_textuals_footer_waits_on_a_private_flag() -> None:
    assert footer_waits_on_private_ready_flag()


async def test_a_footer_marked_ready_composes_its_keys() -> None:
    app = _FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        footer._bindings_ready = False  # as Textual's footer starts
        footer.call_later(footer.recompose)
        await pilot.pause()
        assert not footer.query(FooterKey)

        mark_footer_ready(footer)
        footer.call_later(footer.recompose)
        await pilot.pause()
        assert "x" in [key.key for key in footer.query(FooterKey)]


# -- LRU cache clear ----------------------------------------------------------------------


class _Cell:
    """A cached value a weak reference can watch."""


def test_textuals_own_lru_clear_needs_the_fix() -> None:
    """The premise: Textual's ``clear`` leaves the entries in a cycle (if an upgrade unlinks
    them, ``fix_lru_clear`` no longer installs anything)."""
    assert lru_clear_leaves_a_cycle()


def test_the_lru_premise_leaves_nothing_for_the_collector(collector_off: None) -> None:
    """The probe runs at start-up with the collector paused: it unlinks its own ring instead
    of collecting (a young collection then would scan everything made since start)."""
    gc.collect()
    assert lru_clear_leaves_a_cycle()
    assert gc.collect() == 0


def test_a_cleared_lru_cache_frees_its_entries_without_the_cycle_collector(
    collector_off: None,
) -> None:
    fix_lru_clear()
    fix_lru_clear()  # idempotent: the app calls it once per instance
    cache: LRUCache[int, _Cell] = LRUCache(3)
    cells = [_Cell() for _ in range(5)]
    for key, cell in enumerate(cells):
        cache.set(key, cell)
    cache.get(3)
    watched = [weakref.ref(cell) for cell in cells]
    del cell, cells
    cache.clear()
    assert [ref() for ref in watched] == [None] * 5
    assert gc.collect() == 0


def test_a_cleared_lru_cache_still_caches_and_evicts() -> None:
    fix_lru_clear()
    cache: LRUCache[str, int] = LRUCache(2)
    cache.set("a", 1)
    cache.clear()
    assert len(cache) == 0
    assert cache.get("a") is None
    for key, value in (("a", 1), ("b", 2), ("c", 3)):
        cache.set(key, value)
    assert cache.get("a") is None, "the oldest went when the third came"
    assert (cache.get("b"), cache.get("c")) == (2, 3)
    cache.set("d", 4)
    assert cache.get("b") is None
    assert (cache.get("c"), cache.get("d")) == (3, 4)


async def test_a_keyed_table_updated_every_second_leaves_no_cycles_of_rendered_cells(
    collector_off: None,
) -> None:
    """Through the app's own table: after each update its rendered cells are dropped
    (``KeptCellsTable.drop_outdated_renders``); with the fix that frees them at once, not at
    the collector's next run."""
    fix_lru_clear()
    app = _OneKeyedTable()
    async with app.run_test() as pilot:
        table = app.query_one(_Prices)
        for value in range(30):
            table.sync_rows({"BTC": (f"{value}.5",)})
            await pilot.pause()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            gc.collect()
            rendered = [item for item in gc.garbage if type(item).__name__ == "RowRenderables"]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
    assert rendered == []


class _Prices(KeyedDataTable):
    COLUMNS = (("price", "Price"),)


class _OneKeyedTable(App[None]):
    def compose(self) -> ComposeResult:
        yield _Prices()
