"""Refusals any trading venue can raise, so callers need not know which venue refused.

The paper engine (``console.paper``) raises subclasses of these; the exchange layer maps them
onto its own taxonomy (``console.exchange.errors``) without importing the paper package.
"""

from __future__ import annotations


class OrderRefused(Exception):
    """A venue refused an order before it existed; nothing was recorded or locked.

    ``rule`` is a short stable name callers can match on (``insufficient_funds``,
    ``post_only_would_take``, ...); ``str()`` is the sentence a trader reads, with the numbers.
    """

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


class UnknownOrder(Exception):
    """The venue has no order with that id (or not for that symbol)."""
