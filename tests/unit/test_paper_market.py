"""The scripted market keeps the fixture itself honest: sorted books, exact values."""

from __future__ import annotations

from decimal import Decimal

from console.domain import PriceLevel

from support.scripted_market import LINEAR, SPOT, ScriptedMarket

D = Decimal


def test_scripted_book_keeps_the_order_it_was_given() -> None:
    market = ScriptedMarket()
    book = market.set_book(SPOT.symbol, [("99.9", "1"), ("99.8", "2")], [("100", "3")])
    assert book.best_bid == PriceLevel(D("99.9"), D("1"))
    assert book.best_ask == PriceLevel(D("100"), D("3"))
    assert market.get_depth_snapshot(SPOT.symbol) is book
    assert market.get_depth_snapshot(LINEAR.symbol) is None
