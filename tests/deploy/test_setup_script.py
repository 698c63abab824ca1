"""scripts/setup in a copy of the repository's tracked files, with a venv of its own: the
first run says what it does and installs, the second skips pip and says so, a changed
pyproject.toml installs again."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT

# A fresh install downloads the wheels again unless pip's cache holds them: bounded, so a
# hung index fails the test rather than the whole run.
INSTALL_TIMEOUT = 300


def tracked_copy(dest: Path) -> Path:
    """The working tree's tracked files (as they are now, edits included) under `dest`."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to list the tracked files")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def setup(repo: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """scripts/setup as a user runs it: no venv active, none of ours on PATH."""
    venv = os.environ.get("VIRTUAL_ENV")
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not venv or not p.startswith(venv)]
    path = [p for p in path if not p.startswith(str(ROOT / ".venv"))]
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONHOME"}}
    env["PATH"] = os.pathsep.join(path)
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "scripts/setup", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    return result, time.monotonic() - started


@pytest.mark.slow
def test_setup_installs_once_then_skips_until_pyproject_changes(tmp_path: Path) -> None:
    repo = tracked_copy(tmp_path / "repo")

    first, _ = setup(repo)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.startswith("setup: creating .venv with "), first.stdout
    assert "setup: installing the project and its pinned dependencies into .venv" in first.stdout
    assert "  collecting fastapi==" in first.stdout  # one line per package, as it goes
    assert "\nsetup: done in " in first.stdout
    aifg = repo / ".venv" / "bin" / "aifg"
    check = subprocess.run(
        [str(aifg), "validate", "seeds"], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, check.stderr

    second, seconds = setup(repo)
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("setup: .venv is up to date with pyproject.toml (installed ")
    assert second.stdout.rstrip().endswith("): skipping the install")
    assert len(second.stdout.splitlines()) == 1
    assert seconds < 5

    with (repo / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("# changed\n")
    third, _ = setup(repo)
    assert third.returncode == 0, third.stdout + third.stderr
    assert third.stdout.startswith(
        "setup: pyproject.toml changed since the last install: installing the project and its"
    )
    assert setup(repo)[0].stdout.startswith("setup: .venv is up to date")
