"""Render the simulator's records as Bybit v5 JSON: field names and string numbers as sent.

The field sets follow real responses recorded by ccxt (``fixtures/ccxt-static``); the
fidelity test compares them key by key, so a field added here should exist on Bybit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from console.sim.accounts import CoinBalance, SimAccount
from console.sim.orders import SimExecution, SimOrder


def fmt(value: Decimal | None, empty: str = "") -> str:
    """A plain decimal string (never scientific notation), or ``empty`` for None."""
    if value is None:
        return empty
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def order_row(order: SimOrder) -> dict[str, Any]:
    """One ``order/realtime`` / ``order/history`` row."""
    linear = order.category == "linear"
    leaves = order.leaves_qty
    return {
        "symbol": order.symbol,
        "orderType": order.order_type,
        "orderLinkId": order.order_link_id,
        "slLimitPrice": fmt(order.sl_limit_price, "0"),
        "orderId": order.order_id,
        "cancelType": order.cancel_type,
        "avgPrice": fmt(order.avg_price, "" if linear else "0"),
        "stopOrderType": order.stop_order_type,
        "lastPriceOnCreated": fmt(order.last_price_on_created),
        "orderStatus": order.status,
        "createType": order.create_type,
        "takeProfit": fmt(order.take_profit, "" if linear else "0"),
        "cumExecValue": fmt(order.cum_exec_value),
        "tpslMode": order.tpsl_mode,
        "smpType": "None",
        "triggerDirection": str(order.trigger_direction),
        "blockTradeId": "",
        "cumFeeDetail": {order.fee_coin: fmt(order.cum_exec_fee)} if order.fee_coin else {},
        "isLeverage": "" if linear else "0",
        "rejectReason": order.reject_reason,
        "price": fmt(order.price, "0"),
        "orderIv": "",
        "createdTime": str(order.created_ms),
        "tpTriggerBy": order.tp_trigger_by,
        "positionIdx": "0",
        "timeInForce": order.time_in_force,
        "leavesValue": fmt(leaves * order.price if order.price is not None else Decimal(0)),
        "updatedTime": str(order.updated_ms),
        "side": order.side,
        "smpGroup": "0",
        "triggerPrice": fmt(order.trigger_price, "" if linear else "0"),
        "tpLimitPrice": fmt(order.tp_limit_price, "0"),
        "cumExecFee": fmt(order.cum_exec_fee),
        "slTriggerBy": order.sl_trigger_by,
        "leavesQty": fmt(leaves),
        "closeOnTrigger": order.close_on_trigger,
        "placeType": "",
        "cumExecQty": fmt(order.cum_exec_qty),
        "reduceOnly": order.reduce_only,
        "qty": fmt(order.qty),
        "stopLoss": fmt(order.stop_loss, "" if linear else "0"),
        "marketUnit": order.market_unit,
        "smpOrderId": "",
        "triggerBy": order.trigger_by,
        "slippageToleranceType": "UNKNOWN",
        "slippageTolerance": "0",
        "extraFees": "",
    }


def execution_row(execution: SimExecution) -> dict[str, Any]:
    """One ``execution/list`` row."""
    return {
        "symbol": execution.instrument.symbol,
        "orderType": execution.order_type,
        "underlyingPrice": "",
        "orderLinkId": execution.order_link_id,
        "orderId": execution.order_id,
        "stopOrderType": execution.stop_order_type or "UNKNOWN",
        "execTime": str(execution.time_ms),
        "feeRate": fmt(execution.fee_rate),
        "tradeIv": "",
        "blockTradeId": "",
        "markPrice": fmt(execution.mark_price),
        "execPrice": fmt(execution.price),
        "markIv": "",
        "orderQty": fmt(execution.order_qty),
        "orderPrice": fmt(execution.order_price, "0"),
        "execValue": fmt(execution.value),
        "closedSize": fmt(execution.closed_size),
        "execType": execution.exec_type,
        "createType": execution.create_type,
        "marketUnit": execution.market_unit,
        "seq": str(execution.seq),
        "side": execution.side,
        "indexPrice": "",
        "leavesQty": fmt(execution.leaves_qty),
        "isMaker": execution.is_maker,
        "execQty": fmt(execution.qty),
        "execFee": fmt(execution.fee),
        "feeCurrency": execution.fee_coin,
        "execId": execution.exec_id,
        "extraFees": "",
    }


def _coin_row(balance: CoinBalance, usd_price: Decimal) -> dict[str, Any]:
    return {
        "availableToBorrow": "",
        "bonus": "0",
        "accruedInterest": "0",
        "availableToWithdraw": "",
        "totalOrderIM": fmt(balance.order_im),
        "equity": fmt(balance.equity),
        "totalPositionMM": fmt(balance.position_mm),
        "usdValue": fmt((balance.equity * usd_price).quantize(Decimal("0.00000001"))),
        "unrealisedPnl": fmt(balance.unrealised),
        "collateralSwitch": True,
        "spotHedgingQty": "0",
        "borrowAmount": "0",
        "totalPositionIM": fmt(balance.position_im),
        "walletBalance": fmt(balance.wallet),
        "cumRealisedPnl": fmt(balance.realised),
        "locked": fmt(balance.locked),
        "marginCollateral": True,
        "coin": balance.coin,
        "spotBorrow": "0",
    }


def wallet_result(
    account: SimAccount,
    balances: list[CoinBalance],
    usd_prices: dict[str, Decimal],
) -> dict[str, Any]:
    """The ``account/wallet-balance`` result of a unified account."""
    equity = sum((b.equity * usd_prices[b.coin] for b in balances), Decimal(0))
    wallet = sum((b.wallet * usd_prices[b.coin] for b in balances), Decimal(0))
    initial = sum(((b.order_im + b.position_im) * usd_prices[b.coin] for b in balances), Decimal(0))
    upl = sum((b.unrealised * usd_prices[b.coin] for b in balances), Decimal(0))
    maintenance = sum((b.position_mm * usd_prices[b.coin] for b in balances), Decimal(0))
    cents = Decimal("0.00000001")
    return {
        "list": [
            {
                "totalEquity": fmt(equity.quantize(cents)),
                "accountIMRate": fmt((initial / equity).quantize(Decimal("0.0001")))
                if equity
                else "0",
                "totalMarginBalance": fmt(equity.quantize(cents)),
                "totalInitialMargin": fmt(initial.quantize(cents)),
                "accountType": "UNIFIED",
                "totalAvailableBalance": fmt((equity - initial).quantize(cents)),
                "accountMMRate": fmt((maintenance / equity).quantize(Decimal("0.0001")))
                if equity
                else "0",
                "totalPerpUPL": fmt(upl.quantize(cents)),
                "totalWalletBalance": fmt(wallet.quantize(cents)),
                "accountLTV": "0",
                "totalMaintenanceMargin": fmt(maintenance.quantize(cents)),
                "coin": [_coin_row(b, usd_prices[b.coin]) for b in balances],
            }
        ]
    }
