"""Pure helpers shared by the trading forms and dialogs: parsing and checking what the trader
typed, costing an order, formatting amounts. No widgets here, so they test fast and alone.

``console.tui.forms.risk_preview`` is left out of this list on purpose: it imports the
exchange layer (and ccxt), which a widget that only wants an amount formatted should not pay
for."""

from console.tui.forms.amounts import grouped_amount, plain_amount
from console.tui.forms.order_costs import FeeEstimate, PriceBandCheck, estimate_fee, order_notional
from console.tui.forms.order_draft import (
    DraftCheck,
    OrderDraft,
    RiskCheck,
    check_draft,
    parse_amount,
)
from console.tui.forms.session_form import NewSession, ResumeSession, check_new_session

__all__ = [
    "DraftCheck",
    "FeeEstimate",
    "NewSession",
    "OrderDraft",
    "PriceBandCheck",
    "ResumeSession",
    "RiskCheck",
    "check_draft",
    "check_new_session",
    "estimate_fee",
    "grouped_amount",
    "order_notional",
    "parse_amount",
    "plain_amount",
]
