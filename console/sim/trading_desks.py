"""The simulator's trading side (order engine, margin desk, private stream), made on first use.

The public stream and the market routes need none of it, and the console's first ladder
waits for the simulator's imports (``bench/ui_startup.py``), so a server makes its
:class:`TradingDesks` at the first request that needs an account: a signed REST call, a
private WebSocket connection, or a test reaching for the engine. Until then the market runs
with no engine attached, which is what the engine would leave it as: it acts only on the
orders of accounts, and there are none before the first signed request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from aiohttp import web

from console.sim.auth import ApiCredential

if TYPE_CHECKING:
    from console.sim.margin import MarginDesk
    from console.sim.market import SimMarket
    from console.sim.trading import OrderEngine
    from console.sim.ws_private import PrivateWsHub

PRIVATE_PATH = "/v5/private"
PRIVATE_WS_FAULTS_PATH = "/sim/admin/private-ws-faults"


@dataclass(frozen=True, slots=True)
class _Desks:
    engine: OrderEngine
    margin: MarginDesk
    private_ws: PrivateWsHub


class TradingDesks:
    """The engine, the margin desk and the private stream's hub of one server, made together
    (in the order the server made them at start before) when one is first asked for.

    Args:
        market: the server's market, which the engine trades on.
        seed: the engine's and the private stream's seed (order ids, connection ids).
        balances: the starting wallet of each account.
        credentials: the key pairs the private stream accepts.
    """

    def __init__(
        self,
        market: SimMarket,
        *,
        seed: int,
        balances: Mapping[str, Decimal],
        credentials: Mapping[str, ApiCredential],
    ) -> None:
        self._market = market
        self._seed = seed
        self._balances = balances
        self._credentials = credentials
        self._desks: _Desks | None = None

    @property
    def made(self) -> bool:
        """Whether a request (or a test) has needed the trading side yet."""
        return self._desks is not None

    @property
    def engine(self) -> OrderEngine:
        return self._made().engine

    @property
    def margin(self) -> MarginDesk:
        return self._made().margin

    @property
    def private_ws(self) -> PrivateWsHub:
        return self._made().private_ws

    def _made(self) -> _Desks:
        if self._desks is None:
            from console.sim.margin import MarginDesk
            from console.sim.trading import OrderEngine
            from console.sim.ws_private import PrivateWsHub

            engine = OrderEngine(self._market, seed=self._seed, balances=self._balances)
            margin = MarginDesk(engine)
            hub = PrivateWsHub(engine, margin, self._credentials, seed=self._seed)
            self._desks = _Desks(engine, margin, hub)
        return self._desks

    async def close(self, app: web.Application | None = None) -> None:
        """Drop the private connections (at the server's shutdown)."""
        if self._desks is not None:
            await self._desks.private_ws.close(app)


DESKS_KEY = web.AppKey("trading_desks", TradingDesks)


def install_private_ws(app: web.Application, desks: TradingDesks) -> None:
    """Mount ``/v5/private`` and ``POST /sim/admin/private-ws-faults`` on the app; the
    first request to either makes the trading side."""

    async def handle(request: web.Request) -> web.StreamResponse:
        return await desks.private_ws.handle(request)

    async def admin_faults(request: web.Request) -> web.Response:
        return await desks.private_ws.admin_faults(request)

    app[DESKS_KEY] = desks
    app.router.add_get(PRIVATE_PATH, handle)
    app.router.add_post(PRIVATE_WS_FAULTS_PATH, admin_faults)
    app.on_shutdown.append(desks.close)


def private_ws_hub(app: web.Application) -> PrivateWsHub:
    """The hub of the private stream ``install_private_ws`` mounted on ``app`` (tests arm
    faults and find connections through it)."""
    return app[DESKS_KEY].private_ws


__all__ = [
    "DESKS_KEY",
    "PRIVATE_PATH",
    "PRIVATE_WS_FAULTS_PATH",
    "TradingDesks",
    "install_private_ws",
    "private_ws_hub",
]
