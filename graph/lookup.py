"""Finding a record by id, with a "did you mean" when there is none: one home for it."""

from __future__ import annotations

from graph.errors import GoneError, InvalidQueryError, NotFoundError
from graph.snapshot import RecordKind, Snapshot
from graph.suggest import did_you_mean
from schemas.commitments import Commitment
from schemas.entities import Entity


def require_entity(snapshot: Snapshot, entity_id: str) -> Entity:
    found = snapshot.entities.get(entity_id)
    if found is None:
        raise _missing(snapshot, "entity", entity_id)
    return found


def require_commitment(snapshot: Snapshot, commitment_id: str) -> Commitment:
    found = snapshot.commitments.get(commitment_id)
    if found is None:
        raise _missing(snapshot, "commitment", commitment_id)
    return found


def _missing(snapshot: Snapshot, kind: RecordKind, wanted: str) -> GoneError | NotFoundError:
    """Gone, with the date and reason, for a withdrawn id; else not found, with hints."""
    withdrawal = snapshot.withdrawn.get((kind, wanted))
    if withdrawal is not None:
        return GoneError(kind, wanted, withdrawal.on, withdrawal.reason)
    return NotFoundError(kind, wanted, snapshot.close_ids(kind, wanted))


def unknown_in_request(
    snapshot: Snapshot, kind: RecordKind, wanted: str, field: str
) -> InvalidQueryError:
    """An id in a request body that names no record: a 422 naming the field, with hints."""
    hints = did_you_mean(snapshot.close_ids(kind, wanted))
    return InvalidQueryError(f"unknown {kind} {wanted!r}{hints}", field=field)


def name_of(snapshot: Snapshot, entity_id: str) -> str:
    """The entity's name, or its id where the snapshot does not know it."""
    entity = snapshot.entities.get(entity_id)
    return entity.name if entity else entity_id
