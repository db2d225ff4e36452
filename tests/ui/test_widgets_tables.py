"""Balances and open orders: rows diffed by key, and the cancel keys posting typed messages."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.message import Message

from console.domain import (
    Balance,
    Fill,
    Liquidity,
    Order,
    OrderStatus,
    OrderType,
    Side,
    TimeInForce,
)
from console.tui.forms.amounts import grouped_amount, plain_amount
from console.tui.themes import CONSOLE_VARIABLES
from console.tui.widgets.balances import BalancesTable
from console.tui.widgets.fills_table import FillsTable
from console.tui.widgets.open_orders import OpenOrdersTable

from support.builders import spot_market
from support.notices import Notices

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def order(order_id: str, *, side: Side = Side.BUY, minute: int = 0, **changes: object) -> Order:
    values: dict[str, object] = {
        "order_id": order_id,
        "symbol": "BTC/USDT",
        "side": side,
        "type": OrderType.LIMIT,
        "status": OrderStatus.OPEN,
        "quantity": Decimal("0.010"),
        "price": Decimal("65000.5"),
        "created_at": T0.replace(minute=minute),
    }
    values.update(changes)
    return Order.model_validate(values)


class TablesHost(App[None]):
    """Mounts both tables and records the messages they post."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield BalancesTable(id="balances")
        yield OpenOrdersTable(id="orders")

    def on_open_orders_table_cancel_requested(
        self, message: OpenOrdersTable.CancelRequested
    ) -> None:
        self.posted.append(message)

    def on_open_orders_table_cancel_all_requested(
        self, message: OpenOrdersTable.CancelAllRequested
    ) -> None:
        self.posted.append(message)


def test_amounts_are_exact_and_readable() -> None:
    assert grouped_amount(Decimal("12345.600")) == "12,345.6"
    assert grouped_amount(Decimal("0.00000100")) == "0.000001"
    assert grouped_amount(Decimal("1E+3")) == "1,000"
    assert grouped_amount(Decimal("-0.000")) == "0"
    assert plain_amount(Decimal("12345.600")) == "12345.6"
    assert plain_amount(Decimal("1E+3")) == "1000"


async def test_balances_update_in_place_by_currency() -> None:
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(BalancesTable)
        table.update_balances(
            [
                Balance(
                    currency="USDT",
                    total=Decimal("10000"),
                    free=Decimal("9000"),
                    used=Decimal("1000"),
                ),
                Balance(currency="BTC", total=Decimal("0.5"), free=Decimal("0.5")),
            ]
        )
        await pilot.pause()
        assert [key.value for key in table.rows] == ["BTC", "USDT"]
        table.move_cursor(row=1)
        table.update_balances(
            [
                Balance(
                    currency="USDT",
                    total=Decimal("10000"),
                    free=Decimal("9500"),
                    used=Decimal("500"),
                ),
                Balance(currency="ETH", total=Decimal("2"), free=Decimal("2")),
            ]
        )
        await pilot.pause()
        assert [key.value for key in table.rows] == ["USDT", "ETH"]
        assert [str(cell) for cell in table.get_row("USDT")] == [
            "USDT",
            "10,000.00",
            "9,500.00",
            "500.00",
        ]
        assert str(table.get_row_at(table.cursor_row)[0]) == "USDT"


async def test_open_orders_show_type_flags_and_follow_updates() -> None:
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(OpenOrdersTable)
        table.update_orders(
            [
                order("b", minute=5, side=Side.SELL, time_in_force=TimeInForce.POST_ONLY),
                order("a", minute=1, reduce_only=True, time_in_force=TimeInForce.IOC),
            ]
        )
        await pilot.pause()
        assert [key.value for key in table.rows] == ["a", "b"]
        assert [str(cell) for cell in table.get_row("b")] == [
            "BTC/USDT",
            "SELL",
            "limit PostOnly",
            "65,000.5",
            "0.01",
            "0",
            "open",
        ]
        assert str(table.get_row("a")[2]) == "limit IOC reduce-only"
        table.update_orders(
            [
                order(
                    "b",
                    minute=5,
                    side=Side.SELL,
                    filled=Decimal("0.004"),
                    status=OrderStatus.PARTIALLY_FILLED,
                )
            ]
        )
        await pilot.pause()
        assert [key.value for key in table.rows] == ["b"]
        assert [str(cell) for cell in table.get_row("b")][5:] == ["0.004", "partially filled"]


