"""A large print is one at least ``large_multiple`` times the median size of the prints on the
tape; the tape keeps those sizes sorted as prints come and go, and must mark exactly the
prints the rule marks, through any batches, evictions past the tape's 300 and a new symbol."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from statistics import median

from hypothesis import example, given, settings
from hypothesis import strategies as st

from console.domain import Side, Trade
from console.tui.widgets.tape import SortedSizes, TradeTape

NOW = datetime(2026, 12, 6, tzinfo=UTC)

# Sizes from a small pool, some equal in value but written differently, so ties and the
# removal of one of several equal sizes are exercised.
SIZES = st.sampled_from(
    [
        Decimal(text)
        for text in ("0.1", "0.10", "0.25", "1", "1.0", "1.00", "2.5", "9", "40", "7.125")
    ]
)


def a_print(number: int, size: Decimal, symbol: str = "BTC/USDT") -> Trade:
    return Trade(
        symbol=symbol,
        trade_id=f"t{number}",
        price=Decimal(100),
        size=size,
        side=Side.BUY if number % 2 else Side.SELL,
        timestamp=NOW,
    )


def marked_by_the_rule(tape: TradeTape) -> list[bool]:
    sizes = [trade.size for trade in tape.trades]
    if len(sizes) < 5:
        return [False] * len(sizes)
    threshold = Decimal(median(sizes)) * tape.large_multiple
    return [size >= threshold for size in sizes]


# Each batch at its own scale, so the median moves as prints leave the tape.
BATCHES = st.lists(
    st.tuples(st.sampled_from([1, 10, 1000]), st.lists(SIZES, min_size=0, max_size=60)),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(batches=BATCHES)
@example(  # a whole tape of small prints pushed off by big ones: the median must follow
    batches=[
        (1, [Decimal(1)] * 150),
        (1, [Decimal(1)] * 150),
        (100, [Decimal(1)] * 200),
        (400, [Decimal(1)]),
    ]
)
def test_the_tape_marks_exactly_the_prints_the_median_rule_marks(
    batches: list[tuple[int, list[Decimal]]],
) -> None:
    tape = TradeTape("BTC/USDT")
    number = 0
    for scale, batch in batches:
        trades = []
        for size in batch:
            number += 1
            trades.append(a_print(number, size * scale))
        tape.add_trades([*trades, a_print(-number, Decimal(5), symbol="ETH/USDT")])
        assert len(tape.trades) == min(number, 300)
        assert [tape.is_large(trade) for trade in tape.trades] == marked_by_the_rule(tape)
    tape.show_symbol("ETH/USDT")  # starts over: no baseline
    tape.add_trades([a_print(number + n, Decimal(1), symbol="ETH/USDT") for n in range(4)])
    tape.add_trades([a_print(number + 9, Decimal(50), symbol="ETH/USDT")])
    assert [tape.is_large(trade) for trade in tape.trades] == marked_by_the_rule(tape)
    assert tape.is_large(tape.trades[0])


@given(st.lists(SIZES, min_size=1, max_size=60), st.data())
def test_sorted_sizes_give_the_median_of_what_they_hold(
    sizes: list[Decimal], data: st.DataObject
) -> None:
    held = SortedSizes()
    for size in sizes:
        held.add(size)
    gone = data.draw(st.lists(st.sampled_from(sizes), max_size=len(sizes) - 1, unique_by=id))
    remaining = list(sizes)
    for size in gone:
        held.remove(size)
        remaining.remove(size)
    assert len(held) == len(remaining)
    assert held.median() == median(remaining)
