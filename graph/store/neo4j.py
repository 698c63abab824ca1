"""The Neo4j store: the records as a property graph (graph.store.graph_model), over the
official driver.

Sources and status history are properties of the relationship (dated arrays plus the
full record as JSON in `doc`), not nodes: they belong to one commitment and are never
traversed, so `MATCH p=(:Entity {id:'nvidia'})-[*..3]->() RETURN p` draws only the
financing web. The data version lives on the `(:Meta {key: 'data'})` node.

Imports: all or nothing, in transactions of `batch_size` rows, so an import of any size
fits a server's transaction memory. Under the lease on the Meta node (one import at a
time, across processes), an import plans against the stored documents, stages its new
entities and commitments marked `pending: token` and marks what they replace
`superseded: token` (readers skip both: cypher.SEEN), then publishes the token, the
events and the changed entities in one small transaction, which readers see at once.
The marks then come off in batches while readers see the same records. An import that
dies before it publishes leaves marked records no one reads; the next holder of the
lease drops them (or finishes the marks of one that died after).
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import ConflictError, StoreLimitError, StoreUnavailableError
from graph.store import cypher
from graph.store.base import (
    ImportResult,
    Planned,
    RecordRef,
    StoredData,
    WithdrawalWrite,
    document,
    import_entry,
    plan,
    summary_of,
    withdrawal_entry,
)
from graph.store.graph_model import KIND_OF_TYPE, commitment_props, entity_props, event_props
from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, RoutingControl, Session
from schemas.changes import LogEntry, Withdrawal
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.enums import CommitmentKind, EntityKind
from schemas.events import Event
from schemas.results import Counts, ImportSummary


def one_line(error: BaseException) -> str:
    """The driver's messages span lines; a CLI error and a problem detail are one line."""
    return " ".join(str(error).split()) or type(error).__name__


LEASE_SECONDS = 60.0
"""An import whose lease has not been renewed for this long is taken for dead: its lease
is free (AIFG_NEO4J_LEASE_SECONDS)."""
LEASE_WAIT_SECONDS = 120.0
"""How long an import waits for another to finish before it is refused."""
LEASE_POLL_SECONDS = 0.2
READ_BATCH = 10_000
"""Ids looked up per query when an import is planned (reads hold no transaction state)."""
LIST_STORED_FROM = 2_000
"""Commitments in an import from which the stored ids are listed once, not looked up in
each of the nine types' indexes."""

READS_AT_ONCE = 8
"""Reads that may wait on Neo4j at once; past them a read is refused at once (below)."""


