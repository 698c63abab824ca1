"""The Store protocol: where the records live, and nothing else.

A store keeps entities, commitments and events, says which version of them it holds,
imports a dataset all or nothing, and keeps a few flags (e.g. whether it was seeded). It
answers no question about the data: graph.snapshot loads the records into memory and
graph.queries answers from there, the same way for every store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from schemas.commitments import Commitment
from schemas.dataset import Dataset
from schemas.entities import Entity
from schemas.events import Event
from schemas.results import Counts, ImportSummary


@dataclass(frozen=True)
class StoredData:
    """A consistent read of everything stored: the version and the records, each in id
    order, streamed (iterate each once, entities first, inside the read)."""

    version: str
    entities: Iterator[Entity]
    commitments: Iterator[Commitment]
    events: Iterator[Event]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the summary, the records it wrote, and the data versions
    before and after (equal when nothing was written)."""

    summary: ImportSummary
    entities: Sequence[Entity]
    commitments: Sequence[Commitment]
    events: Sequence[Event]
    base_version: str
    version: str


class Store(Protocol):
    """Imports are atomic and idempotent and serialised across processes; a read sees
    whole imports only; `version()` changes with every committed write."""

    kind: str

    def version(self) -> str:
        """The data version now: cheap, as a reader asks before every answer."""
        ...

    def read(self) -> AbstractContextManager[StoredData]:
        """Everything stored, at one version."""
        ...

    def import_dataset(
        self, dataset: Dataset, *, files: list[str], dry_run: bool = False, flag: str | None = None
    ) -> ImportResult:
        """Add or update every record of `dataset` or none; `flag`, if given, is set in
        the same transaction (the seeding mark)."""
        ...

    def get_flag(self, key: str) -> str | None: ...

    def close(self) -> None: ...


def document(record: BaseModel) -> str:
    """The canonical JSON a store keeps of a record, and compares to tell an update from
    an unchanged record (commitments by alias: `from`, as written in files)."""
    return record.model_dump_json(by_alias=True)


R = TypeVar("R", Entity, Commitment, Event)


@dataclass(frozen=True)
class Planned(Generic[R]):
    """The records of one kind an import writes (new or changed), with their documents."""

    records: list[R]
    documents: list[str]
    counts: Counts


def summary_of(
    entities: Planned[Entity],
    commitments: Planned[Commitment],
    events: Planned[Event],
    *,
    files: list[str],
    dry_run: bool,
) -> ImportSummary:
    return ImportSummary(
        dry_run=dry_run,
        files=files,
        entities=entities.counts,
        commitments=commitments.counts,
        events=events.counts,
    )


def plan(records: Sequence[R], stored: Mapping[str, str]) -> Planned[R]:
    """Which of `records` to write, by their documents against `stored` (id -> the
    document the store holds now), and the counts to report."""
    counts = Counts()
    changed: list[R] = []
    documents: list[str] = []
    for record in records:
        doc = document(record)
        existing = stored.get(record.id)
        if existing == doc:
            counts.unchanged += 1
            continue
        if existing is None:
            counts.added += 1
        else:
            counts.updated += 1
        changed.append(record)
        documents.append(doc)
    return Planned(changed, documents, counts)
