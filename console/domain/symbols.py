"""What a trader types for a market, resolved to the unified symbol the console uses.

Traders know markets by the venue's own names (``BTCUSDT`` on Bybit, ``BTC-USDT-SWAP`` on
OKX) as often as by ccxt's unified ones (``BTC/USDT:USDT``). On Bybit the spot pair and the
linear perpetual share one name, so a venue name alone may mean two markets: the resolver
then answers with both, and the caller asks which one was meant instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


def _compact(name: str) -> str:
    return _SEPARATORS.sub("", name).upper()


__all__ = ["SymbolMatch", "resolve_symbol"]
