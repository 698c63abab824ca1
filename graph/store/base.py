"""The Store protocol: where the records live, and nothing else.

A store keeps entities, commitments and events, says which version of them it holds,
imports a dataset all or nothing, and keeps a few flags (e.g. whether it was seeded). It
answers no question about the data: graph.snapshot loads the records into memory and
graph.queries answers from there, the same way for every store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from schemas.changes import ChangedIds, LogEntry, RecordIds, RecordKind, Withdrawal
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
    withdrawn: Sequence[Withdrawal] = ()


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


RecordRef = tuple[RecordKind, str]
TABLES: dict[RecordKind, str] = {
    "entity": "entities",
    "commitment": "commitments",
    "event": "events",
}


@dataclass(frozen=True)
class WithdrawalWrite:
    """What a withdrawal or restore wrote: the new data version and the records."""

    version: str
    records: list[Withdrawal]


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

    def withdraw(
        self, refs: Sequence[RecordRef], *, reason: str, on: dt.date, expected_version: str
    ) -> WithdrawalWrite:
        """Take live records out of the data, keeping each document with the reason, in
        one transaction; ConflictError when the data is no longer at `expected_version`
        (the caller checked references against that version)."""
        ...

    def restore(
        self, refs: Sequence[RecordRef], *, reason: str, expected_version: str
    ) -> WithdrawalWrite:
        """Put withdrawn records back as they were kept; the same guarantees."""
        ...

    def history(self) -> list[LogEntry]:
        """Every committed write (imports, withdrawals, restores), oldest first."""
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
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


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


def plan(
    records: Sequence[R], stored: Mapping[str, str], withdrawn: Collection[str] = ()
) -> Planned[R]:
    """Which of `records` to write, by their documents against `stored` (id -> the
    document the store holds now), and the counts to report. Ids in `withdrawn` stay
    out: re-importing a file must not bring back what was withdrawn from it."""
    planned: Planned[R] = Planned([], [], Counts())
    for record in records:
        if record.id in withdrawn:
            planned.counts.withdrawn += 1
            continue
        doc = document(record)
        existing = stored.get(record.id)
        if existing == doc:
            planned.counts.unchanged += 1
            continue
        if existing is None:
            planned.counts.added += 1
            planned.added.append(record.id)
        else:
            planned.counts.updated += 1
            planned.updated.append(record.id)
        planned.records.append(record)
        planned.documents.append(doc)
    return planned


def import_entry(
    result_summary: ImportSummary,
    entities: Planned[Entity],
    commitments: Planned[Commitment],
    events: Planned[Event],
    *,
    version: str,
    at: dt.datetime,
) -> LogEntry:
    """The log entry of an import (its seq is the store's to give)."""
    return LogEntry(
        seq=0,
        at=at,
        action="import",
        version=version,
        files=result_summary.files,
        counts={
            "entities": result_summary.entities,
            "commitments": result_summary.commitments,
            "events": result_summary.events,
        },
        changes=ChangedIds(
            added=RecordIds(
                entities=entities.added, commitments=commitments.added, events=events.added
            ),
            updated=RecordIds(
                entities=entities.updated, commitments=commitments.updated, events=events.updated
            ),
        ),
    )


def withdrawal_entry(
    action: str, records: Sequence[Withdrawal], *, reason: str, version: str, at: dt.datetime
) -> LogEntry:
    ids = RecordIds(
        entities=[w.id for w in records if w.kind == "entity"],
        commitments=[w.id for w in records if w.kind == "commitment"],
        events=[w.id for w in records if w.kind == "event"],
    )
    changes = ChangedIds(withdrawn=ids) if action == "withdraw" else ChangedIds(restored=ids)
    return LogEntry(
        seq=0,
        at=at,
        action="withdraw" if action == "withdraw" else "restore",
        version=version,
        reason=reason,
        changes=changes,
    )
