"""Both stores (a real SQLite file; a real Neo4j) behind a snapshot source: atomic,
idempotent imports, a data version that follows every write, another writer's import
seen on the next question, and a replaced snapshot freed.

The embedded store also survives SIGKILL mid-import; Neo4j faults are in tests/neo4j.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import weakref
from pathlib import Path
from typing import Any

import pytest

from graph import queries
from graph.errors import DataError
from graph.imports import SEEDED, import_paths, open_source, validate_paths
from graph.settings import Settings
from graph.snapshot import SnapshotSource
from graph.store import Store, make_store
from graph.store.embedded import EmbeddedStore
from schemas.enums import Direction, ValueBasis
from schemas.queries import CycleQuery, EntityQuery, ExposureQuery
from tests.helpers import DATA, ROOT, dump_db
from tests.stores import STORE_KINDS, clear_neo4j, contents, neo4j_settings

MAX = 32 * 2**20


def test_import_counts_then_idempotent_then_updates(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    source, store = any_source, any_source.store
    first = import_paths(source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    assert (first.entities.added, first.commitments.added) == (4, 5)
    before = contents(store)

    again = import_paths(source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    assert (again.entities.unchanged, again.commitments.unchanged) == (4, 5)
    assert not again.changed
    assert contents(store) == before

    changed = tmp_path / "changed.yaml"
    changed.write_text((DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}"))
    summary = import_paths(source, [changed], dry_run=False, max_bytes=MAX)
    assert summary.commitments.model_dump() == {
        "added": 0,
        "updated": 1,
        "unchanged": 4,
        "withdrawn": 0,
    }
    assert float(source.current().commitments["neoco-chipco-gpus"].total_usd()) == 31e9


def test_an_update_may_change_kind_and_ends(any_source: SnapshotSource, tmp_path: Path) -> None:
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        (DATA / "toy.yaml")
        .read_text()
        .replace(
            "from: neoco\n    to: chipco\n    kind: chip_supply",
            "from: neoco\n    to: labco\n    kind: loan",
        )
    )
    summary = import_paths(any_source, [changed], dry_run=False, max_bytes=MAX)
    assert summary.commitments.model_dump() == {
        "added": 0,
        "updated": 1,
        "unchanged": 4,
        "withdrawn": 0,
    }
    moved = any_source.current().commitments["neoco-chipco-gpus"]
    assert (moved.to, moved.kind.value) == ("labco", "loan")
    assert len(any_source.current().commitments) == 5
    # The old chip_supply edge is gone: neoco now lends to labco, so labco owes neoco.
    query = ExposureQuery(as_of=dt.date(2025, 6, 1), direction=Direction.OUT)
    report = queries.exposure(any_source.current(), "neoco", query, today=dt.date(2025, 6, 1))
    kinds = {c.id: [k.value for k in c.kinds] for c in report.counterparties}
    assert kinds == {"labco": ["compute_purchase", "loan"]}


def test_a_large_reimport_updates_in_place_with_nothing_twice(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    """Past 2,000 commitments Neo4j lists the stored ids once rather than asking each
    type's index: an update of kind, ends and amount in a large file lands once."""
    big, changed = tmp_path / "big.yaml", tmp_path / "changed.yaml"
    write_big_dataset(big, entities=300, commitments=2_500)
    first = import_paths(any_source, [big], dry_run=False, max_bytes=MAX)
    assert (first.entities.added, first.commitments.added) == (300, 2_500)
    text = big.read_text()
    moved = text.replace(
        "c7, from: e7, to: e50, kind: cloud_contract", "c7, from: e9, to: e50, kind: loan"
    )
    changed.write_text(moved.replace("amount: {usd: 100e6}", "amount: {usd: 101e6}"))
    summary = import_paths(any_source, [changed], dry_run=False, max_bytes=MAX)
    assert (summary.commitments.updated, summary.commitments.unchanged) == (2, 2_498)
    stored = any_source.current().commitments
    assert len(stored) == 2_500
    assert (stored["c7"].from_, stored["c7"].kind.value) == ("e9", "loan")
    assert float(stored["c99"].total_usd()) == 101e6
    with any_source.store.read() as data:  # as the store holds them: each id once
        assert [c.id for c in data.commitments] == sorted(stored)


def test_dry_run_reports_without_writing(any_source: SnapshotSource) -> None:
    before = contents(any_source.store)
    summary = import_paths(any_source, [DATA / "toy.yaml"], dry_run=True, max_bytes=MAX)
    assert summary.dry_run and summary.commitments.added == 5
    assert any_source.current().commitments == {}
    assert contents(any_source.store) == before


def test_a_bad_file_changes_nothing(any_source: SnapshotSource, tmp_path: Path) -> None:
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    before = contents(any_source.store)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}")
        + "  - {id: x, from: labco, to: nobody, kind: loan, announced: 2025-01-01,\n"
        "     status: [{date: 2025-01-01, status: signed}],\n"
        "     sources: [{url: 'https://example.com/x', publisher: X}]}\n"
    )
    with pytest.raises(DataError) as raised:
        import_paths(any_source, [bad], dry_run=False, max_bytes=MAX)
    toy_lines = len((DATA / "toy.yaml").read_text().splitlines())
    [problem] = raised.value.problems
    assert (problem.field, problem.line) == ("commitments[5].to", toy_lines + 1)
    assert "nobody" in problem.message
    assert contents(any_source.store) == before


@pytest.mark.parametrize(
    "name",
    [
        'O\'Brien "Capital" `x`',
        "Evil }) DETACH DELETE n //",
        "'; MATCH (n) DETACH DELETE n; //",
        "$rows {id: 1} \\u0027",
    ],
)
def test_cypher_like_names_are_stored_as_text(
    any_source: SnapshotSource, tmp_path: Path, name: str
) -> None:
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        "version: 1\nentities:\n"
        f"  - id: evilco\n    name: {json.dumps(name)}\n    aliases: [{json.dumps(name)}]\n"
    )
    import_paths(any_source, [evil], dry_run=False, max_bytes=MAX)
    snapshot = any_source.current()
    assert snapshot.entities["evilco"].name == name
    assert len(snapshot.entities) == 5 and len(snapshot.commitments) == 5
    found = queries.search_entities(any_source.current(), EntityQuery(q=name[:12]))
    assert "evilco" in [e.id for e in found.items]


def test_a_file_may_reference_entities_already_in_the_store(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    source = any_source
    import_paths(source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "version: 1\ncommitments:\n  - id: cloudco-chipco-gpus\n    from: cloudco\n"
        "    to: chipco\n    kind: chip_supply\n    announced: 2025-07-01\n"
        "    status: [{date: 2025-07-01, status: signed}]\n"
        "    sources: [{url: 'https://example.com/c', publisher: Example}]\n"
    )
    with pytest.raises(DataError):  # on its own the file does not resolve
        validate_paths([extra], None, max_bytes=MAX)
    summary = import_paths(source, [extra], dry_run=False, max_bytes=MAX)
    assert summary.commitments.added == 1


def test_the_version_changes_with_every_write_and_only_then(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    store = any_source.store
    empty = store.version()
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=True, max_bytes=MAX)
    assert store.version() == empty
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    first = store.version()
    assert first != empty and any_source.current().version == first
    import_paths(any_source, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)  # unchanged
    assert store.version() == first
    changed = tmp_path / "changed.yaml"
    changed.write_text((DATA / "toy.yaml").read_text().replace("{usd: 30e9}", "{usd: 31e9}"))
    import_paths(any_source, [changed], dry_run=False, max_bytes=MAX)
    assert store.version() not in (empty, first)
    with store.read() as data:
        assert data.version == store.version()
        assert [e.id for e in data.entities] == sorted(any_source.current().entities)
        assert len(list(data.commitments)) == 5


def second_store(kind: str, first: Store) -> Store:
    """Another connection to the same data, as another process would open it."""
    if isinstance(first, EmbeddedStore):
        return EmbeddedStore(first.path)
    return make_store(neo4j_settings())


def test_a_source_sees_another_writers_import_on_its_next_question(
    any_source: SnapshotSource, tmp_path: Path
) -> None:
    """The server (`reader`) and `aifg import` in a terminal (`writer`) on one store."""
    reader = any_source
    assert reader.current().commitments == {}
    other = second_store(reader.kind, reader.store)
    writer = SnapshotSource(other)
    try:
        import_paths(writer, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
        seen = reader.current()
        assert len(seen.commitments) == 5 and seen.version == other.version()
        # An import through the reader may now reference what the writer added, and the
        # same file again is unchanged, not added twice.
        extra = tmp_path / "extra.yaml"
        extra.write_text(
            "version: 1\ncommitments:\n  - id: cloudco-chipco-gpus\n    from: cloudco\n"
            "    to: chipco\n    kind: chip_supply\n    announced: 2025-07-01\n"
            "    status: [{date: 2025-07-01, status: signed}]\n"
            "    sources: [{url: 'https://example.com/c', publisher: Example}]\n"
        )
        assert import_paths(reader, [extra], dry_run=False, max_bytes=MAX).commitments.added == 1
        again = import_paths(reader, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
        assert (again.commitments.added, again.commitments.unchanged) == (0, 5)
        assert len(writer.current().commitments) == 6
    finally:
        other.close()


def test_a_replaced_snapshot_is_freed(any_source: SnapshotSource, tmp_path: Path) -> None:
    """50 imports, every other one after a loop query (whose money-flow view is a networkx
    graph, a reference cycle): every replaced snapshot and view is gone, and the number of
    objects the collector tracks stays flat."""
    text = (DATA / "toy.yaml").read_text()
    day = dt.date(2025, 12, 1)
    gone: list[weakref.ref[object]] = []
    counts = []
    for round_ in range(50):
        changed = tmp_path / "changed.yaml"
        changed.write_text(text.replace("{usd: 30e9}", f"{{usd: {30 + round_}e9}}"))
        import_paths(any_source, [changed], dry_run=False, max_bytes=MAX)
        snapshot = any_source.current()
        gone.append(weakref.ref(snapshot))
        if round_ % 2:  # every other snapshot also builds a view with reference cycles
            queries.cycles(snapshot, CycleQuery(as_of=day), today=day)
            gone.append(weakref.ref(snapshot.money_flow(day, ValueBasis.POINT)))
        del snapshot
        if round_ in (9, 49):  # the source collected at each import; count at two points
            gc.collect()
            counts.append(len(gc.get_objects()) + gc.get_freeze_count())
    alive = [ref for ref in gone[:-2] if ref() is not None]  # all but the current one
    assert alive == []
    assert counts[1] - counts[0] < 200, counts


def settings_for(kind: str, tmp_path: Path, **overrides: Any) -> Settings:
    if kind == "neo4j":
        return neo4j_settings(**overrides)
    defaults = {"data_dir": tmp_path / "data", "seed_on_start": False, "_env_file": None}
    return Settings(**{**defaults, **overrides})


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_data_survives_reopening(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if kind == "neo4j":
        request.getfixturevalue("neo4j_store")
        clear_neo4j()
    first = SnapshotSource(make_store(settings_for(kind, tmp_path)))
    import_paths(first, [DATA / "toy.yaml"], dry_run=False, max_bytes=MAX)
    expected = dict(first.current().commitments)
    first.close()
    second = SnapshotSource(make_store(settings_for(kind, tmp_path)))
    assert dict(second.current().commitments) == expected
    second.close()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_first_start_loads_the_seeds_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "neo4j":
        request.getfixturevalue("neo4j_store")
        clear_neo4j()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "toy.yaml").write_text((DATA / "toy.yaml").read_text())
    settings = settings_for(kind, tmp_path, seed_dir=seeds, seed_on_start=True)
    source = open_source(settings)
    assert len(source.current().commitments) == 5
    assert source.store.get_flag(SEEDED) is not None
    source.close()
    (seeds / "toy.yaml").write_text("version: 1\n")  # not read again
    source = open_source(settings)
    assert len(source.current().commitments) == 5
    source.close()


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
    reopened = SnapshotSource(EmbeddedStore(db))
    assert len(reopened.current().commitments) == len(after_kill["commitments"])
    reopened.close()
