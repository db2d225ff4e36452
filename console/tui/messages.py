"""Every message the console's workers and screens post up to the app, in one place.

Attributes go down, messages come up: a worker (start-up, the account poller, an order
send) or a screen reports what happened as one of these, and the app's handler decides what
the trader sees. Keeping them in one module lets any part of the interface post or handle a
message without importing the part that handles or posts it, which is what keeps
``console.tui`` free of import cycles. Messages that belong to one widget stay nested in
that widget, as Textual's own do (``CandleChart.TimeframeChanged``,
``OpenOrdersTable.CancelRequested``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from textual.message import Message

from console.domain import (
    ApiKeyInfo,
    Balance,
    Candle,
    Fill,
    Market,
    Order,
    OrderRequest,
    Position,
)

if TYPE_CHECKING:
    from console.exchange.chase_runner import ChaseOutcome

# -- start-up and the account poller ---------------------------------------------------


class MarketStreaming(Message):
    """The streamer is up and subscribed to the watchlist; the venue's markets still load."""


class MarketsLoaded(Message):
    """The services are up and the venue's markets are known."""

    def __init__(self, markets: Mapping[str, Market]) -> None:
        super().__init__()
        self.markets = dict(markets)


class StartFailed(Message):
    """The services could not start; ``reason`` is already in the trader's words.

    ``market_streaming``: the first phase came up, so the ladders stay live and only
    trading (the client, the paper engine, order entry) is missing.
    """

    def __init__(self, reason: str, *, market_streaming: bool = False) -> None:
        super().__init__()
        self.reason = reason
        self.market_streaming = market_streaming


class AccountPolled(Message):
    """A fresh read of balances and open orders (and, live, positions: None when not read)."""

    def __init__(
        self,
        balances: list[Balance],
        orders: list[Order],
        positions: list[Position] | None = None,
    ) -> None:
        super().__init__()
        self.balances = balances
        self.orders = orders
        self.positions = positions


class AccountStreamed(Message):
    """The private stream changed the account view: the whole view as it now stands, and
    the fills that are new since the last message (empty for the start-up rebuild, whose
    fills are history rather than news)."""

    def __init__(
        self,
        balances: list[Balance],
        orders: list[Order],
        positions: list[Position],
        fills: list[Fill],
        new_fills: list[Fill],
    ) -> None:
        super().__init__()
        self.balances = balances
        self.orders = orders
        self.positions = positions
        self.fills = fills
        """The latest fills of the view (for the fills list), oldest first."""
        self.new_fills = new_fills


class PaperFilled(Message):
    """The paper engine filled one of our orders (written to its ledger first)."""

    def __init__(self, fill: Fill) -> None:
        super().__init__()
        self.fill = fill


class AccountSourceChanged(Message):
    """The private stream went live (``streaming``) or down: REST polling stops or resumes."""

    def __init__(self, streaming: bool) -> None:
        super().__init__()
        self.streaming = streaming


class CandlesLoaded(Message):
    """History for one symbol and timeframe arrived."""

    def __init__(self, symbol: str, timeframe: str, candles: list[Candle]) -> None:
        super().__init__()
        self.symbol = symbol
        self.timeframe = timeframe
        self.candles = candles


class RequestFailed(Message):
    """A background request failed; ``reason`` is in the trader's words.

    ``halted_until`` is set when the venue banned us (HTTP 403), for the halt banner.
    """

    def __init__(self, reason: str, *, halted_until: datetime | None = None) -> None:
        super().__init__()
        self.reason = reason
        self.halted_until = halted_until


# -- the main screen -------------------------------------------------------------------


class SymbolRequested(Message):
    """Something on screen asked to show a symbol; the app fetches what it needs."""

    def __init__(self, symbol: str) -> None:
        super().__init__()
        self.symbol = symbol


class LaddersChanged(Message):
    """The main screen mounted ladders (a wider terminal fits more) or pointed them at
    other symbols: what trading writes in a ladder's header (the size preset, in the
    ladder's own market) must be written again."""


# -- trading: results of the workers the trading controller starts -----------------------


class OrderPlaced(Message):
    """The venue (or the paper engine) accepted an order."""

    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order


class OrderAmended(Message):
    """The venue (or the paper engine) moved an order to a new price or quantity."""

    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order


class LeverageSet(Message):
    """A symbol's leverage was set (``changed`` False: it already had that leverage)."""

    def __init__(self, symbol: str, leverage: Decimal, changed: bool) -> None:
        super().__init__()
        self.symbol = symbol
        self.leverage = leverage
        self.changed = changed


class PositionStopsSet(Message):
    """Take-profit / stop-loss were set on a position (``changed`` False: already so)."""

    def __init__(
        self,
        symbol: str,
        take_profit: Decimal | None,
        stop_loss: Decimal | None,
        changed: bool,
    ) -> None:
        super().__init__()
        self.symbol = symbol
        self.take_profit = take_profit
        self.stop_loss = stop_loss
        self.changed = changed


class OrderFailed(Message):
    """An order was refused or could not be sent; ``reason`` is in the trader's words."""

    def __init__(self, request: OrderRequest, reason: str) -> None:
        super().__init__()
        self.request = request
        self.reason = reason


class OrdersCancelled(Message):
    """Cancels finished: the orders as the venue reported them, and what failed."""

    def __init__(self, cancelled: list[Order], failures: list[str]) -> None:
        super().__init__()
        self.cancelled = cancelled
        self.failures = failures


class KillSwitchChanged(Message):
    """The kill switch was engaged (with the orders it cancelled) or released."""

    def __init__(self, engaged: bool, cancelled: list[Order] | None = None) -> None:
        super().__init__()
        self.engaged = engaged
        self.cancelled = cancelled or []


class ChaseChanged(Message):
    """A chase amended (or placed again) its order: the ladder's chase marks follow."""


class ChaseEnded(Message):
    """A chase ended (filled, cancelled, or stopped: why), with its order as last known."""

    def __init__(self, outcome: ChaseOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class KeyInfoRead(Message):
    """The key's account and rights came back (``key`` None: the venue does not report them),
    or could not be read (``problem``, in the trader's words): time to open the modal."""

    def __init__(self, key: ApiKeyInfo | None, problem: str | None = None) -> None:
        super().__init__()
        self.key = key
        self.problem = problem


class LiveArmed(Message):
    """The trader typed the arming phrase: live orders may be sent from now on."""


class SessionChanged(Message):
    """A practice session was started or resumed; balances and orders are now its own."""

    def __init__(self, session_id: int, name: str, resumed: bool) -> None:
        super().__init__()
        self.session_id = session_id
        self.name = name
        self.resumed = resumed


__all__ = [
    "AccountPolled",
    "AccountSourceChanged",
    "AccountStreamed",
    "CandlesLoaded",
    "ChaseChanged",
    "ChaseEnded",
    "KeyInfoRead",
    "KillSwitchChanged",
    "LeverageSet",
    "LiveArmed",
    "MarketStreaming",
    "MarketsLoaded",
    "OrderAmended",
    "OrderFailed",
    "OrderPlaced",
    "OrdersCancelled",
    "PaperFilled",
    "PositionStopsSet",
    "RequestFailed",
    "SessionChanged",
    "StartFailed",
    "SymbolRequested",
]
