"""The positions the account holds, as the close key, flatten and ``sell 50% pos`` read them,
in paper and live mode alike.

Two readings, for two needs. :func:`known_positions` answers at once, for a key press or a
line being typed: the paper engine's positions, or in live mode the private stream's
account view while it is current (else the positions last read over REST, as the panel
shows them). :func:`venue_positions` asks the venue itself (live: a REST read), for flatten,
which must close what is really there. Only contracts have positions to close: spot
holdings are balances, and a reduce-only order does not apply to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from console.domain import Position

if TYPE_CHECKING:
    from console.tui.trading.host import TradingHost

NOT_CONNECTED = "Markets are still loading; try again in a moment"


def known_positions(app: TradingHost) -> list[Position] | str:
    """The open contract positions as last known, or why none can be known yet."""
    services = app.services
    if services is None or not app.markets:
        return NOT_CONNECTED
    if services.paper is not None:
        held: Iterable[Position] = services.paper.venue_positions()
    elif services.account_streaming and services.private_stream is not None:
        held = services.private_stream.view.open_positions()
    else:
        held = app.main_screen.held_positions
    return _open_contracts(app, held)


async def venue_positions(app: TradingHost) -> list[Position]:
    """The open contract positions as the venue reports them now (paper: the engine).

    Raises:
        ExchangeError: the venue could not be read (not connected: RuntimeError).
    """
    services = app.services
    if services is None:
        raise RuntimeError(NOT_CONNECTED)
    if services.paper is not None:
        return _open_contracts(app, services.paper.venue_positions())
    return _open_contracts(app, await services.client.fetch_positions())


def position_of(app: TradingHost, symbol: str) -> Position | str | None:
    """``symbol``'s open position as last known; None when flat, a sentence when unknown."""
    known = known_positions(app)
    if isinstance(known, str):
        return known
    return next((p for p in known if p.symbol == symbol), None)


def _open_contracts(app: TradingHost, positions: Iterable[Position]) -> list[Position]:
    markets = app.markets
    return [
        p
        for p in positions
        if not p.is_flat and (p.symbol not in markets or markets[p.symbol].is_contract)
    ]


__all__ = ["NOT_CONNECTED", "known_positions", "position_of", "venue_positions"]
