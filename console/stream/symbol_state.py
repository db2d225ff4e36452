"""One symbol's live state: its book, its trade window and the tail of its tape.

Both venue adapters (native Bybit and ccxt.pro) write into this, and every read the
streamer offers is answered from it, so the two adapters share one set of read semantics.
Trades are kept as plain tuples and become :class:`Trade` models only when someone reads
them or a listener wants them: a validated model costs about 7 us, several times the cost
of ingesting the frame that carried it.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal

from console.domain import (
    DepthSnapshot,
    GapPolicy,
    OrderBook,
    Side,
    Trade,
    TradeRow,
    TradeStats,
    TradeWindow,
    ms_to_datetime,
)
from console.stream.book_watch import ThroughTouchWatch

TAPE_LENGTH = 500
"""Recent trades kept per symbol for the tape."""

TapeRow = TradeRow
"""(exchange ms, trade id, price, size, taker is buyer)"""


class SymbolState:
    """Book, window and tape of one symbol (ccxt unified name)."""

    __slots__ = ("book", "depth", "symbol", "tape", "through_touch", "window")

    def __init__(self, symbol: str, *, depth: int, gap_policy: GapPolicy) -> None:
        self.symbol = symbol
        self.depth = depth
        self.book = OrderBook(symbol, gap_policy=gap_policy)
        self.window = TradeWindow(symbol)
        self.tape: deque[TapeRow] = deque(maxlen=TAPE_LENGTH)
        self.through_touch = ThroughTouchWatch()

    def record_trade(
        self, timestamp_ms: int, trade_id: str, price: Decimal, size: Decimal, is_buy: bool
    ) -> TapeRow:
        row = (timestamp_ms, trade_id, price, size, is_buy)
        self.window.add(timestamp_ms, price, size, is_buy)
        self.tape.append(row)
        return row

    def forget_trades(self) -> None:
        """Start the window and the tape again: the venue's time went back (a replay was
        sought back), and prints it sends again must not be counted twice."""
        self.window = TradeWindow(self.symbol)
        self.tape.clear()

    def record_trades(self, rows: list[TapeRow]) -> None:
        """:meth:`record_trade` for checked rows that are already tape rows (one call per
        frame on the native feed's hot path)."""
        self.window.add_rows(rows)
        self.tape.extend(rows)

    def last_trade(self) -> TapeRow | None:
        return self.tape[-1] if self.tape else None

    def depth_snapshot(self, *, stale: bool) -> DepthSnapshot | None:
        return self.book.snapshot(self.depth, stale=stale)

    def trade_stats(self, now_ms: int | None) -> TradeStats:
        """The window's stats, its end moved to ``now_ms`` (latest exchange time) if later."""
        if now_ms is not None:
            self.window.advance(now_ms)
        return self.window.stats()

    def recent_trades(self, count: int) -> list[Trade]:
        """The last ``count`` trades, newest first."""
        rows = list(self.tape)[-count:] if count > 0 else []
        return [self.trade_model(row) for row in reversed(rows)]

    def trade_model(self, row: TapeRow) -> Trade:
        timestamp_ms, trade_id, price, size, is_buy = row
        return Trade(
            symbol=self.symbol,
            trade_id=trade_id,
            price=price,
            size=size,
            side=Side.BUY if is_buy else Side.SELL,
            timestamp=ms_to_datetime(timestamp_ms),
        )
