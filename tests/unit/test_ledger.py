"""The paper ledger on a real SQLite file: sessions, resume, replay checks, summaries, CSV."""

from __future__ import annotations

import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from console.config import PaperSettings, Settings
from console.domain import ManualClock, Market, OrderRequest, OrderStatus, OrderType, Side
from console.paper import (
    LEDGER_FILE,
    Ledger,
    LedgerIncompatible,
    LedgerInconsistent,
    PaperTradingExchange,
    SessionNotFound,
    open_paper_exchange,
    summarise,
    write_fills_csv,
)
from console.paper.ledger import SCHEMA_VERSION

from support.scripted_market import LINEAR, MARKETS, SPOT, ScriptedMarket

D = Decimal


@pytest.fixture
def market() -> ScriptedMarket:
    scripted = ScriptedMarket()
    for symbol in MARKETS:
        scripted.set_book(symbol, bids=[("99.9", "3")], asks=[("100", "5")])
    return scripted


def buy_limit(price: str, qty: str, symbol: str = SPOT.symbol) -> OrderRequest:
    return OrderRequest(
        symbol=symbol, side=Side.BUY, type=OrderType.LIMIT, quantity=D(qty), price=D(price)
    )


def market_order(side: Side, qty: str, symbol: str = LINEAR.symbol) -> OrderRequest:
    return OrderRequest(symbol=symbol, side=side, type=OrderType.MARKET, quantity=D(qty))


def test_ledger_uses_wal_and_the_chosen_durability(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite3", synchronous="NORMAL")
    assert ledger._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger._db.execute("PRAGMA synchronous").fetchone()[0] == 1
    full = Ledger(tmp_path / "f.sqlite3")
    assert full._db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_resume_restores_balances_locks_positions_and_resting_queue(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    path = tmp_path / "ledger.sqlite3"
    clock = ManualClock()
    first = PaperTradingExchange(
        MARKETS, market, Ledger(path), clock=clock, starting_balances={"USDT": D(10_000)}
    )
    resting = first.place(buy_limit("99.9", "2"))
    first.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "4", Side.SELL)])
    first.place(market_order(Side.BUY, "1"))
    balances_before = first._accounts.balances()
    positions_before = first._accounts.positions()
    first.close()

    again = PaperTradingExchange(MARKETS, market, Ledger(path), first.session_id, clock=clock)
    assert again._accounts.balances() == balances_before
    assert again._accounts.positions() == positions_before
    order = again._orders[resting.order_id].snapshot()
    assert (order.status, order.filled, order.average_price) == (
        OrderStatus.PARTIALLY_FILLED,
        D(1),
        D("99.9"),
    )
    assert again.queue_ahead(resting.order_id) == D(0)
    again.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "5", Side.SELL)])
    assert again._orders[resting.order_id].status is OrderStatus.FILLED
    assert again._accounts.used("USDT") == D("10"), "only the linear position's margin is left"
    assert [f.fill.fill_id for f in again.fills()] == ["P1-F1", "P1-F2", "P1-F3"]
    assert again.explanation("P1-F1") is not None
    assert again.ledger is not None
    again.ledger.verify(again.session_id)


