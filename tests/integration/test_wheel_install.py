"""The built wheel installs into a fresh virtualenv and its command runs outside the checkout.

What ``uv tool install .`` or ``pipx install .`` does, without a network: ``pip wheel``
builds the wheel with the project's own build backend (``--no-build-isolation``: setuptools
is a dev dependency), a new virtualenv gets the wheel with ``--no-deps``, and the running
environment's site-packages is appended to that virtualenv's path for the dependencies. A
``.pth`` line only adds a directory; the ``.pth`` files inside it (the checkout's editable
install) are not run, so ``console`` can only come from the wheel.
"""

from __future__ import annotations

import email
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def checkout_copy(target: Path) -> Path:
    """What a build reads, copied: setuptools builds in the source tree (``build/``,
    ``*.egg-info``), and the test leaves the repository as it found it."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(
        ROOT / "console", target / "console", ignore=shutil.ignore_patterns("__pycache__")
    )
    return target


def test_the_wheel_installs_and_runs_from_outside_the_repository(tmp_path: Path) -> None:
    source = checkout_copy(tmp_path / "checkout")
    dist = tmp_path / "dist"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            dist,
            source,
        ],
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("breakout_console-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(metadata_name))
    assert "console/tui/console.tcss" in names
    assert "console/themes/breakout-dark.toml" in names
    assert "console/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "MIT"
    assert "Programming Language :: Python :: 3.11" in metadata.get_all("Classifier", [])
    assert {url.split(",")[0] for url in metadata.get_all("Project-URL", [])} >= {
        "Homepage",
        "Source",
        "Issues",
    }
    assert not any(n.startswith(("tests/", "bench/")) for n in names)

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    purelib = Path(
        run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            cwd=tmp_path,
        ).strip()
    )
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            wheel,
        ],
        cwd=tmp_path,
    )
    (purelib / "dependencies-of-the-test-run.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["HOME"] = str(tmp_path / "home")
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / "config")
    env["XDG_STATE_HOME"] = str(tmp_path / "home" / "state")
    imported = run([python, "-c", "import console; print(console.__file__)"], outside, env)
    assert Path(imported.strip()).is_relative_to(purelib), "console comes from the wheel"

    command = venv / "bin" / "breakout-console"
    version = run([command, "--version"], outside, env)
    assert version.split() == ["breakout-console", importlib.metadata.version("breakout-console")]
    paths = run([command, "paths"], outside, env)
    assert str(tmp_path / "home" / "data") in paths, "the data folder follows XDG_DATA_HOME"
    keys = run([command, "keys"], outside, env)
    assert "confirm_order.send" in keys
