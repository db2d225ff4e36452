"""Client order ids fit Bybit's orderLinkId and are recognisable as the console's."""

from __future__ import annotations

import random

import pytest

from console.domain import OrderRequest, OrderType, Side
from console.exchange.order_ids import ClientOrderIds, check_client_order_id


def test_ids_are_unique_short_enough_and_accepted_by_the_domain() -> None:
    ids = ClientOrderIds(rng=random.Random(1))
    made = {ids() for _ in range(10_000)}
    assert len(made) == 10_000
    sample = next(iter(made))
    assert len(sample) == 34 <= 36
    request = OrderRequest(
        symbol="BTC/USDT", side=Side.BUY, type=OrderType.MARKET, quantity=1, client_order_id=sample
    )
    assert request.client_order_id == sample


def test_seeded_ids_repeat_per_seed() -> None:
    first = ClientOrderIds(rng=random.Random(5))
    second = ClientOrderIds(rng=random.Random(5))
    assert [first() for _ in range(3)] == [second() for _ in range(3)]


def test_is_ours_tells_console_ids_from_others() -> None:
    ids = ClientOrderIds()
    assert ids.is_ours(ids())
    assert not ids.is_ours("bc-manual")
    assert not ids.is_ours("other" + "0" * 31)
    assert not ids.is_ours(None)


@pytest.mark.parametrize("prefix", ["", "toolong", "a b"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        ClientOrderIds(prefix)


def test_check_client_order_id() -> None:
    assert check_client_order_id("a" * 36) == "a" * 36
    with pytest.raises(ValueError, match="1-36"):
        check_client_order_id("a" * 37)
    with pytest.raises(ValueError, match="1-36"):
        check_client_order_id("no spaces")
