"""Identifiers the simulator hands out, shaped like Bybit's and drawn from a seeded stream.

Spot order and execution ids are long decimal numbers, linear ones are UUIDs, as on Bybit;
a spot order without an ``orderLinkId`` gets a numeric one, a linear order keeps it empty.
"""

from __future__ import annotations

import itertools
import random
import uuid

from console.sim.instruments import SimInstrument


class SimIds:
    """Order ids, execution ids and sequence numbers of one simulator."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"orders-{seed}")
        self._orders = itertools.count(1)
        self._executions = itertools.count(1)

    def next_order_sequence(self) -> int:
        return next(self._orders)

    def next_execution_sequence(self) -> int:
        return next(self._executions)

    def order_id(self, instrument: SimInstrument) -> str:
        if instrument.category == "spot":
            return str(1_600_000_000_000_000_000 + self._rng.getrandbits(58))
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def default_link_id(self, instrument: SimInstrument) -> str:
        return self.order_id(instrument) if instrument.category == "spot" else ""

    def execution_id(self, instrument: SimInstrument, sequence: int) -> str:
        if instrument.category == "spot":
            return str(2_200_000_000_000_000_000 + sequence)
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
