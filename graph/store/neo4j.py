"""The Neo4j store: entities as (:Entity:<Kind>) nodes, commitments as relationships typed
by kind, over the official driver.

Sources and status history are properties of the relationship (dated arrays plus the
full record as JSON in `doc`), not nodes: they belong to one commitment and are never
traversed, so `MATCH p=(:Entity {id:'nvidia'})-[*..3]->() RETURN p` draws only the
financing web. Direct and look-through exposure, cycles and the timeline are answered
by Cypher on the server; listings and whole-network models read a snapshot that is
reloaded when the data version changes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import networkx as nx
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.analysis.cycles import cycles_in_flow
from graph.build import ExposureEdge, Snapshot, build_snapshot
from graph.compact import compact_records
from graph.errors import NotFoundError, StoreLimitError, StoreUnavailableError
from graph.exposure import report_from_adjacency
from graph.gcpause import keep_out_of_collections, paused_gc
from graph.importing import ImportPlan, plan_import
from graph.store import cypher
from graph.timeline import timeline
from graph.validate import suggest
from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, RoutingControl
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.enums import (
    AT_RISK_WHEN_COMPLETED,
    CONTRACT_KINDS,
    LIVE_STATUSES,
    Direction,
    ValueBasis,
)
from schemas.events import Event
from schemas.results import CycleReport, ExposureReport, ImportSummary, TimelineEntry

USD_FIELDS = {ValueBasis.POINT: "usd_point", ValueBasis.LOW: "usd_low", ValueBasis.HIGH: "usd_high"}
CONTRACT_KIND_VALUES = sorted(k.value for k in CONTRACT_KINDS)
# The as_of rule of DESIGN.md, from the same vocabulary the embedded store uses.
COUNTS_AT = {
    "live_statuses": sorted(s.value for s in LIVE_STATUSES),
    "at_risk_kinds": sorted(k.value for k in AT_RISK_WHEN_COMPLETED),
}


def entity_props(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind.value,
        "sectors": entity.sectors,
        "aliases": entity.aliases,
        "country": entity.country,
        "ticker": entity.ticker,
        "doc": entity.model_dump_json(),
    }


def commitment_props(c: Commitment) -> dict[str, Any]:
    """Plain Bolt types: the driver cannot send Decimal, so money goes as float USD."""
    return {
        "id": c.id,
        "kind": c.kind.value,
        "usd_point": float(c.total_usd(ValueBasis.POINT)),
        "usd_low": float(c.total_usd(ValueBasis.LOW)),
        "usd_high": float(c.total_usd(ValueBasis.HIGH)),
        "disclosed": c.amount is not None,
        "up_to": bool(c.amount and c.amount.up_to),
        "estimate": bool(c.amount and c.amount.estimate),
        "term_years": None if c.term_years is None else float(c.term_years),
        "capacity_gw": None if c.capacity_gw is None else float(c.capacity_gw),
        "announced": c.announced,
        "binding": c.binding,
        "status": c.status[-1].status.value,
        "status_dates": [s.date for s in c.status],
        "status_values": [s.status.value for s in c.status],
        "source_url": c.sources[0].url,
        "doc": c.model_dump_json(by_alias=True),
    }


def event_props(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "date": event.date,
        "kind": event.kind.value,
        "title": event.title,
        "doc": event.model_dump_json(),
    }


def one_line(error: BaseException) -> str:
    """The driver's messages span lines; a CLI error and a problem detail are one line."""
    return " ".join(str(error).split()) or type(error).__name__


