"""Paper trading: a matching engine on the live book, and a SQLite ledger of practice sessions.

Imports only the domain (DESIGN.md): the exchange layer routes paper orders here and maps
:class:`PaperOrderRejected` onto its own error taxonomy.
"""

from console.paper.engine import PaperTradingExchange
from console.paper.errors import (
    LedgerIncompatible,
    LedgerInconsistent,
    PaperOrderNotFound,
    PaperOrderRejected,
    SessionNotFound,
)
from console.paper.export import write_fills_csv
from console.paper.fees import FeeSchedule
from console.paper.from_settings import open_ledger, open_paper_exchange
from console.paper.ledger import LEDGER_FILE, Ledger
from console.paper.models import (
    FillExplanation,
    LevelTake,
    PaperFill,
    Position,
    SessionInfo,
    SessionSummary,
    TradeResult,
)
from console.paper.sessions import summarise

__all__ = [
    "LEDGER_FILE",
    "FeeSchedule",
    "FillExplanation",
    "Ledger",
    "LedgerIncompatible",
    "LedgerInconsistent",
    "LevelTake",
    "PaperFill",
    "PaperOrderNotFound",
    "PaperOrderRejected",
    "PaperTradingExchange",
    "Position",
    "SessionInfo",
    "SessionNotFound",
    "SessionSummary",
    "TradeResult",
    "open_ledger",
    "open_paper_exchange",
    "summarise",
    "write_fills_csv",
]
