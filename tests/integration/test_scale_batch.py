"""A scale plan (issue 14 part 3) sent live to the simulator over real ccxt: Bybit's
create-batch at most 10 orders a request, each child journaled with its own client order id
and reported on its own (one refused by the venue), the risk gate's order rate counting the
plan once, a lost batch answer settled by client order id without a second send (and the
requests after it held back), and the
plan pulled through cancel-batch with each cancel reported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from console.config import RiskSettings, load_settings
from console.domain import Order, Side
from console.domain.scale import ScalePlan, ScaleSpec, plan_scale
from console.exchange import ExchangeClient
from console.exchange.errors import InsufficientFunds, OrderNotFound, OrderNotSent
from console.exchange.journal import JournalState, OrderJournal
from console.exchange.order_ids import ClientOrderIds
from console.exchange.risk import RiskGate
from console.exchange.safe_orders import OrderSafety
from console.sim import SimServer
from console.sim.server import SIM_UID

from support.live_client import sim_credentials, sim_endpoints

D = Decimal
LINEAR = "BTC/USDT:USDT"
LEVERAGE = 10
"""The simulator's default leverage: a resting linear order holds notional / 10."""


@dataclass
class Live:
    client: ExchangeClient
    journal: OrderJournal


@pytest.fixture
async def live(still: SimServer, tmp_path: Path) -> AsyncIterator[Live]:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    journal = OrderJournal.in_data_dir(tmp_path)
    safety = OrderSafety("sim", journal, ids=ClientOrderIds())
    client = ExchangeClient(
        settings,
        endpoints=sim_endpoints(still),
        credentials=sim_credentials(still),
        live_venue_factory=safety.build,
        risk_gate=RiskGate(RiskSettings()),  # at most 5 orders a second
    )
    assert (await safety.start(client)).clean
    yield Live(client, journal)
    await client.close()


async def twelve_buys(client: ExchangeClient) -> ScalePlan:
    spec = ScaleSpec(
        symbol=LINEAR,
        side=Side.BUY,
        total=D("0.12"),
        first_price=D(59_000),
        last_price=D(58_000),
        count=12,
    )
    return plan_scale(spec, await client.market(LINEAR))


def margin_for_all_but_the_last(plan: ScalePlan) -> Decimal:
    """A wallet that holds every child but the last: the venue refuses that one alone."""
    *first, last = plan.children
    return sum((c.notional for c in first), D(0)) / LEVERAGE + last.notional / LEVERAGE - 1


def requests(sim: SimServer, path: str) -> int:
    return sim.context.requests[path]


async def test_a_plan_goes_out_ten_a_request_and_a_refused_child_is_reported_alone(
    still: SimServer, live: Live
) -> None:
    plan = await twelve_buys(live.client)
    still.context.engine.account(SIM_UID).wallet["USDT"] = margin_for_all_but_the_last(plan)

    outcomes = await live.client.create_orders(plan.requests())

    *placed, refused = outcomes
    assert all(isinstance(o, Order) for o in placed), "the gate counted the plan once"
    assert isinstance(refused, InsufficientFunds)
    assert refused.code == 110007
    assert requests(still, "/v5/order/create-batch") == 2, "10 + 2, one send each"
    assert requests(still, "/v5/order/create") == 0
    resting = await live.client.fetch_open_orders(LINEAR)
    assert sorted(o.price for o in resting if o.price) == sorted(
        c.price for c in plan.children[:-1]
    )
    ids = [o.client_order_id for o in placed if isinstance(o, Order)]
    assert all(ids), "each child has a client order id"
    assert len(set(ids)) == 11, "each its own"
    states = [entry.state for entry in live.journal.entries()]
    assert sorted(states) == sorted([JournalState.CONFIRMED] * 11 + [JournalState.REJECTED])


async def test_a_lost_batch_answer_is_settled_by_client_order_id_without_a_resend(
    still: SimServer, live: Live
) -> None:
    plan = await twelve_buys(live.client)
    still.faults.drop_response(1, path="/v5/order/create-batch")

    outcomes = await live.client.create_orders(plan.requests())

    found, held = outcomes[:10], outcomes[10:]
    assert all(isinstance(o, Order) for o in found), "the first ten were found by their ids"
    assert all(isinstance(o, OrderNotSent) for o in held), "nothing more after an unknown"
    assert requests(still, "/v5/order/create-batch") == 1, "the lost one was not sent again"
    assert len(await live.client.fetch_open_orders(LINEAR)) == 10
    states = [e.state for e in live.journal.entries()]
    assert sorted(states) == sorted([JournalState.CONFIRMED] * 10 + [JournalState.REJECTED] * 2)


async def test_the_plan_is_pulled_through_cancel_batch_each_cancel_reported(
    still: SimServer, live: Live
) -> None:
    plan = await twelve_buys(live.client)
    placed = [o for o in await live.client.create_orders(plan.requests()) if isinstance(o, Order)]
    gone = placed[0]
    await live.client.cancel_order(gone.order_id, LINEAR)  # cancelled elsewhere first

    outcomes = await live.client.cancel_orders(LINEAR, [o.order_id for o in placed])

    first, *rest = outcomes
    assert isinstance(first, OrderNotFound)
    assert first.code == 110001
    assert rest == [None] * 11
    assert requests(still, "/v5/order/cancel-batch") == 2
    assert requests(still, "/v5/order/cancel") == 1
    assert await live.client.fetch_open_orders(LINEAR) == []
