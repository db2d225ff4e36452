"""The settings file: TOML in the platform's config directory, the lowest layer above defaults.

Precedence stays flags > environment > ``.env`` > this file > defaults. The file has every
setting the environment has: top-level keys for the top-level fields, a table per section
(``[risk]``, ``[stream]``, ``[ui]``, ``[paper]``, ``[sim]``) and ``[keymap]`` for key
remaps (the same as ``ui.keymap``). Secrets are refused here: a config file gets copied,
shared and committed; keys belong in the environment or an env file.

A file that cannot be used gives one line naming the file, the key and what is allowed.
``[profiles.NAME]`` tables (venue, mode, symbols, and the env file that holds that
account's keys) are chosen with ``--profile NAME``; a profile's values override the file's
top level, and everything above the file still overrides them.

``breakout-console config init`` writes :func:`example_config`, every setting at its
default with its description as a comment, which loads back to the defaults.
"""

from __future__ import annotations

import ast
import difflib
import inspect
import itertools
import json
import os
import textwrap
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel
from pydantic_settings import BaseSettings, TomlConfigSettingsSource

from console.config import (
    APP_NAME,
    CREDENTIAL_ENV,
    Settings,
    SettingsError,
    SettingsFile,
    UISettings,
    section_models,
)

CONFIG_FILE = "config.toml"
CONFIG_VARIABLE = "BREAKOUT_CONFIG"
"""Names the settings file when ``--config`` does not."""
KEYMAP_TABLE = "keymap"
PROFILES_TABLE = "profiles"
PROFILE_KEYS = frozenset({"venue", "venue_url", "mode", "symbols", "theme", "data_dir", "env_file"})
"""What a profile may set: which venue and account, what to watch, where its files live."""
_NOT_IN_FILE = frozenset(CREDENTIAL_ENV)
_PLATFORM_DEFAULTS = frozenset({"data_dir", "log_file"})
"""Fields whose default depends on the machine: written commented out."""


def default_config_path() -> Path:
    """``config.toml`` in the platform's config directory (``~/.config/breakout-console``)."""
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


