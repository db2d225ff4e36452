"""The native feed records a frame's trades in one call; it must leave the same state as
recording them one by one (the ccxt.pro adapter's way)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import GapPolicy
from console.stream.symbol_state import SymbolState, TapeRow

START_MS = 1_700_000_000_000

ROWS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=200_000),
        st.decimals(min_value=Decimal("0.1"), max_value=Decimal(100_000), places=1),
        st.decimals(min_value=Decimal("0.001"), max_value=Decimal(50), places=3),
        st.booleans(),
    ),
    max_size=40,
)


def rows_of(drawn: list[tuple[int, Decimal, Decimal, bool]]) -> list[TapeRow]:
    """Trade times that mostly move forward, sometimes repeat or step back (late prints)."""
    rows: list[TapeRow] = []
    moment = START_MS
    for number, (step, price, size, is_buy) in enumerate(drawn):
        moment += step - 20_000
        rows.append((moment, f"t{number}", price, size, is_buy))
    return rows


@settings(max_examples=200, deadline=None)
@given(st.lists(ROWS, max_size=6))
def test_recording_a_batch_equals_recording_each_trade(
    batches: list[list[tuple[int, Decimal, Decimal, bool]]],
) -> None:
    one_by_one = SymbolState("X", depth=50, gap_policy=GapPolicy.STRICT)
    batched = SymbolState("X", depth=50, gap_policy=GapPolicy.STRICT)
    for drawn in batches:
        rows = rows_of(drawn)
        for row in rows:
            one_by_one.record_trade(*row)
        batched.record_trades(rows)
        assert list(batched.tape) == list(one_by_one.tape)
        assert batched.trade_stats(None) == one_by_one.trade_stats(None)
        assert batched.window.per_minute_counts(90) == one_by_one.window.per_minute_counts(90)
        assert batched.window.per_minute_volumes(90) == one_by_one.window.per_minute_volumes(90)
