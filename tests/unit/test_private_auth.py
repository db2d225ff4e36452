"""The private WebSocket's auth signature, on both sides, against the reference test vector
(``bybit-v5-private.md`` §2.2: secret ``TESTSECRET123``, expires ``1700000010000``)."""

from __future__ import annotations

import json

from console.sim.ws_private import auth_signature
from console.stream.bybit_private import AUTH_EXPIRES_MS, auth_request

VECTOR = "b5a2f03accb457019e507f18ba3758c298f57b2e9870b4be9f0ae66aeb635520"


def test_the_simulator_checks_bybits_signature() -> None:
    assert auth_signature("TESTSECRET123", 1700000010000) == VECTOR


def test_the_client_signs_the_same_way_with_expires_ahead() -> None:
    frame = json.loads(auth_request("XXXXXXXXXX", "TESTSECRET123", 1700000010000 - AUTH_EXPIRES_MS))
    assert frame["op"] == "auth"
    assert frame["args"] == ["XXXXXXXXXX", 1700000010000, VECTOR]
