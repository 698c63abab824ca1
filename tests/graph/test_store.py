"""Both stores (a real SQLite file; a real Neo4j): atomic, idempotent imports.

The embedded store also survives SIGKILL mid-import; Neo4j faults are in tests/neo4j.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graph import service
from graph.errors import DataError
from graph.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from schemas.enums import Direction
from tests.conftest import DATA
from tests.helpers import ROOT, dump_db
from tests.stores import STORE_KINDS, contents, neo4j_settings

MAX = 32 * 2**20


def test_import_counts_then_idempotent_then_updates(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    first = service.import_paths(store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    assert (first.entities.added, first.commitments.added) == (4, 5)
    before = contents(store)

    again = service.import_paths(store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    assert (again.entities.unchanged, again.commitments.unchanged) == (4, 5)
    assert not again.changed
    assert contents(store) == before

    changed = tmp_path / "changed.yaml"
    changed.write_text((DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}"))
    summary = service.import_paths(store, [changed], dry_run=False, max_bytes=MAX)
    assert summary.commitments.model_dump() == {"added": 0, "updated": 1, "unchanged": 4}
    assert float(store.snapshot().commitments["neoco-chipco-gpus"].total_usd()) == 31e9


def test_an_update_may_change_kind_and_ends(any_store: Store, tmp_path: Path) -> None:
    service.import_paths(any_store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        (DATA / "toy.yaml")
        .read_text()
        .replace(
            "from: neoco\n    to: chipco\n    kind: chip_supply",
            "from: neoco\n    to: labco\n    kind: loan",
        )
    )
    summary = service.import_paths(any_store, [changed], dry_run=False, max_bytes=MAX)
    assert summary.commitments.model_dump() == {"added": 0, "updated": 1, "unchanged": 4}
    moved = any_store.snapshot().commitments["neoco-chipco-gpus"]
    assert (moved.to, moved.kind.value) == ("labco", "loan")
    assert len(any_store.snapshot().commitments) == 5
    # The old chip_supply edge is gone: neoco now lends to labco, so labco owes neoco.
    report = any_store.exposure("neoco", as_of=dt.date(2025, 6, 1), direction=Direction.OUT)
    kinds = {c.id: [k.value for k in c.kinds] for c in report.counterparties}
    assert kinds == {"labco": ["compute_purchase", "loan"]}


def test_dry_run_reports_without_writing(any_store: Store) -> None:
    before = contents(any_store)
    summary = service.import_paths(any_store, [DATA / "toy.yaml"], dry_run=True, max_bytes=MAX)
    assert summary.dry_run and summary.commitments.added == 5
    assert any_store.snapshot().commitments == {}
    assert contents(any_store) == before


def test_a_bad_file_changes_nothing(any_store: Store, tmp_path: Path) -> None:
    service.import_paths(any_store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    before = contents(any_store)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}")
        + "  - {id: x, from: labco, to: nobody, kind: loan, announced: 2025-01-01,\n"
        "     status: [{date: 2025-01-01, status: signed}],\n"
        "     sources: [{url: 'https://example.com/x', publisher: X}]}\n"
    )
    with pytest.raises(DataError) as raised:
        service.import_paths(any_store, [bad], dry_run=False, max_bytes=MAX)
    toy_lines = len((DATA / "toy.yaml").read_text().splitlines())
    [problem] = raised.value.problems
    assert (problem.field, problem.line) == ("commitments[5].to", toy_lines + 1)
    assert "nobody" in problem.message
    assert contents(any_store) == before


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "Capital" `x`',
        "Evil }) DETACH DELETE n //",
        "'; MATCH (n) DETACH DELETE n; //",
        "$rows {id: 1} \\u0027",
    ],
)
def test_cypher_like_names_are_stored_as_text(any_store: Store, tmp_path: Path, name: str) -> None:
    service.import_paths(any_store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "version: 1\nentities:\n"
        f"  - id: evilco\n    name: {json.dumps(name)}\n    aliases: [{json.dumps(name)}]\n"
    )
    service.import_paths(any_store, [evil], dry_run=False, max_bytes=MAX)
    snapshot = any_store.snapshot()
    assert snapshot.entities["evilco"].name == name
    assert len(snapshot.entities) == 5 and len(snapshot.commitments) == 5
    found = service.search_entities(any_store.snapshot(), q=name[:12])
    assert "evilco" in [e.id for e in found.items]


def test_a_file_may_reference_entities_already_in_the_store(
    any_store: Store, tmp_path: Path
) -> None:
    store = any_store
    service.import_paths(store, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "version: 1\ncommitments:\n  - id: cloudco-chipco-gpus\n    from: cloudco\n"
        "    to: chipco\n    kind: chip_supply\n    announced: 2025-07-01\n"
        "    status: [{date: 2025-07-01, status: signed}]\n"
        "    sources: [{url: 'https://example.com/c', publisher: Example}]\n"
    )
    with pytest.raises(DataError):  # on its own the file does not resolve
        service.validate_paths([extra], None, max_bytes=MAX)
    summary = service.import_paths(store, [extra], dry_run=False, max_bytes=MAX)
    assert summary.commitments.added == 1


def settings_for(kind: str, tmp_path: Path, **overrides: Any) -> Settings:
    if kind == "neo4j":
        return neo4j_settings(**overrides)
    defaults = {"data_dir": tmp_path / "data", "seed_on_start": False, "_env_file": None}
    return Settings(**{**defaults, **overrides})


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_data_survives_reopening(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if kind == "neo4j":
        request.getfixturevalue("neo4j_store").clear()
    first = service.connect(settings_for(kind, tmp_path))
    service.import_paths(first, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    expected = dict(first.snapshot().commitments)
    first.close()
    second = service.connect(settings_for(kind, tmp_path))
    assert dict(second.snapshot().commitments) == expected
    second.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_first_start_loads_the_seeds_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "neo4j":
        request.getfixturevalue("neo4j_store").clear()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "toy.yaml").write_text((DATA / "toy.yaml").read_text())
    settings = settings_for(kind, tmp_path, seed_dir=seeds, seed_on_start=True)
    store = service.open_store(settings)
    assert len(store.snapshot().commitments) == 5
    store.close()
    (seeds / "toy.yaml").write_text("version: 1\n")  # not read again
    store = service.open_store(settings)
    assert len(store.snapshot().commitments) == 5
    store.close()


def write_big_dataset(path: Path, entities: int, commitments: int) -> None:
    with path.open("w") as out:
        out.write("version: 1\nentities:\n")
        out.writelines(f"  - {{id: e{i}, name: Entity {i}}}\n" for i in range(entities))
        out.write("commitments:\n")
        for i in range(commitments):
            a, b = i % entities, (i * 7 + 1) % entities
            if a == b:
                b = (b + 1) % entities
            out.write(
                f"  - {{id: c{i}, from: e{a}, to: e{b}, kind: cloud_contract, "
                f"amount: {{usd: {i + 1}e6}}, announced: 2025-01-01, "
                f"status: [{{date: 2025-01-01, status: signed}}], "
                f"sources: [{{url: 'https://example.com/{i}', publisher: Example}}]}}\n"
            )


@pytest.mark.slow
def test_sigkill_during_an_import_leaves_before_or_after(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    big = tmp_path / "big.yaml"
    write_big_dataset(big, entities=5_000, commitments=60_000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIFG_")}
    env.update(AIFG_DATA_DIR=str(data_dir), AIFG_SEED_ON_START="false", AIFG_MAX_FILE_MB="200")
    toy = subprocess.run(
        [sys.executable, "-m", "cli.main", "import", str(DATA / "toy.yaml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert toy.returncode == 0
    db = data_dir / "aifg.sqlite3"
    wal = Path(str(db) + "-wal")
    before = dump_db(db)

    importer = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "import", str(big)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it as soon as it has started writing its transaction into the WAL.
    deadline = time.monotonic() + 300
    while importer.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 0:
            break
        time.sleep(0.002)
    assert importer.poll() is None, "the import finished before it could be killed"
    importer.send_signal(signal.SIGKILL)
    importer.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after_kill = dump_db(db)
    assert len(after_kill["commitments"]) in (5, 5 + 60_000)
    if len(after_kill["commitments"]) == 5:
        assert after_kill == before
    # And the store opens and answers on restart.
    reopened = EmbeddedStore(db)
    assert len(reopened.snapshot().commitments) == len(after_kill["commitments"])
    reopened.close()
