"""The plain reader of the environment and ``.env`` (console/config_sources.py) reads what
pydantic-settings' own sources read, for every variable name and value shape of Settings.

The oracle is pydantic-settings itself (a dev dependency), configured as the console used to
configure it: its sources read a copy of :class:`Settings` whose ``NoDecode`` markers are
pydantic-settings' own.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import pydantic_settings
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import AliasChoices, BaseModel, Field, create_model

from console.config import (
    CREDENTIAL_ENV,
    ENV_PREFIX,
    Settings,
    SettingsError,
    load_settings,
    section_models,
)
from console.config_sources import NoDecode, UndecodableVariable, read_dotenv, read_variables


class _Outside(pydantic_settings.BaseSettings):
    model_config = pydantic_settings.SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        case_sensitive=False,
        extra="ignore",
        dotenv_filtering="only_existing",
    )


def _oracle_model(model: type[BaseModel], base: type[BaseModel]) -> type[BaseModel]:
    """``model``'s fields (sections too) with pydantic-settings' ``NoDecode`` for ours."""
    fields: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = _oracle_model(annotation, BaseModel)
        metadata = [pydantic_settings.NoDecode if m is NoDecode else m for m in field.metadata]
        typed = Annotated[(annotation, *metadata)] if metadata else annotation
        alias = CREDENTIAL_ENV.get(name) if base is _Outside else None
        default = Field(default=None, validation_alias=AliasChoices(alias)) if alias else None
        fields[name] = (typed, default)
    built: type[BaseModel] = create_model(model.__name__, __base__=base, **fields)
    return built


_ORACLE = _oracle_model(Settings, _Outside)


class _Inner(BaseModel):
    items: list[int] = []
    counts: dict[str, int] = {}
    either: int | list[int] | None = None


class _Outer(BaseModel):
    """Shapes Settings does not have (yet): JSON inside a section, unions of a list."""

    inner: _Inner = _Inner()
    tags: list[str] = []
    either: int | list[int] = 0


_ORACLE_OUTER = _oracle_model(_Outer, _Outside)


class _OracleEnvironment(pydantic_settings.EnvSettingsSource):
    def __init__(self, environ: dict[str, str], model: type[BaseModel] = _ORACLE) -> None:
        self._environ = environ
        super().__init__(model)  # type: ignore[arg-type]

    def _load_env_vars(self) -> dict[str, str | None]:
        return {name.lower(): value for name, value in self._environ.items()}


def _by_field_name(values: dict[str, Any]) -> dict[str, Any]:
    names = {variable.lower(): field for field, variable in CREDENTIAL_ENV.items()}
    return {names.get(key.lower(), key): value for key, value in values.items()}


def _oracle(read: Any) -> tuple[str, Any]:
    try:
        return "read", _by_field_name(read())
    except pydantic_settings.SettingsError:
        return "refused", None


def _ours(read: Any) -> tuple[str, Any]:
    try:
        return "read", read()
    except UndecodableVariable:
        return "refused", None


def _names() -> list[str]:
    names = [ENV_PREFIX + name for name in Settings.model_fields]
    names += [ENV_PREFIX + "API_KEY", ENV_PREFIX, ENV_PREFIX + "_X", "OTHER_TOOL_TOKEN"]
    names += list(CREDENTIAL_ENV.values())
    for section, model in section_models().items():
        head = f"{ENV_PREFIX}{section}__"
        names += [head + field for field in model.model_fields]
        names += [head + "nope", head + "seed__deep", head + ENV_PREFIX + "seed"]
        names += [head + ENV_PREFIX + "depth", head + "max_fps__x__y"]
    names += [f"{ENV_PREFIX}UI__KEYMAP__HELP", f"{ENV_PREFIX}PAPER__STARTING_BALANCES__USDT"]
    names += [f"{ENV_PREFIX}SYMBOLS__0", f"{ENV_PREFIX}VENUE__X", f"{ENV_PREFIX}UI__KEYMAP__A__B"]
    return names


_VALUES = [
    "",
    "x",
    "1",
    "-2.5",
    "true",
    "null",
    '"quoted"',
    "[1, 2]",
    "{not json",
    "BTC/USDT:USDT, ETH/USDT",
    '{"seed": 3}',
    '{"SEED": "4", "Speed": 2, "other": 1}',
    '{"max_order_notional": "5"}',
    '{"keymap": {"help": "h"}, "MAX_FPS": 30}',
    '{"a": {"b": 1}}',
    '{"USDT": "10000"}',
]

_environments = st.dictionaries(
    st.builds(
        lambda name, case: case(name),
        st.sampled_from(_names()),
        st.sampled_from([str.upper, str.lower, str.title]),
    ),
    st.sampled_from(_VALUES),
    max_size=8,
)


@settings(max_examples=400, deadline=None)
@given(environ=_environments)
def test_the_environment_is_read_as_pydantic_settings_reads_it(environ: dict[str, str]) -> None:
    ours = _ours(
        lambda: read_variables(Settings, environ, prefix=ENV_PREFIX, aliases=CREDENTIAL_ENV)
    )

    assert ours == _oracle(_OracleEnvironment(environ))


_OUTER_NAMES = [
    f"{ENV_PREFIX}{name}"
    for name in (
        "inner", "tags", "either", "inner__items", "inner__counts", "inner__either",
        "inner__counts__a", "inner__items__0", "inner__nope", "tags__0",
    )
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    environ=st.dictionaries(
        st.sampled_from(_OUTER_NAMES),
        st.sampled_from([*_VALUES, '{"items": [1], "EITHER": 2}', '{"a": 1}']),
        max_size=6,
    )
)
def test_json_inside_a_section_and_unions_are_read_as_pydantic_settings_reads_them(
    environ: dict[str, str],
) -> None:
    ours = _ours(lambda: read_variables(_Outer, environ, prefix=ENV_PREFIX, aliases={}))

    assert ours == _oracle(_OracleEnvironment(environ, _ORACLE_OUTER))


@settings(max_examples=150, deadline=None)
@given(environ=_environments, bare=st.sampled_from(_names()), export=st.booleans())
def test_a_dotenv_file_is_read_as_pydantic_settings_reads_it(
    environ: dict[str, str], bare: str, export: bool
) -> None:
    lines = ["# a comment", f"{bare}"]  # a name without "=": no value
    lines += [f"{'export ' if export else ''}{name}='{value}'" for name, value in environ.items()]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".env"
        path.write_text("\n".join(lines) + "\n", "utf-8")

        ours = _ours(lambda: read_dotenv(path, Settings, prefix=ENV_PREFIX, aliases=CREDENTIAL_ENV))
        oracle = _oracle(pydantic_settings.DotEnvSettingsSource(_ORACLE, env_file=path))  # type: ignore[arg-type]

    assert ours == oracle


@pytest.mark.parametrize("value", ["x", "{not json", ""])
def test_a_section_that_is_not_json_is_refused_in_one_line(value: str) -> None:
    """pydantic-settings raised its own exception here (a traceback at start-up)."""
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"BREAKOUT_RISK": value}, dotenv_path=None)

    assert str(caught.value) == (
        "BREAKOUT_RISK: expected a JSON object; or set each value on its own, "
        "e.g. BREAKOUT_RISK__MAX_ORDER_NOTIONAL=2500"
    )


def test_a_section_that_is_not_json_in_a_dotenv_file_names_the_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("breakout_ui=keymap\n", "utf-8")

    with pytest.raises(SettingsError) as caught:
        load_settings(environ={}, dotenv_path=dotenv)

    assert str(caught.value).startswith(f"BREAKOUT_UI in {dotenv}: expected a JSON object")


def test_reading_the_settings_imports_neither_pydantic_settings_nor_dotenv() -> None:
    """Both cost start-up time before the first frame; python-dotenv is loaded only when
    there is a ``.env`` file to parse."""
    code = (
        "import sys; from console.cli import main; from console.config import load_settings; "
        "load_settings(environ={'BREAKOUT_SIM__SEED': '1', 'BREAKOUT_THEME': 't'}, "
        "dotenv_path=None); "
        "print(sorted(m for m in ('pydantic_settings', 'dotenv') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[]"
