"""The new-practice-session form's rules: a name, starting balances, leverage. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from console.tui.forms.order_draft import parse_amount

MAX_LEVERAGE = Decimal(100)
"""The paper engine's ceiling (``PaperSettings.leverage``)."""
MAX_NAME_LENGTH = 60


@dataclass(frozen=True)
class NewSession:
    """Start a fresh paper session with these balances."""

    name: str
    starting_balances: dict[str, Decimal]
    leverage: Decimal


@dataclass(frozen=True)
class ResumeSession:
    """Carry on with a session from the ledger."""

    session_id: int


@dataclass(frozen=True)
class SessionFormCheck:
    errors: Mapping[str, str] = field(default_factory=dict)
    """``name``, ``leverage``, ``balance-<CURRENCY>`` or ``balances`` -> problem."""
    session: NewSession | None = None


def check_new_session(name: str, balances: Mapping[str, str], leverage: str) -> SessionFormCheck:
    """Every problem with the typed fields, or the NewSession they describe.

    Args:
        balances: currency code -> amount as typed; an empty amount means zero.
    """
    errors: dict[str, str] = {}
    clean_name = name.strip()
    if not clean_name:
        errors["name"] = "Give the session a name"
    elif len(clean_name) > MAX_NAME_LENGTH:
        errors["name"] = f"Keep the name under {MAX_NAME_LENGTH} characters"
    amounts: dict[str, Decimal] = {}
    for currency, text in balances.items():
        code = currency.strip().upper()
        if not text.strip():
            continue
        if not code.isalnum():
            errors["balances"] = f"{currency!r} is not a currency code"
            continue
        amount = parse_amount(text, f"{code} balance", allow_zero=True)
        if isinstance(amount, str):
            errors[f"balance-{code}"] = amount
        elif amount:
            amounts[code] = amounts.get(code, Decimal(0)) + amount
    if not amounts and not any(key.startswith("balance") for key in errors):
        errors["balances"] = "Start with some balance: at least one amount above zero"
    lev = parse_amount(leverage, "leverage")
    if isinstance(lev, str):
        errors["leverage"] = lev
    elif not Decimal(1) <= lev <= MAX_LEVERAGE:
        errors["leverage"] = f"Leverage must be between 1 and {MAX_LEVERAGE}"
    if errors or isinstance(lev, str):
        return SessionFormCheck(errors=errors)
    return SessionFormCheck(
        session=NewSession(name=clean_name, starting_balances=amounts, leverage=lev)
    )
