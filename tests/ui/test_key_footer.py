"""The main screen's footer skips recomposes that would rebuild the same keys, and shows
what Textual's own recompose would show after every change of the bindings."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from console.tui.key_footer import KeyFooter
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.watchlist import Watchlist

from support.fixed_scene import console_app


def _keys(footer: KeyFooter) -> list[tuple[object, ...]]:
    return [
        (key.key, key.key_display, key.description, key.action, key.has_class("-disabled"))
        for key in footer.query(FooterKey)
    ]


async def _settle(pilot: Pilot[int]) -> None:
    for _ in range(3):
        await pilot.pause()


async def _as_recomposed(pilot: Pilot[int], footer: KeyFooter) -> list[tuple[object, ...]]:
    """What Textual's own recompose shows now."""
    footer.call_later(Footer.recompose, footer)
    await _settle(pilot)
    return _keys(footer)


async def test_the_footer_shows_what_a_recompose_shows_and_rebuilds_only_on_change(
    tmp_path: Path,
) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(200, 50)) as pilot:
        await _settle(pilot)
        screen = app.main_screen
        footer = screen.query_one(KeyFooter)
        shown = _keys(footer)
        assert shown
        assert shown == await _as_recomposed(pilot, footer)
        keys_before = list(footer.query(FooterKey))

        screen.refresh_bindings()  # the same bindings again
        await _settle(pilot)
        assert list(footer.query(FooterKey)) == keys_before  # not rebuilt

        screen.set_focus(screen.query_one(CandleChart))  # its own key joins the footer
        await _settle(pilot)
        moved = _keys(footer)
        assert moved != shown
        assert list(footer.query(FooterKey)) != keys_before  # rebuilt
        assert moved == await _as_recomposed(pilot, footer)

        screen.set_focus(screen.query_one(Watchlist))
        await _settle(pilot)
        assert _keys(footer) == shown
