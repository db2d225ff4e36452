"""Building the paper venue from settings: the composition root calls this and nothing else.

The settings arrive as structural protocols, not ``console.config.Settings`` itself, so the
paper package keeps importing only the domain (DESIGN.md layer rules); the real ``Settings``
satisfies them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

from console.domain import Clock, Market, MarketDataSource
from console.paper.engine import PaperTradingExchange
from console.paper.fees import FeeSchedule
from console.paper.ledger import Ledger, default_ledger_path


class PaperOptions(Protocol):
    """The ``paper`` section of the settings."""

    @property
    def starting_balances(self) -> Mapping[str, Decimal]: ...
    @property
    def maker_fee(self) -> Decimal | None: ...
    @property
    def taker_fee(self) -> Decimal | None: ...
    @property
    def leverage(self) -> Decimal: ...
    @property
    def ledger_synchronous(self) -> Literal["FULL", "NORMAL"]: ...


class PaperHost(Protocol):
    """What the factory reads from the settings."""

    @property
    def data_dir(self) -> Path: ...
    @property
    def paper(self) -> PaperOptions: ...


def open_ledger(settings: PaperHost) -> Ledger:
    """The ledger file in the data directory, with the configured durability."""
    return Ledger(
        default_ledger_path(settings.data_dir), synchronous=settings.paper.ledger_synchronous
    )


def open_paper_exchange(
    settings: PaperHost,
    markets: Mapping[str, Market],
    market_data: MarketDataSource,
    clock: Clock | None = None,
    session_id: int | None = None,
    market_loader: Callable[[], Awaitable[Mapping[str, Market]]] | None = None,
    *,
    new_session: bool = False,
    session_name: str | None = None,
) -> PaperTradingExchange:
    """The paper venue on the ledger in ``settings.data_dir``.

    ``session_id`` resumes that session; None resumes the most recently active one, or starts
    a session with ``settings.paper.starting_balances`` when the ledger has none (or when
    ``new_session`` asks for a fresh start), named ``session_name`` if given.
    ``markets`` may be empty when ``market_loader`` (the client's ``load_markets``) is given.

    Raises:
        SessionNotFound: ``session_id`` is not in the ledger.
    """
    ledger = open_ledger(settings)
    paper = settings.paper
    resume = session_id
    if resume is None and not new_session:
        resume = ledger.latest_session_id()
    return PaperTradingExchange(
        markets,
        market_data,
        ledger,
        resume,
        clock=clock,
        fees=FeeSchedule(paper.maker_fee, paper.taker_fee),
        starting_balances=paper.starting_balances,
        leverage=paper.leverage,
        market_loader=market_loader,
        session_name=session_name,
    )
