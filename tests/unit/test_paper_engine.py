"""Scripted-book tests of the paper engine: every order type and rule, exact fills and fees."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from console.domain import (
    Liquidity,
    ManualClock,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from console.paper import (
    FeeSchedule,
    Ledger,
    PaperOrderNotFound,
    PaperOrderRejected,
    PaperTradingExchange,
)

from support.scripted_market import LINEAR, MARKETS, SPOT, ScriptedMarket

D = Decimal


@pytest.fixture
def market() -> ScriptedMarket:
    scripted = ScriptedMarket()
    scripted.set_book(
        SPOT.symbol,
        bids=[("99.9", "3"), ("99.8", "2")],
        asks=[("100", "1"), ("100.5", "2"), ("101", "5")],
    )
    scripted.set_book(
        LINEAR.symbol,
        bids=[("99.9", "3"), ("99.8", "2")],
        asks=[("100", "1"), ("100.5", "2"), ("101", "5")],
    )
    return scripted


@pytest.fixture
def engine(tmp_path: Path, market: ScriptedMarket) -> PaperTradingExchange:
    return PaperTradingExchange(
        MARKETS,
        market,
        Ledger(tmp_path / "ledger.sqlite3"),
        clock=ManualClock(),
        starting_balances={"USDT": D(10_000), "BTC": D(5)},
    )


def limit(
    side: Side,
    price: str,
    qty: str,
    *,
    symbol: str = SPOT.symbol,
    tif: TimeInForce = TimeInForce.GTC,
    reduce_only: bool = False,
) -> OrderRequest:
    return OrderRequest(
        symbol=symbol,
        side=side,
        type=OrderType.LIMIT,
        quantity=D(qty),
        price=D(price),
        time_in_force=tif,
        reduce_only=reduce_only,
    )


def market_order(
    side: Side, qty: str, *, symbol: str = SPOT.symbol, reduce_only: bool = False
) -> OrderRequest:
    return OrderRequest(
        symbol=symbol, side=side, type=OrderType.MARKET, quantity=D(qty), reduce_only=reduce_only
    )


def cash(engine: PaperTradingExchange) -> dict[str, tuple[Decimal, Decimal]]:
    """currency -> (total, used)."""
    return {b.currency: (b.total, b.used) for b in engine._accounts.balances()}


# ----- market orders --------------------------------------------------------------------


def test_market_buy_walks_the_book_level_by_level(engine: PaperTradingExchange) -> None:
    order = engine.place(market_order(Side.BUY, "2.5"))
    fills = engine.fills()
    assert [(f.fill.price, f.fill.size, f.fill.fee) for f in fills] == [
        (D("100"), D("1"), D("0.100")),
        (D("100.5"), D("1.5"), D("0.15075")),
    ]
    assert all(f.fill.liquidity is Liquidity.TAKER for f in fills)
    assert order.status is OrderStatus.FILLED
    assert order.average_price == D("100.3")
    assert cash(engine) == {"BTC": (D("7.5"), D(0)), "USDT": (D("9748.99925"), D(0))}
    why = engine.explanation(fills[1].fill.fill_id)
    assert why is not None
    assert why.trigger == "walk"
    assert [(level.price, level.size, level.displayed) for level in why.levels] == [
        (D("100"), D("1"), D("1")),
        (D("100.5"), D("1.5"), D("2")),
    ]
    assert (why.fee_rate, why.fee) == (D("0.001"), D("0.15075"))


def test_market_order_larger_than_the_book_reports_what_was_missing(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    market.set_book(SPOT.symbol, bids=[("99.9", "3")], asks=[("100", "1"), ("100.5", "2")])
    order = engine.place(market_order(Side.BUY, "5"))
    assert order.status is OrderStatus.CANCELED
    assert order.filled == D("3")
    assert order.reason == "market order: the book had 3 of 5; 2 not filled"
    assert sum(f.fill.size for f in engine.fills()) == D("3")


def test_market_sell_walks_the_bids(engine: PaperTradingExchange) -> None:
    order = engine.place(market_order(Side.SELL, "4"))
    assert [(f.fill.price, f.fill.size) for f in engine.fills()] == [
        (D("99.9"), D("3")),
        (D("99.8"), D("1")),
    ]
    # 299.7 + 99.8 = 399.5 proceeds, fee 0.3995
    assert cash(engine)["USDT"] == (D("10399.1005"), D(0))
    assert cash(engine)["BTC"] == (D("1"), D(0))
    assert order.status is OrderStatus.FILLED


def test_second_market_order_does_not_take_the_same_displayed_size(
    engine: PaperTradingExchange,
) -> None:
    engine.place(market_order(Side.BUY, "1"))
    engine.place(market_order(Side.BUY, "1"))
    assert [(f.fill.price, f.fill.size) for f in engine.fills()] == [
        (D("100"), D("1")),
        (D("100.5"), D("1")),
    ]
    why = engine.fills()[1].explanation
    assert why.levels[0].available == D("2")


# ----- limit orders -------------------------------------------------------------------


def test_crossing_limit_takes_up_to_its_price_then_rests(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "100.5", "4"))
    assert [(f.fill.price, f.fill.size, f.fill.liquidity) for f in engine.fills()] == [
        (D("100"), D("1"), Liquidity.TAKER),
        (D("100.5"), D("2"), Liquidity.TAKER),
    ]
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert order.remaining == D("1")
    assert engine.queue_ahead(order.order_id) == D(0)
    # the resting 1 @ 100.5 locks 100.5 x 1 x 1.001
    assert cash(engine)["USDT"] == (D("10000") - D("301.301"), D("100.6005"))


def test_resting_limit_waits_for_trades_through_its_queue(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1"))
    assert order.status is OrderStatus.OPEN
    assert engine.queue_ahead(order.order_id) == D("3")
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "2", Side.SELL)])
    assert engine.fills() == []
    assert engine.queue_ahead(order.order_id) == D("1")
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "1.5", Side.SELL)])
    (first,) = engine.fills()
    assert (first.fill.price, first.fill.size, first.fill.liquidity) == (
        D("99.9"),
        D("0.5"),
        Liquidity.MAKER,
    )
    assert first.fill.fee == D("0.04995")
    why = first.explanation
    assert (why.trigger, why.queue_ahead_at_placement, why.queue_ahead_before_fill) == (
        "queue",
        D("3"),
        D("1"),
    )
    assert why.public_trade_id == "T2"
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "4", Side.SELL)])
    done = engine._orders[order.order_id].snapshot()
    assert (done.status, done.filled) == (OrderStatus.FILLED, D("1"))
    assert cash(engine)["USDT"] == (D("10000") - D("99.9") - D("0.0999"), D(0))


def test_buy_takers_at_our_bid_do_not_move_a_resting_buy(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1"))
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "10", Side.BUY)])
    assert engine.queue_ahead(order.order_id) == D("3")
    assert engine.fills() == []


def test_cancellations_shrink_the_queue_only_below_the_level(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1"))
    market.set_book(SPOT.symbol, bids=[("99.9", "5")], asks=[("100", "1")])
    engine.on_book_update(SPOT.symbol)
    assert engine.queue_ahead(order.order_id) == D("3"), "size joining behind us is not ahead"
    market.set_book(SPOT.symbol, bids=[("99.9", "1.2")], asks=[("100", "1")])
    engine.on_book_update(SPOT.symbol)
    assert engine.queue_ahead(order.order_id) == D("1.2")


def test_a_book_that_shows_a_trade_before_the_print_does_not_count_it_twice(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1"))
    market.set_book(SPOT.symbol, bids=[("99.9", "1")], asks=[("100", "1")])
    engine.on_book_update(SPOT.symbol)
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "2", Side.SELL)])
    assert engine.fills() == []
    assert engine.queue_ahead(order.order_id) == D("1")
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "1.25", Side.SELL)])
    assert [f.fill.size for f in engine.fills()] == [D("0.25")]


def test_book_moving_through_fills_at_our_price_bounded_by_shown_size(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1"))
    market.set_book(SPOT.symbol, bids=[("99.7", "1")], asks=[("99.8", "0.4"), ("100", "1")])
    engine.on_book_update(SPOT.symbol)
    (fill,) = engine.fills()
    assert (fill.fill.price, fill.fill.size, fill.fill.liquidity) == (
        D("99.9"),
        D("0.4"),
        Liquidity.MAKER,
    )
    assert fill.explanation.trigger == "book_through"
    assert fill.explanation.queue_ahead_at_placement == D("3")
    assert fill.explanation.queue_ahead_before_fill == D(0), "the 99.9 bids are gone"
    engine.on_book_update(SPOT.symbol)
    assert len(engine.fills()) == 1, "the same displayed size never fills twice"
    assert engine.queue_ahead(order.order_id) == D(0)


def test_trade_printing_through_our_price_fills_us(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    engine.place(limit(Side.SELL, "100.5", "0.5"))
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "101", "0.3", Side.BUY)])
    (fill,) = engine.fills()
    assert (fill.fill.price, fill.fill.size, fill.explanation.trigger) == (
        D("100.5"),
        D("0.3"),
        "trade_through",
    )


def test_one_print_is_shared_between_our_orders_and_never_over_fills(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    market.set_book(SPOT.symbol, bids=[("99", "1")], asks=[("100", "1")])
    a = engine.place(limit(Side.BUY, "99.9", "1"))
    b = engine.place(limit(Side.BUY, "99.5", "1"))
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.4", "1.5", Side.SELL)])
    sizes = {f.fill.order_id: f.fill.size for f in engine.fills()}
    assert sizes == {a.order_id: D("1"), b.order_id: D("0.5")}


# ----- time in force ------------------------------------------------------------------


def test_post_only_that_would_take_is_rejected(engine: PaperTradingExchange) -> None:
    with pytest.raises(PaperOrderRejected, match="best ask is 100") as caught:
        engine.place(limit(Side.BUY, "100", "1", tif=TimeInForce.POST_ONLY))
    assert caught.value.rule == "post_only_would_take"
    assert engine.fills() == []
    assert cash(engine)["USDT"] == (D(10_000), D(0))


def test_post_only_that_rests_is_a_maker(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "99.9", "1", tif=TimeInForce.POST_ONLY))
    assert order.status is OrderStatus.OPEN


def test_ioc_takes_what_it_can_and_cancels_the_rest(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "100", "3", tif=TimeInForce.IOC))
    assert (order.status, order.filled) == (OrderStatus.CANCELED, D("1"))
    assert order.reason == "immediate-or-cancel: the book had 1 of 3 within 100; 2 not filled"
    assert cash(engine)["USDT"][1] == D(0), "the lock of the unfilled part is released"


def test_fok_that_cannot_fill_entirely_fills_nothing(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "100.5", "4", tif=TimeInForce.FOK))
    assert (order.status, order.filled) == (OrderStatus.CANCELED, D(0))
    assert order.reason == "fill-or-kill: the book had 3 of 4 within 100.5"
    assert engine.fills() == []
    assert cash(engine)["USDT"] == (D(10_000), D(0))


def test_fok_that_can_fill_fills_entirely(engine: PaperTradingExchange) -> None:
    order = engine.place(limit(Side.BUY, "100.5", "3", tif=TimeInForce.FOK))
    assert (order.status, order.filled) == (OrderStatus.FILLED, D("3"))


# ----- rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "rule", "message"),
    [
        (limit(Side.BUY, "99.95", "1"), "price_precision", "tick size 0.1"),
        (limit(Side.BUY, "99.9", "0.0015"), "quantity_precision", "step 0.001"),
        (limit(Side.BUY, "99.9", "0.04"), "below_min_notional", "3.996 (0.04 x 99.9)"),
        (market_order(Side.BUY, "0.04"), "below_min_notional", "4.00 (0.04 x 100)"),
    ],
)
def test_market_rules_reject_with_the_numbers(
    engine: PaperTradingExchange, request_: OrderRequest, rule: str, message: str
) -> None:
    with pytest.raises(PaperOrderRejected) as caught:
        engine.place(request_)
    assert caught.value.rule == rule
    assert message in str(caught.value)
    assert engine.ledger is not None
    assert engine.ledger.orders(engine.session_id) == []


def test_below_minimum_quantity(tmp_path: Path, market: ScriptedMarket) -> None:
    strict = SPOT.model_copy(update={"min_qty": D("0.01"), "min_notional": D(0)})
    engine = PaperTradingExchange({SPOT.symbol: strict}, market, None, clock=ManualClock())
    with pytest.raises(PaperOrderRejected, match=r"quantity 0.005 is below the minimum 0.01"):
        engine.place(limit(Side.BUY, "99.9", "0.005"))


def test_unknown_symbol_missing_book_and_stale_book(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    with pytest.raises(PaperOrderRejected) as unknown:
        engine.place(limit(Side.BUY, "1", "1", symbol="DOGE/USDT"))
    assert unknown.value.rule == "unknown_symbol"
    del market.books[SPOT.symbol]
    with pytest.raises(PaperOrderRejected) as missing:
        engine.place(limit(Side.BUY, "99.9", "1"))
    assert missing.value.rule == "no_book"
    market.set_book(SPOT.symbol, bids=[("99.9", "1")], asks=[("100", "1")], stale=True)
    with pytest.raises(PaperOrderRejected) as stale:
        engine.place(market_order(Side.BUY, "1"))
    assert stale.value.rule == "stale_book"


def test_insufficient_funds_names_the_currency_and_the_numbers(
    engine: PaperTradingExchange,
) -> None:
    with pytest.raises(PaperOrderRejected) as caught:
        engine.place(limit(Side.BUY, "99.9", "100.1"))
    assert caught.value.rule == "insufficient_funds"
    assert str(caught.value) == (
        "insufficient USDT: the order needs 10009.98999 but only 10000 is free "
        "(0 in use by orders and positions)"
    )
    with pytest.raises(PaperOrderRejected, match="insufficient BTC: the order needs 6"):
        engine.place(market_order(Side.SELL, "6"))


def test_locked_funds_count_against_the_next_order_and_are_released_exactly(
    engine: PaperTradingExchange,
) -> None:
    first = engine.place(limit(Side.BUY, "90", "100"))  # locks 9009
    assert cash(engine)["USDT"] == (D(10_000), D("9009.000"))
    with pytest.raises(PaperOrderRejected, match=r"only 991\.000 is free"):
        engine.place(limit(Side.BUY, "90", "12"))
    sell = engine.place(limit(Side.SELL, "110", "0.6"))
    assert cash(engine)["BTC"] == (D(5), D("0.6"))
    engine.cancel(first.order_id, SPOT.symbol)
    engine.cancel(sell.order_id, SPOT.symbol)
    assert cash(engine) == {"BTC": (D(5), D(0)), "USDT": (D(10_000), D(0))}


def test_duplicate_client_order_id_is_rejected(engine: PaperTradingExchange) -> None:
    request = limit(Side.BUY, "99", "1").model_copy(update={"client_order_id": "abc"})
    engine.place(request)
    with pytest.raises(PaperOrderRejected, match="already used by P1-1"):
        engine.place(request)


def test_cancel_errors(engine: PaperTradingExchange) -> None:
    with pytest.raises(PaperOrderNotFound):
        engine.cancel("P1-99", SPOT.symbol)
    done = engine.place(market_order(Side.BUY, "0.1"))
    with pytest.raises(PaperOrderRejected, match="already filled"):
        engine.cancel(done.order_id, SPOT.symbol)


# ----- fees ---------------------------------------------------------------------------


def test_fee_overrides_replace_the_market_rates(tmp_path: Path, market: ScriptedMarket) -> None:
    engine = PaperTradingExchange(
        MARKETS,
        market,
        None,
        clock=ManualClock(),
        fees=FeeSchedule(maker_override=D("-0.0001"), taker_override=D("0.002")),
    )
    engine.place(market_order(Side.BUY, "1"))
    engine.place(limit(Side.BUY, "99.9", "1"))
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.8", "1", Side.SELL)])
    assert [(f.fill.fee, f.explanation.fee_rate) for f in engine.fills()] == [
        (D("0.200"), D("0.002")),
        (D("-0.00999"), D("-0.0001")),
    ]


def test_linear_market_defaults_to_bybit_base_tier(engine: PaperTradingExchange) -> None:
    engine.place(market_order(Side.BUY, "1", symbol=LINEAR.symbol))
    (fill,) = engine.fills()
    assert (fill.explanation.fee_rate, fill.fill.fee) == (D("0.00055"), D("0.05500"))


# ----- linear positions ---------------------------------------------------------------


def test_linear_position_average_entry_and_realised_pnl(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    engine.place(market_order(Side.BUY, "2", symbol=LINEAR.symbol))  # 1@100 + 1@100.5
    (position,) = [p for p in engine.positions() if p.symbol == LINEAR.symbol]
    assert (position.size, position.entry_price) == (D("2"), D("100.25"))
    # mid (99.9 + 100.5) / 2 after our take? the public book is unchanged: mid 99.95
    assert position.unrealised_pnl == (D("99.95") - D("100.25")) * 2
    market.set_book(LINEAR.symbol, bids=[("110", "5")], asks=[("110.5", "5")])
    engine.place(market_order(Side.SELL, "3", symbol=LINEAR.symbol))
    (position,) = [p for p in engine.positions() if p.symbol == LINEAR.symbol]
    assert (position.size, position.entry_price) == (D("-1"), D("110"))
    assert position.realised_pnl == D("19.5")
    fees = D("0.0550") + D("0.055275") + D("330") * D("0.00055")
    usdt = cash(engine)["USDT"]
    assert usdt[0] == D(10_000) + D("19.5") - fees
    assert usdt[1] == D("11"), "1 short at 110 holds 110 / 10 margin"


def test_linear_limit_locks_margin_plus_worst_fee(engine: PaperTradingExchange) -> None:
    engine.place(limit(Side.BUY, "90", "10", symbol=LINEAR.symbol))
    assert cash(engine)["USDT"] == (D(10_000), D("90") + D("900") * D("0.00055"))


def test_reduce_only_rules(engine: PaperTradingExchange, market: ScriptedMarket) -> None:
    with pytest.raises(PaperOrderRejected) as spot:
        engine.place(market_order(Side.SELL, "0.1", reduce_only=True))
    assert spot.value.rule == "reduce_only_spot"
    with pytest.raises(PaperOrderRejected) as flat:
        engine.place(market_order(Side.SELL, "0.1", symbol=LINEAR.symbol, reduce_only=True))
    assert flat.value.rule == "reduce_only_would_increase"
    engine.place(market_order(Side.BUY, "1", symbol=LINEAR.symbol))
    resting = engine.place(limit(Side.SELL, "105", "0.6", symbol=LINEAR.symbol, reduce_only=True))
    assert cash(engine)["USDT"][1] == D("10"), "reduce-only orders lock nothing"
    with pytest.raises(PaperOrderRejected) as big:
        engine.place(limit(Side.SELL, "106", "0.5", symbol=LINEAR.symbol, reduce_only=True))
    assert big.value.rule == "reduce_only_too_large"
    assert "exceeds the 0.4 left to reduce (position 1, 0.6 in other reduce-only orders)" in str(
        big.value
    )
    engine.place(market_order(Side.SELL, "1", symbol=LINEAR.symbol))  # closes the position
    engine.on_trades(LINEAR.symbol, [market.trade(LINEAR.symbol, "106", "1", Side.BUY)])
    after = engine._orders[resting.order_id].snapshot()
    assert (after.status, after.filled) == (OrderStatus.CANCELED, D(0))
    assert after.reason == "reduce-only: the position is closed"


# ----- the async venue surface --------------------------------------------------------


async def test_trading_venue_surface(engine: PaperTradingExchange) -> None:
    order = await engine.create_order(limit(Side.BUY, "99.9", "1"))
    assert [o.order_id for o in await engine.fetch_open_orders(SPOT.symbol)] == [order.order_id]
    assert await engine.fetch_open_orders(LINEAR.symbol) == []
    assert (await engine.fetch_order(order.order_id, SPOT.symbol)).status is OrderStatus.OPEN
    cancelled = await engine.cancel_order(order.order_id, SPOT.symbol)
    assert cancelled.status is OrderStatus.CANCELED
    assert await engine.fetch_open_orders() == []
    balances = {b.currency: b for b in await engine.fetch_balance()}
    assert balances["USDT"].free == D(10_000)
    with pytest.raises(PaperOrderNotFound):
        await engine.fetch_order(order.order_id, LINEAR.symbol)


def test_partial_closes_round_to_8_decimals_and_a_full_close_is_exact(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    market.set_book(LINEAR.symbol, bids=[("99", "9")], asks=[("100", "2"), ("100.5", "4")])
    engine.place(market_order(Side.BUY, "3", symbol=LINEAR.symbol))  # cost 300.5
    market.set_book(LINEAR.symbol, bids=[("101", "9")], asks=[("102", "9")])
    engine.place(market_order(Side.SELL, "1", symbol=LINEAR.symbol))
    (position,) = [p for p in engine.positions() if p.symbol == LINEAR.symbol]
    assert (position.size, position.cost) == (D(2), D("200.33333333"))
    assert position.realised_pnl == D("0.83333333")
    engine.place(market_order(Side.SELL, "2", symbol=LINEAR.symbol))
    (position,) = [p for p in engine.positions() if p.symbol == LINEAR.symbol]
    assert (position.size, position.cost, position.entry_price) == (D(0), D(0), None)
    assert position.realised_pnl == D(303) - D("300.5"), "flat: exactly sells minus buys"


def test_a_later_paper_order_at_the_same_price_queues_behind_the_earlier_one(
    engine: PaperTradingExchange, market: ScriptedMarket
) -> None:
    first = engine.place(limit(Side.BUY, "99.9", "1"))
    second = engine.place(limit(Side.BUY, "99.9", "1"))
    assert (engine.queue_ahead(first.order_id), engine.queue_ahead(second.order_id)) == (
        D("3"),
        D("4"),
    )
    engine.on_book_update(SPOT.symbol)
    assert engine.queue_ahead(second.order_id) == D("4"), "our own order stays ahead of it"
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "4", Side.SELL)])
    assert [(f.fill.order_id, f.fill.size) for f in engine.fills()] == [(first.order_id, D(1))]
    engine.on_trades(SPOT.symbol, [market.trade(SPOT.symbol, "99.9", "0.5", Side.SELL)])
    assert [(f.fill.order_id, f.fill.size) for f in engine.fills()][1:] == [
        (second.order_id, D("0.5"))
    ]
