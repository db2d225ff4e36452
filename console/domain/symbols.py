"""What a trader types for a market, resolved to the unified symbol the console uses.

Traders know markets by the venue's own names (``BTCUSDT`` on Bybit, ``BTC-USDT-SWAP`` on
OKX) as often as by ccxt's unified ones (``BTC/USDT:USDT``). On Bybit the spot pair and the
linear perpetual share one name, so a venue name alone may mean two markets: the resolver
then answers with both, and the caller asks which one was meant instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.domain.enums import MarketType
from console.domain.market import Market

_SEPARATORS = re.compile(r"[\s/:_\-.]")


@dataclass(frozen=True, slots=True)
class SymbolMatch:
    """The markets a typed name may mean.

    Attributes:
        text: what was typed.
        candidates: unified symbols it names, spot before linear; empty when none.
    """

    text: str
    candidates: tuple[str, ...] = ()

    @property
    def symbol(self) -> str | None:
        """The one market meant, when the name is not ambiguous."""
        return self.candidates[0] if len(self.candidates) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def resolve_symbol(
    text: str, markets: Mapping[str, Market], *, prefer: MarketType | None = None
) -> SymbolMatch:
    """The market(s) ``text`` names: a unified symbol, or the venue's own name for it.

    In order: a unified symbol in any case (``btc/usdt:usdt``) names that market alone; else
    the venue's id (``BTCUSDT``, ``BTC-USDT-SWAP``) or base and quote written together
    (``BTCUSDT``, ``btc-usdt``), separators and case ignored, name every market they match.
    ``prefer`` settles a spot/linear tie when the caller knows which kind it wants.

    Args:
        text: what the trader typed.
        markets: the venue's loaded markets by unified symbol.
        prefer: the market type to pick when several match and one is of this type.
    """
    typed = text.strip()
    if not typed:
        return SymbolMatch(text)
    upper = typed.upper()
    exact = [symbol for symbol in markets if symbol.upper() == upper]
    if exact:
        return SymbolMatch(text, (exact[0],))
    compact = _compact(typed)
    found = sorted(
        (
            market
            for market in markets.values()
            if compact in (_compact(market.venue_id), _compact(market.base + market.quote))
        ),
        key=lambda market: (market.type is not MarketType.SPOT, market.symbol),
    )
    if prefer is not None and len(found) > 1:
        preferred = [market for market in found if market.type is prefer]
        if len(preferred) == 1:
            found = preferred
    return SymbolMatch(text, tuple(market.symbol for market in found))


@dataclass(frozen=True, slots=True)
class NamedWatchlist:
    """A watchlist as the settings named it, resolved against the venue's markets.

    Attributes:
        symbols: unified symbols in the order named, duplicates dropped; a name that matches
            no single market is kept as typed (the caller says the venue does not list it).
        notes: one sentence per name that meant two markets, saying which was taken.
    """

    symbols: tuple[str, ...]
    notes: tuple[str, ...] = ()


def resolve_watchlist(names: Sequence[str], markets: Mapping[str, Market]) -> NamedWatchlist:
    """Resolve the watchlist's names (``--symbols BTCUSDT``) to unified symbols.

    Unlike the symbol picker, start-up cannot ask; a venue name shared by a spot pair and a
    linear perpetual (every ``BTCUSDT`` on Bybit) means the perpetual, as the default
    watchlist does, and a note names both so the spot pair is one edit away. A name that is
    still ambiguous (no single perpetual among its markets) is kept as typed, unresolved, and
    the note names the candidates.
    """
    symbols: list[str] = []
    notes: list[str] = []
    for name in names:
        found = resolve_symbol(name, markets)
        chosen = found.symbol
        if found.ambiguous:
            chosen = resolve_symbol(name, markets, prefer=MarketType.LINEAR).symbol
            both = " and ".join(found.candidates)
            notes.append(
                f"{name} names {both}: watching {chosen} (name the other to watch it)"
                if chosen is not None
                else f"{name} names {both}: write the one you mean"
            )
        resolved = chosen or name
        if resolved not in symbols:
            symbols.append(resolved)
    return NamedWatchlist(tuple(symbols), tuple(notes))


def looks_unified(name: str) -> bool:
    """``BTC/USDT:USDT`` or ``BTC/USDT`` rather than a venue's own name: a stream can follow
    it before the markets are loaded."""
    return "/" in name


def _compact(name: str) -> str:
    return _SEPARATORS.sub("", name).upper()


__all__ = ["NamedWatchlist", "SymbolMatch", "looks_unified", "resolve_symbol", "resolve_watchlist"]
