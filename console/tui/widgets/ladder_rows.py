"""The ladder's arithmetic, kept apart from drawing so it can be tested without a terminal.

Grouping merges price levels into buckets of ``tick x multiple``: bids round down and asks
round up, so a bucket never shows a better price than any level in it. Cumulative size runs
outward from the touch on each side; the depth bar is cumulative size over the largest
cumulative size shown on either side, so both sides share one scale.

Every price with an open order of ours gets a line, even where the book has no level: a paper
order is never in the venue's book, and a live one may sit in a gap between grouped levels.
Orders too far out for the lines that fit are counted, so the ladder can say they exist.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from itertools import accumulate
from operator import add, itemgetter
from typing import NamedTuple

from console.domain import DepthSnapshot, Order, PriceLevel, Side

_ZERO = Decimal(0)
_new = tuple.__new__
"""``_new(PriceLevel, (price, size))``: a named tuple's own ``__new__`` is a Python function
around this call, twice its cost, once per level grouped and per row."""
_size_of = itemgetter(1)

GROUPING_MULTIPLES: tuple[int, ...] = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000)
"""The steps the grouping keys walk through, in ticks."""


class LadderRow(NamedTuple):
    """One price line of the ladder, ready to format.

    A named tuple, not a dataclass: every row is built, hashed and compared with the row
    before on every book (a line's content is its key), and a tuple does those in C, at a
    third of a dataclass's cost.
    """

    side: Side
    price: Decimal
    size: Decimal
    cumulative: Decimal
    depth: float
    """Cumulative size as a share (0..1) of the deepest cumulative size shown."""
    own_size: Decimal
    """Size of our own open orders resting in this bucket (0 when none)."""


@dataclass(frozen=True, slots=True)
class LadderView:
    """Both sides of the book, cut to the rows that fit: asks farthest-first, bids best-first."""

    asks: tuple[LadderRow, ...]
    bids: tuple[LadderRow, ...]
    spread: Decimal | None
    mid: Decimal | None
    own_off_ladder: int = 0
    """Buckets holding open orders of ours that lie beyond the rows shown."""


def step_multiple(current: int, direction: int) -> int:
    """The next grouping multiple up (+1) or down (-1), staying within the known steps."""
    try:
        index = GROUPING_MULTIPLES.index(current)
    except ValueError:
        index = 0
    index = max(0, min(len(GROUPING_MULTIPLES) - 1, index + direction))
    return GROUPING_MULTIPLES[index]


def group_levels(
    levels: Iterable[PriceLevel], bucket: Decimal, side: Side, limit: int | None = None
) -> list[PriceLevel]:
    """Merge levels into buckets of ``bucket`` price; keeps the input's best-first order.

    With ``limit``, only the best ``limit`` buckets: a ladder shows a few dozen lines of a
    book 200 levels deep, and grouping is Decimal arithmetic per level.
    """
    rounding = ROUND_FLOOR if side is Side.BUY else ROUND_CEILING
    buckets = _bucket_prices(bucket, rounding)
    remembered = buckets.get
    grouped: list[PriceLevel] = []
    last: Decimal | None = None
    """The bucket price of ``grouped[-1]``."""
    for price, size in levels:
        bucketed = remembered(price)
        if bucketed is None:
            bucketed = buckets[price] = bucket_price(price, bucket, rounding)
        if bucketed == last:
            grouped[-1] = _new(PriceLevel, (bucketed, grouped[-1][1] + size))
        elif len(grouped) == limit:
            break
        else:
            grouped.append(_new(PriceLevel, (bucketed, size)))
            last = bucketed
    return grouped


def bucket_price(price: Decimal, bucket: Decimal, rounding: str) -> Decimal:
    """The price of the bucket ``price`` falls in (``rounding``: ROUND_FLOOR for bids,
    ROUND_CEILING for asks)."""
    return (price / bucket).to_integral_value(rounding=rounding) * bucket


_BUCKET_PRICES_KEPT = 4096
"""Prices remembered per bucket size and side before starting again."""

_bucket_memos: dict[tuple[str, str], dict[Decimal, Decimal]] = {}


def _bucket_prices(bucket: Decimal, rounding: str) -> dict[Decimal, Decimal]:
    """The bucket price of each price met so far for this bucket size and rounding: the
    ladders group the same few dozen prices on every book (three Decimal operations a
    level), so each is worked out once (:func:`bucket_price`). A price is remembered by
    value: written ``1E+2`` after ``100``, it gets the bucket worked out for ``100`` (the
    same number in other digits; the ladder prints fixed decimals)."""
    key = (str(bucket), rounding)  # 0.1 and 0.10 are equal keys but give other digits
    memo = _bucket_memos.get(key)
    if memo is None or len(memo) > _BUCKET_PRICES_KEPT:
        if len(_bucket_memos) > 64:  # groupings and markets gone by
            _bucket_memos.clear()
        memo = _bucket_memos[key] = {}
    return memo


def _own_sizes(orders: Sequence[Order], bucket: Decimal) -> dict[tuple[Side, Decimal], Decimal]:
    sizes: dict[tuple[Side, Decimal], Decimal] = {}
    for order in orders:
        if order.price is None or not order.status.is_open or order.waiting_trigger:
            continue  # a waiting trigger is not on the book: it shows as a mark instead
        rounding = ROUND_FLOOR if order.side is Side.BUY else ROUND_CEILING
        price = (order.price / bucket).to_integral_value(rounding=rounding) * bucket
        key = (order.side, price)
        sizes[key] = sizes.get(key, Decimal(0)) + order.remaining
    return sizes


def _marked_lines(
    prices: Iterable[Decimal], bucket: Decimal, mid: Decimal | None
) -> set[tuple[Side, Decimal]]:
    """The (side, bucket price) line of each marked price: the bid side at or below the
    mid, the ask side above it."""
    lines: set[tuple[Side, Decimal]] = set()
    for price in prices:
        side = Side.SELL if mid is not None and price > mid else Side.BUY
        rounding = ROUND_FLOOR if side is Side.BUY else ROUND_CEILING
        lines.add((side, (price / bucket).to_integral_value(rounding=rounding) * bucket))
    return lines


def _with_own_prices(
    levels: list[PriceLevel], own: Collection[tuple[Side, Decimal]], side: Side
) -> list[PriceLevel]:
    """``levels`` plus an empty level at each of our order (or marked) prices the book lacks,
    best-first."""
    if not own:
        return levels
    shown = {level.price for level in levels}
    missing = [price for own_side, price in own if own_side is side and price not in shown]
    if not missing:
        return levels
    merged = levels + [PriceLevel(price, Decimal(0)) for price in missing]
    return sorted(merged, key=lambda level: level.price, reverse=side is Side.BUY)


def _cumulate(levels: Sequence[PriceLevel]) -> list[Decimal]:
    """The running size from the touch out: ``0 + first``, ``+ second``, ..."""
    totals = list(accumulate(map(_size_of, levels), add, initial=_ZERO))
    del totals[0]
    return totals


def build_ladder(
    snapshot: DepthSnapshot,
    *,
    tick_size: Decimal,
    multiple: int,
    rows_per_side: int,
    own_orders: Sequence[Order] = (),
    marked: Iterable[Decimal] = (),
) -> LadderView:
    """Group, cut and measure the book for a ladder with ``rows_per_side`` lines each side;
    our orders' prices and the ``marked`` prices (a stop's trigger, a planned scale order)
    get a line even where the book has no depth."""
    bucket = tick_size * multiple
    own = _own_sizes(own_orders, bucket)
    mid = snapshot.mid
    # Our orders and marks beyond the grouped buckets sort after them all, so cutting the
    # grouping at the lines that fit shows the same rows.
    lines = own.keys() | _marked_lines(marked, bucket, mid)
    bid_levels = group_levels(snapshot.bids, bucket, Side.BUY, rows_per_side)
    ask_levels = group_levels(snapshot.asks, bucket, Side.SELL, rows_per_side)
    all_bids = _with_own_prices(bid_levels, lines, Side.BUY)
    all_asks = _with_own_prices(ask_levels, lines, Side.SELL)
    bids, asks = all_bids[:rows_per_side], all_asks[:rows_per_side]
    bid_totals = _cumulate(bids)
    ask_totals = _cumulate(asks)
    deepest = max([*bid_totals[-1:], *ask_totals[-1:], _ZERO])
    ask_rows = _rows(Side.SELL, asks, ask_totals, deepest, own)
    ask_rows.reverse()
    return LadderView(
        asks=tuple(ask_rows),
        bids=tuple(_rows(Side.BUY, bids, bid_totals, deepest, own)),
        spread=snapshot.spread,
        mid=mid,
        own_off_ladder=_off_ladder(own, bids, asks),
    )


def _rows(
    side: Side,
    levels: list[PriceLevel],
    totals: list[Decimal],
    deepest: Decimal,
    own: dict[tuple[Side, Decimal], Decimal],
) -> list[LadderRow]:
    """One side's rows: side, price, size, cumulative, depth, own size."""
    depths = [float(total / deepest) for total in totals] if deepest else [0.0] * len(totals)
    owns = [own.get((side, price), _ZERO) for price, _ in levels] if own else [_ZERO] * len(levels)
    return [
        _new(LadderRow, (side, price, size, total, depth, own_size))
        for (price, size), total, depth, own_size in zip(levels, totals, depths, owns, strict=True)
    ]


def _off_ladder(
    own: Collection[tuple[Side, Decimal]], bids: list[PriceLevel], asks: list[PriceLevel]
) -> int:
    """How many of the ``own`` (side, bucket) lines are not among the rows shown."""
    if not own:
        return 0
    shown = {(Side.BUY, level.price) for level in bids}
    shown |= {(Side.SELL, level.price) for level in asks}
    return sum(1 for key in own if key not in shown)


def decimals_of(step: Decimal) -> int:
    """How many decimals a price or size on this step needs (0.01 -> 2, 5 -> 0)."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_amount(value: Decimal, decimals: int) -> str:
    """A fixed number of decimals with thousands separators, for right-aligned columns."""
    return format(value, amount_format(decimals))


def amount_format(decimals: int) -> str:
    """The format spec of :func:`format_amount`, for a caller that formats many amounts of
    the same decimals (make it once)."""
    return f",.{decimals}f"
