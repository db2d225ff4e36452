"""WebSocket fault injection: the stream failures a client must survive, on demand.

Each switch is armed on one connection (from Python: the connection's methods in
``console.sim.ws``; over HTTP: ``POST /sim/admin/ws-faults`` with a :class:`WsFaultCommand`)
and, for the per-message faults, consumed by the next book delta of the targeted topic
(``None`` targets every book topic of the connection).

- ``drop``: the TCP connection is cut without a close frame;
- ``skip_u``: the next delta carries ``u + 2`` (a gap);
- ``restart_u``: a snapshot with ``u = 1`` is pushed now, and the sequence continues from it;
- ``silence``: nothing is sent (no data, no pongs) for ``seconds``, or until cleared;
- ``malformed``: a frame that is not valid JSON, and one with a broken book payload;
- ``duplicate``: the next delta is sent twice;
- ``reorder``: the next delta is held back and sent after the one that follows it;
- ``crossed``: a delta that puts a bid above the best ask is pushed now, in sequence;
- ``delay``: every frame (data, acks, pongs) leaves ``seconds`` after it was due, in order,
  its venue timestamp unchanged: a stream that is late without going quiet (at most
  ``MAX_FRAME_DELAY_S``; a new ``delay`` replaces the old one);
- ``clear``: disarm everything, end a silence and a delay.

Beyond the switches, ``POST /sim/admin/ws-push`` with a :class:`WsPushCommand` sends any
frame at all to a topic's subscribers: the hostile-venue tests push frames of the right
shape with hostile values (timestamps, ``u``, prices, sizes, types, truncations) this way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

WsFaultAction = Literal[
    "drop",
    "skip_u",
    "restart_u",
    "silence",
    "malformed",
    "duplicate",
    "reorder",
    "crossed",
    "delay",
    "clear",
]
OneShot = Literal["skip_u", "duplicate", "reorder", "lose_push", "drop_on_push"]
"""Faults consumed by the next delta of their topic (the last two: the next private push)."""

ANY_TOPIC = "*"
MAX_FRAME_DELAY_S = 30.0
"""The longest ``delay``: longer holds so many frames back that the slow-reader bound
(``ws.SEND_QUEUE_BYTES``) would disconnect the client instead."""


class WsFaultCommand(BaseModel):
    """Body of ``POST /sim/admin/ws-faults``; applies to every matching open connection.

    Examples::

        {"action": "skip_u", "category": "linear", "topic": "orderbook.50.BTCUSDT"}
        {"action": "silence", "seconds": 2}
        {"action": "delay", "seconds": 0.3}
        {"action": "drop"}
    """

    model_config = ConfigDict(extra="forbid")

    action: WsFaultAction
    category: Literal["linear", "spot"] | None = None
    """Only connections of this category; all when omitted."""
    topic: str | None = None
    """Only this book topic (e.g. ``orderbook.50.BTCUSDT``); every book topic when omitted."""
    seconds: float | None = Field(default=None, gt=0, le=3600)
    """How long a ``silence`` lasts (until ``clear`` when omitted); how late every frame of
    a ``delay`` leaves (required, at most ``MAX_FRAME_DELAY_S``)."""

    @model_validator(mode="after")
    def _bounded_delay(self) -> Self:
        if self.action == "delay" and (self.seconds is None or self.seconds > MAX_FRAME_DELAY_S):
            raise ValueError(
                f"a delay needs seconds, more than 0 and at most {MAX_FRAME_DELAY_S:g}"
            )
        return self


class WsPushCommand(BaseModel):
    """Body of ``POST /sim/admin/ws-push``: one frame, sent as given, to every open
    connection subscribed to ``topic``.

    Examples::

        {"topic": "publicTrade.BTCUSDT", "frame": {"topic": "publicTrade.BTCUSDT", ...}}
        {"topic": "orderbook.50.BTCUSDT", "text": "{\"topic\":\"orderbook.50.BTC"}
        {"topic": "orderbook.50.BTCUSDT", "frame": {...}, "in_sequence": true}
    """

    model_config = ConfigDict(extra="forbid")

    topic: str = Field(min_length=1, max_length=200)
    category: Literal["linear", "spot"] | None = None
    """Only connections of this category; all when omitted."""
    frame: dict[str, Any] | None = None
    """A JSON object, encoded as it is (integers beyond 64 bits included)."""
    text: str | None = Field(default=None, max_length=1 << 20)
    """Raw text, sent verbatim: for frames that are not JSON or are cut short."""
    in_sequence: bool = False
    """For a book topic's ``frame``: its ``data.u`` becomes the connection's next ``u``, and
    the simulator's later deltas follow it, so only the frame's values are hostile."""

    @model_validator(mode="after")
    def _one_payload(self) -> Self:
        if (self.frame is None) == (self.text is None):
            raise ValueError("give exactly one of frame and text")
        if self.in_sequence and (self.frame is None or not self.topic.startswith("orderbook.")):
            raise ValueError("in_sequence needs a book topic and a frame")
        return self


@dataclass(slots=True)
class ConnectionFaults:
    """The switches armed on one connection."""

    silent_until: float | None = None
    """Loop time when the silence ends; ``inf`` for "until cleared"; None when talking."""
    armed: dict[OneShot, list[str]] = field(default_factory=dict)
    delay_s: float = 0.0
    """How late every frame leaves (``delay``); 0 sends at once."""

    def arm(self, fault: OneShot, topic: str | None) -> None:
        self.armed.setdefault(fault, []).append(topic or ANY_TOPIC)

    def take(self, fault: OneShot, topic: str) -> bool:
        """Consume an armed ``fault`` for ``topic`` if there is one."""
        targets = self.armed.get(fault)
        if not targets:
            return False
        for target in (topic, ANY_TOPIC):
            if target in targets:
                targets.remove(target)
                return True
        return False

    def is_silent(self, now: float) -> bool:
        if self.silent_until is None:
            return False
        if now >= self.silent_until:
            self.silent_until = None
            return False
        return True

    def clear(self) -> None:
        self.silent_until = None
        self.delay_s = 0.0
        self.armed.clear()


PrivateWsFaultAction = Literal["drop", "silence", "lose_push", "drop_on_push", "clear"]


class PrivateWsFaultCommand(BaseModel):
    """Body of ``POST /sim/admin/private-ws-faults``; applies to every private connection.

    - ``drop``: cut the TCP connection now, without a close frame;
    - ``silence``: send nothing (pushes, acks, pongs) for ``seconds`` or until ``clear``;
    - ``lose_push``: the next push of ``topic`` (any topic when omitted) is never sent;
    - ``drop_on_push``: the connection is cut instead of sending the next push of ``topic``
      (the fill happened, its push is lost with the connection);
    - ``clear``: disarm everything and end a silence.

    Examples::

        {"action": "drop_on_push", "topic": "execution"}
        {"action": "lose_push", "topic": "wallet"}
    """

    model_config = ConfigDict(extra="forbid")

    action: PrivateWsFaultAction
    topic: str | None = None
    """The push topic as sent (``execution``, ``order.linear``...); every topic when omitted."""
    seconds: float | None = Field(default=None, gt=0, le=3600)
