"""What an import would change: added, updated and unchanged records, compared by value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel

from graph.build import Snapshot
from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.events import Event
from schemas.results import Counts, ImportSummary

Record = TypeVar("Record", bound=BaseModel)


@dataclass(frozen=True)
class ImportPlan:
    """The records to write (new or changed) and the summary to report."""

    entities: list[Entity]
    commitments: list[Commitment]
    events: list[Event]
    summary: ImportSummary


def _diff(current: Mapping[str, Record], incoming: Sequence[Record]) -> tuple[list[Record], Counts]:
    changed: list[Record] = []
    counts = Counts()
    for record in incoming:
        existing = current.get(record.id)  # type: ignore[attr-defined]
        if existing is None:
            counts.added += 1
            changed.append(record)
        elif existing != record:
            counts.updated += 1
            changed.append(record)
        else:
            counts.unchanged += 1
    return changed, counts


def plan_import(
    current: Snapshot, dataset: Dataset, *, files: list[str], dry_run: bool
) -> ImportPlan:
    entities, entity_counts = _diff(current.entities, dataset.entities)
    commitments, commitment_counts = _diff(current.commitments, dataset.commitments)
    events, event_counts = _diff(current.events, dataset.events)
    summary = ImportSummary(
        dry_run=dry_run,
        files=files,
        entities=entity_counts,
        commitments=commitment_counts,
        events=event_counts,
    )
    return ImportPlan(entities, commitments, events, summary)
