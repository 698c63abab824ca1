"""Finding a record by id, with a "did you mean" when there is none: one home for it."""

from __future__ import annotations

from graph.errors import NotFoundError
from graph.snapshot import Snapshot
from graph.suggest import suggest
from schemas.commitments import Commitment
from schemas.entities import Entity


def require_entity(snapshot: Snapshot, entity_id: str) -> Entity:
    found = snapshot.entities.get(entity_id)
    if found is None:
        raise NotFoundError("entity", entity_id, suggest(entity_id, snapshot.entities.keys()))
    return found


def require_commitment(snapshot: Snapshot, commitment_id: str) -> Commitment:
    found = snapshot.commitments.get(commitment_id)
    if found is None:
        raise NotFoundError(
            "commitment", commitment_id, suggest(commitment_id, snapshot.commitments.keys())
        )
    return found


def name_of(snapshot: Snapshot, entity_id: str) -> str:
    """The entity's name, or its id where the snapshot does not know it."""
    entity = snapshot.entities.get(entity_id)
    return entity.name if entity else entity_id
