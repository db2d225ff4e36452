"""Why the paper engine or its ledger refused something.

These live in ``console.paper`` (which may import only the domain); the exchange layer maps
them onto its own error taxonomy.
"""

from __future__ import annotations


class PaperOrderRejected(Exception):
    """An order the paper engine refused before it existed; nothing was recorded or locked.

    ``rule`` is a short stable name the exchange layer and tests can match on
    (e.g. ``insufficient_funds``); ``str()`` is the sentence a trader reads, with the numbers.
    """

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


class PaperOrderNotFound(Exception):
    """No order with that id in this practice session (or not for that symbol)."""


class SessionNotFound(Exception):
    """No practice session with that id in the ledger."""


class LedgerInconsistent(Exception):
    """The ledger's stored balances or orders disagree with a replay of its own fills."""
