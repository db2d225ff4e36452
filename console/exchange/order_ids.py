"""Client order ids: Bybit's ``orderLinkId``, the one handle on an order whose answer was lost.

An id is made before anything is sent and journaled with the order, so after a timeout, a
crash or a restart the console can ask the venue "do you have this one?". Ids carry the
console's prefix so start-up reconciliation can tell the console's orders from orders
placed elsewhere on the same account.
"""

from __future__ import annotations

import random
import re
import uuid

CLIENT_ORDER_ID_PREFIX = "bc"
"""Marks orders placed by this console (``bc`` + 32 hex digits = 34 characters)."""
MAX_CLIENT_ORDER_ID_LENGTH = 36
"""Bybit refuses longer ``orderLinkId``s (passivbot#436: a prefixed UUID broke this)."""

_ALLOWED = re.compile(r"^[A-Za-z0-9_-]{1,36}$")


class ClientOrderIds:
    """Makes unique client order ids: ``prefix`` + 32 hex digits.

    Args:
        prefix: at most 4 characters of ``[A-Za-z0-9_-]``.
        rng: a seeded ``random.Random`` for reproducible runs (tests); None uses uuid4.
    """

    def __init__(
        self, prefix: str = CLIENT_ORDER_ID_PREFIX, *, rng: random.Random | None = None
    ) -> None:
        if len(prefix) > MAX_CLIENT_ORDER_ID_LENGTH - 32 or not _ALLOWED.match(prefix):
            raise ValueError("a client order id prefix is 1-4 of letters, digits, '_' and '-'")
        self.prefix = prefix
        self._rng = rng

    def __call__(self) -> str:
        """A fresh id (never reused: 128 random bits)."""
        bits = self._rng.getrandbits(128) if self._rng is not None else uuid.uuid4().int
        return f"{self.prefix}{bits:032x}"

    def is_ours(self, client_order_id: str | None) -> bool:
        """Whether an order on the venue was placed by a console using this prefix."""
        return (
            client_order_id is not None
            and client_order_id.startswith(self.prefix)
            and len(client_order_id) == len(self.prefix) + 32
        )


def check_client_order_id(client_order_id: str) -> str:
    """``client_order_id`` if Bybit would accept it.

    Raises:
        ValueError: too long or with characters Bybit refuses.
    """
    if not _ALLOWED.match(client_order_id):
        raise ValueError(
            f"client order id {client_order_id!r} must be 1-{MAX_CLIENT_ORDER_ID_LENGTH} "
            "letters, digits, '_' or '-'"
        )
    return client_order_id


__all__ = [
    "CLIENT_ORDER_ID_PREFIX",
    "MAX_CLIENT_ORDER_ID_LENGTH",
    "ClientOrderIds",
    "check_client_order_id",
]
