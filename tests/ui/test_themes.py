"""Theme files: the bundled ones load, each defines the console's colours, broken files explain."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from console.tui.themes import (
    CONSOLE_VARIABLES,
    ThemeProblem,
    bundled_theme_dir,
    load_theme_file,
    load_themes,
)

BUNDLED = ("breakout-dark", "breakout-light", "breakout-colorblind")


def test_bundled_themes_load_without_problems() -> None:
    catalog = load_themes(bundled_theme_dir())
    assert catalog.problems == []
    assert set(BUNDLED) <= set(catalog.themes)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_file_sets_every_console_variable(name: str) -> None:
    """Fallbacks exist, but a shipped theme should choose its own bid/ask/own-order colours."""
    path = bundled_theme_dir() / f"{name}.toml"
    text = path.read_text(encoding="utf-8")
    for variable in CONSOLE_VARIABLES:
        assert f"\n{variable} = " in text, f"{name} leaves {variable} to the fallback"


def test_colourblind_theme_does_not_use_red_and_green_for_sides() -> None:
    theme = load_themes(bundled_theme_dir()).themes["breakout-colorblind"]
    assert theme.variables["bid"].upper() == "#56B4E9"  # Okabe-Ito sky blue
    assert theme.variables["ask"].upper() == "#E69F00"  # Okabe-Ito orange


def test_top_level_themes_folder_shows_the_bundled_files() -> None:
    """DESIGN.md names ``themes/``; the repository's folder is the package's folder."""
    repo_themes = Path(__file__).parents[2] / "themes"
    assert sorted(p.name for p in repo_themes.glob("*.toml")) == sorted(
        p.name for p in bundled_theme_dir().glob("*.toml")
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("name = 'x'\nprimary = ", "not valid TOML"),
        ("primary = '#ffffff'", "no name"),
        ("name = 'x'", "no primary colour"),
        ("name = 'x'\nprimary = 'blurple'", "'blurple' is not a colour"),
        ("name = 'x'\nprimary = '#fff'\nshiny = true", "unknown field 'shiny'"),
        ("name = 'x'\nprimary = '#fff'\n[variables]\nbid = 3", "bid must be a colour"),
    ],
)
def test_a_broken_file_becomes_a_readable_problem(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    problem = load_theme_file(path)
    assert isinstance(problem, ThemeProblem)
    assert reason in str(problem)
    assert str(problem).startswith("Theme file broken.toml was skipped")


def test_user_themes_override_bundled_ones_and_missing_variables_fall_back(
    tmp_path: Path,
) -> None:
    (tmp_path / "mine.toml").write_text(
        "name = 'breakout-dark'\nprimary = '#123456'\n", encoding="utf-8"
    )
    catalog = load_themes(bundled_theme_dir(), tmp_path)
    theme = catalog.themes["breakout-dark"]
    assert theme.primary == "#123456"
    assert theme.variables["bid"] == CONSOLE_VARIABLES["bid"]


def test_theme_files_and_css_are_package_data() -> None:
    """An installed wheel has only what package-data lists: the themes and the stylesheet."""
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["console"]
    assert "themes/*.toml" in shipped
    assert "**/*.tcss" in shipped
    assert bundled_theme_dir() == Path(__file__).parents[2] / "console" / "themes"
