"""Signed account endpoints: wallet balance, account info and the API key's own details."""

from __future__ import annotations

from typing import Any

from console.sim.bybit_rows import wallet_result
from console.sim.context import Call, Endpoint, SimContext
from console.sim.envelopes import params_error
from console.sim.params import WalletParams, parse

KEY_CREATED_AT = "2025-01-01T00:00:00Z"
KEY_EXPIRES_AT = "2099-01-01T00:00:00Z"


def wallet_balance(ctx: SimContext, call: Call) -> dict[str, Any]:
    p = parse(WalletParams, call.params)
    if p.accountType != "UNIFIED":
        raise params_error("accountType only support UNIFIED")
    account = call.require_account()
    coins = account.coins()
    if p.coin is not None:
        wanted = set(p.coin.split(","))
        coins = [c for c in coins if c in wanted]
    balances = [account.balance(c, ctx.engine.mark_price) for c in coins]
    prices = {c: ctx.engine.coin_price(c) for c in coins}
    return wallet_result(account, balances, prices)


def account_info(ctx: SimContext, call: Call) -> dict[str, Any]:
    call.require_account()
    return {
        "marginMode": call.require_account().margin_mode,
        "updatedTime": "1735689600000",
        "unifiedMarginStatus": 6,
        "dcpStatus": "OFF",
        "timeWindow": 10,
        "smpGroup": 0,
        "isMasterTrader": False,
        "spotHedgingStatus": "OFF",
    }


def query_api(ctx: SimContext, call: Call) -> dict[str, Any]:
    """The key's own permissions; never the secret (Bybit sends ``secret`` as empty)."""
    account = call.require_account()
    credential = next(c for c in ctx.credentials.values() if c.uid == account.uid)
    return {
        "id": account.uid,
        "note": "breakout-console simulator",
        "apiKey": credential.api_key,
        "readOnly": 0,
        "secret": "",
        "permissions": {
            "ContractTrade": ["Order", "Position"],
            "Spot": ["SpotTrade"],
            "Wallet": ["AccountTransfer"],
            "Options": [],
            "Derivatives": ["DerivativesTrade"],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": [],
            "NFT": [],
            "Affiliate": [],
            "Earn": [],
        },
        "ips": ["*"],
        "type": 1,
        "deadlineDay": -2,
        "expiredAt": KEY_EXPIRES_AT,
        "createdAt": KEY_CREATED_AT,
        "unified": 0,
        "uta": 1,
        "userID": int(account.uid),
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
        "rsaPublicKey": "",
        "isMaster": True,
        "parentUid": "0",
        "kycLevel": "LEVEL_DEFAULT",
        "kycRegion": "",
    }


ACCOUNT_ENDPOINTS = (
    Endpoint("GET", "/v5/account/wallet-balance", wallet_balance, private=True),
    Endpoint("GET", "/v5/account/info", account_info, private=True),
    Endpoint("GET", "/v5/user/query-api", query_api, private=True),
)
