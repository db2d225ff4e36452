"""The console's risk gate as the order form's as-you-type check.

The form asks its risk check on every keystroke; :meth:`RiskGate.check` also counts each
accepted order toward the orders-per-second rule. Handing the gate itself to the form would
let typing use up the trader's order rate. :func:`preview_risk_gate` asks it with
``record=False``, so the form shows exactly the refusal the gate would give (kill switch,
maximum notional, price band, rate) while only real sends are counted.

The exchange layer (and with it ccxt, about 0.7 s) is imported when a preview is made, not
with this module: the keymap check imports every module of ``console.tui`` before the
first frame (:mod:`console.tui.keymap`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from console.domain import Market, OrderRequest
from console.tui.forms.order_draft import RiskCheck

if TYPE_CHECKING:
    from console.exchange.risk import RiskGate


def preview_risk_gate(
    gate: RiskGate,
    markets: Mapping[str, Market],
    mid_price: Callable[[str], Decimal | None],
    now: Callable[[], datetime],
) -> RiskCheck:
    """A side-effect-free risk check for :class:`OrderEntryScreen`.

    Args:
        gate: The console's gate; it is read, never changed.
        markets: Markets by symbol (the gate words its refusals in the quote currency).
        mid_price: The current mid of a symbol, or None without a book.
        now: The app's clock.
    """
    from console.exchange.risk import RiskRejected

    def check(request: OrderRequest) -> str | None:
        market = markets.get(request.symbol)
        if market is None:
            return f"{request.symbol} is not a market the venue lists"
        try:
            gate.check(request, market, mid_price(request.symbol), now(), record=False)
        except RiskRejected as refusal:
            return str(refusal)
        return None

    return check
