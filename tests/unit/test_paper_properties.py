"""Properties of the paper engine over arbitrary orders and market events (hypothesis).

For any sequence: balances equal the starting balances plus what the fills moved minus fees;
no order fills more than its size; every open order locks exactly what its remaining size
needs and nothing stays locked once orders end; the ledger replays to the same state; and a
restart (close, resume from the ledger file) anywhere in the sequence keeps all of it true.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain import (
    ManualClock,
    OrderRequest,
    OrderType,
    Side,
    TimeInForce,
)
from console.paper import Ledger, PaperOrderRejected, PaperTradingExchange

from support.scripted_market import LINEAR, MARKETS, SPOT, ScriptedMarket

D = Decimal
TICK = D("0.1")
STEP = D("0.001")
START = {"USDT": D(10_000), "BTC": D(2)}

symbols = st.sampled_from([SPOT.symbol, LINEAR.symbol])
sides = st.sampled_from([Side.BUY, Side.SELL])
ticks = st.integers(min_value=990, max_value=1010)
sizes = st.integers(min_value=1, max_value=3000)


@dataclass(frozen=True)
class Place:
    request: OrderRequest


@dataclass(frozen=True)
class Cancel:
    index: int


@dataclass(frozen=True)
class Print:
    symbol: str
    tick: int
    size: int
    taker: Side


@dataclass(frozen=True)
class Restart:
    """Close the engine and resume its session from the ledger file."""


@dataclass(frozen=True)
class NewBook:
    symbol: str
    mid: int
    bid_sizes: tuple[int, ...]
    ask_sizes: tuple[int, ...]


@st.composite
def requests(draw: st.DrawFn) -> OrderRequest:
    symbol = draw(symbols)
    is_limit = draw(st.booleans())
    tif = draw(st.sampled_from(list(TimeInForce))) if is_limit else TimeInForce.GTC
    return OrderRequest(
        symbol=symbol,
        side=draw(sides),
        type=OrderType.LIMIT if is_limit else OrderType.MARKET,
        quantity=draw(sizes) * STEP,
        price=draw(ticks) * TICK if is_limit else None,
        time_in_force=tif,
        reduce_only=symbol == LINEAR.symbol and draw(st.booleans()),
    )


events = st.one_of(
    requests().map(Place),
    requests().map(Place),
    st.integers(min_value=0, max_value=30).map(Cancel),
    st.just(Restart()),
    st.builds(Print, symbols, ticks, sizes, sides),
    st.builds(
        NewBook,
        symbols,
        st.integers(min_value=995, max_value=1005),
        st.lists(st.integers(0, 2000), min_size=0, max_size=4).map(tuple),
        st.lists(st.integers(0, 2000), min_size=0, max_size=4).map(tuple),
    ),
)


def set_book(market: ScriptedMarket, event: NewBook) -> None:
    market.set_book(
        event.symbol,
        bids=[((event.mid - 1 - i) * TICK, s * STEP) for i, s in enumerate(event.bid_sizes) if s],
        asks=[((event.mid + 1 + i) * TICK, s * STEP) for i, s in enumerate(event.ask_sizes) if s],
    )


def check_invariants(engine: PaperTradingExchange, mark: Decimal) -> None:
    fills = engine.fills()
    by_order: dict[str, Decimal] = {}
    spot_cash = dict(START)
    linear_pnl = D(0)
    for paper in fills:
        fill = paper.fill
        by_order[fill.order_id] = by_order.get(fill.order_id, D(0)) + fill.size
        sign = D(1) if fill.side is Side.BUY else D(-1)
        if fill.symbol == SPOT.symbol:
            spot_cash["BTC"] += sign * fill.size
            spot_cash["USDT"] -= sign * fill.price * fill.size + fill.fee
        else:
            linear_pnl += sign * fill.size * (mark - fill.price) - fill.fee
    for order_id, work in engine._orders.items():
        assert work.filled <= work.request.quantity
        assert work.filled == by_order.get(order_id, D(0))
    accounts = engine._accounts
    assert accounts.cash("BTC") == spot_cash["BTC"]
    unrealised = sum(
        (p.unrealised_pnl or D(0) for p in accounts.positions({LINEAR.symbol: mark})), D(0)
    )
    equity = accounts.cash("USDT") + unrealised
    assert equity == spot_cash["USDT"] + linear_pnl, "exact: positions keep cost, not an average"
    assert accounts.free("BTC") >= 0, "spot sells never sell BTC the account does not have"
    for work in engine._resting.get(SPOT.symbol, []) + engine._resting.get(LINEAR.symbol, []):
        expected = engine._lock_for(work.request, work.market, work.remaining)
        assert accounts.locked_by(work.order_id) == expected
    open_ids = {w.order_id for ws in engine._resting.values() for w in ws}
    assert set(accounts._locks) <= open_ids, "ended orders hold no lock"


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(events, min_size=8, max_size=40))
def test_any_sequence_keeps_the_books_balanced(sequence: list[object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.sqlite3"
        market = ScriptedMarket()
        for symbol in MARKETS:
            set_book(market, NewBook(symbol, 1000, (1000, 1000), (1000, 1000)))
        engine = PaperTradingExchange(
            MARKETS,
            market,
            Ledger(path, synchronous="NORMAL"),
            clock=ManualClock(),
            starting_balances=START,
        )
        placed: list[str] = []
        for step in sequence:
            if isinstance(step, Place):
                with contextlib.suppress(PaperOrderRejected):
                    placed.append(engine.place(step.request).order_id)
            elif isinstance(step, Cancel) and step.index < len(placed):
                work = engine._orders.get(placed[step.index])
                if work is not None and not work.status.is_final:
                    engine.cancel(work.order_id, work.request.symbol)
            elif isinstance(step, Restart):
                before = engine._accounts.balances()
                engine.close()
                engine = PaperTradingExchange(
                    MARKETS, market, Ledger(path, synchronous="NORMAL"), engine.session_id
                )
                assert engine._accounts.balances() == before
            elif isinstance(step, Print):
                trade = market.trade(step.symbol, step.tick * TICK, step.size * STEP, step.taker)
                engine.on_trades(step.symbol, [trade])
            elif isinstance(step, NewBook):
                set_book(market, step)
                engine.on_book_update(step.symbol)
            check_invariants(engine, D(100))

        hypothesis.event(f"fills: {min(len(engine.fills()), 10)}")
        balances = engine._accounts.balances()
        open_orders = sorted(o.order_id for ws in engine._resting.values() for o in ws)
        engine.close()
        ledger = Ledger(path)
        ledger.verify(engine.session_id)
        resumed = PaperTradingExchange(MARKETS, market, ledger, engine.session_id)
        assert resumed._accounts.balances() == balances
        assert sorted(o.order_id for ws in resumed._resting.values() for o in ws) == open_orders

        for ws in list(resumed._resting.values()):
            for work in list(ws):
                resumed.cancel(work.order_id, work.request.symbol)
        assert resumed._accounts.used("BTC") == 0
        margin = sum(
            (abs(p.cost) / 10 for p in resumed._accounts.positions() if p.symbol == LINEAR.symbol),
            D(0),
        )
        assert resumed._accounts.used("USDT") == margin, "only position margin stays in use"
        resumed.close()
