"""Why the paper engine or its ledger refused something.

The order errors subclass the domain's venue-neutral refusals (``console.domain.errors``), which
the exchange layer maps onto its own taxonomy without importing this package.
"""

from __future__ import annotations

from console.domain.errors import OrderRefused, UnknownOrder


class PaperOrderRejected(OrderRefused):
    """An order the paper engine refused before it existed; nothing was recorded or locked.

    ``rule`` is a short stable name the exchange layer and tests can match on; ``str()`` is the
    sentence a trader reads, with the numbers. The rules:

    - funds: ``insufficient_funds``;
    - the venue's market rules: ``price_precision``, ``quantity_precision``,
      ``below_min_quantity``, ``above_max_quantity``, ``below_min_notional``,
      ``market_inactive``, ``unknown_symbol``;
    - time in force and flags: ``post_only_would_take``, ``reduce_only_spot``,
      ``reduce_only_would_increase``, ``reduce_only_too_large``,
      ``duplicate_client_order_id``;
    - the market data: ``no_book``, ``stale_book``;
    - cancelling: ``order_not_open``.
    """


class PaperOrderNotFound(UnknownOrder):
    """No order with that id in this practice session (or not for that symbol)."""


class SessionNotFound(Exception):
    """No practice session with that id in the ledger."""


class LedgerInconsistent(Exception):
    """The ledger's stored balances or orders disagree with a replay of its own fills."""


class LedgerIncompatible(Exception):
    """The ledger file was written with another schema; it is left untouched."""