def test_sessions_are_listed_and_unknown_ones_refused(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    path = tmp_path / "ledger.sqlite3"
    clock = ManualClock()
    PaperTradingExchange(MARKETS, market, Ledger(path), clock=clock, session_name="morning")
    clock.advance(60)
    PaperTradingExchange(
        MARKETS, market, Ledger(path), clock=clock, starting_balances={"USDC": D(5)}
    )
    ledger = Ledger(path)
    sessions = ledger.list_sessions()
    assert [(s.session_id, s.name) for s in sessions] == [
        (1, "morning"),
        (2, "practice 2026-01-02 03:05"),
    ]
    assert sessions[1].starting_balances == {"USDC": D(5)}
    assert ledger.latest_session_id() == 2
    with pytest.raises(SessionNotFound, match="no practice session 9"):
        ledger.session(9)
    with pytest.raises(SessionNotFound):
        PaperTradingExchange(MARKETS, market, ledger, 9)


def test_verify_catches_a_tampered_balance_and_a_missing_fill(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    path = tmp_path / "ledger.sqlite3"
    engine = PaperTradingExchange(MARKETS, market, Ledger(path), clock=ManualClock())
    engine.place(market_order(Side.BUY, "1", symbol=SPOT.symbol))
    ledger = Ledger(path)
    ledger.verify(1)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE balances SET amount = '9999' WHERE currency = 'USDT'")
    with pytest.raises(LedgerInconsistent, match="USDT balance is 9999 but its fills give"):
        ledger.verify(1)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM fills")
        db.execute("UPDATE balances SET amount = '10000' WHERE currency = 'USDT'")
        db.execute("UPDATE balances SET amount = '0' WHERE currency = 'BTC'")
    with pytest.raises(LedgerInconsistent, match="order P1-1 says filled 1 of 1 but its fills"):
        ledger.verify(1)


def test_summary_of_a_round_trip(tmp_path: Path, market: ScriptedMarket) -> None:
    engine = PaperTradingExchange(
        MARKETS, market, Ledger(tmp_path / "l.sqlite3"), clock=ManualClock()
    )
    engine.place(market_order(Side.BUY, "2"))  # 2 @ 100, fee 0.11
    market.set_book(LINEAR.symbol, bids=[("103", "1"), ("98", "5")], asks=[("104", "5")])
    engine.place(market_order(Side.SELL, "1"))  # +3, fee 0.05665
    engine.place(market_order(Side.SELL, "1"))  # -2, fee 0.0539
    engine.place(buy_limit("90", "1", symbol=LINEAR.symbol))
    assert engine.ledger is not None
    summary = summarise(engine.ledger, engine.session_id)
    assert summary.trade_count == 3
    assert summary.realised_pnl == D(1)
    assert summary.fees == D("0.11000") + D("0.05665") + D("0.05390")
    assert summary.net_pnl == D(1) - summary.fees
    assert summary.volume == D(200) + D(103) + D(98)
    assert summary.best_trade is not None
    assert summary.worst_trade is not None
    assert (summary.best_trade.price, summary.best_trade.net_pnl) == (D(103), D("2.94335"))
    assert (summary.worst_trade.price, summary.worst_trade.net_pnl) == (D(98), D("-2.05390"))
    assert summary.balances == {"USDT": D(10_000) + summary.net_pnl}
    assert summary.open_orders == 1
    assert summary.open_positions == ()


def test_summary_of_a_session_with_nothing_closed_has_no_best_trade(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    engine = PaperTradingExchange(MARKETS, market, Ledger(tmp_path / "l.sqlite3"))
    engine.place(market_order(Side.BUY, "1"))
    assert engine.ledger is not None
    summary = summarise(engine.ledger, engine.session_id)
    assert (summary.best_trade, summary.worst_trade, summary.trade_count) == (None, None, 1)
    (position,) = summary.open_positions
    assert (position.symbol, position.size, position.entry_price) == (LINEAR.symbol, D(1), D(100))


def test_csv_export_keeps_exact_decimals_and_the_explanation(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    market.set_book(SPOT.symbol, bids=[("99.9", "3")], asks=[("100", "0.5"), ("100.1", "5")])
    engine = PaperTradingExchange(MARKETS, market, None, clock=ManualClock())
    engine.place(market_order(Side.BUY, "0.75", symbol=SPOT.symbol))
    out = io.StringIO()
    assert write_fills_csv(engine.fills(), out) == 2
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("fill_id,order_id,timestamp,symbol,side,price,size,notional")
    assert lines[2] == (
        "P0-F2,P0-1,2026-01-02T03:04:05+00:00,BTC/USDT,buy,100.1,0.25,25.025,taker,0.001,"
        "0.025025,USDT,0,walk,0.5@100 0.25@100.1,,"
    )


async def test_markets_can_arrive_after_a_resume(tmp_path: Path, market: ScriptedMarket) -> None:
    """The composition root builds the engine before the client has loaded markets."""
    path = tmp_path / "l.sqlite3"
    first = PaperTradingExchange(MARKETS, market, Ledger(path), clock=ManualClock())
    resting = first.place(buy_limit("99", "1"))
    first.close()

    loads = 0

    async def load_markets() -> dict[str, Market]:
        nonlocal loads
        loads += 1
        return dict(MARKETS)

    again = PaperTradingExchange({}, market, Ledger(path), 1, market_loader=load_markets)
    assert again._accounts.used("USDT") == D("99.099"), "the lock is held before markets arrive"
    assert [o.order_id for o in await again.fetch_open_orders()] == [resting.order_id]
    assert loads == 1
    again.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "98", "1", Side.SELL)])
    assert (await again.fetch_order(resting.order_id, SPOT.symbol)).status is OrderStatus.FILLED
    assert loads == 1


def test_open_paper_exchange_resumes_the_latest_session(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    settings = Settings(data_dir=tmp_path, paper=PaperSettings(leverage=D(5)))
    first = open_paper_exchange(settings, MARKETS, market)
    first.place(market_order(Side.BUY, "1"))
    first.close()
    again = open_paper_exchange(settings, MARKETS, market)
    assert again.session_id == first.session_id
    assert again._accounts.used("USDT") == D(20), "1 at 100 with leverage 5"
    assert (tmp_path / LEDGER_FILE).exists()
    fresh = open_paper_exchange(settings, MARKETS, market, new_session=True)
    assert fresh.session_id == first.session_id + 1
    assert fresh._accounts.used("USDT") == D(0)


def test_a_step_the_ledger_refuses_is_forgotten_in_memory_too(
    tmp_path: Path, market: ScriptedMarket
) -> None:
    """A real SQLite failure (a trigger aborting fill inserts) stands in for a full disk."""
    path = tmp_path / "l.sqlite3"
    engine = PaperTradingExchange(MARKETS, market, Ledger(path), clock=ManualClock())
    resting = engine.place(buy_limit("99.9", "1"))
    balances = engine._accounts.balances()
    acknowledged: list[str] = []
    engine.add_fill_listener(lambda paper: acknowledged.append(paper.fill.fill_id))
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON fills"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99", "2", Side.SELL)])
    assert acknowledged == []
    assert engine._accounts.balances() == balances
    assert engine._orders[resting.order_id].snapshot().filled == 0
    with pytest.raises(sqlite3.IntegrityError):
        engine.place(market_order(Side.BUY, "1", symbol=SPOT.symbol))
    assert engine._accounts.balances() == balances
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER disk_full")
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99", "2", Side.SELL)])
    assert acknowledged == ["P1-F1"]
    assert engine.ledger is not None
    engine.ledger.verify(engine.session_id)