def chosen_config_file(explicit: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    """``--config`` (``explicit``), else ``BREAKOUT_CONFIG``, else :func:`default_config_path`."""
    chosen = explicit or (os.environ if environ is None else environ).get(CONFIG_VARIABLE)
    return Path(chosen) if chosen else default_config_path()


def _unknown(path: Path, where: str, name: str, allowed: list[str]) -> SettingsError:
    close = difflib.get_close_matches(name, allowed, n=2, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}?" if close else f"allowed: {', '.join(allowed)}"
    return SettingsError(f"{path}: unknown setting {where}{name} ({hint})")


def _load_toml(path: Path) -> dict[str, Any]:
    """The file as a dict, read by pydantic-settings' TOML source (checked key by key here:
    the source itself neither refuses unknown keys nor knows profiles; it reads no file
    that is missing, where this says so)."""
    if not path.is_file():
        raise SettingsError(f"{path}: cannot be read (not a file)")
    try:
        return dict(TomlConfigSettingsSource(BaseSettings, toml_file=path).toml_data)
    except OSError as error:
        raise SettingsError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: not valid TOML ({error})") from None


def _refuse_secret(path: Path, where: str, name: str) -> None:
    if name in _NOT_IN_FILE:
        raise SettingsError(
            f"{path}: {where}{name} does not belong in a config file (it gets copied and "
            f"shared); set {CREDENTIAL_ENV[name]} in the environment or an env file "
            "(--env-file, or a profile's env_file)"
        )


def _profile(path: Path, data: Mapping[str, Any], profile: str) -> dict[str, Any]:
    """The ``[profiles.NAME]`` table, its keys checked."""
    profiles = data.get(PROFILES_TABLE, {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise SettingsError(f"{path}: [{PROFILES_TABLE}] holds tables, e.g. [profiles.testnet]")
    if profile not in profiles:
        known = ", ".join(sorted(profiles)) or "none"
        raise SettingsError(f"{path}: no profile {profile!r} (profiles: {known})")
    table: dict[str, Any] = profiles[profile]
    for key in table:
        _refuse_secret(path, f"[profiles.{profile}] ", key)
        if key not in PROFILE_KEYS:
            raise _unknown(path, f"[profiles.{profile}] ", key, sorted(PROFILE_KEYS))
    return table


def profile_env_file(path: Path, profile: str | None) -> Path | None:
    """The env file a profile names for its account's keys (relative to the config file)."""
    if profile is None or not path.is_file():
        return None
    named = _profile(path, _load_toml(path), profile).get("env_file")
    if named is None:
        return None
    env_file = (path.parent / Path(str(named)).expanduser()).resolve()
    if not env_file.is_file():
        raise SettingsError(f"{path}: [profiles.{profile}] env_file {env_file} does not exist")
    return env_file


def read_settings_file(path: Path, profile: str | None = None) -> SettingsFile | None:
    """The settings file at ``path`` ready for :func:`console.config.load_settings`, or None
    when there is no file there.

    Raises:
        SettingsError: a profile was asked for but there is no file, or the file is bad
            (see :func:`read_config_file`).
    """
    if not path.is_file():
        if profile is not None:
            raise SettingsError(f"--profile {profile}: there is no settings file ({path})")
        return None
    values, sources = read_config_file(path, profile)
    return SettingsFile(path=path.resolve(), values=values, sources=sources)


def read_config_file(
    path: Path, profile: str | None = None
) -> tuple[dict[str, Any], dict[tuple[str, ...], str]]:
    """The file's values as the nested dict :func:`console.config.load_settings` layers,
    and for each field path where it came from (``config.toml [risk] price_band_pct``).

    Args:
        path: the TOML file.
        profile: a ``[profiles.NAME]`` whose values override the file's top level.

    Raises:
        SettingsError: the file is unreadable, not TOML, names an unknown key, a secret or
            a profile it does not have.
    """
    data = _load_toml(path)
    sections = section_models()
    top_level = [name for name in Settings.model_fields if name not in sections]
    values: dict[str, Any] = {}
    sources: dict[tuple[str, ...], str] = {}
    for name, value in data.items():
        _refuse_secret(path, "", name)
        if name == KEYMAP_TABLE:
            values.setdefault("ui", {})["keymap"] = _keymap(path, value)
            sources[("ui", "keymap")] = f"{path} [{KEYMAP_TABLE}]"
        elif name in sections:
            values[name] = _section(path, name, value, sections[name], sources)
        elif name in top_level:
            values[name] = value
            sources[(name,)] = f"{path} {name}"
        elif name != PROFILES_TABLE:
            raise _unknown(path, "", name, [*top_level, *sections, KEYMAP_TABLE, PROFILES_TABLE])
    if profile is not None:
        for key, value in _profile(path, data, profile).items():
            if key != "env_file":
                values[key] = value
                sources[(key,)] = f"{path} [profiles.{profile}] {key}"
    return values, sources


def _section(
    path: Path,
    name: str,
    value: object,
    model: type[BaseModel],
    sources: dict[tuple[str, ...], str],
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{path}: {name} must be a table ([{name}])")
    for key in value:
        if key not in model.model_fields:
            raise _unknown(path, f"[{name}] ", key, list(model.model_fields))
        sources[(name, key)] = f"{path} [{name}] {key}"
    return dict(value)


def _keymap(path: Path, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SettingsError(
            f'{path}: [{KEYMAP_TABLE}] maps binding ids to keys, e.g. next_symbol = "U"'
        )
    return {str(key): str(keys) for key, keys in value.items()}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return json.dumps(str(value.value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Decimal | str | Path):
        return json.dumps(str(value))
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{key} = {_toml_value(item)}" for key, item in value.items())
        return "{ " + pairs + " }" if pairs else "{}"
    raise TypeError(f"no TOML form for {value!r}")


def _comment(text: str | None) -> list[str]:
    lines = (text or "").replace("``", "`").splitlines()
    return [f"# {line.strip()}".rstrip() for line in lines]


def attribute_docstrings(cls: type) -> dict[str, str]:
    """Attribute name -> the string literal right after its annotated assignment in the
    body of ``cls`` itself (not its bases), cleaned as ``inspect.cleandoc`` does; empty when
    the source cannot be read.

    The settings' descriptions, read when ``config init`` writes them. Pydantic's
    ``use_attribute_docstrings`` reads and parses every model's source when the class is
    created, on every start of the console (about 18 ms of the first frame).
    """
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    definition = ast.parse(source).body[0]
    if not isinstance(definition, ast.ClassDef):
        return {}
    found: dict[str, str] = {}
    body = definition.body
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = inspect.cleandoc(following.value.value)
    return found


def _field_lines(model: BaseModel, skip: frozenset[str]) -> list[str]:
    lines: list[str] = []
    descriptions = attribute_docstrings(type(model))
    for name, field in type(model).model_fields.items():
        if name in skip:
            continue
        value = getattr(model, name)
        lines += _comment(field.description or descriptions.get(name))
        if value is None:
            lines.append(f"# {name} =")
        elif name in _PLATFORM_DEFAULTS:
            lines.append(f"# {name} = {_toml_value(value)}")
        else:
            lines.append(f"{name} = {_toml_value(value)}")
        lines.append("")
    return lines


def example_config() -> str:
    """Every setting at its default, each with its description: loads back to the defaults."""
    defaults = Settings()
    sections = section_models()
    lines = [
        "# Breakout Console settings. Precedence: flags > environment > .env > this file >",
        "# defaults. Secrets (API key, secret, passphrase) never go here: set EXCHANGE_API_KEY,",
        "# EXCHANGE_SECRET and EXCHANGE_PASSPHRASE in the environment or an env file.",
        "",
    ]
    lines += _field_lines(defaults, _NOT_IN_FILE | frozenset(sections))
    for name in sections:
        section: BaseModel = getattr(defaults, name)
        lines += [f"[{name}]", *_comment(type(section).__doc__), ""]
        skip = frozenset({"keymap"}) if isinstance(section, UISettings) else frozenset()
        lines += _field_lines(section, skip)
    lines += [
        f"[{KEYMAP_TABLE}]",
        "# Binding id = keys (comma-separated); `breakout-console keys` lists the ids.",
        '# next_symbol = "U"',
        "",
        "# Profiles, chosen with --profile NAME: a venue and account with its own keys.",
        f"# A profile may set: {', '.join(sorted(PROFILE_KEYS))}. Its env_file (relative",
        "# to this file) holds that account's EXCHANGE_API_KEY and EXCHANGE_SECRET; the keys",
        "# never go in this file.",
        "# [profiles.testnet]",
        '# venue = "bybit-testnet"',
        '# mode = "live"',
        '# env_file = "testnet.env"',
        "",
    ]
    return "\n".join(lines)


__all__ = [
    "CONFIG_FILE",
    "CONFIG_VARIABLE",
    "attribute_docstrings",
    "chosen_config_file",
    "default_config_path",
    "example_config",
    "profile_env_file",
    "read_config_file",
]
