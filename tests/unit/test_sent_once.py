"""A sent order or plan is refused a second time, and the record of sends stays bounded."""

from __future__ import annotations

import pytest

from console.tui.trading.sent_once import KEEP, SentOnce


class _Request:
    """Stands for an order request: a distinct object per confirmation."""


def test_a_request_sent_is_refused_again_while_others_are_not() -> None:
    sent: SentOnce[_Request] = SentOnce()
    first, second = _Request(), _Request()
    sent.add(first)
    assert first in sent
    assert second not in sent


def test_a_session_of_many_sends_keeps_only_the_newest() -> None:
    """Thousands of orders in one session: the record holds the newest ``KEEP``, and every
    one of those is still refused a second send."""
    sent: SentOnce[_Request] = SentOnce()
    requests = [_Request() for _ in range(20 * KEEP)]
    for count, request in enumerate(requests, start=1):
        sent.add(request)
        assert len(sent) == min(count, KEEP)
    assert all(request in sent for request in requests[-KEEP:])
    assert not any(request in sent for request in requests[:-KEEP])


def test_keeping_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SentOnce(keep=0)
