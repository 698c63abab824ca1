"""Entities: search by name or alias in any script, and one entity with its commitments."""

from __future__ import annotations

from graph.lookup import require_entity
from graph.snapshot import Snapshot
from schemas.api import EntityDetail, EntityPage
from schemas.entities import Entity
from schemas.queries import EntityQuery


def _matches(entity: Entity, needle: str) -> bool:
    return any(needle in text.casefold() for text in (entity.id, entity.name, *entity.aliases))


def search_entities(snapshot: Snapshot, query: EntityQuery) -> EntityPage:
    """Entities whose id, name or any alias contains `q`, case-insensitively, in id order."""
    needle = query.q.strip().casefold() if query.q else None
    found = [
        e
        for e in snapshot.entities.values()
        if (needle is None or _matches(e, needle))
        and (query.kind is None or e.kind is query.kind)
        and (query.sector is None or query.sector in e.sectors)
    ]
    return EntityPage(
        total=len(found),
        limit=query.limit,
        offset=query.offset,
        items=found[query.offset : query.offset + query.limit],
    )


def entity_detail(snapshot: Snapshot, entity_id: str) -> EntityDetail:
    """The entity and its commitments either way, by announcement date then id."""
    entity = require_entity(snapshot, entity_id)
    mine = [c for c in snapshot.commitments.values() if entity_id in (c.from_, c.to)]
    mine.sort(key=lambda c: (c.announced, c.id))
    return EntityDetail(
        entity=entity,
        commitments_out=[c for c in mine if c.from_ == entity_id],
        commitments_in=[c for c in mine if c.to == entity_id],
    )
