"""A full disk under the embedded store: a real small filesystem (a 1 MiB tmpfs mounted
under the data directory), seeded with the toy data, then a 4,000-commitment import that
cannot fit. `aifg import` exits 1 with one line saying the disk is full (nothing
written), `POST /imports` answers 507, and the store still holds exactly what it held.

Mounting needs root (CAP_SYS_ADMIN): elsewhere these tests are skipped, saying so.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import write_dataset
from graph.store.embedded import DB_FILE
from tests.api.support import TOY_YAML, assert_problem, post_yaml, run_server
from tests.helpers import dump_db, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """tmp_path/data on a filesystem of its own, 1 MiB."""
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.strip()}")
    try:
        yield data
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)


def too_big(tmp_path: Path) -> Path:
    out = io.StringIO()
    write_dataset(out, entities=500, commitments=4_000, seed=1)
    path = tmp_path / "big.yaml"
    path.write_text(out.getvalue())
    return path


def test_aifg_import_on_a_full_disk_says_so_and_changes_nothing(
    tmp_path: Path, small_disk: Path
) -> None:
    toy = tmp_path / "toy.yaml"
    toy.write_bytes(TOY_YAML)
    assert run_cli("import", str(toy), data_dir=small_disk).returncode == 0
    before = dump_db(small_disk / DB_FILE)

    done = run_cli("import", str(too_big(tmp_path)), data_dir=small_disk)
    assert done.returncode == 1, done
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: the disk holding ") and "is full" in line, line
    assert "nothing was written" in line
    assert "Traceback" not in done.stderr
    assert dump_db(small_disk / DB_FILE) == before


def test_post_imports_on_a_full_disk_is_507_and_changes_nothing(
    tmp_path: Path, small_disk: Path
) -> None:
    big = too_big(tmp_path).read_bytes()
    with run_server(tmp_path, seed_files={"toy.yaml": TOY_YAML}) as live, live.client() as client:
        before = client.get("/health").json()
        body = assert_problem(post_yaml(client, big), 507)
        assert body["type"] == "/problems/store-full"
        assert "is full" in body["detail"] and "nothing was written" in body["detail"]
        assert client.get("/health").json() == before
