"""The order command line's grammar: what each command reads as, round trips of rendered
commands and order requests (hypothesis), and refusals that name the token at fault."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import Market, OrderRequest, OrderType, Side, TimeInForce, TriggerSource
from console.domain.order_command import (
    CancelAll,
    ChaseOrder,
    ClosePosition,
    CommandContext,
    CommandRefused,
    Flatten,
    OrderCommand,
    PlaceOrder,
    PositionShare,
    PriceAlert,
    ScaleOrder,
    SetTakeProfitStopLoss,
    StopOrder,
    completion,
    describe_command,
    order_request,
    parse_command,
    place_order_for,
    render_command,
)
from console.domain.scale import ScaleDistribution

from support.builders import linear_market, spot_market

BTC = "BTC/USDT:USDT"
MARKETS: dict[str, Market] = {
    market.symbol: market
    for market in (
        spot_market("BTC"),
        linear_market("BTC"),
        spot_market("ETH"),
        linear_market("ETH"),
        linear_market("1000PEPE"),
    )
}
CONTEXT = CommandContext(MARKETS, focused=BTC)


def parse(text: str) -> OrderCommand:
    return parse_command(text, CONTEXT)


# -- what the issue's examples read as -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "buy 0.01 btc @ 59000 post",
            PlaceOrder(Side.BUY, Decimal("0.01"), BTC, Decimal(59000), TimeInForce.POST_ONLY),
        ),
        ("sell 50% pos mkt", PlaceOrder(Side.SELL, PositionShare(Decimal(50)), BTC)),
        (
            "stop sell 0.01 @ 58000 mark",
            StopOrder(
                Side.SELL, Decimal("0.01"), BTC, Decimal(58000), trigger_by=TriggerSource.MARK
            ),
        ),
        ("tp 62000 sl 58500", SetTakeProfitStopLoss(BTC, Decimal(62000), Decimal(58500))),
        (
            "scale buy 0.1 btc 59000..58000 x10",
            ScaleOrder(Side.BUY, Decimal("0.1"), BTC, Decimal(59000), Decimal(58000), 10),
        ),
        (
            "scale sell 1 eth 3000..3100 x5 inc ro",
            ScaleOrder(
                Side.SELL,
                Decimal(1),
                "ETH/USDT:USDT",
                Decimal(3000),
                Decimal(3100),
                5,
                True,
                ScaleDistribution.INCREASING,
            ),
        ),
        ("chase buy 0.01", ChaseOrder(Side.BUY, Decimal("0.01"), BTC)),
        ("close btc", ClosePosition(BTC)),
        ("flatten", Flatten()),
        ("cancel all", CancelAll()),
        ("alert btc > 61000", PriceAlert(BTC, True, Decimal(61000))),
    ],
)
def test_the_issues_examples_read_as_typed_commands(text: str, expected: OrderCommand) -> None:
    assert parse(text) == expected
    assert describe_command(expected)


@pytest.mark.parametrize(
    ("typed", "symbol"),
    [
        ("btc", BTC),
        ("BTCUSDT", BTC),
        ("BTC/USDT", "BTC/USDT"),
        ("btc/usdt:usdt", BTC),
        ("eth", "ETH/USDT:USDT"),
        ("1000pepe", "1000PEPE/USDT:USDT"),
    ],
)
def test_a_symbol_resolves_over_the_loaded_markets_like_the_focused_one(
    typed: str, symbol: str
) -> None:
    command = parse(f"buy 1 {typed} mkt")
    assert isinstance(command, PlaceOrder)
    assert command.symbol == symbol


def test_a_bare_base_follows_the_focused_markets_type() -> None:
    spot = CommandContext(MARKETS, focused="BTC/USDT")
    command = parse_command("buy 1 eth @ 10", spot)
    assert isinstance(command, PlaceOrder)
    assert command.symbol == "ETH/USDT"


def test_tp_and_sl_take_the_symbol_anywhere() -> None:
    expected = SetTakeProfitStopLoss("ETH/USDT:USDT", Decimal(5), Decimal(3))
    for text in ("tp 5 eth sl 3", "sl 3 tp 5 eth", "tp 5 sl 3 eth"):
        assert parse(text) == expected


def test_options_come_in_any_order_and_words_in_any_case() -> None:
    assert parse("BUY 1 @2 RO eth POST") == PlaceOrder(
        Side.BUY, Decimal(1), "ETH/USDT:USDT", Decimal(2), TimeInForce.POST_ONLY, True
    )


# -- round trips ------------------------------------------------------------------------

symbols = st.sampled_from(sorted(MARKETS))
sides = st.sampled_from(list(Side))
amounts = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(1, 10**12),
    st.integers(0, 10),
)
shares = st.builds(
    lambda hundredths: PositionShare(Decimal(hundredths).scaleb(-2)), st.integers(1, 10_000)
)
quantities = st.one_of(amounts, shares)


@st.composite
def place_orders(draw: st.DrawFn) -> PlaceOrder:
    price = draw(st.none() | amounts)
    choices = list(TimeInForce) if price is not None else [TimeInForce.GTC, TimeInForce.IOC]
    return PlaceOrder(
        draw(sides),
        draw(quantities),
        draw(symbols),
        price,
        draw(st.sampled_from(choices)),
        draw(st.booleans()),
    )


@st.composite
def scale_orders(draw: st.DrawFn) -> ScaleOrder:
    first, last = draw(st.lists(amounts, min_size=2, max_size=2, unique=True))
    return ScaleOrder(
        draw(sides),
        draw(amounts),
        draw(symbols),
        first,
        last,
        draw(st.integers(2, 50)),
        draw(st.booleans()),
        draw(st.sampled_from(list(ScaleDistribution))),
    )


commands: st.SearchStrategy[OrderCommand] = st.one_of(
    place_orders(),
    st.builds(
        StopOrder,
        sides,
        quantities,
        symbols,
        amounts,
        st.none() | amounts,
        st.sampled_from(list(TriggerSource)),
        st.booleans(),
    ),
    st.builds(SetTakeProfitStopLoss, symbols, amounts, st.none() | amounts),
    st.builds(SetTakeProfitStopLoss, symbols, st.none(), amounts),
    scale_orders(),
    st.builds(ChaseOrder, sides, amounts, symbols, st.booleans()),
    st.builds(ClosePosition, symbols),
    st.just(Flatten()),
    st.just(CancelAll()),
    st.builds(PriceAlert, symbols, st.booleans(), amounts),
)


@given(commands)
@settings(max_examples=400, derandomize=True)
def test_a_rendered_command_parses_back_to_itself(command: OrderCommand) -> None:
    text = render_command(command)
    assert parse(text) == command
    assert render_command(parse(text)) == text, "canonical text is a fixed point"


@st.composite
def order_requests(draw: st.DrawFn) -> OrderRequest:
    kind = draw(st.sampled_from(list(OrderType)))
    limit = kind is OrderType.LIMIT
    choices = list(TimeInForce) if limit else [TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]
    return OrderRequest(
        symbol=draw(symbols),
        side=draw(sides),
        type=kind,
        quantity=draw(amounts),
        price=draw(amounts) if limit else None,
        time_in_force=draw(st.sampled_from(choices)),
        reduce_only=draw(st.booleans()),
    )


@given(order_requests())
@settings(max_examples=400, derandomize=True)
def test_an_order_request_rendered_as_a_command_parses_back_to_the_same_request(
    request: OrderRequest,
) -> None:
    command = parse(render_command(place_order_for(request)))
    assert isinstance(command, PlaceOrder)
    assert order_request(command) == request


def test_a_share_of_the_position_becomes_a_reduce_only_quantity_on_the_step() -> None:
    command = parse("sell 50% pos mkt")
    assert isinstance(command, PlaceOrder)
    request = order_request(command, position_size=Decimal("0.0105"), market=MARKETS[BTC])
    assert (request.quantity, request.reduce_only, request.type) == (
        Decimal("0.005"),
        True,
        OrderType.MARKET,
    )


@pytest.mark.parametrize(
    ("position", "reason"), [(None, "no BTC/USDT:USDT position"), (Decimal(-1), "add to")]
)
def test_a_share_of_a_missing_or_opposite_position_is_refused(
    position: Decimal | None, reason: str
) -> None:
    command = parse("sell 50% pos mkt")
    assert isinstance(command, PlaceOrder)
    with pytest.raises(CommandRefused, match=reason) as refused:
        order_request(command, position_size=position)
    assert refused.value.token.text == "50% pos"


# -- refusals name the token at fault ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "token", "reason"),
    [
        ("byu 0.01 mkt", "byu", "is not a command"),
        ("buy 0.0x mkt", "0.0x", "is not a number"),
        ("buy 0 mkt", "0", "more than zero"),
        ("buy 1e5 mkt", "1e5", "is not a number"),
        ("buy 1234567890123456 mkt", "1234567890123456", "too large"),
        ("buy 0.0000000000000000001 mkt", "0.0000000000000000001", "too many decimals"),
        ("buy 1 xyz mkt", "xyz", "is not a market"),
        ("buy 1 mkt psot", "psot", "nor one of"),
        ("buy 1 mkt post", "post", "needs a limit price"),
        ("buy 1 @ 2 ioc fok", "fok", 'conflicts with "ioc"'),
        ("buy 1 btc @ 2 eth", "eth", "is not understood here"),
        ("buy 1 59000", "59000", "expected @ PRICE or mkt"),
        ("sell 150% pos mkt", "150%", "more than the whole position"),
        ("sell 50% mkt", "mkt", 'Say "pos"'),
        ("stop hold 1 @ 2", "hold", "is not a side"),
        ("stop buy 1 mkt", "mkt", "expected @ TRIGGER"),
        ("tp 1 tp 2", "tp", "said twice"),
        ("tp 1 btc eth", "eth", "expected tp or sl"),
        ("sl 1 5", "5", "expected tp or sl"),
        ("scale buy 1 59000-58000 x10", "59000-58000", "is not a price range"),
        ("scale buy 1 5..5 x3", "5..5", "the two prices are equal"),
        ("scale buy 1 5..z x3", "z", "is not a number"),
        ("scale buy 1 5..6 x1", "x1", "number of orders"),
        ("scale buy 1 5..6 x99", "x99", "number of orders"),
        ("scale buy 1 5..6 x3 inc dec", "dec", 'conflicts with "inc"'),
        ("cancel some", "some", "say cancel all"),
        ("flatten now", "now", "nothing more is expected"),
        ("alert btc = 5", "=", "expected > or <"),
    ],
)
def test_a_refusal_names_the_token_at_fault(text: str, token: str, reason: str) -> None:
    with pytest.raises(CommandRefused) as refused:
        parse(text)
    at = refused.value.token
    assert reason in refused.value.reason
    assert at.text == token
    assert text[at.start : at.end] == token, "the position points at the token itself"
    assert f'"{token}"' in refused.value.reason or reason.startswith("Say")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "Type a command"),
        ("buy", "quantity is missing"),
        ("buy 1 @", 'price is missing after "@"'),
        ("scale buy 1", "price range"),
        ("cancel ", '"all" is missing'),
    ],
)
def test_a_missing_word_is_pointed_at_the_end_of_the_line(text: str, reason: str) -> None:
    with pytest.raises(CommandRefused) as refused:
        parse(text)
    assert reason in refused.value.reason
    assert refused.value.token.text == ""
    assert refused.value.token.start >= len(text.rstrip())


def test_a_name_of_two_markets_is_refused_without_a_focused_market_to_settle_it() -> None:
    with pytest.raises(CommandRefused, match="may mean BTC/USDT, BTC/USDT:USDT") as refused:
        parse_command("buy 1 btcusdt mkt", CommandContext(MARKETS))
    assert (refused.value.token.text, refused.value.token.start) == ("btcusdt", 6)


def test_without_a_focused_market_the_symbol_must_be_named() -> None:
    with pytest.raises(CommandRefused, match="Name the market"):
        parse_command("buy 1 mkt", CommandContext(MARKETS))
    assert parse_command("buy 1 eth/usdt:usdt mkt", CommandContext(MARKETS)) == PlaceOrder(
        Side.BUY, Decimal(1), "ETH/USDT:USDT"
    )


# -- completion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "completed"),
    [
        ("bu", "buy"),
        ("fl", "flatten"),
        ("buy 1 e", "buy 1 eth"),
        ("buy 1 btc @ 1 po", "buy 1 btc @ 1 post"),
        ("cancel a", "cancel all"),
        ("stop sell 1 @ 2 ma", "stop sell 1 @ 2 mark"),
    ],
)
def test_completion_finishes_the_last_word(typed: str, completed: str) -> None:
    assert completion(typed, CONTEXT) == completed


@pytest.mark.parametrize("typed", ["", "buy ", "zz", "buy 1 @ 2 post"])
def test_completion_offers_nothing_when_nothing_fits(typed: str) -> None:
    assert completion(typed, CONTEXT) is None
