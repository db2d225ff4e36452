"""REST fault injection: switches that make the simulator misbehave on purpose.

Tests and the order-safety work (issue 4) need the failures a real venue produces: rate-limit
answers, IP bans, orders that execute but whose answer never arrives, slow answers, and
connections reset before anything happened. Each switch applies either to the next ``count``
matching requests or to a fraction ``probability`` of them (drawn from a seeded RNG, so a run
is reproducible), optionally only for one ``path``. Switches are set from Python
(``server.faults``) or over HTTP with ``POST /sim/admin/faults`` (see :class:`FaultCommand`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

FaultAction = Literal["rate_limit", "drop_response", "delay", "reset", "ban", "clear"]
ORDER_CREATE_PATH = "/v5/order/create"


@dataclass(slots=True)
class FaultRule:
    """One armed switch. ``remaining`` None means "until cleared" (used with probability)."""

    action: FaultAction
    path: str | None
    remaining: int | None
    probability: float
    delay_seconds: float = 0.0

    def matches(self, path: str) -> bool:
        return self.path is None or self.path == path


class FaultCommand(BaseModel):
    """Body of ``POST /sim/admin/faults``.

    Examples::

        {"action": "rate_limit", "count": 3, "path": "/v5/order/create"}
        {"action": "ban", "seconds": 5}
        {"action": "drop_response", "count": 1}
        {"action": "delay", "seconds": 2, "probability": 0.5}
        {"action": "reset", "count": 1}
        {"action": "clear"}
    """

    model_config = ConfigDict(extra="forbid")

    action: FaultAction
    count: int | None = Field(default=None, ge=1)
    """Apply to the next ``count`` matching requests."""
    probability: float | None = Field(default=None, gt=0, le=1)
    """Apply to this fraction of matching requests (seeded), until cleared."""
    path: str | None = None
    """Only requests to this path (e.g. ``/v5/order/create``); any path when omitted."""
    seconds: float | None = Field(default=None, gt=0, le=3600)
    """Ban duration (``ban``) or answer delay (``delay``)."""

    @model_validator(mode="after")
    def _complete(self) -> FaultCommand:
        if self.action in ("ban", "delay") and self.seconds is None:
            raise ValueError(f"{self.action} needs seconds")
        if self.action in ("ban", "clear"):
            return self
        if self.count is None and self.probability is None:
            raise ValueError("give count or probability")
        return self


class RestFaults:
    """The armed fault switches of one simulator."""

    def __init__(self, seed: int = 7, on_ban: Callable[[float], None] | None = None) -> None:
        self._rng = random.Random(f"faults-{seed}")
        self._rules: list[FaultRule] = []
        self._on_ban = on_ban

    def rate_limit(
        self, count: int | None = 1, *, path: str | None = None, probability: float = 1.0
    ) -> None:
        """Answer matching requests with retCode 10006 "Too many visits!" (HTTP 200).

        The request is not executed. The answer carries the usual ``X-Bapi-Limit*`` headers
        with ``X-Bapi-Limit-Status: 0``.
        """
        self._arm("rate_limit", path, count, probability)

    def ban(self, seconds: float) -> None:
        """Trigger the IP ban now: every request gets HTTP 403 "access too frequent" for
        ``seconds``, exactly as when the 600-per-5-s IP limit is breached."""
        if seconds <= 0:
            raise ValueError("seconds must be greater than zero")
        if self._on_ban is None:
            raise RuntimeError("this fault switchboard is not attached to a server")
        self._on_ban(seconds)

    def drop_response(
        self,
        count: int | None = 1,
        *,
        path: str = ORDER_CREATE_PATH,
        probability: float = 1.0,
    ) -> None:
        """Execute the request (the order exists and may fill) but close the connection
        without answering: the client sees a disconnect and must reconcile."""
        self._arm("drop_response", path, count, probability)

    def delay(
        self,
        seconds: float,
        count: int | None = 1,
        *,
        path: str = ORDER_CREATE_PATH,
        probability: float = 1.0,
    ) -> None:
        """Execute the request, then wait ``seconds`` before answering (client timeouts)."""
        self._arm("delay", path, count, probability, seconds)

    def reset(
        self,
        count: int | None = 1,
        *,
        path: str = ORDER_CREATE_PATH,
        probability: float = 1.0,
    ) -> None:
        """Reset the connection before executing: nothing happened on the venue."""
        self._arm("reset", path, count, probability)

    def clear(self) -> None:
        """Disarm every switch (a running ban stays until it expires)."""
        self._rules.clear()

    def apply(self, command: FaultCommand) -> None:
        """Arm a switch from an admin request."""
        if command.action == "clear":
            self.clear()
            return
        if command.action == "ban":
            self.ban(command.seconds or 0.0)
            return
        count = command.count if command.probability is None else None
        probability = command.probability or 1.0
        path = command.path
        if path is None and command.action != "rate_limit":
            path = ORDER_CREATE_PATH
        self._arm(command.action, path, count, probability, command.seconds or 0.0)

    def take(self, path: str, action: FaultAction) -> FaultRule | None:
        """The armed rule of ``action`` that fires for this request, consuming one use."""
        for rule in self._rules:
            if rule.action != action or not rule.matches(path):
                continue
            if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
                if rule.remaining <= 0:
                    self._rules.remove(rule)
            return rule
        return None

    @property
    def armed(self) -> list[FaultRule]:
        return list(self._rules)

    def _arm(
        self,
        action: FaultAction,
        path: str | None,
        count: int | None,
        probability: float,
        delay_seconds: float = 0.0,
    ) -> None:
        if count is not None and count < 1:
            raise ValueError("count must be at least 1")
        if not 0 < probability <= 1:
            raise ValueError("probability must be in (0, 1]")
        remaining = count if probability >= 1.0 or count is not None else None
        self._rules.append(FaultRule(action, path, remaining, probability, delay_seconds))
