"""ccxt's numbers are floats; the parser converts the ordinary ones without running the
plausibility checks whose answer is known. For every float, the fast paths must give what
the checked path gives for the same number (a Decimal goes through every check), or refuse
it the same way."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from console.domain.plausibility import Implausible
from console.exchange.errors import MalformedResponse
from console.exchange.parse import _optional_price, _optional_size, _price, _size, to_decimal

CONVERTERS: dict[str, Callable[[object, str], Decimal | None]] = {
    "to_decimal": to_decimal,
    "price": _price,
    "optional price": _optional_price,
    "size": _size,
    "optional size": _optional_size,
}


def outcome(convert: Callable[[object, str], Decimal | None], value: object) -> object:
    try:
        result = convert(value, "x")
    except (MalformedResponse, Implausible) as error:  # the boundary makes both one error
        return ("refused", type(error).__name__)
    return result if result is None else (result, str(result))


@pytest.mark.parametrize("name", CONVERTERS)
@given(st.floats(allow_nan=True, allow_infinity=True))
@example(0.0)
@example(-0.0)
@example(1e18)
@example(float.fromhex("0x1.bc16d674ec7ffp+59"))  # the largest float below 1e18
@example(-1e18)
@example(5e-324)
@example(float("nan"))
@example(float("-inf"))
def test_a_float_converts_as_its_decimal_does(name: str, value: float) -> None:
    convert = CONVERTERS[name]
    fast = outcome(convert, value)
    checked = outcome(convert, Decimal(str(value)))
    assert fast == checked
