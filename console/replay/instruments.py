"""Recorded ``instruments-info`` rows turned into the simulator's :class:`SimInstrument`.

Only the filters matter in a replay (tick, step, minimums): the synthetic-market knobs are
unused because the recording drives the book. Fees are not in ``instruments-info``; a replay
charges Bybit's default tier, as the simulator does.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from console.sim.instruments import Category, SimInstrument

LINEAR_FEES = (Decimal("0.0002"), Decimal("0.00055"))
SPOT_FEES = (Decimal("0.001"), Decimal("0.001"))


class InstrumentRowError(ValueError):
    """A recorded instrument row lacks a filter a replay needs."""


def _decimal(row: dict[str, Any], group: str, key: str, default: str | None = None) -> Decimal:
    value = row.get(group, {}).get(key, default)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if value is None or not number.is_finite():
        raise InstrumentRowError(f"{row.get('symbol')}: {group}.{key} is {value!r}")
    return number


def sim_instrument(category: Category, row: dict[str, Any], last_price: Decimal) -> SimInstrument:
    """The instrument ``row`` describes, priced at ``last_price`` to start with."""
    tick = _decimal(row, "priceFilter", "tickSize")
    if category == "spot":
        step = _decimal(row, "lotSizeFilter", "basePrecision")
        max_qty = _decimal(row, "lotSizeFilter", "maxOrderQty")
        min_notional = _decimal(row, "lotSizeFilter", "minOrderAmt", "1")
        max_notional = _decimal(row, "lotSizeFilter", "maxOrderAmt", "0")
        max_market = max_qty
        maker, taker = SPOT_FEES
    else:
        step = _decimal(row, "lotSizeFilter", "qtyStep")
        max_qty = _decimal(row, "lotSizeFilter", "maxOrderQty")
        max_market = _decimal(row, "lotSizeFilter", "maxMktOrderQty", str(max_qty))
        min_notional = _decimal(row, "lotSizeFilter", "minNotionalValue", "0")
        max_notional = Decimal(0)
        maker, taker = LINEAR_FEES
    return SimInstrument(
        category=category,
        symbol=str(row["symbol"]),
        base=str(row.get("baseCoin", "")),
        quote=str(row.get("quoteCoin", "")),
        tick_size=tick,
        qty_step=step,
        min_qty=_decimal(row, "lotSizeFilter", "minOrderQty"),
        max_qty=max_qty,
        max_market_qty=max_market,
        min_notional=min_notional,
        max_notional=max_notional,
        start_price=last_price,
        maker_fee=maker,
        taker_fee=taker,
        level_gap_ticks=1,
        touch_lots=1,
        trade_lots=1,
    )
