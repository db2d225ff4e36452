"""Building pydantic values already known to be valid, without validating them again.

The paper engine's hot paths (a fill, an order's snapshot, a level taken) build models whose
every field comes from a validated request, the book or the engine's exact ``Decimal``
arithmetic; the REST parser (``console.exchange.parse``) builds a ticker from values it has
checked one by one. Validation there costs more than the step itself, and pydantic's own
``model_construct`` is no faster (it walks the fields in Python). The public boundary
(requests, values read back from the ledger) stays validated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def trusted(cls: type[M], /, **fields: Any) -> M:
    """An instance of ``cls`` holding ``fields`` as given: every field, nothing else.

    Raises:
        TypeError: ``fields`` does not name exactly the model's fields (a default would be
            missing, or an unknown name would slip in).
    """
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(cls.model_fields)
    if fields.keys() != names:
        raise TypeError(f"{cls.__name__} needs exactly its fields, got {sorted(fields)}")
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model
