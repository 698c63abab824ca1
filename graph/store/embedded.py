"""The embedded store: one SQLite file (WAL) under the data directory.

Each record is kept as its canonical JSON document. An import is one `BEGIN IMMEDIATE`
transaction, so imports from any number of processes are serialised by SQLite's write
lock and a crash or SIGKILL leaves the file as it was before or after, never between.
A version row, changed in the same transaction, tells every reader (in this process or
another) that the data changed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from graph.errors import StoreFullError, StoreUnavailableError
from graph.store.base import ImportResult, StoredData, plan, summary_of
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.events import Event

DB_FILE = "aifg.sqlite3"
VERSION_KEY = "data_version"
SCHEMA = f"""
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
INSERT OR IGNORE INTO meta (key, value) VALUES ('{VERSION_KEY}', '');
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
GET_VERSION = f"SELECT value FROM meta WHERE key = '{VERSION_KEY}'"
SET_VERSION = f"UPDATE meta SET value = ? WHERE key = '{VERSION_KEY}'"
SET_FLAG = "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"
GET_FLAG = "SELECT value FROM meta WHERE key = ?"
# The stored documents of the ids in a JSON array: one query per table, whatever the size.
STORED_DOCS = "SELECT id, doc FROM {table} WHERE id IN (SELECT value FROM json_each(?))"
BUSY_TIMEOUT_MS = 30_000


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: transactions are explicit (BEGIN ... COMMIT).
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _full_disk(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(error)


class EmbeddedStore:
    kind = "embedded"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._conn = _connect(path)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(SCHEMA)
        except sqlite3.Error as error:
            raise StoreUnavailableError(f"cannot open the store at {path}: {error}") from error
        # One connection shared by the threads of a server: a lock keeps their statements
        # apart; SQLite's own write lock keeps other processes' imports apart.
        self._lock = threading.Lock()

    @classmethod
    def in_dir(cls, data_dir: Path) -> EmbeddedStore:
        return cls(data_dir / DB_FILE)

    def version(self) -> str:
        with self._lock:
            return str(self._conn.execute(GET_VERSION).fetchone()[0])

    @contextmanager
    def read(self) -> Iterator[StoredData]:
        # A connection of its own, in one read transaction: WAL gives it a consistent view
        # for as long as it lasts, and a long read does not hold up version checks.
        conn = _connect(self.path)
        try:
            conn.execute("BEGIN")
            version = str(conn.execute(GET_VERSION).fetchone()[0])
            yield StoredData(
                version=version,
                entities=(
                    Entity.model_validate_json(d)
                    for (d,) in conn.execute("SELECT doc FROM entities ORDER BY id")
                ),
                commitments=(
                    Commitment.model_validate_json(d)
                    for (d,) in conn.execute("SELECT doc FROM commitments ORDER BY id")
                ),
                events=(
                    Event.model_validate_json(d)
                    for (d,) in conn.execute("SELECT doc FROM events ORDER BY id")
                ),
            )
            conn.execute("COMMIT")
        finally:
            conn.close()

    def get_flag(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute(GET_FLAG, (key,)).fetchone()
        return None if row is None else str(row[0])

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, flag: str | None = None
    ) -> ImportResult:
        """Write every new or changed record in one transaction, planned inside it against
        what the file holds then; `flag` sets a meta flag in the same transaction."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN" if dry_run else "BEGIN IMMEDIATE")
                try:
                    result = self._plan_and_write(conn, dataset, files, dry_run, flag)
                except BaseException:
                    # SQLite may have rolled back already (a full disk does): roll back
                    # only what is still open, so the cause is not hidden by a new error.
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                if conn.in_transaction:
                    conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                if _full_disk(error):
                    raise StoreFullError(
                        f"the disk holding {self.path} is full: nothing was imported; free "
                        "some space and import again"
                    ) from error
                raise
        return result

    def _plan_and_write(
        self,
        conn: sqlite3.Connection,
        dataset: Dataset,
        files: list[str],
        dry_run: bool,
        flag: str | None,
    ) -> ImportResult:
        base = str(conn.execute(GET_VERSION).fetchone()[0])
        entities = plan(dataset.entities, _stored(conn, "entities", dataset.entities))
        commitments = plan(dataset.commitments, _stored(conn, "commitments", dataset.commitments))
        events = plan(dataset.events, _stored(conn, "events", dataset.events))
        summary = summary_of(entities, commitments, events, files=files, dry_run=dry_run)
        if dry_run or (not summary.changed and flag is None):
            conn.execute("ROLLBACK")
            return ImportResult(summary, [], [], [], base, base)
        conn.executemany(
            UPSERT_ENTITY, zip((e.id for e in entities.records), entities.documents, strict=True)
        )
        conn.executemany(
            UPSERT_COMMITMENT,
            (
                (c.id, c.from_, c.to, c.kind.value, doc)
                for c, doc in zip(commitments.records, commitments.documents, strict=True)
            ),
        )
        conn.executemany(
            UPSERT_EVENT, zip((e.id for e in events.records), events.documents, strict=True)
        )
        now = dt.datetime.now(dt.UTC).isoformat()
        conn.execute(
            "INSERT INTO imports (at, summary) VALUES (?, ?)", (now, summary.model_dump_json())
        )
        if flag is not None:
            conn.execute(SET_FLAG, (flag, now))
        version = base
        if summary.changed:
            version = str(uuid.uuid4())
            conn.execute(SET_VERSION, (version,))
        return ImportResult(
            summary, entities.records, commitments.records, events.records, base, version
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _stored(
    conn: sqlite3.Connection, table: str, records: Sequence[Entity | Commitment | Event]
) -> dict[str, str]:
    if not records:
        return {}
    ids = json.dumps([r.id for r in records])
    return dict(conn.execute(STORED_DOCS.format(table=table), (ids,)).fetchall())
