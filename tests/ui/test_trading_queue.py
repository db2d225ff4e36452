"""A resting paper limit fills only when public trades have eaten through the queue ahead
of it, and its fill explanation says so (Pilot, the console's own simulator, real sockets).

The simulator's market runs slowly here, so the prints that reach the order are the ones
this test makes: market sells sent to the simulator over signed REST, which it prints on
its public trade stream like any other taker.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path

import aiohttp
from textual.widgets import Static

from console.config import SimSettings, UISettings
from console.domain import OrderStatus
from console.paper import PaperTradingExchange
from console.sim import SimServer
from console.sim.auth import sign
from console.tui.app import ConsoleApp
from console.tui.screens.fill_explanation import FillExplanationScreen
from console.tui.screens.fill_list import FillListScreen
from console.tui.widgets.fills_table import FillsTable
from console.tui.widgets.positions import PositionsTable

from support.console import SIZE, SYMBOL, trading_settings
from support.notices import Notices
from support.waiting import wait_until


async def market_sell(sim: SimServer, quantity: Decimal) -> dict[str, object]:
    """A taker sell on the simulator, signed with its keys, as another trader would send."""
    body = json.dumps(
        {
            "category": "linear",
            "symbol": "BTCUSDT",
            "side": "Sell",
            "orderType": "Market",
            "qty": f"{quantity:f}",
        },
        separators=(",", ":"),
    )
    stamp, window = str(int(time.time() * 1000)), "5000"
    headers = {
        "X-BAPI-API-KEY": sim.api_key,
        "X-BAPI-TIMESTAMP": stamp,
        "X-BAPI-RECV-WINDOW": window,
        "X-BAPI-SIGN": sign(sim.api_secret, stamp, sim.api_key, window, body),
        "Content-Type": "application/json",
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sim.base_url}/v5/order/create", data=body, headers=headers) as response,
    ):
        answer: dict[str, object] = await response.json()
    return answer


async def test_resting_limit_fills_after_the_queue_and_explains_it(tmp_path: Path) -> None:
    app = ConsoleApp(
        trading_settings(
            tmp_path, ui=UISettings(confirm_paper_orders=False), sim=SimSettings(speed=0.02)
        )
    )
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await wait_until(
            lambda: bool(app.markets) and app.market_store.book(SYMBOL) is not None, pilot=pilot
        )
        assert app.services is not None
        paper = app.services.paper
        sim = app.services.sim
        assert isinstance(paper, PaperTradingExchange)
        assert sim is not None
        market = app.markets[SYMBOL]

        await pilot.press("l", "j")  # join the best bid
        await wait_until(lambda: paper.fetch_open_orders(SYMBOL), pilot=pilot)
        (order,) = await paper.fetch_open_orders(SYMBOL)
        order_id = order.order_id
        ahead = paper.queue_ahead(order_id)
        assert ahead is not None
        assert ahead > 0, "joining the bid puts the order behind the size already there"
        assert order.status is OrderStatus.OPEN
        assert paper.fills() == [], "no fill before any trade reached the order's price"

        step = market.qty_step
        first = ahead - step
        answer = await market_sell(sim, first)
        assert answer.get("retCode") == 0, answer
        await wait_until(lambda: (paper.queue_ahead(order_id) or ahead) < ahead, pilot=pilot)
        left = paper.queue_ahead(order_id)
        assert left is not None
        assert 0 < left <= step, "the print at our price ate most of the queue ahead"
        # The engine takes a pushed batch of prints in one call: the queue moved, so a fill
        # from the same prints would already be booked.
        assert paper.fills() == [], "a queue not yet eaten through fills nothing"

        answer = await market_sell(sim, order.quantity + step)
        assert answer.get("retCode") == 0, answer
        await wait_until(lambda: bool(paper.fills()), pilot=pilot)
        explanation = paper.fills()[-1].explanation
        assert explanation.order_id == order_id
        assert explanation.trigger in {"queue", "trade_through"}
        assert explanation.queue_ahead_at_placement == ahead
        assert explanation.queue_ahead_before_fill is not None
        assert explanation.queue_ahead_before_fill <= left

        table = app.main_screen.query_one(PositionsTable)
        await wait_until(lambda: SYMBOL in table.current_rows, pilot=pilot)
        fills = app.main_screen.query_one(FillsTable)
        await wait_until(lambda: explanation.fill_id in fills.current_rows, pilot=pilot)
        assert any(f"order {order_id}" in n for n in notices.messages), "a paper fill is news"
        entry, liquidation = app.main_screen.ladders[0].position_marks
        assert entry == explanation.price, "the entry is marked on the ladder"
        assert liquidation is not None
        assert liquidation < entry, "a long's liquidation price is below its entry"

        await pilot.press("f")
        await wait_until(lambda: isinstance(app.screen, FillListScreen), pilot=pilot)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, FillExplanationScreen), pilot=pilot)
        why = str(app.screen.query_one("#why", Static).render())
        details = str(app.screen.query_one("#details", Static).render())
        assert "rested" in why
        assert "Queue ahead" in details
        assert f"order {order_id}" in details
