"""Which ids a record points to: one home for the links between records.

The validator checks each reference resolves; a withdrawal checks no live record still
points to what it takes out; a restore checks what it brings back points to live records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from schemas.changes import RecordKind
from schemas.commitments import Commitment
from schemas.common import SLUG_PATTERN
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


EACH = "*"
PATHS: dict[RecordKind, tuple[tuple[FieldPath, RecordKind], ...]] = {
    "commitment": (
        (("from",), "entity"),
        (("to",), "entity"),
        (("part_of",), "commitment"),
        (("replaced_by", "commitment"), "commitment"),
        (("overlaps", EACH, "commitment"), "commitment"),
        (("distinct_from", EACH), "commitment"),
        (("round", "leads", EACH), "entity"),
    ),
    "event": (
        (("entities", EACH), "entity"),
        (("commitments", EACH), "commitment"),
        (("disputed_by", EACH), "event"),
    ),
}
"""The links above as field paths a file writes (`*`: every item), to read them from a
file's data before it is valid: a file with schema errors still has its references
checked in the same run (a test holds this table and the functions above to the same
links)."""
_SLUG = re.compile(SLUG_PATTERN)


def in_data(kind: RecordKind, record: Mapping[str, Any]) -> Iterator[Reference]:
    """The links of a record as a file holds it (not validated): (field path, kind of
    record, id) for every value at a link's path that is an id; any other value there
    is the schema's problem, reported by it."""
    for path, target in PATHS.get(kind, ()):
        found: list[tuple[FieldPath, Any]] = [((), record)]
        for part in path:
            deeper: list[tuple[FieldPath, Any]] = []
            for where, value in found:
                if part == EACH:
                    if isinstance(value, list):
                        deeper += [((*where, n), item) for n, item in enumerate(value)]
                elif isinstance(value, dict) and value.get(part) is not None:
                    deeper.append(((*where, part), value[part]))
            found = deeper
        for where, value in found:
            if isinstance(value, str) and _SLUG.fullmatch(value):
                yield where, target, value
