"""Textual workaround 15 (:class:`~console.tui.textual_compat.KeptCellsTable`): a table that
renders again only the cells that changed and repaints only their rows draws exactly what
Textual's own DataTable draws.

The oracle is a stock DataTable fed the same rows, cursor moves, hovers, focus and theme
changes in an app of its own, and drawn from scratch (every cache dropped) before each
look; the kept table is drawn as the screen would draw it, from what it kept. Seeded random
scripts of a few hundred steps each.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from console.tui.textual_compat import KeptCellsTable
from console.tui.widgets.keyed_table import Cells, KeyedDataTable

from support.tables import drop_render_caches

COLUMNS = (("symbol", "Symbol"), ("last", "Last"), ("tpm", "T/min"))
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox")
STYLES = ("", "bold", "red", "italic green", "on blue")


class _Keyed(KeyedDataTable):
    COLUMNS = COLUMNS


@dataclass(frozen=True)
class Step:
    """One thing done to both tables."""

    kind: str
    rows: Mapping[str, Cells] | None = None
    where: tuple[int, int] = (0, 0)
    name: str = ""


def _cell(rng: random.Random) -> str | Text:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 9)))
    if rng.random() < 0.3:
        return digits
    return Text(digits, style=rng.choice(STYLES), justify=rng.choice(("left", "right")))


def _script(seed: int, steps: int) -> list[Step]:
    """A seeded run: mostly syncs that change a few cells (some rows come and go, values grow
    and shrink their columns), and between them cursor moves, hovers, focus and theme."""
    rng = random.Random(seed)
    rows: dict[str, Cells] = {}
    script: list[Step] = []
    next_key = 0
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.55 or not rows:
            rows = dict(rows)
            for _ in range(rng.randint(1, 6)):
                action = rng.random()
                if action < 0.15 or not rows:
                    rows[f"S{next_key}"] = (f"S{next_key}", _cell(rng), _cell(rng))
                    next_key += 1
                elif action < 0.25:
                    del rows[rng.choice(list(rows))]
                else:
                    key = rng.choice(list(rows))
                    cells = list(rows[key])
                    cells[rng.randint(1, 2)] = _cell(rng)
                    rows[key] = tuple(cells)
            script.append(Step("sync", rows=rows))
        elif roll < 0.7:
            script.append(Step("cursor", where=(rng.randint(0, 20), rng.randint(0, 2))))
        elif roll < 0.82:
            script.append(Step("hover", where=(rng.randint(0, 45), rng.randint(0, 13))))
        elif roll < 0.9:
            script.append(Step("focus", name=rng.choice(("table", "input"))))
        elif roll < 0.94:
            script.append(Step("theme", name=rng.choice(THEMES)))
        elif roll < 0.96:
            script.append(Step("zebra"))
        else:
            script.append(Step("width", where=(rng.randint(30, 50), 0)))
    return script


class _Host(App[None]):
    CSS = """
    #table { height: 12; width: 48; }
    """

    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table
        yield Input()


def _sync_stock(table: DataTable[Any], rows: Mapping[str, Cells]) -> None:
    """The same rows handed to a stock table through Textual's own calls: rows gone are
    removed, changed cells updated (their column measured again), new rows added."""
    for key in [key.value for key in table.rows if key.value not in rows]:
        assert key is not None
        table.remove_row(key)
    column_keys = [key for key, _ in COLUMNS]
    for key, cells in rows.items():
        if key in table.rows:
            for column, old, new in zip(column_keys, table.get_row(key), cells, strict=True):
                if old is not new:
                    table.update_cell(key, column, new, update_width=True)
        else:
            table.add_row(*cells, key=key)


Look = list[list[Segment]]


async def _run(
    script: list[Step], *, kept: bool, cursor_type: str, fixed_columns: int = 0
) -> list[Look]:
    """Play ``script`` on one table; what it draws after each step."""
    table: DataTable[Any]
    options: dict[str, Any] = {"cursor_type": cursor_type, "fixed_columns": fixed_columns}
    table = _Keyed(id="table", **options) if kept else DataTable(id="table", **options)
    app = _Host(table)
    looks: list[Look] = []
    async with app.run_test(size=(60, 16)) as pilot:
        if not kept:
            for key, label in COLUMNS:
                table.add_column(label, key=key)
        await pilot.pause()
        for step in script:
            await _play(step, table, pilot, kept=kept)
            await pilot.pause()
            if not kept:
                drop_render_caches(table)
            width, height = table.region.size
            looks.append([list(strip) for strip in table.render_lines(Region(0, 0, width, height))])
    return looks


async def _play(step: Step, table: DataTable[Any], pilot: Pilot[None], *, kept: bool) -> None:
    if step.kind == "sync":
        assert step.rows is not None
        if isinstance(table, KeyedDataTable):
            table.sync_rows(step.rows)
        else:
            _sync_stock(table, step.rows)
    elif step.kind == "cursor":
        row, column = step.where
        table.move_cursor(row=row, column=column)
    elif step.kind == "hover":
        await pilot.hover(table, offset=step.where)
    elif step.kind == "focus":
        (table if step.name == "table" else pilot.app.query_one(Input)).focus()
    elif step.kind == "theme":
        pilot.app.theme = step.name
    elif step.kind == "zebra":
        table.zebra_stripes = not table.zebra_stripes
    elif step.kind == "width":
        table.styles.width = step.where[0]


@pytest.mark.parametrize(
    ("seed", "cursor_type", "fixed_columns"), [(1, "row", 0), (2, "cell", 0), (3, "row", 1)]
)
async def test_a_kept_table_draws_what_textuals_table_draws(
    seed: int, cursor_type: str, fixed_columns: int
) -> None:
    script = _script(seed, 150)
    kept = await _run(script, kept=True, cursor_type=cursor_type, fixed_columns=fixed_columns)
    stock = await _run(script, kept=False, cursor_type=cursor_type, fixed_columns=fixed_columns)
    for index, (step, mine, theirs) in enumerate(zip(script, kept, stock, strict=True)):
        assert mine == theirs, f"step {index} ({step.kind}) draws differently"


class _Plain(KeptCellsTable[str | Text]):
    pass


async def test_a_cell_updated_with_the_same_changed_object_is_drawn_again() -> None:
    """A value is kept by identity; handing ``update_cell`` the same object, changed in
    place, still draws the change."""
    table = _Plain(id="table")
    app = _Host(table)
    async with app.run_test(size=(60, 16)) as pilot:
        table.add_column("Last", key="last", width=8)
        price = Text("100")
        table.add_row(price, key="BTC")
        await pilot.pause()
        price.plain = "200"
        table.update_cell("BTC", "last", price)
        await pilot.pause()
        width = table.region.width
        drawn = "".join(segment.text for segment in table.render_lines(Region(0, 1, width, 1))[0])
    assert "200" in drawn


async def test_an_update_repaints_only_its_row() -> None:
    """The lines of the other rows and the blank ones below are not drawn again."""
    table = _Plain(id="table")
    app = _Host(table)
    async with app.run_test(size=(60, 16)) as pilot:
        table.add_column("Last", key="last", width=8)
        for key in ("A", "B", "C"):
            table.add_row("1", key=key)
        await pilot.pause()
        drawn: list[int] = []
        render_line = table.render_line

        def counted(y: int) -> Any:
            drawn.append(y)
            return render_line(y)

        table.render_line = counted  # type: ignore[method-assign]
        table.update_cell("B", "last", "2")
        await pilot.pause()
    assert drawn == [2], "the header is line 0, row B line 2"


async def test_columns_trading_width_in_one_update_repaint_every_row() -> None:
    """One column grows as much as another shrinks: the table's width stays, yet every row
    moves its cells (measured on idle, after the update repainted the changed row)."""
    table = _Plain(id="table")
    app = _Host(table)
    async with app.run_test(size=(60, 16)) as pilot:
        table.add_column("A", key="a")
        table.add_column("B", key="b")
        table.add_row("1", "22222", key="one")
        table.add_row("1", "2", key="two")
        await pilot.pause()
        table.update_cell("one", "a", "11111", update_width=True)
        table.update_cell("one", "b", "2", update_width=True)
        await pilot.pause()
        width = table.region.width
        drawn = [
            "".join(s.text for s in line) for line in table.render_lines(Region(0, 0, width, 3))
        ]
    assert [line.rstrip() for line in drawn] == [" A      B", " 11111  2", " 1      2"]
