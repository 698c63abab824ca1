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

from graph.errors import ConflictError, StoreFullError, StoreUnavailableError
from graph.store.base import (
    TABLES,
    ImportResult,
    RecordRef,
    StoredData,
    WithdrawalWrite,
    import_entry,
    plan,
    summary_of,
    withdrawal_entry,
)
from schemas.changes import LogEntry, Withdrawal
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
CREATE TABLE IF NOT EXISTS withdrawals (
    kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, on_date TEXT NOT NULL,
    reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (kind, id)
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
WITHDRAWN_IDS = (
    "SELECT id FROM withdrawals WHERE kind = ? AND id IN (SELECT value FROM json_each(?))"
)
ALL_WITHDRAWN = "SELECT kind, id, on_date, reason, at, doc FROM withdrawals ORDER BY kind, id"
# The log: `entry` is the whole LogEntry; rows written before it existed have only the
# import summary.
LOG_ENTRY_COLUMN = "ALTER TABLE imports ADD COLUMN entry TEXT"
APPEND_LOG = "INSERT INTO imports (at, summary, entry) VALUES (?, ?, ?)"
ALL_LOG = "SELECT id, at, summary, entry FROM imports ORDER BY id"
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
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(imports)")}
            if "entry" not in columns:
                self._conn.execute(LOG_ENTRY_COLUMN)
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
            withdrawn = [_withdrawal(*row) for row in conn.execute(ALL_WITHDRAWN)]
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
                withdrawn=withdrawn,
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
        with self._transaction(read_only=dry_run) as conn:
            return self._plan_and_write(conn, dataset, files, dry_run, flag)

    @contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction on the shared connection, committed unless the body raised
        or rolled back itself; a full disk becomes StoreFullError."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")
                try:
                    yield conn
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
                        f"the disk holding {self.path} is full: nothing was written; free "
                        "some space and try again"
                    ) from error
                raise

    def _plan_and_write(
        self,
        conn: sqlite3.Connection,
        dataset: Dataset,
        files: list[str],
        dry_run: bool,
        flag: str | None,
    ) -> ImportResult:
        base = str(conn.execute(GET_VERSION).fetchone()[0])
        entities = plan(
            dataset.entities,
            _stored(conn, "entities", dataset.entities),
            _withdrawn_ids(conn, "entity", dataset.entities),
        )
        commitments = plan(
            dataset.commitments,
            _stored(conn, "commitments", dataset.commitments),
            _withdrawn_ids(conn, "commitment", dataset.commitments),
        )
        events = plan(
            dataset.events,
            _stored(conn, "events", dataset.events),
            _withdrawn_ids(conn, "event", dataset.events),
        )
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
        now = dt.datetime.now(dt.UTC)
        if flag is not None:
            conn.execute(SET_FLAG, (flag, now.isoformat()))
        version = base
        if summary.changed:
            version = str(uuid.uuid4())
            conn.execute(SET_VERSION, (version,))
            entry = import_entry(summary, entities, commitments, events, version=version, at=now)
            _append_log(conn, entry)
        return ImportResult(
            summary, entities.records, commitments.records, events.records, base, version
        )

    def withdraw(
        self, refs: Sequence[RecordRef], *, reason: str, on: dt.date, expected_version: str
    ) -> WithdrawalWrite:
        with self._transaction() as conn:
            _require_version(conn, expected_version)
            now = dt.datetime.now(dt.UTC)
            records = []
            for kind, record_id in refs:
                table = TABLES[kind]
                row = conn.execute(f"SELECT doc FROM {table} WHERE id = ?", (record_id,)).fetchone()
                if row is None:
                    raise ConflictError(f"{kind} {record_id!r} is no longer stored")
                conn.execute(
                    "INSERT INTO withdrawals (kind, id, doc, on_date, reason, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (kind, record_id, row[0], on.isoformat(), reason, now.isoformat()),
                )
                conn.execute(f"DELETE FROM {table} WHERE id = ?", (record_id,))
                records.append(Withdrawal(kind=kind, id=record_id, on=on, reason=reason, at=now))
            return self._logged(conn, "withdraw", records, reason, now)

    def restore(
        self, refs: Sequence[RecordRef], *, reason: str, expected_version: str
    ) -> WithdrawalWrite:
        with self._transaction() as conn:
            _require_version(conn, expected_version)
            now = dt.datetime.now(dt.UTC)
            records = []
            for kind, record_id in refs:
                row = conn.execute(
                    "SELECT doc, on_date, reason, at FROM withdrawals WHERE kind = ? AND id = ?",
                    (kind, record_id),
                ).fetchone()
                if row is None:
                    raise ConflictError(f"{kind} {record_id!r} is no longer withdrawn")
                doc = row[0]
                if kind == "commitment":
                    commitment = Commitment.model_validate_json(doc)
                    conn.execute(
                        UPSERT_COMMITMENT,
                        (
                            commitment.id,
                            commitment.from_,
                            commitment.to,
                            commitment.kind.value,
                            doc,
                        ),
                    )
                else:
                    conn.execute(
                        UPSERT_ENTITY if kind == "entity" else UPSERT_EVENT, (record_id, doc)
                    )
                conn.execute("DELETE FROM withdrawals WHERE kind = ? AND id = ?", (kind, record_id))
                records.append(_withdrawal(kind, record_id, row[1], row[2], row[3]))
            return self._logged(conn, "restore", records, reason, now)

    def _logged(
        self,
        conn: sqlite3.Connection,
        action: str,
        records: list[Withdrawal],
        reason: str,
        now: dt.datetime,
    ) -> WithdrawalWrite:
        version = str(uuid.uuid4())
        conn.execute(SET_VERSION, (version,))
        _append_log(conn, withdrawal_entry(action, records, reason=reason, version=version, at=now))
        return WithdrawalWrite(version, records)

    def history(self) -> list[LogEntry]:
        with self._lock:
            rows = self._conn.execute(ALL_LOG).fetchall()
        return [_log_entry(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _require_version(conn: sqlite3.Connection, expected: str) -> None:
    if str(conn.execute(GET_VERSION).fetchone()[0]) != expected:
        raise ConflictError("the data changed while the request was checked")


def _append_log(conn: sqlite3.Connection, entry: LogEntry) -> None:
    conn.execute(APPEND_LOG, (entry.at.isoformat(), "{}", entry.model_dump_json()))


def _log_entry(seq: int, at: str, summary: str, entry: str | None) -> LogEntry:
    if entry is not None:
        return LogEntry.model_validate_json(entry).model_copy(update={"seq": seq})
    # Logged before entries were kept: the summary's files and counts, no ids, no version.
    old = json.loads(summary)
    return LogEntry(
        seq=seq,
        at=dt.datetime.fromisoformat(at),
        action="import",
        version="",
        files=old.get("files", []),
        counts={k: old[k] for k in ("entities", "commitments", "events") if k in old},
        changes=None,
    )


def _withdrawal(
    kind: str, record_id: str, on: str, reason: str, at: str, doc: str = ""
) -> Withdrawal:
    return Withdrawal.model_validate(
        {"kind": kind, "id": record_id, "on": on, "reason": reason, "at": at, "document": doc}
    )


def _withdrawn_ids(
    conn: sqlite3.Connection, kind: str, records: Sequence[Entity | Commitment | Event]
) -> set[str]:
    if not records:
        return set()
    ids = json.dumps([r.id for r in records])
    return {row[0] for row in conn.execute(WITHDRAWN_IDS, (kind, ids))}


def _stored(
    conn: sqlite3.Connection, table: str, records: Sequence[Entity | Commitment | Event]
) -> dict[str, str]:
    if not records:
        return {}
    ids = json.dumps([r.id for r in records])
    return dict(conn.execute(STORED_DOCS.format(table=table), (ids,)).fetchall())
