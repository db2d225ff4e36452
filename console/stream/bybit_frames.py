"""Bybit v5 public WebSocket frames as typed schemas, in Bybit's own field names.

These are the shapes :mod:`console.stream.bybit_public` reads (``bybit-v5.md`` section 5,
samples in ``tests/fixtures/bybit/``). Prices and sizes stay strings, exactly as Bybit sends
them: the book keeps them as text and converts them once per read.

The feed does not validate each frame with these models. On the hot path the same rules
are a handful of ``type()`` checks and comparisons, with the value rules of
:mod:`console.domain.plausibility`; validating every frame with these models
(``model_validate_json``) costs about twice the whole ingest measured by
``bench/stream_ingest.py`` (figures in the issue 11 report). The schemas are the
reference the handlers are tested against (``tests/unit/test_bybit_frames.py`` checks both
agree on the samples and on the simulator's frames), and what a reader of the feed looks
at to learn the protocol.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from console.domain.plausibility import EARLIEST_MS, MAX_NUMBER_TEXT, MAX_SEQUENCE

DecimalText = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_NUMBER_TEXT, pattern=r"^\d+(\.\d+)?$")
]
"""A non-negative decimal as Bybit prints it: digits, at most one point, no exponent."""
Level = tuple[DecimalText, DecimalText]
"""``[price, size]``; size ``"0"`` deletes the level in a delta."""
EpochMs = Annotated[int, Field(ge=EARLIEST_MS)]
"""Milliseconds since the epoch; how far ahead is checked against the clock, not here."""


class _Frame(BaseModel):
    """Strict (no coercion: a JSON number is no price) and open to fields Bybit adds."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)


class BybitBookData(_Frame):
    s: str
    """Bybit's instrument id, e.g. ``BTCUSDT``."""
    b: list[Level]
    """Bids, best (highest) first."""
    a: list[Level]
    """Asks, best (lowest) first."""
    u: Annotated[int, Field(gt=0, le=MAX_SEQUENCE)]
    """Update id; ``1`` means the service restarted (treat as a snapshot)."""
    seq: int | None = None
    """Cross sequence, to compare depths."""


class BybitBookFrame(_Frame):
    """``orderbook.{depth}.{symbol}``: a snapshot after each subscribe, then deltas."""

    topic: str
    type: Literal["snapshot", "delta"]
    ts: EpochMs
    """When the system generated the data."""
    data: BybitBookData
    cts: EpochMs | None = None
    """Matching-engine time."""


class BybitTrade(_Frame):
    T: EpochMs
    """Trade time."""
    s: str
    S: Literal["Buy", "Sell"]
    """The taker's side."""
    v: DecimalText
    p: DecimalText
    i: Annotated[str, StringConstraints(min_length=1)]
    """Trade id."""
    L: str | None = None
    """Tick direction (contracts only)."""
    BT: bool | None = None
    """Block trade (its presence marks a contract)."""
    RPI: bool | None = None
    seq: int | None = None


class BybitTradeFrame(_Frame):
    """``publicTrade.{symbol}``: always a snapshot of up to 1024 new trades, oldest first."""

    topic: str
    type: Literal["snapshot"]
    ts: EpochMs
    data: list[BybitTrade]


class BybitControlFrame(_Frame):
    """Acknowledgements and pongs: ``success`` and ``ret_msg``, no ``topic``."""

    success: bool
    ret_msg: str = ""
    conn_id: str = ""
    req_id: str | None = None
    op: str


__all__ = [
    "BybitBookData",
    "BybitBookFrame",
    "BybitControlFrame",
    "BybitTrade",
    "BybitTradeFrame",
    "DecimalText",
    "Level",
]
