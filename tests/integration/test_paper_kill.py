"""kill -9 a paper-trading process at seeded random points; nothing it acknowledged is lost.

The worker (this file run as a script) trades on a scripted market as fast as it can and
prints ``FILL <id>`` for every fill and ``ORDER <id> <filled>`` for every order only after the
engine returned, i.e. after the ledger commit: those lines are its acknowledgements. The test
kills it with SIGKILL after a random number of lines, checks the ledger replays consistently
and holds every acknowledged fill and order, then resumes the same session and kills again.

In ``group`` mode the engine commits in groups (one commit per event-loop turn) and the
worker runs several clients at once through the async venue surface, so a kill often lands
between a step being staged and its group's commit: what was staged but not yet
acknowledged may be lost, what was acknowledged may not.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROUNDS = 8
CLIENTS = 6
"""Concurrent trading clients of a ``group`` worker."""
TESTS = Path(__file__).resolve().parents[1]


def worker(path: Path, session: int | None, seed: int, mode: str) -> None:
    """Trade forever on a scripted market; print acknowledgements as they happen."""
    # The worker is a bare subprocess: give it the paths pytest gives the tests.
    sys.path[:0] = [str(TESTS)]
    from console.domain import Order, OrderRequest, OrderType, Side, TimeInForce
    from console.paper import Ledger, PaperOrderRejected, PaperTradingExchange

    from support.scripted_market import LINEAR, MARKETS, SPOT, ScriptedMarket

    rng = random.Random(seed)
    market = ScriptedMarket()
    tick, step = Decimal("0.1"), Decimal("0.001")

    def new_book(symbol: str) -> None:
        mid = rng.randint(995, 1005)
        market.set_book(
            symbol,
            bids=[((mid - 1 - i) * tick, rng.randint(1, 2000) * step) for i in range(3)],
            asks=[((mid + 1 + i) * tick, rng.randint(1, 2000) * step) for i in range(3)],
        )

    for symbol in MARKETS:
        new_book(symbol)
    group = mode == "group"
    engine = PaperTradingExchange(
        MARKETS,
        market,
        Ledger(path),
        session,
        starting_balances={"USDT": Decimal(1_000_000), "BTC": Decimal(100)},
        group_commit=group,
    )
    engine.add_fill_listener(lambda paper: print(f"FILL {paper.fill.fill_id}", flush=True))
    print(f"SESSION {engine.session_id}", flush=True)

    async def place(request: OrderRequest) -> Order:
        return await engine.create_order(request) if group else engine.place(request)

    async def cancel(order_id: str, symbol: str) -> Order:
        if group:
            return await engine.cancel_order(order_id, symbol)
        return engine.cancel(order_id, symbol)

    async def trade(rng: random.Random) -> None:
        await asyncio.sleep(0)
        while True:
            await one_action(rng)

    async def one_action(rng: random.Random) -> None:
        symbol = rng.choice([SPOT.symbol, LINEAR.symbol])
        roll = rng.random()
        if roll < 0.45:
            is_limit = rng.random() < 0.7
            request = OrderRequest(
                symbol=symbol,
                side=rng.choice([Side.BUY, Side.SELL]),
                type=OrderType.LIMIT if is_limit else OrderType.MARKET,
                quantity=rng.randint(50, 3000) * step,
                price=rng.randint(990, 1010) * tick if is_limit else None,
                time_in_force=rng.choice([TimeInForce.GTC, TimeInForce.IOC])
                if is_limit
                else TimeInForce.GTC,
            )
            with contextlib.suppress(PaperOrderRejected):
                order = await place(request)
                print(f"ORDER {order.order_id} {order.filled}", flush=True)
        elif roll < 0.55:
            resting = [o for orders in engine._resting.values() for o in orders]
            if resting:
                victim = rng.choice(resting)
                order = await cancel(victim.order_id, victim.request.symbol)
                print(f"ORDER {order.order_id} {order.filled}", flush=True)
        elif roll < 0.85:
            price = rng.randint(990, 1010) * tick
            size = rng.randint(1, 3000) * step
            taker = rng.choice([Side.BUY, Side.SELL])
            engine.on_trades(symbol, [market.trade(symbol, price, size, taker)])
        else:
            new_book(symbol)
            engine.on_book_update(symbol)

    async def clients() -> None:
        count = CLIENTS if group else 1
        seeds = [rng.randrange(10**6) for _ in range(count - 1)]
        await asyncio.gather(trade(rng), *(trade(random.Random(seed)) for seed in seeds))

    asyncio.run(clients())


@pytest.mark.parametrize("mode", ["step", "group"])
def test_killed_worker_loses_nothing_it_acknowledged(tmp_path: Path, mode: str) -> None:
    from console.paper import Ledger

    path = tmp_path / "ledger.sqlite3"
    rng = random.Random(20261125)
    session: int | None = None
    acknowledged_fills: set[str] = set()
    acknowledged_orders: dict[str, Decimal] = {}
    for round_ in range(ROUNDS):
        seed = str(rng.randrange(10**6))
        args = [sys.executable, __file__, str(path), str(session or 0), seed, mode]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert process.stdout is not None
        kill_after = rng.randint(30, 600)
        for lines, line in enumerate(process.stdout, start=1):
            kind, *rest = line.split()
            if kind == "SESSION":
                session = int(rest[0])
            elif kind == "FILL":
                acknowledged_fills.add(rest[0])
            elif kind == "ORDER":
                acknowledged_orders[rest[0]] = Decimal(rest[1])
            if lines >= kill_after:
                os.kill(process.pid, signal.SIGKILL)
                break
        process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL, f"round {round_}: worker died on its own"
        assert session is not None

        ledger = Ledger(path)
        ledger.verify(session)
        stored = {paper.fill.fill_id for paper in ledger.fills(session)}
        assert acknowledged_fills <= stored, f"lost fills {sorted(acknowledged_fills - stored)}"
        orders = {order.order_id: order for order in ledger.orders(session)}
        for order_id, filled in acknowledged_orders.items():
            assert order_id in orders, f"lost order {order_id}"
            assert orders[order_id].filled >= filled
        ledger.close()
    assert len(acknowledged_fills) > 50, "the workers traded enough to make the test meaningful"


if __name__ == "__main__":
    given_session = int(sys.argv[2])
    worker(Path(sys.argv[1]), given_session or None, int(sys.argv[3]), sys.argv[4])
