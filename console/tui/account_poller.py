"""Balances and open orders, read over REST: every couple of seconds, and at once after an
order or a cancel so the trader sees it without waiting for the next poll.

In live mode with a private stream this is the fallback: while the stream is live
(``paused`` says so) no request is sent at all, and the reads resume the moment it is down
(:mod:`console.tui.account_stream` posts the stream's view instead). Live reads include the
positions, so the positions panel keeps working on the fallback too.

The one place the account is read from the console; the result goes up as
:class:`~console.tui.messages.AccountPolled`, a failure as
:class:`~console.tui.messages.RequestFailed`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from console.tui.messages import AccountPolled, RequestFailed

if TYPE_CHECKING:
    from console.domain import Position
    from console.exchange import ExchangeClient

log = logging.getLogger(__name__)

ACCOUNT_POLL_SECONDS = 2.0
"""How often balances and open orders are fetched over REST."""


async def read_account(
    client: ExchangeClient,
    post: Callable[[Message], object],
    *,
    report_failure: bool = True,
    positions: bool = False,
) -> None:
    """Read balances and open orders once and post them.

    Args:
        client: the exchange client (paper or live).
        post: where the result goes (the app's ``post_message``).
        report_failure: post a failure as :class:`RequestFailed`; False for the reads after
            an order, whose failure the regular poll reports anyway.
        positions: read the venue's positions too (live mode).
    """
    from console.exchange import ExchangeError, VenueHalted  # loaded with the services

    try:
        balances = await client.fetch_balance()
        orders = await client.fetch_open_orders()
    except VenueHalted as error:
        if report_failure:
            post(RequestFailed(str(error), halted_until=error.until))
    except ExchangeError as error:
        if report_failure:
            post(RequestFailed(str(error)))
    else:
        held = await _positions(client) if positions else None
        post(AccountPolled(balances, orders, held))


async def _positions(client: ExchangeClient) -> list[Position] | None:
    """The venue's positions, or None where it has none to give (a spot-only venue): the
    balances and orders read with them are shown either way."""
    from console.exchange import ExchangeError

    try:
        return await client.fetch_positions()
    except ExchangeError as error:
        log.debug("positions not read: %s", error)
        return None


def _never() -> bool:
    return False


async def poll_account_forever(
    client: ExchangeClient,
    post: Callable[[Message], object],
    every: float = ACCOUNT_POLL_SECONDS,
    *,
    paused: Callable[[], bool] = _never,
    positions: bool = False,
) -> None:
    """Read the account every ``every`` seconds until cancelled, skipping every turn on
    which ``paused()`` is true (the private stream is live and feeds the view)."""
    while True:
        if not paused():
            await read_account(client, post, positions=positions)
        await asyncio.sleep(every)


__all__ = ["ACCOUNT_POLL_SECONDS", "poll_account_forever", "read_account"]
