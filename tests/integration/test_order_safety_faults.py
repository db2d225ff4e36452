"""Fault injection against the real order path: N intended orders while the simulator drops
answers after executing, delays them past the client's timeout, or resets connections
before executing, on at least 20 % of creates. Every intended order must end on the exchange
exactly once, and the journal must equal the exchange's truth.

N defaults to 120 so the suite stays fast; ``ORDER_SAFETY_ORDERS=1000`` runs the full
thousand (the figure reported for issue 4).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

from console.config import load_settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.journal import JournalState, OrderJournal
from console.exchange.order_ids import ClientOrderIds
from console.exchange.ratelimit import BybitRateLimiter
from console.exchange.reconcile import NotFoundPolicy
from console.exchange.safe_orders import OrderNotPlaced, OrderSafety
from console.exchange.venues import venue_preset
from console.sim import SimServer
from console.sim.server import SIM_UID

LINEAR = "BTC/USDT:USDT"
ORDERS = int(os.environ.get("ORDER_SAFETY_ORDERS", "120"))
WORKERS = max(60, ORDERS // 4)
CLIENT_TIMEOUT_MS = 600


async def test_every_intended_order_lands_exactly_once_under_faults(tmp_path: Path) -> None:
    async with SimServer(seed=11, rate_limits=False, ip_limit=1_000_000) as sim:
        settings = load_settings(
            {"venue": "sim", "mode": "live", "data_dir": tmp_path},
            environ={},
            dotenv_path=None,
        )
        limiter = BybitRateLimiter(venue="sim", endpoints={}, ip_limit=1_000_000)
        journal = OrderJournal.in_data_dir(tmp_path)
        safety = OrderSafety(
            "sim",
            journal,
            limiter=limiter,
            ids=ClientOrderIds(),
            policy=NotFoundPolicy(min_misses=3, min_span=5.0, interval=2.5),
        )
        pool = ExchangeConnectionPool(observer=limiter.observe_response)
        endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
        credentials = Credentials(api_key=sim.api_key, secret=sim.api_secret)
        client = ExchangeClient(
            settings,
            pool=pool,
            limiter=limiter,
            endpoints=endpoints,
            credentials=credentials,
            live_venue_factory=safety.build,
        )
        try:
            report = await safety.start(client)
            assert report.clean
            exchange = pool.get_connection(venue_preset(settings, endpoints), credentials)
            exchange.timeout = CLIENT_TIMEOUT_MS  # the sim's delayed answers must time out

            market = await client.market(LINEAR)
            ticker = await client.fetch_ticker(LINEAR)
            assert ticker.bid is not None
            top = market.round_price(ticker.bid * Decimal("0.9"))
            intents = [
                OrderRequest(
                    symbol=LINEAR,
                    side=Side.BUY,
                    type=OrderType.LIMIT,
                    quantity=max(market.min_qty, market.qty_step),
                    price=top - market.tick_size * i,
                )
                for i in range(ORDERS)
            ]

            sim.faults.drop_response(None, probability=0.2)
            sim.faults.delay(CLIENT_TIMEOUT_MS / 1000 * 2, None, probability=0.06)
            sim.faults.reset(None, probability=0.04)

            attempts: Counter[int] = Counter()
            not_placed = 0
            queue: asyncio.Queue[int] = asyncio.Queue()
            for index in range(ORDERS):
                queue.put_nowait(index)

            async def worker() -> None:
                nonlocal not_placed
                while not queue.empty():
                    index = queue.get_nowait()
                    while True:
                        attempts[index] += 1
                        try:
                            await client.create_order(intents[index])
                            break
                        except OrderNotPlaced:
                            not_placed += 1  # certainly absent: the trader places it anew

            await asyncio.gather(*(worker() for _ in range(WORKERS)))
            sim.faults.clear()

            truth = list(sim.context.engine.account(SIM_UID).all_orders())
            per_intent = Counter(
                round((top - order.price) / market.tick_size) for order in truth if order.price
            )
            assert len(truth) == ORDERS
            assert set(per_intent) == set(range(ORDERS))
            assert set(per_intent.values()) == {1}  # none lost, none duplicated

            entries = journal.entries("sim")
            assert [e for e in entries if e.state.unresolved] == []
            confirmed = {
                e.client_order_id: e.order_id for e in entries if e.state is JournalState.CONFIRMED
            }
            assert confirmed == {order.order_link_id: order.order_id for order in truth}
            absent = {e.client_order_id for e in entries if e.state is not JournalState.CONFIRMED}
            assert absent.isdisjoint(order.order_link_id for order in truth)
            assert len(absent) == not_placed

            assert safety.venue is not None
            unanswered = safety.venue.unanswered
            print(
                f"order safety: {ORDERS} intents, {len(entries)} creates sent, {unanswered} "
                f"unanswered ({unanswered / len(entries):.0%}) and settled by client id, "
                f"{not_placed} of them certainly absent and placed again; the exchange has "
                f"{len(truth)} orders, each intent once"
            )
            assert unanswered >= 0.2 * len(entries)
            assert sum(attempts.values()) == len(entries)
        finally:
            await client.close()
            await pool.close_all()
            journal.close()
