"""Properties of the number conversion every parsed answer goes through."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from console.exchange.parse import to_decimal

finite_floats = st.floats(allow_nan=False, allow_infinity=False)


@settings(derandomize=True, max_examples=500)
@given(finite_floats)
def test_a_ccxt_float_becomes_the_shortest_decimal_that_is_the_same_float(value: float) -> None:
    exact = to_decimal(value)

    assert float(exact) == value
    assert exact == Decimal(repr(value))
    assert len(exact.normalize().as_tuple().digits) <= len(
        Decimal(value).normalize().as_tuple().digits
    )


@settings(derandomize=True, max_examples=300)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=8))
def test_venue_strings_are_taken_digit_for_digit(value: Decimal) -> None:
    assert to_decimal(str(value)) == value
    assert str(to_decimal(str(value))) == str(value)