def test_one_engine_switches_between_sessions(tmp_path: Path, market: ScriptedMarket) -> None:
    """The client and the streamer hold the engine; switching sessions keeps the object."""
    engine = PaperTradingExchange(MARKETS, market, Ledger(tmp_path / "l.sqlite3"))
    first = engine.place(buy_limit("99", "1"))
    info = engine.start_session("fresh start", {"USDT": D(500)}, leverage=D(4))
    assert (info.session_id, info.name, engine.session_id) == (2, "fresh start", 2)
    assert engine._accounts.balances()[0].total == D(500)
    assert (info.leverage, engine._accounts.leverage) == (D(4), D(4))
    assert engine.queue_ahead(first.order_id) is None
    engine.place(buy_limit("99", "0.1"))
    back = engine.resume_session(1)
    assert back.session_id == 1
    assert [w.order_id for ws in engine._resting.values() for w in ws] == [first.order_id]
    assert engine._accounts.used("USDT") == D("99.099")
    with pytest.raises(SessionNotFound):
        engine.resume_session(5)
    assert engine.session_id == 1, "a refused switch leaves the current session in place"
    assert engine.resume_session(2).leverage == engine._accounts.leverage == D(4)
    with pytest.raises(ValueError, match="leverage"):
        engine.start_session("no margin", leverage=D(0))
    assert engine.session_id == 2, "a refused start leaves the current session in place"


def test_a_new_ledger_records_its_schema_version_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / LEDGER_FILE
    Ledger(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    Ledger(path).close()


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION + 1])
def test_a_ledger_of_another_schema_is_refused_and_left_untouched(
    tmp_path: Path, version: int
) -> None:
    """An unstamped file that is not a ledger (0), or one from a newer console."""
    path = tmp_path / LEDGER_FILE
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE positions (session_id INTEGER, entry_price TEXT)")
        db.execute(f"PRAGMA user_version={version}")
    before = path.read_bytes()
    with pytest.raises(LedgerIncompatible) as caught:
        Ledger(path)
    assert str(path) in str(caught.value)
    assert f"schema {version}" in str(caught.value)
    assert "Move it aside" in str(caught.value)
    assert path.read_bytes() == before