def _batches(rows: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


Rows = list[dict[str, Any]]


def _entity_batches(
    queries: Mapping[EntityKind, str],
    entities: Planned[Entity],
    size: int,
    keep: Callable[[Entity], bool] = lambda _: True,
) -> Iterator[tuple[str, Rows]]:
    """(query, rows) for the kept entities, a batch at a time, each kind with its query
    (the kind is a label)."""
    for kind, query in queries.items():
        rows = [
            {"id": e.id, "props": entity_props(e, doc)}
            for e, doc in zip(entities.records, entities.documents, strict=True)
            if e.kind is kind and keep(e)
        ]
        yield from ((query, batch) for batch in _batches(rows, size))


def _commitment_batches(
    queries: Mapping[CommitmentKind, str], commitments: Planned[Commitment], size: int
) -> Iterator[tuple[str, Rows]]:
    """(query, rows) for the commitments, a batch at a time, each kind with its query
    (the kind is a relationship type)."""
    for kind, query in queries.items():
        rows = [
            {"from": c.from_, "to": c.to, "props": commitment_props(c, doc)}
            for c, doc in zip(commitments.records, commitments.documents, strict=True)
            if c.kind is kind
        ]
        yield from ((query, batch) for batch in _batches(rows, size))


def _event_batches(events: Planned[Event], size: int) -> Iterator[tuple[str, Rows]]:
    rows = [
        {"id": e.id, "props": event_props(e, doc), "entities": e.entities}
        for e, doc in zip(events.records, events.documents, strict=True)
    ]
    yield from ((cypher.MERGE_EVENTS, batch) for batch in _batches(rows, size))


def _key(kind: str, record_id: str) -> str:
    return f"{kind}:{record_id}"


def _withdrawal(row: Record | dict[str, Any]) -> Withdrawal:
    fields = {k: row[k] for k in ("kind", "id", "on", "reason", "at")}
    return Withdrawal.model_validate({**fields, "document": row.get("doc") or ""})


class Neo4jStore:
    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        auth: tuple[str, str] | None = None,
        database: str = "neo4j",
        batch_size: int = 1000,
        retry_seconds: float = 5.0,
        lease_seconds: float = LEASE_SECONDS,
        lease_wait_seconds: float = LEASE_WAIT_SECONDS,
    ) -> None:
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        self.lease_seconds, self.lease_wait_seconds = lease_seconds, lease_wait_seconds
        # A frozen server (SIGSTOP, a long GC pause) accepts connections and never
        # answers; the driver then waits for its socket timeout (the server's hint, 120 s
        # by default). A read waits at most this long, then the request gets a 503.
        self.answer_seconds = 2 * retry_seconds + 2
        self._reads = threading.BoundedSemaphore(READS_AT_ONCE)
        # A short retry budget: while the server is down a request should get a 503
        # within seconds, not hang for the driver's default 30 s.
        self._driver: Driver = GraphDatabase.driver(
            uri,
            auth=auth,
            max_transaction_retry_time=retry_seconds,
            connection_timeout=max(retry_seconds, 1.0),
            connection_acquisition_timeout=max(2 * retry_seconds, 2.0),
            notifications_min_severity="OFF",  # e.g. "property key does not exist" on an empty db
            telemetry_disabled=True,
        )
        try:
            self._driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as error:
            self._driver.close()
            reason = "wrong credentials" if isinstance(error, AuthError) else one_line(error)
            raise StoreUnavailableError(f"cannot use Neo4j at {uri}: {reason}") from None
        with self._unavailable_as_error():
            for statement in cypher.SCHEMA:
                self._driver.execute_query(statement, database_=database)

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        try:
            yield
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} is unavailable: {one_line(error)}"
            ) from None

    def _read(self, query: str, **params: Any) -> list[Record]:
        def read() -> list[Record]:
            with self._unavailable_as_error():
                result = self._driver.execute_query(
                    query, params, database_=self.database, routing_=RoutingControl.READ
                )
            return list(result.records)

        return self._within_answer_time(read)

    def _within_answer_time(self, call: Callable[[], list[Record]]) -> list[Record]:
        """`call()` in a daemon thread, waited for `answer_seconds` at most: a thread
        stuck on a frozen server is left behind (it ends with its socket), never joined,
        and at most READS_AT_ONCE of them are ever left waiting."""
        unanswered = StoreUnavailableError(
            f"Neo4j at {self.uri} is unavailable: no answer within {self.answer_seconds:g} s"
        )
        if not self._reads.acquire(timeout=self.answer_seconds):
            raise unanswered
        outcome: list[list[Record] | BaseException] = []
        done = threading.Event()

        def run() -> None:
            try:
                outcome.append(call())
            except BaseException as error:  # handed to the waiting thread below
                outcome.append(error)
            finally:
                self._reads.release()
                done.set()

        threading.Thread(target=run, name="neo4j-read", daemon=True).start()
        if not done.wait(self.answer_seconds):
            raise unanswered
        [result] = outcome
        if isinstance(result, BaseException):
            raise result
        return result

    def version(self) -> str:
        return str(self._read(cypher.VERSION)[0]["version"])

    @contextmanager
    def read(self) -> Iterator[StoredData]:
        """Every record in one read transaction, so the three streams and the version agree."""
        with (
            self._unavailable_as_error(),
            self._driver.session(database=self.database, default_access_mode="READ") as session,
            session.begin_transaction() as tx,
        ):

            def docs(query: str) -> Iterator[str]:
                # Run when first iterated: the driver would buffer a result left unread.
                for record in tx.run(query, published=published):
                    yield record["doc"]

            row = tx.run(cypher.VERSION).single(strict=True)
            version, published = row["version"], row["published"]
            withdrawn = [_withdrawal(r) for r in tx.run(cypher.ALL_WITHDRAWN)]
            yield StoredData(
                version=str(version),
                entities=(Entity.model_validate_json(d) for d in docs(cypher.ALL_ENTITIES)),
                commitments=(
                    Commitment.model_validate_json(d) for d in docs(cypher.ALL_COMMITMENTS)
                ),
                events=(Event.model_validate_json(d) for d in docs(cypher.ALL_EVENTS)),
                withdrawn=withdrawn,
            )

    def get_flag(self, key: str) -> str | None:
        records = self._read(cypher.GET_FLAG, key=key)
        return None if not records else str(records[0]["value"])

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, flag: str | None = None
    ) -> ImportResult:
        """Plan, stage in batches, publish in one small transaction (module docstring).

        Imports from any number of processes are serialised by the lease on the
        (:Meta {key:'data'}) node, held from the plan to the end, so each plan is made
        against exactly the data its write replaces: the same file posted twice at once
        is added once. A dry run only plans, in one read transaction.
        """
        with (
            self._unavailable_as_error(),
            self._limits_as_error(dataset),
            self._driver.session(database=self.database) as session,
        ):
            if dry_run:
                planned: _Plan = session.execute_read(self._plan, dataset, files, True)
                return planned.result(written=False, version=planned.base)
            token, previous = self._take_lease(session)
            with self._heartbeat(token):
                try:
                    self._recover(session, previous)
                    planned = session.execute_read(self._plan, dataset, files, False)
                    changed = planned.summary.changed
                    if changed:
                        self._stage(session, token, planned)
                    version = planned.base
                    if changed or flag is not None:
                        version = session.execute_write(self._publish, token, planned, flag)
                except BaseException:
                    self._abandon(session, token)
                    raise
                self._finish(session, token, marked=changed)
        return planned.result(written=changed, version=version)

    @contextmanager
    def _heartbeat(self, token: str) -> Iterator[None]:
        """The lease renewed every quarter of `lease_seconds` while the import runs, so
        only a dead or frozen importer's lease goes stale, however long a plan or the
        marks' removal takes. A renewal that fails is left to the next batch, whose own
        renewal says whether the lease was lost."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.lease_seconds / 4):
                try:
                    with self._driver.session(database=self.database) as session:
                        session.execute_write(_run, cypher.RENEW_LEASE, token=token)
                except (DriverError, Neo4jError, OSError):
                    pass

        thread = threading.Thread(target=beat, name="neo4j-lease", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    @contextmanager
    def _limits_as_error(self, dataset: Dataset) -> Iterator[None]:
        """An import is staged a batch at a time; one whose batch or publish still
        outgrows the server's transaction memory is dropped whole and reported as too
        large, with what to do about it."""
        try:
            yield
        except Neo4jError as error:
            if "OutOfMemory" not in (error.code or ""):
                raise
            records = len(dataset.entities) + len(dataset.commitments) + len(dataset.events)
            raise StoreLimitError(
                f"the import ({records} records) does not fit in Neo4j's transaction memory "
                f"at {self.uri} (dbms.memory.transaction.total.max reached); nothing was "
                "written: give the server more heap (NEO4J_LOCAL_HEAP for neo4j/local/run) "
                "or lower AIFG_NEO4J_BATCH_SIZE"
            ) from None

    def _stored(
        self, tx: ManagedTransaction, query: str, ids: list[str], published: str
    ) -> dict[str, str]:
        out: dict[str, str] = {}
        for batch in _batches(ids, READ_BATCH):
            out.update((r["id"], r["doc"]) for r in tx.run(query, ids=batch, published=published))
        return out

    def _take_lease(self, session: Session) -> tuple[str, Record]:
        """The import lease and what the lease said when taken, waited for up to
        `lease_wait_seconds`. A lease whose holder has not renewed it for
        `lease_seconds` is taken over (`_recover` clears what that holder left)."""
        token = str(uuid.uuid4())
        deadline = time.monotonic() + self.lease_wait_seconds
        while True:
            row = session.execute_write(
                _single, cypher.TAKE_LEASE, token=token, lease_seconds=self.lease_seconds
            )
            if row["free"]:
                break
            if time.monotonic() >= deadline:
                raise ConflictError(
                    f"another import has been writing to Neo4j at {self.uri} since "
                    f"{row['since']}; nothing was written: try again when it is done"
                )
            time.sleep(LEASE_POLL_SECONDS)
        return token, row

    def _recover(self, session: Session, lease: Record) -> None:
        """What the lease's last holder left: the marks of an import it published (the
        lease is `published`), the records of one it never published (it died holding
        the lease)."""
        if lease["published"]:
            self._finish_marks(session, lease["published"])
        if lease["holder"] is not None:
            for query in cypher.DROP_UNPUBLISHED:
                session.run(query, batch=self.batch_size).consume()

    def _plan(
        self, tx: ManagedTransaction, dataset: Dataset, files: list[str], dry_run: bool
    ) -> _Plan:
        row = tx.run(cypher.VERSION).single(strict=True)
        base, published = str(row["version"]), str(row["published"])
        commitment_ids = [c.id for c in dataset.commitments]
        stored_commitments, stored_kinds = self._stored_commitments(tx, commitment_ids, published)
        entity_ids = [e.id for e in dataset.entities]
        event_ids = [e.id for e in dataset.events]
        entities = plan(
            dataset.entities,
            self._stored(tx, cypher.ENTITY_DOCS, entity_ids, published),
            self._withdrawn_ids(tx, "entity", entity_ids),
        )
        commitments = plan(
            dataset.commitments,
            stored_commitments,
            self._withdrawn_ids(tx, "commitment", commitment_ids),
        )
        events = plan(
            dataset.events,
            self._stored(tx, cypher.EVENT_DOCS, event_ids, published),
            self._withdrawn_ids(tx, "event", event_ids),
        )
        summary = summary_of(entities, commitments, events, files=files, dry_run=dry_run)
        return _Plan(base, summary, entities, commitments, events, stored_kinds)

    def _stored_commitments(
        self, tx: ManagedTransaction, ids: list[str], published: str
    ) -> tuple[dict[str, str], dict[str, CommitmentKind]]:
        """The stored documents of the commitments `ids`, and the kind each has now (an
        update may change it, and the old relationship is found through the index of its
        old type). A few are looked up in every type's index; for many, the stored ids
        are listed once and only those looked up, in their own type's index."""
        kind_of: dict[str, CommitmentKind] | None = None
        if len(ids) >= LIST_STORED_FROM:
            kind_of = {
                r["id"]: KIND_OF_TYPE[r["type"]]
                for r in tx.run(cypher.STORED_COMMITMENT_IDS, published=published)
            }
        docs: dict[str, str] = {}
        kinds: dict[str, CommitmentKind] = {}
        for kind, query in cypher.COMMITMENT_DOCS.items():
            wanted = ids if kind_of is None else [i for i in ids if kind_of.get(i) is kind]
            found = self._stored(tx, query, wanted, published) if wanted else {}
            docs.update(found)
            kinds.update(dict.fromkeys(found, kind))
        return docs, kinds

    def _stage(self, session: Session, token: str, planned: _Plan) -> None:
        """The new entities and every new or changed commitment marked `pending`, what
        they replace `superseded`: unseen until the publish. A batch per transaction,
        each renewing the lease (and refused if it was lost)."""
        added = set(planned.entities.added)
        size = self.batch_size
        new_entities = _entity_batches(
            cypher.STAGE_ENTITIES, planned.entities, size, keep=lambda e: e.id in added
        )
        steps = [(query, {"rows": rows}) for query, rows in new_entities]
        for kind, query in cypher.SUPERSEDE_COMMITMENTS.items():
            ids = [c for c in planned.commitments.updated if planned.stored_kinds.get(c) is kind]
            steps.extend((query, {"ids": b}) for b in _batches(ids, size))
        steps.extend(
            (query, {"rows": rows})
            for query, rows in _commitment_batches(
                cypher.STAGE_COMMITMENTS, planned.commitments, size
            )
        )
        for query, params in steps:
            session.execute_write(self._staged_batch, token, query, params)

    def _staged_batch(
        self, tx: ManagedTransaction, token: str, query: str, params: dict[str, Any]
    ) -> None:
        self._renew(tx, token)
        tx.run(query, params, token=token, published="").consume()

    def _renew(self, tx: ManagedTransaction, token: str) -> str:
        row = tx.run(cypher.RENEW_LEASE, token=token).single()
        if row is None:
            raise ConflictError(
                f"the import lost its lease on Neo4j at {self.uri} (not renewed for "
                f"{self.lease_seconds:g} s, another import took over); nothing was written"
            )
        return str(row["version"])

    def _publish(self, tx: ManagedTransaction, token: str, planned: _Plan, flag: str | None) -> str:
        """The one transaction that makes the import seen: the staged token published,
        changed entities and the events written (few), the version moved, the log."""
        version = self._renew(tx, token)
        added = set(planned.entities.added)
        changed_entities = _entity_batches(
            cypher.MERGE_ENTITIES,
            planned.entities,
            self.batch_size,
            keep=lambda e: e.id not in added,
        )
        for query, rows in itertools.chain(
            changed_entities, _event_batches(planned.events, self.batch_size)
        ):
            tx.run(query, rows=rows).consume()
        now = dt.datetime.now(dt.UTC)
        if planned.summary.changed:
            tx.run(cypher.PUBLISH, token=token).consume()
            version = tx.run(cypher.BUMP_VERSION).single(strict=True)["version"]
            entry = import_entry(
                planned.summary,
                planned.entities,
                planned.commitments,
                planned.events,
                version=version,
                at=now,
            )
            tx.run(cypher.APPEND_LOG, entry=entry.model_dump_json()).consume()
        if flag is not None:
            tx.run(cypher.SET_FLAG, key=flag, value=now.isoformat()).consume()
        return str(version)

    def _finish(self, session: Session, token: str, *, marked: bool) -> None:
        """After the publish: the marks off (if it staged any), the lease ended. The
        import has landed whatever happens here; if the server goes away, the next
        import finishes it."""
        try:
            if marked:
                self._finish_marks(session, token)
            session.execute_write(_run, cypher.END_LEASE, token=token)
        except (DriverError, Neo4jError, OSError):
            pass

    def _finish_marks(self, session: Session, token: str) -> None:
        for query in cypher.FINISH:
            session.run(query, token=token, batch=self.batch_size).consume()
        session.execute_write(_run, cypher.FINISHED, token=token)

    def _abandon(self, session: Session, token: str) -> None:
        """After a failed import (never published): what it staged goes and its lease
        ends, if the server can still be reached (else the next import drops them: they
        are never read). Only its own staging: if it failed for losing its lease, the
        import that took the lease over is staging beside it."""
        try:
            for query in cypher.DROP_OWN_STAGING:
                session.run(query, token=token, batch=self.batch_size).consume()
            session.execute_write(_run, cypher.END_LEASE, token=token)
        except (DriverError, Neo4jError, OSError):
            pass

    def _withdrawn_ids(self, tx: ManagedTransaction, kind: str, ids: list[str]) -> set[str]:
        keys = [_key(kind, i) for i in ids]
        found: set[str] = set()
        for batch in _batches(keys, READ_BATCH):
            found.update(r["id"] for r in tx.run(cypher.WITHDRAWN_IDS, keys=batch))
        return found

    def withdraw(
        self, refs: Sequence[RecordRef], *, reason: str, on: dt.date, expected_version: str
    ) -> WithdrawalWrite:
        def work(tx: ManagedTransaction) -> WithdrawalWrite:
            published = self._require_version(tx, expected_version)
            now = dt.datetime.now(dt.UTC)
            rows = []
            for kind, record_id in refs:
                doc = self._live_doc(tx, kind, record_id, published)
                if doc is None:
                    raise ConflictError(f"{kind} {record_id!r} is no longer stored")
                rows.append(
                    {
                        "key": _key(kind, record_id),
                        "kind": kind,
                        "id": record_id,
                        "doc": doc,
                        "on": on.isoformat(),
                        "reason": reason,
                        "at": now.isoformat(),
                    }
                )
            by_kind = {k: [i for kind, i in refs if kind == k] for k in ("entity", "event")}
            withdrawn_commitments = [
                Commitment.model_validate_json(r["doc"]) for r in rows if r["kind"] == "commitment"
            ]
            for commitment_kind, query in cypher.DELETE_COMMITMENTS.items():
                ids = [c.id for c in withdrawn_commitments if c.kind is commitment_kind]
                if ids:
                    tx.run(query, ids=ids, published=published).consume()
            tx.run(cypher.DETACH_EVENTS, ids=by_kind["event"]).consume()
            tx.run(cypher.DETACH_ENTITIES, ids=by_kind["entity"]).consume()
            tx.run(cypher.ADD_WITHDRAWN, rows=rows).consume()
            records = [_withdrawal(r) for r in rows]
            return self._logged(tx, "withdraw", records, reason, now)

        return self._write_transaction(work)

    def restore(
        self, refs: Sequence[RecordRef], *, reason: str, expected_version: str
    ) -> WithdrawalWrite:
        def work(tx: ManagedTransaction) -> WithdrawalWrite:
            self._require_version(tx, expected_version)
            keys = [_key(kind, i) for kind, i in refs]
            rows = {_key(r["kind"], r["id"]): r for r in tx.run(cypher.WITHDRAWN_ROWS, keys=keys)}
            missing = [k for k in keys if k not in rows]
            if missing:
                raise ConflictError(f"{missing[0]} is no longer withdrawn")
            docs = {
                kind: [r["doc"] for r in rows.values() if r["kind"] == kind]
                for kind in ("entity", "commitment", "event")
            }
            # Written as an import of the kept documents: entities first, so the restored
            # commitments and events find their ends.
            self._write(
                tx,
                _planned(Entity, docs["entity"]),
                _planned(Commitment, docs["commitment"]),
                _planned(Event, docs["event"]),
            )
            tx.run(cypher.DELETE_WITHDRAWN, keys=keys).consume()
            records = [_withdrawal(rows[k]) for k in keys]
            return self._logged(tx, "restore", records, reason, dt.datetime.now(dt.UTC))

        return self._write_transaction(work)

    def _write_transaction(self, work: Any) -> WithdrawalWrite:
        with self._unavailable_as_error(), self._driver.session(database=self.database) as session:
            result: WithdrawalWrite = session.execute_write(work)
        return result

    def _require_version(self, tx: ManagedTransaction, expected: str) -> str:
        """Locks the data for a small write; the token published last (for SEEN)."""
        row = tx.run(cypher.LOCK_DATA, lease_seconds=self.lease_seconds).single(strict=True)
        if row["importing"]:
            raise ConflictError("an import is being written; try again when it is done")
        if str(row["version"]) != expected:
            raise ConflictError("the data changed while the request was checked")
        return str(row["published"])

    def _live_doc(
        self, tx: ManagedTransaction, kind: str, record_id: str, published: str
    ) -> str | None:
        queries = {
            "entity": [cypher.ENTITY_DOCS],
            "event": [cypher.EVENT_DOCS],
            "commitment": list(cypher.COMMITMENT_DOCS.values()),
        }[kind]
        for query in queries:
            found = self._stored(tx, query, [record_id], published)
            if found:
                return found[record_id]
        return None

    def _logged(
        self,
        tx: ManagedTransaction,
        action: str,
        records: list[Withdrawal],
        reason: str,
        now: dt.datetime,
    ) -> WithdrawalWrite:
        version = str(tx.run(cypher.BUMP_VERSION).single(strict=True)["version"])
        entry = withdrawal_entry(action, records, reason=reason, version=version, at=now)
        tx.run(cypher.APPEND_LOG, entry=entry.model_dump_json()).consume()
        return WithdrawalWrite(version, records)

    def history(self) -> list[LogEntry]:
        return [
            LogEntry.model_validate_json(r["entry"]).model_copy(update={"seq": r["seq"]})
            for r in self._read(cypher.ALL_LOG)
        ]

    def _write(
        self,
        tx: ManagedTransaction,
        entities: Planned[Entity],
        commitments: Planned[Commitment],
        events: Planned[Event],
    ) -> None:
        """Records that are not stored (restored ones), in the caller's transaction.
        Idempotent as a whole: a retried transaction redoes the same MERGEs."""
        for query, rows in itertools.chain(
            _entity_batches(cypher.MERGE_ENTITIES, entities, self.batch_size),
            _commitment_batches(cypher.MERGE_COMMITMENTS, commitments, self.batch_size),
            _event_batches(events, self.batch_size),
        ):
            tx.run(query, rows=rows).consume()

    def close(self) -> None:
        self._driver.close()


@dataclass(frozen=True)
class _Plan:
    """What an import will write, planned against the data at `base`."""

    base: str
    summary: ImportSummary
    entities: Planned[Entity]
    commitments: Planned[Commitment]
    events: Planned[Event]
    stored_kinds: dict[str, CommitmentKind]

    def result(self, *, written: bool, version: str) -> ImportResult:
        return ImportResult(
            self.summary,
            self.entities.records if written else [],
            self.commitments.records if written else [],
            self.events.records if written else [],
            self.base,
            version,
        )


def _run(tx: ManagedTransaction, /, query: str, **params: Any) -> None:
    tx.run(query, params).consume()


def _single(tx: ManagedTransaction, /, query: str, **params: Any) -> Record:
    record: Record = tx.run(query, params).single(strict=True)
    return record


def _planned(model: type[Any], docs: list[str]) -> Planned[Any]:
    """Kept documents, planned as new records for `_write`."""
    records = [model.model_validate_json(d) for d in docs]
    # Re-serialised: the stored form is the canonical one of today's model.
    return Planned(records, [document(r) for r in records], Counts(added=len(records)))
