"""Render positions and closed-PnL records as Bybit v5 JSON (``position/list``, the
``position`` push, ``position/closed-pnl``).

Numbers are strings (values and prices derived by division, such as the average entry, to 8
decimals as Bybit shows them), the documented integer fields (``positionIdx``, ``riskId``,
``autoAddMargin``, ``adlRankIndicator``, ``tradeMode``, ``seq``) are JSON numbers, and the
push says ``entryPrice`` where REST says ``avgPrice`` (``bybit-v5-private.md`` §2.8, §3.1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.sim.bybit_rows import fmt
from console.sim.closed_pnl import ClosedPnl
from console.sim.positions import PositionFigures

VALUE_PLACES = Decimal("0.00000001")


def _money(value: Decimal) -> str:
    return fmt(value.quantize(VALUE_PLACES))


def _common(f: PositionFigures) -> dict[str, Any]:
    p = f.position
    flat = f.size == 0
    return {
        "positionIdx": 0,
        "riskId": f.tier.risk_id,
        "riskLimitValue": fmt(f.tier.limit_value),
        "symbol": f.symbol,
        "side": f.side,
        "size": fmt(f.size),
        "positionValue": "0" if flat else _money(f.value),
        "tradeMode": 0,
        "autoAddMargin": 0,
        "positionStatus": "Normal",
        "leverage": fmt(f.leverage),
        "markPrice": fmt(f.mark),
        "liqPrice": fmt(f.liq_price),
        "bustPrice": "",
        "positionIM": _money(f.im),
        "positionIMByMp": _money(f.size * f.mark / f.leverage),
        "positionMM": _money(f.mm),
        "positionMMByMp": _money(f.size * f.mark * f.tier.mmr),
        "positionBalance": _money(f.im),
        "takeProfit": fmt(p.take_profit),
        "stopLoss": fmt(p.stop_loss),
        "trailingStop": "0",
        "sessionAvgPrice": "",
        "delta": "",
        "gamma": "",
        "vega": "",
        "theta": "",
        "unrealisedPnl": _money(f.unrealised),
        "curRealisedPnl": _money(p.cur_realised),
        "cumRealisedPnl": _money(p.cum_realised),
        "adlRankIndicator": 0 if flat else 2,
        "createdTime": str(p.created_ms),
        "updatedTime": str(p.updated_ms),
        "seq": p.seq,
        "isReduceOnly": False,
        "mmrSysUpdatedTime": "",
        "leverageSysUpdatedTime": "",
        "tpslMode": "Full",
        "breakEvenPrice": _break_even(f),
    }


def _break_even(f: PositionFigures) -> str:
    """The price at which closing nets zero after the taker fee to open and to close."""
    if f.size == 0:
        return ""
    one, fee = Decimal(1), f.taker_fee
    factor = (one + fee) / (one - fee) if f.side == "Buy" else (one - fee) / (one + fee)
    return _money(f.entry * factor)


def rest_row(f: PositionFigures) -> dict[str, Any]:
    """One ``position/list`` row."""
    return {**_common(f), "avgPrice": _money(f.entry), "openTime": 0}


def push_row(f: PositionFigures) -> dict[str, Any]:
    """One ``position`` push row (``entryPrice``, and the ``category`` REST keeps outside)."""
    return {**_common(f), "entryPrice": _money(f.entry), "category": "linear"}


def closed_pnl_row(record: ClosedPnl) -> dict[str, Any]:
    size = record.closed_size
    return {
        "symbol": record.symbol,
        "orderType": record.order_type,
        "leverage": fmt(record.leverage),
        "updatedTime": str(record.updated_ms),
        "side": record.side,
        "orderId": record.order_id,
        "closedPnl": _money(record.pnl),
        "avgEntryPrice": _money(record.cum_entry_value / size) if size else "0",
        "qty": fmt(record.qty),
        "cumEntryValue": _money(record.cum_entry_value),
        "createdTime": str(record.created_ms),
        "orderPrice": fmt(record.order_price, "0"),
        "closedSize": fmt(size),
        "avgExitPrice": _money(record.cum_exit_value / size) if size else "0",
        "execType": record.exec_type,
        "fillCount": str(record.fill_count),
        "cumExitValue": _money(record.cum_exit_value),
        "openFee": "0",
        "closeFee": _money(record.close_fee),
    }


__all__ = ["closed_pnl_row", "push_row", "rest_row"]
