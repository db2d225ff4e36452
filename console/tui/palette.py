"""Command-palette providers: the venue's markets, the console's themes, and every action.

Each provider reads what the app already holds (markets loaded by a worker, themes loaded at
start-up, the binding list); none does I/O, so the palette answers as fast as you type. They
reach the app through :class:`PaletteHost`, so this module never imports the app that
lists it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.domain import Market, resolve_symbol
from console.tui.bindings import CONSOLE_BINDINGS, describe_keys


@runtime_checkable
class PaletteHost(Protocol):
    """What the providers read from the app, and what a picked entry calls."""

    @property
    def markets(self) -> Mapping[str, Market]: ...

    @property
    def watchlist_symbols(self) -> list[str]: ...

    @property
    def console_theme_names(self) -> list[str]: ...

    @property
    def keymap(self) -> Mapping[str, str]: ...

    def show_symbol(self, symbol: str) -> None: ...

    def apply_theme(self, name: str) -> None: ...

    def run_palette_action(self, action: str) -> None: ...


def _palette_host(provider: Provider) -> PaletteHost:
    app = provider.app
    if not isinstance(app, PaletteHost):
        raise TypeError("these palette providers need an app that is a PaletteHost")
    return app


class SymbolProvider(Provider):
    """Search the venue's markets by symbol, base or venue id; picking one shows it.

    A name that resolves (``resolve_symbol``) comes first: one market, or both when the
    venue's name is shared by its spot pair and its perpetual, each saying so.
    """

    async def search(self, query: str) -> Hits:
        app = _palette_host(self)
        matcher = self.matcher(query)
        named = resolve_symbol(query, app.markets)
        hits: list[tuple[float, str, str]] = []
        for symbol, market in app.markets.items():
            haystack = f"{symbol} {market.venue_id}"
            score = min(matcher.match(haystack), 0.99)
            kind = f"{market.type.value} · {market.venue_id}"
            if symbol in named.candidates:  # the venue's own name: first, and ask if two
                score = 1.0
                kind = (
                    f"{named.text.strip()} is spot and linear: {kind}" if named.ambiguous else kind
                )
            if score > 0:
                hits.append((score, symbol, kind))
        hits.sort(key=lambda hit: (-hit[0], hit[1]))
        for score, symbol, help_text in hits[:50]:
            yield Hit(
                score,
                matcher.highlight(symbol),
                partial(app.show_symbol, symbol),
                text=symbol,
                help=help_text,
            )

    async def discover(self) -> Hits:
        app = _palette_host(self)
        for symbol in app.watchlist_symbols:
            yield DiscoveryHit(symbol, partial(app.show_symbol, symbol), help="in your watchlist")


class ConsoleThemeProvider(Provider):
    """The console's themes (from theme files); picking one applies and remembers it."""

    def _themes(self) -> list[str]:
        return sorted(_palette_host(self).console_theme_names)

    async def search(self, query: str) -> Hits:
        app = _palette_host(self)
        matcher = self.matcher(query)
        for name in self._themes():
            title = f"Theme: {name}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.apply_theme, name))

    async def discover(self) -> Hits:
        app = _palette_host(self)
        for name in self._themes():
            yield DiscoveryHit(f"Theme: {name}", partial(app.apply_theme, name))


class ActionsProvider(Provider):
    """Every bound action by its description, with its key as the help text."""

    async def search(self, query: str) -> Hits:
        app = _palette_host(self)
        matcher = self.matcher(query)
        for binding in CONSOLE_BINDINGS:
            title = binding.tooltip or binding.description
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(app.run_palette_action, binding.action),
                    help=f"key: {describe_keys(binding, app.keymap)}",
                )

    async def discover(self) -> Hits:
        app = _palette_host(self)
        for binding in CONSOLE_BINDINGS:
            yield DiscoveryHit(
                binding.tooltip or binding.description,
                partial(app.run_palette_action, binding.action),
                help=f"key: {describe_keys(binding, app.keymap)}",
            )
