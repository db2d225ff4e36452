"""Theme files (TOML data) turned into Textual themes.

Where the files are: the bundled themes ship inside the package as ``console/themes/*.toml``
(declared as package data, so an installed wheel has them); the repository's top-level
``themes/`` is a link to that folder so a source checkout shows them where DESIGN.md says.
A trader can add or override themes by dropping ``*.toml`` files into ``<data_dir>/themes/``.

A file is the keyword arguments of :class:`textual.theme.Theme` plus a ``[variables]`` table;
the console's own variables (:data:`CONSOLE_VARIABLES`) colour bids, asks, own orders and
the mode badges. A file that cannot be read or lacks a required field becomes a
:class:`ThemeProblem` (a sentence for a notification), never an exception at start-up.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "breakout-dark"

CONSOLE_VARIABLES: dict[str, str] = {
    "bid": "#22C55E",
    "ask": "#EF4444",
    "own-order": "#FBBF24",
    "live": "#DC2626",
    "paper": "#2563EB",
    "stale": "#A855F7",
}
"""Theme variables every widget may use (``$bid`` in CSS), with the fallback colours used
when a theme file leaves one out."""

_COLOUR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


@dataclass(frozen=True)
class ThemeProblem:
    """A theme file the console could not use, and why, in words for the trader."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"Theme file {self.path.name} was skipped: {self.reason}"


@dataclass
class ThemeCatalog:
    """Every theme that loaded, and every file that did not."""

    themes: dict[str, Theme] = field(default_factory=dict)
    problems: list[ThemeProblem] = field(default_factory=list)


def bundled_theme_dir() -> Path:
    """The themes shipped with the package (works from a checkout and from a wheel)."""
    return Path(str(resources.files("console") / "themes"))


def user_theme_dir(data_dir: Path) -> Path:
    """Where a trader's own theme files go; they override bundled ones of the same name."""
    return data_dir / "themes"


def _check_colour(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a colour string such as '#22C55E'")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{name} = {value!r} is not a colour") from None
    return value


def theme_from_mapping(data: dict[str, Any]) -> Theme:
    """Build a Theme from the parsed content of one file.

    Raises:
        ValueError: with a sentence naming the field at fault.
    """
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("it has no name")
    if "primary" not in data:
        raise ValueError("it has no primary colour")
    unknown = set(data) - {*_COLOUR_FIELDS, "name", "dark", "variables"}
    if unknown:
        raise ValueError(f"unknown field {sorted(unknown)[0]!r}")
    colours = {key: _check_colour(key, data[key]) for key in _COLOUR_FIELDS if key in data}
    raw_variables = data.get("variables", {})
    if not isinstance(raw_variables, dict):
        raise ValueError("[variables] must be a table")
    variables = dict(CONSOLE_VARIABLES)
    variables.update({key: _check_colour(key, value) for key, value in raw_variables.items()})
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ValueError("dark must be true or false")
    return Theme(
        name=name.strip(),
        primary=colours["primary"],
        secondary=colours.get("secondary"),
        warning=colours.get("warning"),
        error=colours.get("error"),
        success=colours.get("success"),
        accent=colours.get("accent"),
        foreground=colours.get("foreground"),
        background=colours.get("background"),
        surface=colours.get("surface"),
        panel=colours.get("panel"),
        boost=colours.get("boost"),
        dark=dark,
        variables=variables,
    )


def load_theme_file(path: Path) -> Theme | ThemeProblem:
    """One file to a Theme, or the reason it cannot be used."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        return ThemeProblem(path, f"it could not be read ({error.strerror or error})")
    except tomllib.TOMLDecodeError as error:
        return ThemeProblem(path, f"it is not valid TOML ({error})")
    try:
        return theme_from_mapping(data)
    except ValueError as error:
        return ThemeProblem(path, str(error))


def load_themes(*directories: Path) -> ThemeCatalog:
    """Load every ``*.toml`` in the directories, later directories overriding earlier ones."""
    catalog = ThemeCatalog()
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            loaded = load_theme_file(path)
            if isinstance(loaded, ThemeProblem):
                catalog.problems.append(loaded)
            else:
                catalog.themes[loaded.name] = loaded
    return catalog
