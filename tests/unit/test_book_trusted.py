"""A book's read is built without validation (``trusted``); it must be the very value the
validated model would be, for any levels and times the book holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import DepthSnapshot
from console.domain.book import OrderBook

PRICES = [f"{whole}.{tenth}" for whole in range(100, 106) for tenth in ("0", "5")]
SIZE = st.sampled_from(["0.001", "1", "2.50", "7", "1E+1"])


@st.composite
def sides(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    split = draw(st.integers(min_value=1, max_value=len(PRICES) - 1))
    bids = draw(st.lists(st.sampled_from(PRICES[:split]), unique=True, max_size=8))
    asks = draw(st.lists(st.sampled_from(PRICES[split:]), unique=True, max_size=8))
    return [(p, draw(SIZE)) for p in bids], [(p, draw(SIZE)) for p in asks]


@settings(max_examples=200, deadline=None)
@given(
    levels=sides(),
    sequence=st.integers(0, 2**53),
    exchange_ms=st.none() | st.integers(-(2**63), 2**63),
    received_s=st.floats(0, 4e9),
    depth=st.none() | st.integers(1, 10),
    stale=st.booleans(),
)
def test_a_read_equals_the_validated_snapshot(
    levels: tuple[list[tuple[str, str]], list[tuple[str, str]]],
    sequence: int,
    exchange_ms: int | None,
    received_s: float,
    depth: int | None,
    stale: bool,
) -> None:
    book = OrderBook("BTC/USDT:USDT")
    book.apply_snapshot(*levels, sequence, exchange_ms=exchange_ms, received_s=received_s)
    seen = book.snapshot(depth, stale=stale)
    assert seen is not None
    validated = DepthSnapshot(**dict(seen))
    assert seen == validated
    assert seen.model_dump_json() == validated.model_dump_json()
    assert seen.model_fields_set == validated.model_fields_set
    assert (seen.spread, seen.mid, seen.is_crossed) == (
        validated.spread,
        validated.mid,
        validated.is_crossed,
    )
