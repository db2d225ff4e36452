"""Bybit v5 HMAC-SHA256 request signing, verified over the exact bytes received.

The string to sign is ``timestamp + apiKey + recvWindow + payload``, where the payload is the
raw query string of a GET and the raw body of a POST. Re-encoding the parameters before
checking would accept signatures Bybit rejects (ccxt signs unquoted, in insertion order), so
the simulator hashes what arrived on the wire. Checks run in Bybit's order: the key
(10003), the timestamp window (10002), then the signature (10004).

Headers are client text: numbers must be ASCII digits of bounded length (``str.isdigit``
accepts ``"²"``, which ``int`` refuses) and the signature 64 hex characters, compared as bytes
(``hmac.compare_digest`` raises on non-ASCII text).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from console.sim.envelopes import BybitError

DEFAULT_RECV_WINDOW_MS = 5000
FUTURE_TOLERANCE_MS = 1000
"""Bybit accepts timestamps up to one second ahead of its clock."""
_MILLIS = re.compile(r"[0-9]{1,19}")
_HEX_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True, slots=True)
class ApiCredential:
    """An API key pair and the account (UID) it trades for. The secret never shows in repr."""

    api_key: str
    secret: str = field(repr=False)
    uid: str


def sign(secret: str, timestamp: str, api_key: str, recv_window: str, payload: str) -> str:
    """Lowercase hex HMAC-SHA256, as Bybit and ccxt compute it."""
    message = f"{timestamp}{api_key}{recv_window}{payload}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def authenticate(
    headers: Mapping[str, str],
    payload: str,
    credentials: Mapping[str, ApiCredential],
    now_ms: int,
) -> ApiCredential:
    """The caller's credential, or the BybitError Bybit would answer with."""
    api_key = headers.get("X-BAPI-API-KEY", "")
    credential = credentials.get(api_key)
    if credential is None:
        raise BybitError(10003, "API key is invalid.")
    timestamp = headers.get("X-BAPI-TIMESTAMP", "")
    recv_window = headers.get("X-BAPI-RECV-WINDOW", str(DEFAULT_RECV_WINDOW_MS))
    if not _MILLIS.fullmatch(timestamp) or not _MILLIS.fullmatch(recv_window):
        raise BybitError(
            10002,
            "invalid request, please check your timestamp and recv_window param. "
            f"req_timestamp[{timestamp}],recv_window[{recv_window}]",
        )
    stamp, window = int(timestamp), int(recv_window)
    if not (now_ms - window <= stamp < now_ms + FUTURE_TOLERANCE_MS):
        raise BybitError(
            10002,
            "invalid request, please check your server timestamp or recv_window param. "
            f"req_timestamp[{stamp}],server_timestamp[{now_ms}],recv_window[{window}]",
        )
    expected = sign(credential.secret, timestamp, api_key, recv_window, payload)
    received = headers.get("X-BAPI-SIGN", "")
    well_formed = _HEX_SIGNATURE.fullmatch(received) is not None
    if not well_formed or not hmac.compare_digest(expected.encode(), received.lower().encode()):
        origin = f"{timestamp}{api_key}{recv_window}{payload}"
        raise BybitError(10004, f"error sign! origin_string[{origin}]")
    return credential
