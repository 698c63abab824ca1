"""Use cases shared by the API and the CLI: open the store, validate, import, list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from graph.build import Snapshot
from graph.errors import DataError, NotFoundError, StoreUnavailableError
from graph.load import LoadedFile, parse_bytes, parse_files
from graph.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from graph.store.neo4j import Neo4jStore
from graph.validate import check_files, merge, suggest
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import CommitmentKind, EntityKind, Status
from schemas.problems import Problem
from schemas.results import ImportSummary

SEEDED = "seeded"
T = TypeVar("T")


def connect(settings: Settings) -> EmbeddedStore | Neo4jStore:
    """The store the settings name: the embedded one, or Neo4j at NEO4J_URI."""
    if settings.store == "neo4j":
        if not settings.neo4j_uri:
            raise StoreUnavailableError("AIFG_STORE=neo4j needs NEO4J_URI")
        password = settings.neo4j_password
        auth = (settings.neo4j_user, password.get_secret_value()) if password else None
        return Neo4jStore(
            settings.neo4j_uri,
            auth=auth,
            database=settings.neo4j_database,
            batch_size=settings.neo4j_batch_size,
            retry_seconds=settings.neo4j_retry_seconds,
        )
    return EmbeddedStore.in_dir(settings.data_dir)


def open_store(settings: Settings) -> EmbeddedStore | Neo4jStore:
    """The configured store, seeded from settings.seed_dir on its first start."""
    store = connect(settings)
    if settings.seed_on_start and store.get_meta(SEEDED) is None:
        try:
            files = validate_paths([settings.seed_dir], store, max_bytes=settings.max_file_bytes)
            store.import_dataset(merge(files), files=[f.name for f in files], mark=SEEDED)
        except BaseException:
            store.close()
            raise
    return store


def validate_paths(
    paths: Sequence[Path], store: Store | None = None, *, max_bytes: int
) -> list[LoadedFile]:
    """Parse and check files; references may point into the store when one is given."""
    files = parse_files(paths, max_bytes=max_bytes)
    if not files:
        raise DataError([Problem(file=", ".join(map(str, paths)), message="no YAML files found")])
    _check_against(files, store)
    return files


def _check_against(files: list[LoadedFile], store: Store | None) -> None:
    snapshot = store.snapshot() if store is not None else None
    check_files(
        files,
        known_entities=snapshot.entities.keys() if snapshot else (),
        known_commitments=snapshot.commitments.keys() if snapshot else (),
        known_events=snapshot.events.keys() if snapshot else (),
    )


def import_paths(
    store: Store, paths: Sequence[Path], *, dry_run: bool, max_bytes: int
) -> ImportSummary:
    files = validate_paths(paths, store, max_bytes=max_bytes)
    return store.import_dataset(merge(files), files=[f.name for f in files], dry_run=dry_run)


def import_bytes(
    store: Store, data: bytes, *, name: str, dry_run: bool, max_bytes: int
) -> ImportSummary:
    file = parse_bytes(data, name, max_bytes=max_bytes)
    _check_against([file], store)
    return store.import_dataset(file.dataset, files=[name], dry_run=dry_run)


@dataclass(frozen=True)
class Page(Generic[T]):
    total: int
    items: list[T]


def _matches(entity: Entity, needle: str) -> bool:
    return any(needle in text.casefold() for text in (entity.id, entity.name, *entity.aliases))


def search_entities(
    snapshot: Snapshot,
    *,
    q: str | None = None,
    kind: EntityKind | None = None,
    sector: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[Entity]:
    """Entities whose id, name or any alias contains `q`, case-insensitively, any script."""
    needle = q.strip().casefold() if q else None
    found = [
        e
        for e in snapshot.entities.values()
        if (needle is None or _matches(e, needle))
        and (kind is None or e.kind is kind)
        and (sector is None or sector in e.sectors)
    ]
    found.sort(key=lambda e: e.id)
    return Page(len(found), found[offset : offset + limit])


def get_entity(snapshot: Snapshot, entity_id: str) -> Entity:
    found = snapshot.entities.get(entity_id)
    if found is None:
        raise NotFoundError("entity", entity_id, suggest(entity_id, snapshot.entities.keys()))
    return found


def get_commitment(snapshot: Snapshot, commitment_id: str) -> Commitment:
    found = snapshot.commitments.get(commitment_id)
    if found is None:
        raise NotFoundError(
            "commitment", commitment_id, suggest(commitment_id, snapshot.commitments.keys())
        )
    return found


@dataclass(frozen=True)
class CommitmentFilter:
    entity: str | None = None
    counterparty: str | None = None
    kind: CommitmentKind | None = None
    status: Status | None = None
    binding: bool | None = None
    min_usd: float | None = None
    as_of: dt.date | None = None


def list_commitments(
    snapshot: Snapshot, where: CommitmentFilter, *, limit: int = 50, offset: int = 0
) -> Page[Commitment]:
    """Commitments matching every given filter, by announcement date then id.

    With `as_of` and no `status`, only commitments that count at that date (DESIGN.md);
    `status` tests the status at `as_of` if given, else the latest status.
    """
    for entity_id in (where.entity, where.counterparty):
        if entity_id is not None:
            get_entity(snapshot, entity_id)
    found = []
    for c in snapshot.commitments.values():
        parties = (c.from_, c.to)
        if where.entity is not None and where.entity not in parties:
            continue
        if where.counterparty is not None and where.counterparty not in parties:
            continue
        if where.kind is not None and c.kind is not where.kind:
            continue
        if where.binding is not None and c.binding is not where.binding:
            continue
        if where.min_usd is not None and float(c.total_usd()) < where.min_usd:
            continue
        if where.as_of is not None:
            status = c.status_at(where.as_of)
            if where.status is None and not c.counts_at(where.as_of):
                continue
        else:
            status = c.status[-1].status
        if where.status is not None and status is not where.status:
            continue
        found.append(c)
    found.sort(key=lambda c: (c.announced, c.id))
    return Page(len(found), found[offset : offset + limit])
