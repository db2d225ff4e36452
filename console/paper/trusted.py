"""The paper engine builds its known-valid values with :func:`console.domain.trusted.trusted`
(it moved to the domain so the REST parser can share it)."""

from __future__ import annotations

from console.domain.trusted import trusted

__all__ = ["trusted"]
