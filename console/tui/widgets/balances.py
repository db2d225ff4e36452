"""The account's balances per currency: total, free and what open orders or margin lock."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from console.domain import Balance
from console.tui.forms.amounts import grouped_amount
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

    def update_balances(self, balances: Sequence[Balance]) -> None:
        """Show exactly these balances; currencies new to the table are added alphabetically."""
        ordered = sorted(balances, key=lambda balance: balance.currency)
        self.sync_rows({balance.currency: self._cells(balance) for balance in ordered})

    @staticmethod
    def _cells(balance: Balance) -> Cells:
        return (
            Text(balance.currency, style="bold"),
            Text(grouped_amount(balance.total), justify="right"),
            Text(grouped_amount(balance.free), justify="right"),
            Text(
                grouped_amount(balance.used),
                justify="right",
                style="dim" if not balance.used else "",
            ),
        )
