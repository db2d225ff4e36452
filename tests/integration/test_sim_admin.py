"""Every ``/sim/admin/*`` endpoint is guarded in one place, including ones added later.

The guard admits clients from the admin networks (loopback by default). A simulator started
with an admin network the test client is not in shows the refusal over a real socket; a
route added to the app after construction, which has no check of its own, is refused too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from yarl import URL

from console.sim import SimServer
from console.sim.http import ADMIN_PREFIX, admin_networks, client_in

ELSEWHERE = ("192.0.2.0/24",)
"""TEST-NET-1: a network no test client is ever in."""


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def admin_routes(app: web.Application) -> list[tuple[str, str]]:
    return sorted(
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith(ADMIN_PREFIX)
    )


async def test_every_admin_route_refuses_a_client_outside_the_admin_networks(
    session: aiohttp.ClientSession,
) -> None:
    server = SimServer(run_market=False, admin_from=ELSEWHERE)
    reached: list[str] = []

    async def late(request: web.Request) -> web.Response:
        reached.append(request.path)
        return web.json_response({"pushed": True})

    server.app.router.add_post(f"{ADMIN_PREFIX}/late-endpoint", late)
    routes = admin_routes(server.app)
    assert {path for _, path in routes} >= {
        f"{ADMIN_PREFIX}/faults",
        f"{ADMIN_PREFIX}/ws-faults",
        f"{ADMIN_PREFIX}/ws-connections",
        f"{ADMIN_PREFIX}/late-endpoint",
    }
    async with server:
        for method, path in routes:
            async with session.request(method, server.base_url + path, json={}) as response:
                assert (method, path, response.status) == (method, path, 403)
                if method != "HEAD":
                    assert await response.text() == "sim admin is for 192.0.2.0/24 only"
        for spelling in ("/sim/%61dmin/late-endpoint", "/sim/admin/late-endpoint?x=1"):
            url = URL(server.base_url + spelling, encoded=True)
            async with session.post(url, json={}) as response:
                assert (spelling, response.status) == (spelling, 403)
        async with session.get(server.base_url + "/v5/market/time") as response:
            assert (await response.json())["retCode"] == 0
    assert reached == []


async def test_loopback_clients_use_the_admin_endpoints(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{sim.base_url}/sim/admin/ws-connections") as response:
        assert response.status == 200
        assert await response.json() == {"connections": []}
    async with session.post(
        f"{sim.base_url}/sim/admin/ws-faults", json={"action": "clear"}
    ) as response:
        assert (response.status, await response.json()) == (200, {"applied": 0})
    async with session.get(f"{sim.base_url}/sim/admin/faults") as response:
        assert (await response.json())["result"] == {"armed": []}


@pytest.mark.parametrize(
    ("remote", "admitted"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2001:db8::1", False),
        ("localhost", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_is_decided_by_address_not_by_spelling(remote: str | None, admitted: bool) -> None:
    assert client_in(remote, admin_networks(("127.0.0.0/8", "::1/128"))) is admitted
