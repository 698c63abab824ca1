"""scripts/setup in a copy of the repository's tracked files, with a venv of its own: the
first run says what it does and installs, the second skips pip and says so, a changed
pyproject.toml installs again (and a failed install leaves no stamp behind)."""

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


def setup(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    """scripts/setup as a user runs it: no venv active, none of ours on PATH."""
    venv = os.environ.get("VIRTUAL_ENV")
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not venv or not p.startswith(venv)]
    path = [p for p in path if not p.startswith(str(ROOT / ".venv"))]
    clean = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONHOME"}}
    clean["PATH"] = os.pathsep.join(path)
    # Not compiling every module halves the install; what is tested is the script's logic.
    clean["PIP_NO_COMPILE"] = "1"
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "scripts/setup", *args],
        cwd=repo,
        env={**clean, **(env or {})},
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

    # A changed pyproject.toml installs again. Against an index that refuses connections
    # pip fails at once, which shows the failure path too: no stamp, so the next run retries.
    with (repo / "pyproject.toml").open("a", encoding="utf-8") as pyproject:
        pyproject.write("# changed\n")
    offline = {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0"}
    third, _ = setup(repo, env=offline)
    assert third.returncode == 1, third.stdout + third.stderr
    assert third.stdout.startswith(
        "setup: pyproject.toml changed since the last install: installing the project and its"
    )
    assert third.stderr.rstrip().endswith(
        "setup: pip failed (exit 1); the whole log is in .venv/pip-install.log"
    )
    assert not (repo / ".venv" / "aifg-setup.stamp").exists()
    again = setup(repo, env=offline)[0].stdout
    assert again.startswith("setup: no finished install is recorded in .venv: installing")
