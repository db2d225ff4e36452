"""Exact amounts as the trader reads them: no trailing zeros, no exponent, never a float."""

from __future__ import annotations

from decimal import Decimal


def plain_amount(value: Decimal) -> str:
    """``Decimal("100.500")`` -> ``100.5``; ``Decimal("1E+3")`` -> ``1000``. For prose and forms."""
    normalized = value.normalize()
    return "0" if normalized == 0 else f"{normalized:f}"


def grouped_amount(value: Decimal) -> str:
    """``Decimal("12345.600")`` -> ``12,345.6``: thousands separators for table columns."""
    normalized = value.normalize()
    return "0" if normalized == 0 else f"{normalized:,f}"
