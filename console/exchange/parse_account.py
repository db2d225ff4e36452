"""ccxt positions and own trades -> domain :class:`Position` and :class:`Fill`, at the edge.

The same rules as :mod:`console.exchange.parse`: floats become the decimal text the venue
sent, anything unreadable is a :class:`MalformedResponse`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from console.domain import Fill, Liquidity, Position, Side
from console.exchange.errors import MalformedResponse
from console.exchange.parse import _build, _field, _time, optional_decimal, to_decimal

_POSITION_SIDES = {"long": Side.BUY, "short": Side.SELL, "buy": Side.BUY, "sell": Side.SELL}


def parse_position(position: Mapping[str, Any]) -> Position:
    """A ccxt position; a flat one (no side, zero contracts) has size 0 and no side."""
    size = optional_decimal(position.get("contracts"), "position size") or to_decimal(0)
    raw_side = position.get("side")
    side = _POSITION_SIDES.get(str(raw_side).lower()) if raw_side else None
    if size and side is None:
        raise MalformedResponse(f"The exchange sent a position without a side: {raw_side!r}")
    info = position.get("info") or {}
    seq = info.get("seq") if isinstance(info, Mapping) else None
    return _build(
        Position,
        "position",
        symbol=str(_field(position, "symbol", "position")),
        side=side if size else None,
        size=abs(size),
        entry_price=optional_decimal(position.get("entryPrice"), "entry price") or None,
        mark_price=optional_decimal(position.get("markPrice"), "mark price"),
        leverage=optional_decimal(position.get("leverage"), "leverage"),
        initial_margin=optional_decimal(position.get("initialMargin"), "initial margin"),
        maintenance_margin=optional_decimal(
            position.get("maintenanceMargin"), "maintenance margin"
        ),
        unrealised_pnl=optional_decimal(position.get("unrealizedPnl"), "unrealised PnL")
        or to_decimal(0),
        realised_pnl=optional_decimal(position.get("realizedPnl"), "realised PnL"),
        liquidation_price=optional_decimal(position.get("liquidationPrice"), "liquidation price")
        or None,
        updated_at=_time_if_set(position.get("lastUpdateTimestamp"))
        or _time_if_set(position.get("timestamp")),
        sequence=int(seq)
        if isinstance(seq, int | str) and str(seq).lstrip("-").isdigit()
        else None,
        take_profit=optional_decimal(position.get("takeProfitPrice"), "take-profit") or None,
        stop_loss=optional_decimal(position.get("stopLossPrice"), "stop-loss") or None,
    )


def _time_if_set(milliseconds: object) -> datetime | None:
    """Bybit writes ``"0"`` for a time a row does not have (a position never opened);
    that is no time, not the epoch. Any other value must be a plausible moment."""
    return None if milliseconds in (0, "0") else _time(milliseconds, "position time")


def _sequence(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value)
    return int(text) if text.lstrip("-").isdigit() else None


def parse_fill(trade: Mapping[str, Any]) -> Fill:
    """One of our executions as ccxt's ``fetch_my_trades`` / ``watch_my_trades`` gives it."""
    fee = trade.get("fee") or {}
    liquidity = Liquidity.MAKER if trade.get("takerOrMaker") == "maker" else Liquidity.TAKER
    side = _POSITION_SIDES.get(str(trade.get("side")).lower())
    return _build(
        Fill,
        "fill",
        fill_id=str(_field(trade, "id", "fill")),
        order_id=str(_field(trade, "order", "fill")),
        symbol=str(_field(trade, "symbol", "fill")),
        side=side,
        price=to_decimal(trade.get("price"), "fill price"),
        size=to_decimal(trade.get("amount"), "fill size"),
        fee=optional_decimal(fee.get("cost"), "fee") or to_decimal(0),
        fee_currency=str(fee.get("currency") or ""),
        liquidity=liquidity,
        timestamp=_time(trade.get("timestamp")),
    )


__all__ = ["parse_fill", "parse_position"]
