"""The environment and a ``.env`` file read into the raw, nested values of a settings model.

These are the rules pydantic-settings' ``EnvSettingsSource`` and ``DotEnvSettingsSource``
apply for :class:`~console.config.Settings` (case-insensitive names, a prefix, ``__``
between a section and its field, aliases read without the prefix, JSON for complex values
unless marked ``NoDecode``), written out because importing pydantic-settings cost about
0.09 s of CPU at every start, before the first frame (``bench/RESULTS.md``). The values
stay raw strings: validation is the model's. ``tests/unit/test_config_sources.py`` holds
them equal to pydantic-settings' sources on generated environments and files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence, Set
from dataclasses import is_dataclass
from pathlib import Path
from typing import Any, TypeGuard, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

NESTING = "__"
"""Between a section's variable and its field's name: ``BREAKOUT_RISK__MAX_ORDER_NOTIONAL``."""


class NoDecode:
    """Field metadata: a complex value read from a variable stays the raw string (a
    validator of the field splits or parses it), as pydantic-settings' ``NoDecode``."""


class UndecodableVariable(ValueError):
    """A variable of a complex field (a section) holds text that is not JSON."""

    def __init__(self, variable: str) -> None:
        super().__init__(variable)
        self.variable = variable
        """The variable as it was named, upper-cased (its value is not kept: it may be secret)."""


def read_variables(
    model: type[BaseModel],
    variables: Mapping[str, str | None],
    *,
    prefix: str,
    aliases: Mapping[str, str],
) -> dict[str, Any]:
    """The values ``variables`` give the fields of ``model``, nested by section.

    Args:
        model: The settings model whose fields are read.
        variables: Names to values, in any case (a ``.env`` line without ``=`` is None).
        prefix: Put before every field's name (``BREAKOUT_``), aliases aside.
        aliases: Field name -> the one variable that sets it (credentials).

    Raises:
        UndecodableVariable: a section's own variable is not JSON.
    """
    lowered = {name.lower(): value for name, value in variables.items()}
    reader = _Reader(prefix.lower())
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        variable = (aliases[name] if name in aliases else prefix + name).lower()
        value = reader.field_value(variable, field, lowered)
        if value is None:
            continue
        values[name] = _field_names(field.annotation, value) if isinstance(value, dict) else value
    return values


def read_dotenv(
    path: Path, model: type[BaseModel], *, prefix: str, aliases: Mapping[str, str]
) -> dict[str, Any]:
    """:func:`read_variables` of a ``.env`` file, parsed by python-dotenv (quotes, comments,
    ``export``, ``${VAR}`` interpolation) as pydantic-settings reads it; other tools'
    variables in the file are ignored."""
    from dotenv import dotenv_values

    variables = dotenv_values(path, encoding="utf-8")
    return read_variables(model, variables, prefix=prefix, aliases=aliases)


