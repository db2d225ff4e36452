"""Every place the console works around Textual's internals: one package, a module per
workaround.

Written against Textual 8.2 (``pyproject.toml`` allows 8.x). Each workaround says what
Textual does, why it costs the console, and how to tell it is still needed; each has a test
in ``tests/ui/test_textual_compat.py`` that fails when an upgrade makes it unnecessary (or
breaks it), so it is removed rather than carried. The measurements behind them are in
``bench/RESULTS.md``.

Nothing here happens on import: :func:`apply_textual_compat` is called once at the start of
:class:`~console.tui.app.ConsoleApp` (before any screen exists), and the garbage collector's
settings are applied and undone by the app around its steady state.

1. **Screen-update rate** (:mod:`.screen_rate`, :func:`set_screen_update_rate`)
2. **Whole-strip divide** (:mod:`.strip_divide`, :func:`_divide`)
3. **Theme lookup** (:mod:`.themes`, :class:`CompatApp`)
4. (retired: DataTable render caches, now dropped by workaround 15's
   :meth:`KeptCellsTable.drop_outdated_renders`)
5. **Garbage collector** (:mod:`.collector`, :func:`settle_for_steady_state`)
6. **Framed lines** (:mod:`.framing`, :func:`line_frame`)
7. **Key names** (:mod:`.keys`, :func:`character_key`)
8. **Raw terminal output** (:mod:`.terminal`, :func:`write_to_terminal`)
9. **Partial updates** (:mod:`.partial_update`, :func:`render_dirty_chops`,
   :func:`chops_escapes`; the widget in front of each piece by :mod:`.layout_pieces`)
10. **Drawing at once** (:mod:`.draw_now`, :func:`draw_now`, :func:`prompts_held`)
11. **LRU cache clear** (:mod:`.lru_clear`, :func:`fix_lru_clear`)
12. **Styled once at start** (:mod:`.styled_once`, :class:`StyledOnceScreen`)
13. **Footer keys ready** (:mod:`.footer_ready`, :func:`mark_footer_ready`)
14. (retired: a plot drawn off its widget, for the plotext candle chart, which now draws its
    own lines: :mod:`console.tui.widgets.candle_drawing`)
15. **Table cells kept across updates** (:mod:`.kept_cells`, :class:`KeptCellsTable`)
16. (retired: lines drawn off the event loop, for the same chart)
"""

from __future__ import annotations

from console.tui.textual_compat.collector import YOUNG_GENERATION_THRESHOLD, settle_for_steady_state
from console.tui.textual_compat.draw_now import (
    HeldPrompt,
    draw_now,
    prompts_held,
    screen_draws_through_private_hops,
)
from console.tui.textual_compat.footer_ready import (
    footer_waits_on_private_ready_flag,
    mark_footer_ready,
)
from console.tui.textual_compat.framing import (
    STYLE_BY_STYLE_FILTERS,
    FramedStrip,
    LineFrame,
    frame_matches_textual,
    hover_links,
    line_frame,
)
from console.tui.textual_compat.kept_cells import KeptCellsTable, data_table_renders_per_update
from console.tui.textual_compat.keys import character_key, public_character_key_is_missing
from console.tui.textual_compat.layout_pieces import layout_is_replaced_not_edited, layout_pieces
from console.tui.textual_compat.lru_clear import fix_lru_clear, lru_clear_leaves_a_cycle
from console.tui.textual_compat.partial_update import (
    chops_are_keyed_by_cuts,
    chops_escapes,
    chops_update_moves_the_cursor_through_controls,
    draw_only_dirty_rows,
    partial_update_draws_whole_widgets,
    render_dirty_chops,
    rendered_start,
    row_runs,
)
from console.tui.textual_compat.screen_rate import (
    SCREEN_UPDATES_PER_SECOND,
    screen_update_period_is_fixed_at_import,
    set_screen_update_rate,
)
from console.tui.textual_compat.strip_divide import (
    divide_caches_the_strip_in_itself,
    fix_whole_strip_divide,
)
from console.tui.textual_compat.styled_once import (
    StyledOnceScreen,
    screen_styles_breakpoints_privately,
)
from console.tui.textual_compat.terminal import public_terminal_write_is_missing, write_to_terminal
from console.tui.textual_compat.themes import CompatApp, theme_lookup_copies_the_registry
from console.tui.textual_compat.widget_mixin import WidgetMixin


def apply_textual_compat() -> None:
    """The process-wide workarounds (1, 2, 9 and 11), applied at app start; idempotent."""
    set_screen_update_rate()
    fix_whole_strip_divide()
    draw_only_dirty_rows()
    fix_lru_clear()


__all__ = [
    "SCREEN_UPDATES_PER_SECOND",
    "STYLE_BY_STYLE_FILTERS",
    "YOUNG_GENERATION_THRESHOLD",
    "CompatApp",
    "FramedStrip",
    "HeldPrompt",
    "KeptCellsTable",
    "LineFrame",
    "StyledOnceScreen",
    "WidgetMixin",
    "character_key",
    "chops_are_keyed_by_cuts",
    "chops_escapes",
    "chops_update_moves_the_cursor_through_controls",
    "data_table_renders_per_update",
    "divide_caches_the_strip_in_itself",
    "draw_now",
    "draw_only_dirty_rows",
    "fix_lru_clear",
    "fix_whole_strip_divide",
    "footer_waits_on_private_ready_flag",
    "frame_matches_textual",
    "hover_links",
    "layout_is_replaced_not_edited",
    "layout_pieces",
    "line_frame",
    "lru_clear_leaves_a_cycle",
    "mark_footer_ready",
    "partial_update_draws_whole_widgets",
    "prompts_held",
    "public_character_key_is_missing",
    "public_terminal_write_is_missing",
    "render_dirty_chops",
    "rendered_start",
    "row_runs",
    "screen_draws_through_private_hops",
    "screen_styles_breakpoints_privately",
    "screen_update_period_is_fixed_at_import",
    "set_screen_update_rate",
    "settle_for_steady_state",
    "theme_lookup_copies_the_registry",
    "write_to_terminal",
]
