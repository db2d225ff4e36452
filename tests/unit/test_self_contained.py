"""Nothing in the repository's code, tests, benchmarks or CI reads a path outside it.

A clone anywhere must pass ``make check``: a fixture read from a sibling folder or an
absolute path of the machine the code was written on fails everywhere else. The scan looks
at the string literals of Python files (absolute paths under the usual machine roots, and
any step up to a parent folder), at ``Path(__file__).parents[N]`` and ``.parent`` chains
that climb above the repository root, and at the non-comment lines of the Makefile and CI
scripts.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED_DIRS = ("console", "tests", "bench", ".ci")
SCANNED_FILES = ("Makefile", "pyproject.toml")
SKIPPED_DIRS = {"__pycache__", "__snapshots__", "fixtures"}

_MACHINE_ROOTS = ("work", "root", "home", "Users", "mnt", "srv", "opt", "tmp")
ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:" + "|".join(_MACHINE_ROOTS) + r")(?:/|\b)")
CLIMB = re.compile(r"(?<![\w.])\.\.(?=/)|(?<=/)\.\.(?![\w.])")
PARENT_DIR_LITERAL = re.compile(r"^[rRbBuU]*(['\"])\.\.\1$")
PATH_CONTEXT = re.compile(r"Path\(|joinpath|os\.path|chdir|/\s*[rRbBuU]*['\"]\.\.")
"""A bare ``".."`` is a way out only where a path is built (``"a..b"`` ranges are not)."""
PARENTS = re.compile(r"__file__\s*\)(?:\s*\.\s*resolve\s*\(\s*\))?\s*\.\s*parents\s*\[\s*(\d+)")
PARENT_CHAIN = re.compile(r"__file__\s*\)(?:\s*\.\s*resolve\s*\(\s*\))?((?:\s*\.\s*parent\b)+)")


def _python_parts(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The code with comments and strings left out, and each string literal with its line."""
    code: list[str] = []
    strings: list[tuple[int, str]] = []
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.STRING:
            strings.append((token.start[0], token.string))
            code.append('""')
        elif token.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
            code.append(token.string)
    return " ".join(code), strings


def outside_references(relative: Path, text: str) -> list[str]:
    """What in one file (at ``relative`` below the root) points outside the repository."""
    depth = len(relative.parts) - 1  # folders between the root and the file
    problems: list[str] = []
    if relative.suffix == ".py":
        code, strings = _python_parts(text)
        lines = text.splitlines()
        for line_number, literal in strings:
            if ABSOLUTE.search(literal):
                problems.append(f"{relative}:{line_number}: absolute path {literal[:60]}")
            line = lines[line_number - 1] if line_number <= len(lines) else ""
            bare_parent = PARENT_DIR_LITERAL.match(literal) and PATH_CONTEXT.search(line)
            if CLIMB.search(literal) or bare_parent:
                problems.append(f"{relative}:{line_number}: relative climb {literal[:60]}")
        for match in PARENTS.finditer(code):
            if int(match.group(1)) > depth:
                problems.append(f"{relative}: parents[{match.group(1)}] leaves the repository")
        for match in PARENT_CHAIN.finditer(code):
            if match.group(1).count("parent") - 1 > depth:
                problems.append(f"{relative}: .parent chain leaves the repository")
        return problems
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0]
        if ABSOLUTE.search(line):
            problems.append(f"{relative}:{number}: absolute path {line.strip()[:60]}")
        if len(CLIMB.findall(line)) > depth:
            problems.append(f"{relative}:{number}: climbs out {line.strip()[:60]}")
    return problems


def scanned_files() -> Iterator[Path]:
    for name in SCANNED_FILES:
        yield ROOT / name
    for folder in SCANNED_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT)
            wanted = path.suffix in {".py", ".toml", ".sh", ".tcss", ""}
            if wanted and path.is_file() and not SKIPPED_DIRS & set(relative.parts):
                yield path


def test_the_scan_covers_code_tests_bench_and_ci() -> None:
    scanned = {path.relative_to(ROOT).parts[0] for path in scanned_files()}

    assert {"console", "tests", "bench", ".ci", "Makefile"} <= scanned


def test_nothing_reads_a_path_outside_the_repository() -> None:
    problems = [
        problem
        for path in scanned_files()
        for problem in outside_references(path.relative_to(ROOT), path.read_text("utf-8"))
    ]

    assert problems == []


DOTS = "." * 2
_OUT = "/" + "work/shared/fixtures"
_UP = f"{DOTS}/shared"


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("tests/integration/t.py", f"FIXTURES = Path({_OUT!r})\n"),
        ("tests/integration/t.py", f"FIXTURES = Path({('/' + 'root/x')!r})\n"),
        ("tests/integration/t.py", f"FIXTURES = Path({_UP!r})\n"),
        ("tests/integration/t.py", "X = Path(__file__).resolve().parents[" + "3] / 'fixtures'\n"),
        ("tests/t.py", "X = Path(__file__).parent.parent.parent\n"),
        ("Makefile", f"fixtures:\n\tcp {_UP}/x tests/\n"),
        ("tests/integration/t.py", f"X = Path(__file__).parent / {DOTS!r}\n"),
        (".ci/run", f"cd $(dirname $0)/{DOTS}/{DOTS}\n"),
    ],
)
def test_the_scan_finds_each_way_out(relative: str, source: str) -> None:
    assert outside_references(Path(relative), source) != []


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("tests/integration/t.py", "X = Path(__file__).resolve().parents[2] / 'pyproject.toml'\n"),
        ("tests/t.py", "X = Path(__file__).parent.parent / 'Makefile'\n"),
        ("console/x.py", "URL = '/v5/public/linear'  # " + _OUT + "\n"),
        (".ci/run", f'cd "$(dirname "$0")/{DOTS}"\n'),
        ("console/sim/x.py", '"""Intervals ``3``' + DOTS + '``720``."""\n'),
        ("console/domain/x.py", f"IS_RANGE = {DOTS!r} in text\n"),
    ],
)
def test_the_scan_allows_paths_inside(relative: str, source: str) -> None:
    assert outside_references(Path(relative), source) == []
