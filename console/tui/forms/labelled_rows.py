"""Label-and-value lines, aligned: how the dialogs lay out their facts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text


def labelled_rows(rows: Sequence[tuple[str, str | Text]], label_width: int = 12) -> Text:
    """One line per ``(label, value)``: the label bold and padded, then two spaces."""
    return Text("\n").join(
        Text.assemble((f"{label:<{label_width}}", "bold"), "  ", value) for label, value in rows
    )
