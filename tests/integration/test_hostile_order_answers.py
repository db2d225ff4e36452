"""Issue 11 finding 3: an order answer that cannot be believed is an unknown outcome.

A hostile venue sits between the console and the simulator: a small aiohttp proxy on
loopback that forwards every request and rewrites what the venue says about orders. The
create answer is lost (the simulator executes the order and drops the connection) and every
order row the venue lists afterwards carries an out-of-range ``createdTime``. Before the
fix a raw ``ValueError``/``OSError`` from ``datetime`` escaped the error taxonomy and the UI
said "The order could not be sent" while the order rested on the venue.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from console.config import RiskSettings, load_settings
from console.domain import OrderRequest, OrderType, Side
from console.exchange import Credentials, ExchangeClient, ExchangeConnectionPool, VenueEndpoints
from console.exchange.errors import (
    ExchangeError,
    MalformedResponse,
    OrderNotSent,
    outcome_unknown,
)
from console.exchange.journal import JournalState, OrderJournal
from console.exchange.ratelimit import BybitRateLimiter
from console.exchange.reconcile import NotFoundPolicy, StillUnknown
from console.exchange.risk import RiskGate
from console.exchange.safe_orders import OrderNotPlaced, OrderSafety
from console.sim import SimServer
from console.sim.server import SIM_UID

LINEAR = "BTC/USDT:USDT"

Rewrite = Callable[[dict[str, Any]], None]


def rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = (answer.get("result") or {}).get("list") or []
    return listed


def far_future_created_time(answer: dict[str, Any]) -> None:
    for row in rows(answer):
        row["createdTime"] = str(10**17)
        row["updatedTime"] = str(10**17)


def crossed_ticker(answer: dict[str, Any]) -> None:
    for row in rows(answer):
        row["bid1Price"], row["ask1Price"] = row["ask1Price"], row["bid1Price"]


ORDER_ROWS: dict[str, Rewrite] = {
    "/v5/order/realtime": far_future_created_time,
    "/v5/order/history": far_future_created_time,
}


async def hostile_proxy(upstream: str, rewrites: dict[str, Rewrite]) -> tuple[web.AppRunner, str]:
    """Forward everything to ``upstream``; the answers of ``rewrites``' paths come back
    through them."""
    session = aiohttp.ClientSession()

    async def forward(request: web.Request) -> web.StreamResponse:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        async with session.request(
            request.method,
            upstream + request.path_qs,
            data=await request.read(),
            headers=headers,
        ) as answer:
            body = await answer.read()
            rewrite = rewrites.get(request.path)
            if rewrite is not None and answer.status == 200:
                parsed = json.loads(body)
                rewrite(parsed)
                body = json.dumps(parsed).encode()
            kept = {
                k: v
                for k, v in answer.headers.items()
                if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
            }
            return web.Response(status=answer.status, body=body, headers=kept)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)

    async def close_session(_: web.Application) -> None:
        await session.close()

    app.on_cleanup.append(close_session)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def hostile(sim: SimServer) -> AsyncIterator[str]:
    runner, url = await hostile_proxy(sim.base_url, ORDER_ROWS)
    try:
        yield url
    finally:
        await runner.cleanup()


def live_client(
    sim: SimServer, rest_url: str, tmp_path: Path, *, risk_gate: RiskGate | None = None
) -> tuple[ExchangeClient, OrderJournal, OrderSafety]:
    settings = load_settings(
        {"venue": "sim", "mode": "live", "data_dir": tmp_path}, environ={}, dotenv_path=None
    )
    limiter = BybitRateLimiter(venue="sim", endpoints={}, ip_limit=1_000_000)
    journal = OrderJournal.in_data_dir(tmp_path)
    safety = OrderSafety(
        "sim",
        journal,
        limiter=limiter,
        policy=NotFoundPolicy(interval=0.02, max_transient_failures=3),
    )
    client = ExchangeClient(
        settings,
        pool=ExchangeConnectionPool(observer=limiter.observe_response),
        limiter=limiter,
        endpoints=VenueEndpoints(rest_url=rest_url, ws_url=sim.ws_url),
        credentials=Credentials(api_key=sim.api_key, secret=sim.api_secret),
        live_venue_factory=safety.build,
        risk_gate=risk_gate,
    )
    return client, journal, safety


async def test_lost_create_answer_with_out_of_range_created_time_is_unknown_not_unsent(
    sim: SimServer, hostile: str, tmp_path: Path
) -> None:
    client, journal, safety = live_client(sim, hostile, tmp_path)
    try:
        assert (await safety.start(client)).clean
        market = await client.market(LINEAR)
        ticker = await client.fetch_ticker(LINEAR)
        assert ticker.bid is not None
        request = OrderRequest(
            symbol=LINEAR,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=max(market.min_qty, market.qty_step),
            price=market.round_price(ticker.bid * Decimal("0.9")),
        )
        sim.faults.drop_response()

        with pytest.raises(ExchangeError) as raised:
            await client.create_order(request)

        error = raised.value
        assert isinstance(error, StillUnknown)
        assert not isinstance(error, OrderNotPlaced)
        assert outcome_unknown(error)
        assert "implausible" in str(error)
        assert "could not be sent" not in str(error)
        [entry] = journal.entries("sim")
        assert entry.state is JournalState.UNKNOWN
        [resting] = list(sim.context.engine.account(SIM_UID).all_orders())
        assert resting.order_link_id == entry.client_order_id

        with pytest.raises(MalformedResponse, match="order creation time"):
            await client.fetch_open_orders(LINEAR)
    finally:
        await client.close()
        journal.close()


async def test_a_crossed_ticker_before_sending_means_not_sent_for_certain(
    sim: SimServer, tmp_path: Path
) -> None:
    runner, url = await hostile_proxy(sim.base_url, {"/v5/market/tickers": crossed_ticker})
    client, journal, safety = live_client(sim, url, tmp_path, risk_gate=RiskGate(RiskSettings()))
    try:
        assert (await safety.start(client)).clean
        market = await client.market(LINEAR)
        request = OrderRequest(
            symbol=LINEAR,
            side=Side.BUY,
            type=OrderType.LIMIT,
            quantity=max(market.min_qty, market.qty_step),
            price=Decimal(50000),
        )
        with pytest.raises(OrderNotSent, match="crossed") as raised:
            await client.create_order(request)
        assert not outcome_unknown(raised.value)
        assert journal.entries("sim") == []
        assert list(sim.context.engine.account(SIM_UID).all_orders()) == []
    finally:
        await client.close()
        journal.close()
        await runner.cleanup()


@pytest.mark.parametrize(
    ("error", "unknown"),
    [
        (MalformedResponse("unreadable"), True),
        (StillUnknown("could not ask"), True),
        (ExchangeError("unexpected"), True),
        (ValueError("year 3170843 is out of range"), True),
        (OSError("Value too large"), True),
        (OrderNotPlaced("absent"), False),
        (OrderNotSent("the ticker was unreadable"), False),
    ],
)
def test_only_a_settled_answer_says_not_placed(error: BaseException, unknown: bool) -> None:
    assert outcome_unknown(error) is unknown


def second_order_id_blank(answer: dict[str, Any]) -> None:
    rows(answer)[1]["orderId"] = ""


async def test_an_unreadable_child_of_a_batch_answer_is_settled_by_its_client_order_id(
    sim: SimServer, tmp_path: Path
) -> None:
    """Issue 14 (scale orders): a batch answer whose second item has neither an order id
    nor a refusal code leaves that child unknown, not refused: it is found by its client
    order id, and nothing is sent again."""
    rewrites: dict[str, Rewrite] = {"/v5/order/create-batch": second_order_id_blank}
    runner, url = await hostile_proxy(sim.base_url, rewrites)
    client, journal, safety = live_client(sim, url, tmp_path)
    try:
        assert (await safety.start(client)).clean
        market = await client.market(LINEAR)
        ticker = await client.fetch_ticker(LINEAR)
        assert ticker.bid is not None
        top = market.round_price(ticker.bid * Decimal("0.95"))
        requests = [
            OrderRequest(
                symbol=LINEAR,
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=max(market.min_qty, market.qty_step),
                price=top - market.tick_size * i,
            )
            for i in range(3)
        ]

        outcomes = await client.create_orders(requests)

        assert [type(outcome).__name__ for outcome in outcomes] == ["Order"] * 3
        assert sim.context.requests["/v5/order/create-batch"] == 1
        assert {e.state for e in journal.entries("sim")} == {JournalState.CONFIRMED}
        assert safety.venue is not None
        assert safety.venue.unanswered == 1, "only the unreadable child was looked up"
    finally:
        await client.close()
        await runner.cleanup()
        journal.close()
