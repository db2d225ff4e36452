"""Shared pydantic configuration for domain values."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict


def _require_utc_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes in the domain must be timezone-aware (UTC)")
    return moment


def _refuse_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("money must be given as Decimal, int or str, never a binary float")
    return value


def _require_positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def _require_non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


UtcDateTime = Annotated[datetime, AfterValidator(_require_utc_aware)]
"""A timezone-aware moment; naive datetimes are rejected at the boundary."""

Money = Annotated[Decimal, BeforeValidator(_refuse_float)]
"""An exact amount: price, size, fee or balance. Never a binary float; pydantic itself
refuses NaN and infinities for Decimal."""

PositiveMoney = Annotated[Money, AfterValidator(_require_positive)]
NonNegativeMoney = Annotated[Money, AfterValidator(_require_non_negative)]


class Value(BaseModel):
    """An immutable domain value. Floats given for Decimal fields are refused (strict money)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