async def test_cancel_keys_post_the_selected_order_and_cancel_all() -> None:
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(OpenOrdersTable)
        table.update_orders(
            [order("first", minute=1), order("second", minute=2, symbol="ETH/USDT")]
        )
        table.focus()
        await pilot.pause()
        await pilot.press("down", "c", "C")
        await pilot.pause()
        cancel, cancel_all = app.posted
        assert isinstance(cancel, OpenOrdersTable.CancelRequested)
        assert (cancel.order_id, cancel.symbol) == ("second", "ETH/USDT")
        assert isinstance(cancel_all, OpenOrdersTable.CancelAllRequested)


async def test_cancel_on_an_empty_table_says_so_and_posts_nothing() -> None:
    app = TablesHost()
    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        app.query_one(OpenOrdersTable).focus()
        await pilot.press("c", "C")
        await pilot.pause()
        assert app.posted == []
        assert notices.messages == [
            "No open order selected",
            "No open orders to cancel",
        ]


async def test_rows_given_before_mount_appear_once_mounted() -> None:
    table = BalancesTable()
    table.update_balances([Balance(currency="USDT", total=Decimal("5"), free=Decimal("5"))])
    app = App[None]()
    async with app.run_test() as pilot:
        await app.mount(table)
        await pilot.pause()
        assert [str(cell) for cell in table.get_row("USDT")] == ["USDT", "5.00", "5.00", "0.00"]


async def test_sides_take_the_theme_colours_with_the_consoles_fallbacks() -> None:
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(OpenOrdersTable)
        table.update_orders([order("b"), order("s", side=Side.SELL)])
        await pilot.pause()
        buy, sell = table.get_row("b")[1], table.get_row("s")[1]
        assert isinstance(buy, Text)
        assert isinstance(sell, Text)
        assert str(buy.style) == f"bold {CONSOLE_VARIABLES['bid']}"
        assert str(sell.style) == f"bold {CONSOLE_VARIABLES['ask']}"


async def test_a_table_updated_every_second_keeps_no_outdated_renders() -> None:
    """DataTable keys its rendered cells by an update counter, so each update outdates every
    entry; the keyed table drops them rather than letting them fill a 10,000-cell cache."""
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(BalancesTable)
        for second in range(40):
            free = Decimal(9000 + second)
            table.update_balances(
                [
                    Balance(currency="USDT", total=Decimal("10000"), free=free),
                    Balance(currency="BTC", total=Decimal("0.5"), free=Decimal("0.5")),
                ]
            )
            await pilot.pause()
        cells_on_screen = len(table.rows) * len(table.columns)
        assert 0 < len(table._cell_render_cache) <= 2 * cells_on_screen
        assert str(table.get_row("USDT")[2]) == "9,039.00"


async def test_open_orders_show_prices_to_the_tick_and_sizes_to_the_step() -> None:
    app = TablesHost()
    async with app.run_test() as pilot:
        table = app.query_one(OpenOrdersTable)
        table.markets = {
            "BTC/USDT": spot_market(tick_size=Decimal("0.01"), qty_step=Decimal("0.000001"))
        }
        table.update_orders([order("a", price=Decimal("65000.5"), quantity=Decimal("0.01"))])
        await pilot.pause()
        assert [str(cell) for cell in table.get_row("a")][3:6] == [
            "65,000.50",
            "0.010000",
            "0.000000",
        ]


async def test_fills_newest_first_with_fees_finer_than_balances() -> None:
    app = App[None]()
    async with app.run_test() as pilot:
        table = FillsTable()
        table.markets = {
            "BTC/USDT": spot_market(tick_size=Decimal("0.01"), qty_step=Decimal("0.000001"))
        }
        await app.mount(table)

        def fill(fill_id: str, minute: int, fee: str) -> Fill:
            return Fill(
                fill_id=fill_id,
                order_id="o",
                symbol="BTC/USDT",
                side=Side.SELL,
                price=Decimal("65000.5"),
                size=Decimal("0.002"),
                fee=Decimal(fee),
                fee_currency="USDT",
                liquidity=Liquidity.MAKER,
                timestamp=T0.replace(minute=minute),
            )

        table.update_fills([fill("f1", 1, "0.0715"), fill("f2", 2, "0.02600055")])
        await pilot.pause()
        assert [key.value for key in table.rows] == ["f2", "f1"]
        assert [str(cell) for cell in table.get_row("f2")] == [
            "12:02:00",
            "BTC/USDT",
            "SELL",
            "65,000.50",
            "0.002000",
            "0.0260 USDT",
            "maker",
        ]
