"""The account view keeps the newest of what pushes and REST rebuilds tell it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import Balance, Fill, Order, OrderStatus, OrderType, Position, Side
from console.domain.account_view import AccountView

from support.builders import maker_fill

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def order(status: OrderStatus, filled: str, at: datetime = T0, order_id: str = "o1") -> Order:
    return Order(
        order_id=order_id,
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        status=status,
        quantity=Decimal("1"),
        price=Decimal("100"),
        filled=Decimal(filled),
        updated_at=at,
    )


def fill(fill_id: str, at: datetime = T0) -> Fill:
    return maker_fill(fill_id, at)


def test_an_older_or_less_advanced_order_state_never_replaces_a_newer_one() -> None:
    view = AccountView()
    assert view.apply_order(order(OrderStatus.PARTIALLY_FILLED, "0.5"))
    assert not view.apply_order(order(OrderStatus.OPEN, "0"))  # same ms, less filled
    assert view.apply_order(order(OrderStatus.FILLED, "1"))
    assert not view.apply_order(order(OrderStatus.OPEN, "0", T0 - timedelta(seconds=1)))
    assert view.orders["o1"].status is OrderStatus.FILLED
    assert view.open_orders() == []


def test_a_fill_counts_once() -> None:
    view = AccountView()
    assert view.add_fill(fill("e1"))
    assert not view.add_fill(fill("e1"))
    assert (len(view.fills), view.duplicate_fills) == (1, 1)
    assert view.last_fill_time() == T0


def test_positions_follow_the_sequence_and_rest_lists_flatten_the_rest() -> None:
    view = AccountView()
    long = Position(symbol="BTC/USDT:USDT", side=Side.BUY, size=Decimal(2), sequence=5)
    assert view.apply_position(long)
    assert not view.apply_position(long.model_copy(update={"size": Decimal(1), "sequence": 4}))
    view.replace_positions([])
    assert view.positions["BTC/USDT:USDT"].is_flat
    assert view.open_positions() == []


def test_balances_keep_the_newest_reading() -> None:
    view = AccountView()
    usdt = Balance(currency="USDT", total=Decimal(10), free=Decimal(10))
    assert view.apply_balances([usdt], at=2.0)
    assert not view.apply_balances([usdt.model_copy(update={"total": Decimal(1)})], at=1.0)
    assert view.balances["USDT"].total == 10


def test_every_open_order_and_only_the_newest_finished_ones_are_kept() -> None:
    view = AccountView(kept_finished_orders=2)
    for n in range(5):
        assert view.apply_order(order(OrderStatus.OPEN, "0", order_id=f"open{n}"))
    for n in range(4):
        assert view.apply_order(order(OrderStatus.OPEN, "0", order_id=f"done{n}"))
        assert view.apply_order(order(OrderStatus.FILLED, "1", order_id=f"done{n}"))
    assert [o.order_id for o in view.open_orders()] == [f"open{n}" for n in range(5)]
    assert set(view.orders) == {*(f"open{n}" for n in range(5)), "done2", "done3"}

    # a kept finished order that changes again is the newest to finish
    later = T0 + timedelta(seconds=1)
    assert view.apply_order(order(OrderStatus.CANCELED, "1", later, order_id="done2"))
    assert view.apply_order(order(OrderStatus.CANCELED, "0", later, order_id="open0"))
    assert set(view.orders) - {f"open{n}" for n in range(1, 5)} == {"done2", "open0"}
    assert len(view.open_orders()) == 4


def test_a_finished_order_that_opens_again_is_not_trimmed_as_finished() -> None:
    view = AccountView(kept_finished_orders=1)
    assert view.apply_order(order(OrderStatus.CANCELED, "0", order_id="a"))
    later = T0 + timedelta(seconds=1)
    assert view.apply_order(order(OrderStatus.OPEN, "0", later, order_id="a"))
    assert view.apply_order(order(OrderStatus.FILLED, "1", order_id="b"))
    assert view.apply_order(order(OrderStatus.FILLED, "1", order_id="c"))
    assert set(view.orders) == {"a", "c"}
    assert [o.order_id for o in view.open_orders()] == ["a"]


def test_the_newest_fills_by_execution_time_are_kept() -> None:
    view = AccountView(kept_fills=3)
    at = [T0 + timedelta(seconds=n) for n in range(6)]
    for n in (0, 2, 1, 3):  # the rebuild's list may come in after a newer push
        assert view.add_fill(fill(f"e{n}", at[n]))
    assert set(view.fills) == {"e1", "e2", "e3"}, "the oldest by time went, not the first in"
    assert view.last_fill_time() == at[3]
    assert view.add_fill(fill("e5", at[5]))
    assert view.add_fill(fill("e4", at[4]))
    assert list(view.fills) == ["e3", "e5", "e4"], "kept in arrival order"
    assert view.recent_fills(2) == [fill("e5", at[5]), fill("e4", at[4])]
    assert view.recent_fills(10) == list(view.fills.values())


def test_a_fill_seen_again_within_the_kept_window_is_a_duplicate_and_one_trimmed_is_not_new() -> (
    None
):
    view = AccountView(kept_fills=3)
    at = [T0 + timedelta(seconds=n) for n in range(5)]
    for n in range(5):
        assert view.add_fill(fill(f"e{n}", at[n]))
    # a rebuild lists the last seconds again: every one kept counts as a duplicate
    for n in (2, 3, 4):
        assert not view.add_fill(fill(f"e{n}", at[n]))
    assert view.duplicate_fills == 3
    # one trimmed, listed again: older than all kept, so not taken back as news
    assert not view.add_fill(fill("e0", at[0]))
    assert (view.duplicate_fills, view.old_fills) == (3, 1)
    assert set(view.fills) == {"e2", "e3", "e4"}
    # a new fill of the oldest kept time is still taken (several fills share a millisecond)
    assert view.add_fill(fill("e2b", at[2]))
    assert set(view.fills) == {"e2b", "e3", "e4"}
    assert view.fills_added == 6


def test_fills_after_a_number_survive_trimming() -> None:
    view = AccountView(kept_fills=2)
    at = [T0 + timedelta(seconds=n) for n in range(6)]
    told: list[str] = []
    seen = view.fills_added
    for n in range(6):
        view.add_fill(fill(f"e{n}", at[n]))
        view.add_fill(fill(f"e{n}", at[n]))  # its duplicate adds nothing to tell
        told += [f.fill_id for f in view.fills_after(seen)]
        seen = view.fills_added
    assert told == [f"e{n}" for n in range(6)]
    assert len(view.fills) == 2
    view.add_fill(fill("x", at[5]))
    view.add_fill(fill("y", at[5]))
    assert [f.fill_id for f in view.fills_after(seen)] == ["x", "y"]
    assert [f.fill_id for f in view.fills_after(seen + 1)] == ["y"]


@pytest.mark.parametrize(("orders", "fills"), [(-1, 10), (10, 0)])
def test_a_view_that_keeps_nothing_is_refused(orders: int, fills: int) -> None:
    with pytest.raises(ValueError, match="keeps at least one fill"):
        AccountView(kept_finished_orders=orders, kept_fills=fills)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    kept=st.integers(min_value=1, max_value=6),
    arrivals=st.lists(st.integers(0, 12), max_size=40),
)
def test_the_kept_fills_are_the_newest_taken_and_a_kept_one_is_always_a_duplicate(
    kept: int, arrivals: list[int]
) -> None:
    """Against a model that keeps everything: fills are ids 0-12 with a fixed time each, and
    arrive in any order, often again."""
    view = AccountView(kept_fills=kept)
    taken: list[int] = []

    def age(fill_id: int) -> datetime:
        return T0 + timedelta(seconds=fill_id % 7)

    for fill_id in arrivals:
        at = age(fill_id)
        held_before = {key: held.timestamp for key, held in view.fills.items()}
        new = view.add_fill(fill(str(fill_id), at))
        if str(fill_id) in held_before:
            assert not new, "a fill held is a duplicate"
        elif len(held_before) < kept or at >= min(held_before.values()):
            assert new, "one not held, of the kept window's age, is new"
        if new:
            taken.append(fill_id)
        newest = sorted(range(len(taken)), key=lambda i: (age(taken[i]), i))[-kept:]
        assert set(view.fills) == {str(taken[i]) for i in newest}
        assert list(view.fills) == [str(taken[i]) for i in sorted(newest)]
    assert view.fills_added == len(taken)