def _load_snapshot(read: Callable[[str], list[Record]]) -> Snapshot:
    # As the embedded store loads its own (graph.gcpause): the collector paused while
    # millions of objects are made, then kept off the snapshot it will hold.
    with paused_gc():
        snapshot = build_snapshot(
            compact_records(
                Entity.model_validate_json(r["doc"]) for r in read(cypher.ALL_ENTITIES)
            ),
            compact_records(
                Commitment.model_validate_json(r["doc"]) for r in read(cypher.ALL_COMMITMENTS)
            ),
            compact_records(Event.model_validate_json(r["doc"]) for r in read(cypher.ALL_EVENTS)),
        )
    keep_out_of_collections()
    return snapshot


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


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
    ) -> None:
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
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
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._version = ""

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        try:
            yield
        except (ServiceUnavailable, SessionExpired, OSError) as error:
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} is unavailable: {one_line(error)}"
            ) from None

    def _read(self, query: str, **params: Any) -> list[Record]:
        with self._unavailable_as_error():
            result = self._driver.execute_query(
                query,
                params,
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        return list(result.records)

    # --- snapshot and listings -------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The whole graph in memory, reloaded when another writer changed the version."""
        version = self._read(cypher.VERSION)[0]["version"]
        with self._lock:
            if self._snapshot is None or version != self._version:
                self._snapshot = _load_snapshot(self._read)
                self._version = version
            return self._snapshot

    def get_meta(self, key: str) -> str | None:
        records = self._read(cypher.GET_FLAG, key=key)
        return None if not records else str(records[0]["value"])

    # --- imports -----------------------------------------------------------------

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, mark: str | None = None
    ) -> ImportSummary:
        """Plan and write in one managed write transaction (retried whole).

        The transaction first write-locks the (:Meta {key:'data'}) node, so imports from
        any number of processes are serialised and each plan is made against exactly the
        data its write replaces: the same file posted twice at once is added once.
        """
        if dry_run:
            return plan_import(self.snapshot(), dataset, files=files, dry_run=True).summary
        with self._lock, self._unavailable_as_error(), self._limits_as_error(dataset):
            with self._driver.session(database=self.database) as session:
                summary: ImportSummary = session.execute_write(
                    self._plan_and_write, dataset, files, mark
                )
            self._snapshot = None
        return summary

    @contextmanager
    def _limits_as_error(self, dataset: Dataset) -> Iterator[None]:
        """A file is one transaction; one that outgrows the server's transaction memory is
        rolled back whole and reported as too large, with what to do about it."""
        try:
            yield
        except Neo4jError as error:
            if "OutOfMemory" not in (error.code or ""):
                raise
            records = len(dataset.entities) + len(dataset.commitments) + len(dataset.events)
            raise StoreLimitError(
                f"the import ({records} records) does not fit in one Neo4j transaction "
                f"at {self.uri} (dbms.memory.transaction.total.max reached); nothing was "
                "written: give the server more heap (NEO4J_LOCAL_HEAP for neo4j/local/run) "
                "or import the data in smaller files"
            ) from None

    def _plan_and_write(
        self, tx: ManagedTransaction, dataset: Dataset, files: list[str], mark: str | None
    ) -> ImportSummary:
        version = tx.run(cypher.LOCK_DATA).single(strict=True)["version"]
        current = self._snapshot
        if current is None or version != self._version:
            current = _load_snapshot(lambda query: list(tx.run(query)))
        plan = plan_import(current, dataset, files=files, dry_run=False)
        if plan.summary.changed or mark is not None:
            self._write(tx, plan, current, mark)
        return plan.summary

    def _write(
        self, tx: ManagedTransaction, plan: ImportPlan, current: Snapshot, mark: str | None
    ) -> None:
        # Idempotent as a whole: a retried transaction redoes the same MERGEs and
        # delete-then-create of relationships, so nothing is duplicated.
        for entity_kind, query in cypher.MERGE_ENTITIES.items():
            rows = [
                {"id": e.id, "props": entity_props(e)}
                for e in plan.entities
                if e.kind is entity_kind
            ]
            for batch in _batches(rows, self.batch_size):
                tx.run(query, rows=batch).consume()
        # An updated commitment is deleted and recreated (its kind or ends may change),
        # found through the index of the type it had; new ones have nothing to delete.
        for kind, query in cypher.DELETE_COMMITMENTS.items():
            ids = [
                c.id
                for c in plan.commitments
                if c.id in current.commitments and current.commitments[c.id].kind is kind
            ]
            for start in range(0, len(ids), self.batch_size):
                tx.run(query, ids=ids[start : start + self.batch_size]).consume()
        for kind, query in cypher.MERGE_COMMITMENTS.items():
            rows = [
                {"from": c.from_, "to": c.to, "props": commitment_props(c)}
                for c in plan.commitments
                if c.kind is kind
            ]
            for batch in _batches(rows, self.batch_size):
                tx.run(query, rows=batch).consume()
        event_rows = [
            {"id": e.id, "props": event_props(e), "entities": e.entities} for e in plan.events
        ]
        for batch in _batches(event_rows, self.batch_size):
            tx.run(cypher.MERGE_EVENTS, rows=batch).consume()
        tx.run(cypher.BUMP_VERSION).consume()
        if mark is not None:
            tx.run(cypher.SET_FLAG, key=mark, value=dt.datetime.now(dt.UTC).isoformat()).consume()

    def clear(self) -> None:
        """Delete everything this store wrote (tests: Community has one user database)."""
        with self._lock, self._unavailable_as_error():
            self._driver.execute_query(cypher.CLEAR, database_=self.database)
            self._snapshot = None

    # --- queries on the server ---------------------------------------------------------

    def _require_entity(self, entity: str) -> None:
        if not self._read(cypher.ENTITY_EXISTS, id=entity):
            ids = [r["id"] for r in self._read("MATCH (e:Entity) RETURN e.id AS id")]
            raise NotFoundError("entity", entity, suggest(entity, ids))

    def _names(self, ids: Sequence[str]) -> dict[str, str]:
        query = "MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS id, e.name AS name"
        return {r["id"]: r["name"] for r in self._read(query, ids=list(ids))}

    def _neighbourhood(self, entity: str, hops: int) -> list[str]:
        """Entities within `hops` relationships of `entity`, breadth first."""
        seen = {entity}
        frontier = [entity]
        query = (
            "MATCH (a:Entity)-[r]-(b:Entity) WHERE a.id IN $frontier AND r.doc IS NOT NULL "
            "RETURN DISTINCT b.id AS id"
        )
        for _ in range(hops):
            if not frontier:
                break
            found = {r["id"] for r in self._read(query, frontier=frontier)} - seen
            seen |= found
            frontier = sorted(found)
        return sorted(seen)

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
        self._require_entity(entity)
        # Paths of `depth` hops need every pair touching the entities up to depth-1 away.
        ids = self._neighbourhood(entity, max(0, min(depth, 6) - 1))
        adjacency: dict[str, dict[str, ExposureEdge]] = {}
        for r in self._read(
            cypher.EXPOSURE_PAIRS,
            **COUNTS_AT,
            ids=ids,
            as_of=as_of,
            contract_kinds=CONTRACT_KIND_VALUES,
            usd_field=USD_FIELDS[basis],
        ):
            adjacency.setdefault(r["exposed"], {})[r["counterparty"]] = ExposureEdge(
                Decimal(repr(r["usd"])), tuple(sorted(r["kinds"])), tuple(sorted(r["commitments"]))
            )
        everyone = {entity} | set(adjacency) | {b for row in adjacency.values() for b in row}
        names = self._names(sorted(everyone))
        return report_from_adjacency(
            adjacency,
            entity,
            names=lambda entity_id: names.get(entity_id, entity_id),
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
        if entity is not None:
            self._require_entity(entity)
        flow: nx.DiGraph[str] = nx.DiGraph()
        for r in self._read(
            cypher.LIVE_MONEY_FLOW, **COUNTS_AT, as_of=as_of, usd_field=USD_FIELDS[basis]
        ):
            flow.add_edge(
                r["source"],
                r["target"],
                usd=Decimal(repr(r["usd"])),
                commitments=list(r["commitments"]),
            )
        return cycles_in_flow(
            flow, as_of=as_of, basis=basis, max_length=max_length, entity=entity, limit=limit
        )

    def timeline(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        entity: str | None = None,
    ) -> list[TimelineEntry]:
        if entity is not None:
            self._require_entity(entity)
        params = {"since": since, "until": until, "entity": entity}
        commitments = {
            r["commitment"]: Commitment.model_validate_json(r["doc"])
            for r in self._read(cypher.TIMELINE_CHANGES, **params)
        }
        events = [
            Event.model_validate_json(r["doc"])
            for r in self._read(cypher.TIMELINE_EVENTS, **params)
        ]
        ids = {entity} if entity else set()
        ids |= {p for c in commitments.values() for p in (c.from_, c.to)}
        names = self._names(sorted(ids))
        partial = build_snapshot(
            [Entity(id=i, name=n) for i, n in names.items()], commitments.values(), events
        )
        return timeline(partial, since=since, until=until, entity=entity)

    def close(self) -> None:
        self._driver.close()
