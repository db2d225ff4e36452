"""Signed position endpoints: list, set-leverage, closed PnL, and the account's margin mode.

Only linear positions exist (one-way mode, ``positionIdx`` 0). Inverse and option requests
are answered with empty lists, as for an account that never traded them: ccxt.pro's
``watch_positions`` asks for inverse positions before it subscribes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.sim.context import Call, Endpoint, SimContext
from console.sim.envelopes import BybitError, params_error
from console.sim.params import (
    ClosedPnlParams,
    MarginModeParams,
    PositionListParams,
    SetLeverageParams,
    TradingStopParams,
    parse,
)
from console.sim.position_rows import closed_pnl_row, rest_row
from console.sim.positions import risk_tier
from console.sim.routes_trade import _page


def position_list(ctx: SimContext, call: Call) -> dict[str, Any]:
    """With ``symbol`` a row even for a flat position; with ``settleCoin`` only open ones."""
    p = parse(PositionListParams, call.params)
    account = call.require_account()
    if p.category != "linear":
        return {"list": [], "nextPageCursor": "", "category": p.category}
    desk = ctx.margin
    if p.symbol is not None:
        if desk.instrument(p.symbol) is None:
            raise BybitError(10001, "Not supported symbols")
        chosen = [desk.position(account, p.symbol)]
    elif p.settleCoin is not None or p.baseCoin is not None:
        chosen = [
            f
            for f in desk.open_positions(account)
            if p.settleCoin in (None, "USDT") and p.baseCoin in (None, f.symbol[:-4])
        ]
    else:
        raise params_error("symbol or settleCoin is required")
    rows, cursor = _page(chosen, p.cursor, p.limit, rest_row, cursor_in_rows=lambda _: True)
    return {"list": rows, "nextPageCursor": cursor, "category": p.category}


def set_leverage(ctx: SimContext, call: Call) -> dict[str, Any]:
    """One-way mode: buy and sell leverage must be equal; unchanged is 110043."""
    p = parse(SetLeverageParams, call.params)
    account = call.require_account()
    desk = ctx.margin
    if p.category != "linear":
        raise params_error("category: the simulator lists only linear contracts")
    if desk.instrument(p.symbol) is None:
        raise BybitError(10001, "Not supported symbols")
    if p.buyLeverage != p.sellLeverage:
        raise params_error("buyLeverage must equal sellLeverage in one-way mode")
    leverage = p.buyLeverage
    ceiling = risk_tier(p.symbol).max_leverage
    if not Decimal(1) <= leverage <= ceiling or leverage != leverage.quantize(Decimal("0.01")):
        raise BybitError(10001, f"leverage invalid: must be from 1 to {ceiling} (0.01 steps)")
    if leverage == account.leverage(p.symbol):
        raise BybitError(110043, "leverage not modified")
    previous = account.leverages.get(p.symbol)
    account.leverages[p.symbol] = leverage
    if account.balance("USDT", ctx.engine.mark_price).available < 0:
        if previous is None:
            account.leverages.pop(p.symbol)
        else:
            account.leverages[p.symbol] = previous
        raise BybitError(110044, "Available margin is insufficient")
    ctx.engine.touch_position(account, p.symbol)
    return {}


def trading_stop(ctx: SimContext, call: Call) -> dict[str, Any]:
    """TP/SL on the open position (``Full`` replaces, ``Partial`` adds; see ``tpsl.py``)."""
    p = parse(TradingStopParams, call.params)
    account = call.require_account()
    if p.category != "linear":
        raise params_error("category: the simulator lists only linear contracts")
    instrument = ctx.margin.instrument(p.symbol)
    if instrument is None:
        raise BybitError(10001, "Not supported symbols")
    ctx.engine.tpsl.trading_stop(account, instrument, p)
    ctx.engine.touch_position(account, p.symbol)
    return {}


def closed_pnl(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Closing orders' realised PnL, newest first (Bybit's 7-day default window is not
    applied: the simulator's history is short)."""
    p = parse(ClosedPnlParams, call.params)
    account = call.require_account()
    if p.category != "linear":
        return {"list": [], "nextPageCursor": "", "category": p.category}
    chosen = [
        r
        for r in reversed(list(account.closed_pnls.values()))
        if p.symbol in (None, r.symbol)
        and (p.startTime is None or r.updated_ms >= p.startTime)
        and (p.endTime is None or r.updated_ms <= p.endTime)
    ]
    rows, cursor = _page(chosen, p.cursor, p.limit, closed_pnl_row)
    return {"nextPageCursor": cursor, "category": p.category, "list": rows}


def set_margin_mode(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Cross or isolated for the whole account; refused while positions or orders are open
    (Bybit answers 3400045 with its reasons)."""
    p = parse(MarginModeParams, call.params)
    account = call.require_account()
    if p.setMarginMode == "PORTFOLIO_MARGIN":
        raise BybitError(3400045, "Set margin mode failed")
    busy = any(pos.size for pos in account.positions.values()) or any(
        o.category == "linear" for o in account.open_orders.values()
    )
    if busy and p.setMarginMode != account.margin_mode:
        raise BybitError(3400045, "Set margin mode failed")
    account.margin_mode = p.setMarginMode
    return {"reasons": []}


POSITION_ENDPOINTS = (
    Endpoint("GET", "/v5/position/list", position_list, private=True),
    Endpoint("POST", "/v5/position/set-leverage", set_leverage, private=True),
    Endpoint("POST", "/v5/position/trading-stop", trading_stop, private=True),
    Endpoint("GET", "/v5/position/closed-pnl", closed_pnl, private=True),
    Endpoint("POST", "/v5/account/set-margin-mode", set_margin_mode, private=True),
)
