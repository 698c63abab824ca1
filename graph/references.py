"""Which ids a record points to: one home for the links between records.

The validator checks each reference resolves; a withdrawal checks no live record still
points to what it takes out; a restore checks what it brings back points to live records.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemas.changes import RecordKind
from schemas.commitments import Commitment
from schemas.events import Event

FieldPath = tuple[str | int, ...]
Reference = tuple[FieldPath, RecordKind, str]


def of_commitment(commitment: Commitment) -> Iterator[Reference]:
    """(field path inside the commitment, kind of record, id) for every link it holds."""
    yield ("from",), "entity", commitment.from_
    yield ("to",), "entity", commitment.to
    if commitment.part_of is not None:
        yield ("part_of",), "commitment", commitment.part_of
    if commitment.replaced_by is not None:
        yield ("replaced_by", "commitment"), "commitment", commitment.replaced_by.commitment
    for n, overlap in enumerate(commitment.overlaps):
        yield ("overlaps", n, "commitment"), "commitment", overlap.commitment
    for n, other in enumerate(commitment.distinct_from):
        yield ("distinct_from", n), "commitment", other
    for n, lead in enumerate(commitment.round.leads if commitment.round else []):
        yield ("round", "leads", n), "entity", lead


def of_event(event: Event) -> Iterator[Reference]:
    for field, refs, kind in (
        ("entities", event.entities, "entity"),
        ("commitments", event.commitments, "commitment"),
        ("disputed_by", event.disputed_by, "event"),
    ):
        for n, ref in enumerate(refs):
            yield (field, n), kind, ref  # type: ignore[misc]


def of_record(kind: RecordKind, record: object) -> Iterator[Reference]:
    if kind == "commitment":
        assert isinstance(record, Commitment)
        yield from of_commitment(record)
    elif kind == "event":
        assert isinstance(record, Event)
        yield from of_event(record)
    # Entities point to no other record.
