"""``/sim/admin/replay``: pause, play, speed and seek a replay over HTTP (loopback only, like
every ``/sim/admin`` route), and its status for a status bar.

Examples::

    GET  /sim/admin/replay                              -> {"position_ms": ..., "speed": 1.0, ...}
    POST /sim/admin/replay {"action": "pause"}
    POST /sim/admin/replay {"action": "speed", "speed": 10}      ("max": as fast as read)
    POST /sim/admin/replay {"action": "seek", "position_ms": 1765015200000}
"""

from __future__ import annotations

import math
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from console.replay.market import ReplayMarket

CONTROL_PATH = "/sim/admin/replay"


class ReplayCommand(BaseModel):
    """Body of ``POST /sim/admin/replay``."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["play", "pause", "speed", "seek"]
    speed: float | Literal["max"] | None = Field(default=None)
    position_ms: int | None = None


class ReplayControl:
    """The HTTP face of one :class:`ReplayMarket`."""

    def __init__(self, market: ReplayMarket) -> None:
        self.market = market

    async def status(self, request: web.Request) -> web.Response:
        return web.json_response(self.market.status())

    async def command(self, request: web.Request) -> web.Response:
        try:
            command = ReplayCommand.model_validate_json(await request.read())
            self._apply(command)
        except ValidationError as error:
            problems = error.errors(include_url=False, include_input=False, include_context=False)
            return web.json_response({"error": problems}, status=400)
        except ValueError as error:
            return web.json_response({"error": str(error)}, status=400)
        return web.json_response(self.market.status())

    def _apply(self, command: ReplayCommand) -> None:
        market = self.market
        if command.action == "play":
            market.play()
        elif command.action == "pause":
            market.pause()
        elif command.action == "speed":
            if command.speed is None:
                raise ValueError("speed: give a factor greater than 0, or max")
            speed = math.inf if command.speed == "max" else command.speed
            if not speed > 0:
                raise ValueError("speed must be greater than 0")
            market.set_speed(speed)
        else:
            if command.position_ms is None:
                raise ValueError("seek: give position_ms (epoch milliseconds of the recording)")
            market.seek(command.position_ms * 1_000_000)


def install_replay_control(app: web.Application, market: ReplayMarket) -> None:
    control = ReplayControl(market)
    app.router.add_get(CONTROL_PATH, control.status)
    app.router.add_post(CONTROL_PATH, control.command)
