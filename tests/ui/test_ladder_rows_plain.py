"""``build_ladder`` equals its arithmetic written out long-hand, to the last digit and bit.

The ladder's rows are built on every paint, so ``build_ladder`` takes shortcuts: remembered
bucket prices, rows made with ``tuple.__new__``, sums by ``itertools.accumulate``, a grouping
cut at the lines that fit. Whatever the book, grouping, own orders and marks, the view must
be the one the plain per-level arithmetic gives: the same rows, the same ``Decimal`` digits
and exponents (``repr`` tells ``100.5`` from ``100.50``), the same depth floats.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import DepthSnapshot, Order, OrderStatus, OrderType, PriceLevel, Side
from console.tui.widgets import ladder_rows
from console.tui.widgets.ladder_rows import GROUPING_MULTIPLES, LadderRow, LadderView, build_ladder

D = Decimal
PRICE = st.decimals("95", "106", places=2)
"""One spelling per price: the bucket prices are remembered by value (``100`` and ``1E+2``
share one), so a second spelling would meet the digits worked out for the first. Each
example starts with none remembered, for other tests group these prices spelled otherwise."""
SIZE = st.sampled_from(["0.001", "1", "2.50", "7", "1E+1", "0.3", "3.333"]).map(D)
TICK = st.sampled_from(["0.01", "0.1", "0.10", "0.5", "1", "0.25"]).map(D)
"""``0.1`` and ``0.10`` (and ``0.1 x 10`` and ``1``) are equal buckets with other digits."""


def plain_bucket(price: Decimal, bucket: Decimal, side: Side) -> Decimal:
    rounding = ROUND_FLOOR if side is Side.BUY else ROUND_CEILING
    return (price / bucket).to_integral_value(rounding=rounding) * bucket


def plain_ladder(
    snapshot: DepthSnapshot,
    tick_size: Decimal,
    multiple: int,
    rows_per_side: int,
    orders: list[Order],
    marked: list[Decimal],
) -> LadderView:
    """Every level bucketed, every bucket kept, then cut: no memo, no limit, no shortcut."""
    bucket = tick_size * multiple
    own: dict[tuple[Side, Decimal], Decimal] = {}
    for order in orders:
        if order.price is None or not order.status.is_open or order.waiting_trigger:
            continue
        key = (order.side, plain_bucket(order.price, bucket, order.side))
        own[key] = own.get(key, Decimal(0)) + order.remaining
    best_bid, best_ask = snapshot.best_bid, snapshot.best_ask
    mid = None if best_bid is None or best_ask is None else (best_ask.price + best_bid.price) / 2
    spread = None if best_bid is None or best_ask is None else best_ask.price - best_bid.price
    lines = set(own)
    for price in marked:
        side = Side.SELL if mid is not None and price > mid else Side.BUY
        lines.add((side, plain_bucket(price, bucket, side)))

    def grouped(levels: tuple[PriceLevel, ...], side: Side) -> list[PriceLevel]:
        out: list[PriceLevel] = []
        for level in levels:
            price = plain_bucket(level.price, bucket, side)
            if out and out[-1].price == price:
                out[-1] = PriceLevel(price, out[-1].size + level.size)
            else:
                out.append(PriceLevel(price, level.size))
        shown = {level.price for level in out}
        missing = [PriceLevel(p, Decimal(0)) for s, p in lines if s is side and p not in shown]
        if missing:
            out = sorted(out + missing, key=lambda level: level.price, reverse=side is Side.BUY)
        return out[:rows_per_side]

    bids, asks = grouped(snapshot.bids, Side.BUY), grouped(snapshot.asks, Side.SELL)
    totals: dict[Side, list[Decimal]] = {}
    for side, levels in ((Side.BUY, bids), (Side.SELL, asks)):
        running = Decimal(0)
        totals[side] = []
        for level in levels:
            running += level.size
            totals[side].append(running)
    deepest = max([*totals[Side.BUY][-1:], *totals[Side.SELL][-1:], Decimal(0)])

    def rows(side: Side, levels: list[PriceLevel]) -> list[LadderRow]:
        return [
            LadderRow(
                side=side,
                price=level.price,
                size=level.size,
                cumulative=total,
                depth=float(total / deepest) if deepest else 0.0,
                own_size=own.get((side, level.price), Decimal(0)),
            )
            for level, total in zip(levels, totals[side], strict=True)
        ]

    shown = {(Side.BUY, level.price) for level in bids}
    shown |= {(Side.SELL, level.price) for level in asks}
    return LadderView(
        asks=tuple(reversed(rows(Side.SELL, asks))),
        bids=tuple(rows(Side.BUY, bids)),
        spread=spread,
        mid=mid,
        own_off_ladder=sum(1 for key in own if key not in shown),
    )


@st.composite
def books(draw: st.DrawFn) -> DepthSnapshot:
    """Best-first sides of distinct prices; crossed or one-sided books too (the ladder draws
    whatever the reader hands it)."""
    bid_prices = sorted(set(draw(st.lists(PRICE, max_size=25))), reverse=True)
    ask_prices = sorted(set(draw(st.lists(PRICE, max_size=25))))
    return DepthSnapshot(
        symbol="X",
        bids=tuple(PriceLevel(price, draw(SIZE)) for price in bid_prices),
        asks=tuple(PriceLevel(price, draw(SIZE)) for price in ask_prices),
        received_at=datetime(2026, 1, 2, tzinfo=UTC),
    )


@st.composite
def orders(draw: st.DrawFn) -> Order:
    trigger = draw(st.none() | PRICE)
    return Order(
        order_id=str(draw(st.integers(0, 10**6))),
        symbol="X",
        side=draw(st.sampled_from(Side)),
        type=OrderType.LIMIT,
        status=draw(st.sampled_from([OrderStatus.OPEN, OrderStatus.OPEN, OrderStatus.FILLED])),
        quantity=draw(SIZE),
        price=draw(st.none() | PRICE),
        trigger_price=trigger,
        triggered=trigger is not None and draw(st.booleans()),
    )


@settings(max_examples=400, deadline=None)
@given(
    book=books(),
    tick_size=TICK,
    multiple=st.sampled_from(GROUPING_MULTIPLES[:6]),
    rows_per_side=st.integers(1, 15),
    own_orders=st.lists(orders(), max_size=4),
    marked=st.lists(PRICE, max_size=3),
)
def test_build_ladder_equals_the_plain_arithmetic(
    book: DepthSnapshot,
    tick_size: Decimal,
    multiple: int,
    rows_per_side: int,
    own_orders: list[Order],
    marked: list[Decimal],
) -> None:
    ladder_rows._bucket_memos.clear()
    for _ in range(2):  # the second call meets the bucket prices the first remembered
        view = build_ladder(
            book,
            tick_size=tick_size,
            multiple=multiple,
            rows_per_side=rows_per_side,
            own_orders=own_orders,
            marked=marked,
        )
        expected = plain_ladder(book, tick_size, multiple, rows_per_side, own_orders, marked)
        assert repr(view) == repr(expected)
        assert all(type(row) is LadderRow for row in (*view.asks, *view.bids))
        assert view == expected
