"""The account's balances per currency: total, free and what open orders or margin lock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from rich.text import Text

from console.domain import Balance, Market
from console.tui.formatting import money_text
from console.tui.widgets.keyed_table import Cells, KeyedDataTable


class BalancesTable(KeyedDataTable):
    """One row per currency, keyed by currency, so a poll only repaints what changed."""

    DEFAULT_CSS = """
    BalancesTable {
        height: auto;
        max-height: 12;
    }
    """

    COLUMNS = (
        ("currency", "Currency"),
        ("total", "Total"),
        ("free", "Free"),
        ("used", "In use"),
    )

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id, cursor_type="row", zebra_stripes=True)
        self.markets: Mapping[str, Market] = {}
        """The venue's markets: a coin traded in steps finer than 8 places shows them."""

    def update_balances(self, balances: Sequence[Balance]) -> None:
        """Show exactly these balances; currencies new to the table are added alphabetically."""
        ordered = sorted(balances, key=lambda balance: balance.currency)
        self.sync_rows({balance.currency: self._cells(balance) for balance in ordered})

    def _cells(self, balance: Balance) -> Cells:
        def amount(value: Decimal) -> str:
            return money_text(value, balance.currency, self.markets.values())

        return (
            Text(balance.currency, style="bold"),
            Text(amount(balance.total), justify="right"),
            Text(amount(balance.free), justify="right"),
            Text(
                amount(balance.used),
                justify="right",
                style="dim" if not balance.used else "",
            ),
        )
