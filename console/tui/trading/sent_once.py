"""The objects already handed to a worker, so that each is sent once, in bounded memory."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")

KEEP = 256
"""How many of the newest sends are remembered: a repeat of an object sent that many sends
ago cannot come from a key pressed twice or a message delivered twice."""


class SentOnce(Generic[T]):
    """The newest ``keep`` objects sent, by identity.

    A confirmed order (or scale plan) is one object; a second send of that same object must
    not become a second order. The objects themselves are held, so no later object can be
    given a held one's ``id()``; only the newest ``keep`` are, so a session of thousands of
    orders holds a bounded record instead of every request it ever sent.
    """

    def __init__(self, keep: int = KEEP) -> None:
        if keep < 1:
            raise ValueError("keep at least one")
        self._keep = keep
        self._held: OrderedDict[int, T] = OrderedDict()

    def __contains__(self, item: object) -> bool:
        return id(item) in self._held

    def __len__(self) -> int:
        return len(self._held)

    def add(self, item: T) -> None:
        """Remember ``item`` as sent, forgetting the oldest beyond ``keep``."""
        self._held[id(item)] = item
        if len(self._held) > self._keep:
            self._held.popitem(last=False)


__all__ = ["KEEP", "SentOnce"]