class _Reader:
    """Reads one field's value; nested fields are matched by name or by prefixed name."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def field_value(
        self, variable: str, field: FieldInfo, variables: Mapping[str, str | None]
    ) -> Any:
        value = variables.get(variable)
        is_complex, may_fail = _complexity(field)
        if not is_complex:
            return value
        if value is None:
            return self._nested(variable, field, variables) or None
        try:
            decoded = _decode(field, value)
        except ValueError:
            if not may_fail:
                raise UndecodableVariable(variable.upper()) from None
            decoded = value
        if isinstance(decoded, dict):
            return _deep_update(decoded, self._nested(variable, field, variables))
        return decoded

    def _nested(
        self, variable: str, field: FieldInfo, variables: Mapping[str, str | None]
    ) -> dict[str, Any]:
        """``<variable>__a__b=v`` -> ``{"a": {"b": v}}``, decoded where ``b`` is complex."""
        annotation = field.annotation
        is_dict = annotation is dict or _is_subclass(get_origin(annotation), dict)
        start = variable + NESTING
        result: dict[str, Any] = {}
        for name, value in variables.items():
            if not name.startswith(start):
                continue
            *keys, last = name[len(start) :].split(NESTING)
            node: Any = result
            target: Any = field
            for key in keys:
                target = self._next_field(target, key)
                if isinstance(node, dict):
                    node = node.setdefault(key, {})
            target = self._next_field(target, last)
            if (target or is_dict) and value:
                if isinstance(target, FieldInfo):
                    is_complex, may_fail = _complexity(target)
                elif target:
                    is_complex, may_fail = _annotation_is_complex(target, []), True
                else:
                    is_complex, may_fail = True, True
                if is_complex:
                    try:
                        value = _decode(target if isinstance(target, FieldInfo) else None, value)
                    except ValueError:
                        if not may_fail:
                            raise UndecodableVariable(name.upper()) from None
            if isinstance(node, dict):
                node[last] = value
        return result

    def _next_field(self, field: Any, key: str) -> Any:
        """The field (or, inside a dict, the value type) that ``key`` names below ``field``."""
        if not field:
            return None
        annotation = field.annotation if isinstance(field, FieldInfo) else field
        if _is_subclass(get_origin(annotation), dict):
            args = get_args(annotation)
            return args[-1] if args else None
        for member in get_args(annotation):
            found = self._next_field(member, key)
            if found:
                return found
        if _is_model(annotation):
            for name, sub in annotation.model_fields.items():
                if key in (name.lower(), (self.prefix + name).lower()):
                    return sub
        return None


def _decode(field: FieldInfo | None, value: str) -> Any:
    if field is not None and NoDecode in field.metadata:
        return value
    return json.loads(value)


def _complexity(field: FieldInfo) -> tuple[bool, bool]:
    """(parsed as JSON, a parse failure keeps the text): a model, mapping or sequence is
    parsed; a union with one of them among its members keeps text that is not JSON."""
    if _annotation_is_complex(field.annotation, field.metadata):
        return True, False
    if _is_union(field.annotation) and any(
        _annotation_is_complex(member, []) for member in get_args(field.annotation)
    ):
        return True, True
    return False, False


def _annotation_is_complex(annotation: Any, metadata: Sequence[Any]) -> bool:
    from pydantic import Json, Secret

    if any(isinstance(item, Json) for item in metadata):
        return False
    origin = get_origin(annotation)
    if _is_subclass(origin, Secret):
        return False
    return (
        _is_complex_type(annotation)
        or _is_complex_type(origin)
        or hasattr(origin, "__pydantic_core_schema__")
        or hasattr(origin, "__get_pydantic_core_schema__")
    )


def _is_complex_type(annotation: Any) -> bool:
    if _is_subclass(annotation, (str, bytes)):
        return False
    kinds = (BaseModel, Mapping, Sequence, Set, tuple, set, frozenset)
    return _is_subclass(annotation, kinds) or is_dataclass(annotation)


def _is_union(annotation: Any) -> bool:
    from types import UnionType

    return get_origin(annotation) in (Union, UnionType)


def _is_subclass(cls: Any, parents: type[Any] | tuple[type[Any], ...]) -> bool:
    try:
        return isinstance(cls, type) and issubclass(cls, parents)
    except TypeError:
        return False


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return _is_subclass(annotation, BaseModel)


def _deep_update(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _deep_update(merged[key], value)
        else:
            merged[key] = value
    return merged


def _field_names(annotation: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Keys of a model's values renamed to its fields' names, matched in any case."""
    annotation = _without_none(annotation)
    if not _is_model(annotation):
        return values
    renamed: dict[str, Any] = {}
    for key, value in values.items():
        match = next(
            (
                (name, f)
                for name, f in annotation.model_fields.items()
                if name.lower() == key.lower()
            ),
            None,
        )
        if match is None:
            renamed[key] = value
            continue
        name, sub = match
        nested = _is_model(_without_none(sub.annotation)) and isinstance(value, dict)
        renamed[name] = _field_names(sub.annotation, value) if nested else value
    return renamed


def _without_none(annotation: Any) -> Any:
    if _is_union(annotation):
        members = [member for member in get_args(annotation) if member is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation
