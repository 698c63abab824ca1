"""The embedded store: one SQLite file (WAL) plus the networkx snapshot held in memory.

SQLite holds each record as canonical JSON; an import is one transaction, so a crash
or SIGKILL leaves the file as it was before or after, never between. Readers use the
current in-memory snapshot, which is replaced whole after a commit.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from graph.analysis.cycles import find_cycles
from graph.build import Snapshot, build_snapshot, updated_snapshot
from graph.compact import compact_records
from graph.exposure import exposure_report
from graph.gcpause import keep_out_of_collections, paused_gc
from graph.importing import plan_import
from graph.timeline import timeline
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.enums import Direction, ValueBasis
from schemas.events import Event
from schemas.results import CycleReport, ExposureReport, ImportSummary, TimelineEntry

DB_FILE = "aifg.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commitments (
    id TEXT PRIMARY KEY, from_id TEXT NOT NULL, to_id TEXT NOT NULL, kind TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, summary TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
UPSERT_ENTITY = (
    "INSERT INTO entities (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc"
)
UPSERT_COMMITMENT = (
    "INSERT INTO commitments (id, from_id, to_id, kind, doc) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(id) DO UPDATE SET from_id = excluded.from_id, to_id = excluded.to_id, "
    "kind = excluded.kind, doc = excluded.doc"
)
UPSERT_EVENT = (
    "INSERT INTO events (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc"
)


class EmbeddedStore:
    kind = "embedded"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.executescript(SCHEMA)
        self._write_lock = threading.Lock()
        self._snapshot = self._load()

    @classmethod
    def in_dir(cls, data_dir: Path) -> EmbeddedStore:
        return cls(data_dir / DB_FILE)

    def _load(self) -> Snapshot:
        rows = self._conn.execute
        with paused_gc():
            snapshot = self._build(rows)
        keep_out_of_collections()
        return snapshot

    @staticmethod
    def _build(rows: Callable[[str], sqlite3.Cursor]) -> Snapshot:
        return build_snapshot(
            compact_records(
                Entity.model_validate_json(d)
                for (d,) in rows("SELECT doc FROM entities ORDER BY id")
            ),
            compact_records(
                Commitment.model_validate_json(d)
                for (d,) in rows("SELECT doc FROM commitments ORDER BY id")
            ),
            compact_records(
                Event.model_validate_json(d) for (d,) in rows("SELECT doc FROM events ORDER BY id")
            ),
        )

    def snapshot(self) -> Snapshot:
        return self._snapshot

    def get_meta(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, mark: str | None = None
    ) -> ImportSummary:
        """Write every new or changed record in one transaction; `mark` sets a meta flag in it."""
        with self._write_lock, paused_gc():
            plan = plan_import(self._snapshot, dataset, files=files, dry_run=dry_run)
            if dry_run or (not plan.summary.changed and mark is None):
                return plan.summary
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    UPSERT_ENTITY, ((e.id, e.model_dump_json()) for e in plan.entities)
                )
                conn.executemany(
                    UPSERT_COMMITMENT,
                    (
                        (c.id, c.from_, c.to, c.kind.value, c.model_dump_json(by_alias=True))
                        for c in plan.commitments
                    ),
                )
                conn.executemany(UPSERT_EVENT, ((e.id, e.model_dump_json()) for e in plan.events))
                conn.execute(
                    "INSERT INTO imports (at, summary) VALUES (?, ?)",
                    (dt.datetime.now(dt.UTC).isoformat(), plan.summary.model_dump_json()),
                )
                if mark is not None:
                    conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                        (mark, dt.datetime.now(dt.UTC).isoformat()),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._snapshot = updated_snapshot(
                self._snapshot,
                compact_records(plan.entities),
                compact_records(plan.commitments),
                compact_records(plan.events),
            )
        keep_out_of_collections()
        return plan.summary

    def exposure(
        self,
        entity: str,
        *,
        as_of: dt.date,
        direction: Direction = Direction.OUT,
        basis: ValueBasis = ValueBasis.POINT,
        depth: int = 1,
        min_usd: float = 0.0,
        limit: int | None = None,
    ) -> ExposureReport:
        return exposure_report(
            self._snapshot,
            entity,
            as_of=as_of,
            direction=direction,
            basis=basis,
            depth=depth,
            min_usd=min_usd,
            limit=limit,
        )

    def cycles(
        self,
        *,
        as_of: dt.date,
        basis: ValueBasis = ValueBasis.POINT,
        max_length: int = 6,
        entity: str | None = None,
        limit: int = 100,
    ) -> CycleReport:
        return find_cycles(
            self._snapshot,
            as_of=as_of,
            basis=basis,
            max_length=max_length,
            entity=entity,
            limit=limit,
        )

    def timeline(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        entity: str | None = None,
    ) -> list[TimelineEntry]:
        return timeline(self._snapshot, since=since, until=until, entity=entity)

    def close(self) -> None:
        self._conn.close()
