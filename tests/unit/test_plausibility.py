"""Each rule of the trust boundary (console.domain.plausibility), one value at a time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from console.domain import plausibility as plausible
from console.domain.clock import ms_to_datetime, ms_to_datetime_or_none
from console.domain.plausibility import EARLIEST_MS, MAX_AHEAD_MS, Implausible

NOW_MS = 1_767_000_000_000
"""2025-12-29: a fixed 'now' for the timestamp rules."""


@pytest.mark.parametrize("value", [EARLIEST_MS, NOW_MS, NOW_MS + MAX_AHEAD_MS, float(NOW_MS)])
def test_a_timestamp_from_2015_to_a_little_ahead_of_the_clock_is_kept(value: object) -> None:
    assert plausible.timestamp_ms(value, NOW_MS) == int(value)  # type: ignore[call-overload]
    assert plausible.is_plausible_ms(int(value), NOW_MS)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (EARLIEST_MS - 1, "before 2015"),
        (1_700_000_000, "before 2015"),  # seconds, not milliseconds
        (0, "before 2015"),
        (-5, "before 2015"),
        (NOW_MS + MAX_AHEAD_MS + 1, "ahead of the clock"),
        (10**17, "ahead of the clock"),
        (2**200, "ahead of the clock"),
        (True, "whole number"),
        ("1767000000000", "whole number"),
        (1.5e12 + 0.5, "whole number"),
        (float("nan"), "whole number"),
        (None, "whole number"),
    ],
)
def test_an_implausible_timestamp_is_refused_naming_the_rule(value: object, rule: str) -> None:
    with pytest.raises(Implausible, match=rule):
        plausible.timestamp_ms(value, NOW_MS, "trade time")
    assert not plausible.is_plausible_ms(value, NOW_MS)


def test_the_skew_ahead_is_configurable_per_call() -> None:
    assert plausible.timestamp_ms(NOW_MS + 3_600_000, NOW_MS, max_ahead_ms=3_600_000)
    with pytest.raises(Implausible):
        plausible.timestamp_ms(NOW_MS + 2_000, NOW_MS, max_ahead_ms=1_000)


@pytest.mark.parametrize("text", ["60005.6", "0.00000001", "1", "-3.5"])
def test_decimal_text_is_read_exactly(text: str) -> None:
    assert plausible.number_text(text, "price") == Decimal(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1" * 5000, "longer than"),
        ("abc", "not a number"),
        ("", "not a number"),
        (60005.6, "not a decimal string"),
        (None, "not a decimal string"),
    ],
)
def test_unreadable_number_text_is_refused(text: object, rule: str) -> None:
    with pytest.raises(Implausible, match=rule):
        plausible.number_text(text, "price")


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e999999")]
)
def test_numbers_must_be_finite_and_in_range(value: Decimal) -> None:
    with pytest.raises(Implausible):
        plausible.finite(value, "number")
    with pytest.raises(Implausible):
        plausible.price(value)
    with pytest.raises(Implausible):
        plausible.size(value)
    assert not plausible.is_price(value)
    assert not plausible.is_positive_size(value)


def test_a_negative_number_is_finite_but_no_price_and_no_size() -> None:
    assert plausible.finite(Decimal("-2"), "fee") == Decimal("-2")
    with pytest.raises(Implausible, match="not above zero"):
        plausible.price(Decimal("-2"))
    with pytest.raises(Implausible, match="not above zero"):
        plausible.price(Decimal(0))
    with pytest.raises(Implausible, match="negative"):
        plausible.size(Decimal("-0.001"), "balance")


def test_zero_is_a_size_but_not_a_positive_one() -> None:
    assert plausible.size(Decimal(0)) == 0
    assert not plausible.is_positive_size(Decimal(0))
    assert plausible.is_positive_size(Decimal("0.001"))
    assert plausible.is_price(Decimal("60005.6"))


def test_filled_may_not_exceed_the_order_size() -> None:
    plausible.filled_within(Decimal(1), Decimal(1))
    with pytest.raises(Implausible, match="more than its size"):
        plausible.filled_within(Decimal("1.1"), Decimal(1))


def test_a_crossed_or_locked_touch_is_refused() -> None:
    plausible.uncrossed(Decimal(1), Decimal(2))
    plausible.uncrossed(None, Decimal(2))
    plausible.uncrossed(Decimal(3), None)
    with pytest.raises(Implausible, match="crossed"):
        plausible.uncrossed(Decimal(2), Decimal(2))
    with pytest.raises(Implausible, match="crossed"):
        plausible.uncrossed(Decimal(3), Decimal(2), "ticker")


def test_an_id_is_never_empty_and_none_never_becomes_the_string_none() -> None:
    assert plausible.identifier("abc") == "abc"
    assert plausible.identifier(1609920528435648000) == "1609920528435648000"
    for missing in (None, "", "   ", True, 1.5, ["x"]):
        with pytest.raises(Implausible, match="missing or empty"):
            plausible.identifier(missing, "order id")


def test_a_sequence_is_a_positive_int64() -> None:
    assert plausible.is_sequence(1)
    assert plausible.is_sequence(2**63 - 1)
    for bad in (0, -1, 2**63, "5", True, 5.0, None):
        assert not plausible.is_sequence(bad)


def test_an_implausible_value_is_shown_truncated() -> None:
    with pytest.raises(Implausible) as raised:
        plausible.number_text("9" * 5000, "price")
    assert len(str(raised.value)) < 200


@pytest.mark.parametrize("value", [10**17, 2**200, float("nan"), -(10**17)])
def test_time_conversion_raises_one_kind_or_answers_none(value: float) -> None:
    with pytest.raises(ValueError, match="not a representable moment"):
        ms_to_datetime(value)
    assert ms_to_datetime_or_none(value) is None


def test_the_allowed_lead_is_one_setting_for_the_process() -> None:
    before = plausible.allowed_ahead_ms()
    assert before == MAX_AHEAD_MS
    try:
        plausible.allow_ahead(3_600_000)
        assert plausible.timestamp_ms(NOW_MS + 3_000_000, NOW_MS) == NOW_MS + 3_000_000
        assert plausible.is_plausible_ms(NOW_MS + 3_000_000, NOW_MS)
        with pytest.raises(ValueError, match="negative"):
            plausible.allow_ahead(-1)
    finally:
        plausible.allow_ahead(before)
    with pytest.raises(Implausible, match="ahead of the clock"):
        plausible.timestamp_ms(NOW_MS + 3_000_000, NOW_MS)
