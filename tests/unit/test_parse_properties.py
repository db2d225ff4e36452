"""Properties of the number conversion every parsed answer goes through."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.plausibility import MAX_MAGNITUDE
from console.exchange.errors import MalformedResponse
from console.exchange.parse import to_decimal

LIMIT = float(MAX_MAGNITUDE)
finite_floats = st.floats(
    min_value=-LIMIT, max_value=LIMIT, exclude_min=True, exclude_max=True, allow_nan=False
)


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
@given(
    st.decimals(
        min_value=-MAX_MAGNITUDE + 1,
        max_value=MAX_MAGNITUDE - 1,
        allow_nan=False,
        allow_infinity=False,
        places=8,
    )
)
def test_venue_strings_are_taken_digit_for_digit(value: Decimal) -> None:
    assert to_decimal(str(value)) == value
    assert str(to_decimal(str(value))) == str(value)


@settings(derandomize=True, max_examples=100)
@given(st.one_of(st.floats(min_value=LIMIT), st.floats(max_value=-LIMIT), st.just(float("nan"))))
def test_numbers_beyond_any_venue_quote_are_refused(value: float) -> None:
    with pytest.raises(MalformedResponse):
        to_decimal(value)
