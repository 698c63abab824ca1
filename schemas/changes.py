"""Change and correction: withdrawals, the log of every write, and what changed since.

A withdrawn record leaves the data (no answer counts it) but is kept with its dated
reason, so its id answers 410 Gone with that reason and the log says who saw what when.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from schemas.commitments import Commitment
from schemas.common import LINE_TEXT_PATTERN, Slug, StrictModel
from schemas.entities import Entity
from schemas.events import Event
from schemas.results import Counts

RecordKind = Literal["entity", "commitment", "event"]
RECORD_KINDS: tuple[RecordKind, ...] = ("entity", "commitment", "event")
MAX_RECORDS_PER_REQUEST = 1000

Reason = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=500, pattern=LINE_TEXT_PATTERN
    ),
    Field(description="Why, in one line a reader can understand (kept with the record)."),
]


class RecordRef(StrictModel):
    """A record by id; `kind` only where the id names records of two kinds."""

    id: Slug
    kind: RecordKind | None = None


class WithdrawalRequest(StrictModel):
    """Withdraw records (all or none): a wrong deal, a typo in an id."""

    records: list[RecordRef] = Field(min_length=1, max_length=MAX_RECORDS_PER_REQUEST)
    reason: Reason
    on: dt.date | None = Field(
        default=None, description="The date the withdrawal takes effect in the record; today."
    )


class RestoreRequest(StrictModel):
    """Bring withdrawn records back as they were (all or none)."""

    records: list[RecordRef] = Field(min_length=1, max_length=MAX_RECORDS_PER_REQUEST)
    reason: Reason


class Withdrawal(BaseModel):
    """A record taken out of the data, and why; its last document is kept."""

    kind: RecordKind
    id: str
    on: dt.date
    reason: str
    at: dt.datetime = Field(description="When the store recorded it (UTC).")
    document: str = Field(default="", exclude=True, repr=False)
    """The record as it was when withdrawn (its canonical JSON), to check a restore."""

    def record(self) -> Entity | Commitment | Event:
        model = {"entity": Entity, "commitment": Commitment, "event": Event}[self.kind]
        return model.model_validate_json(self.document)  # type: ignore[attr-defined, no-any-return]


class RecordIds(BaseModel):
    entities: list[str] = []
    commitments: list[str] = []
    events: list[str] = []

    def total(self) -> int:
        return len(self.entities) + len(self.commitments) + len(self.events)


class ChangedIds(BaseModel):
    """The ids one write (or a run of writes) added, updated, withdrew or restored."""

    added: RecordIds = RecordIds()
    updated: RecordIds = RecordIds()
    withdrawn: RecordIds = RecordIds()
    restored: RecordIds = RecordIds()


LogAction = Literal["import", "withdraw", "restore"]


class LogEntry(BaseModel):
    """One committed write to the store, as the log keeps it."""

    seq: int = Field(description="Its place in the log: 1 is the first write.")
    at: dt.datetime
    action: LogAction
    version: str = Field(description="The data version the write produced.")
    files: list[str] = Field(default=[], description="The imported files, for an import.")
    reason: str | None = Field(default=None, description="Why, for a withdrawal or restore.")
    counts: dict[str, Counts] = Field(
        default={}, description="Per kind of record (entities, commitments, events)."
    )
    changes: ChangedIds | None = Field(
        description="The ids written; null for imports logged before ids were kept."
    )


class ImportLogRow(BaseModel):
    """An import as GET /imports lists it: when, which files, what it counted."""

    seq: int
    at: dt.datetime
    version: str
    files: list[str]
    entities: Counts
    commitments: Counts
    events: Counts


class ChangesAnswer(BaseModel):
    """What changed after a date or a data version, net: a record added and then
    updated is `added`; one added and withdrawn inside the window is left out."""

    since: str = Field(description="The date (YYYY-MM-DD, from 00:00 UTC) or data version.")
    version: str = Field(description="The data version the answer reaches.")
    writes: list[LogEntry] = Field(description="The writes in the window, oldest first.")
    added: RecordIds
    updated: RecordIds
    withdrawn: RecordIds
    restored: RecordIds
    untracked_imports: int = Field(
        description="Imports in the window logged before ids were kept: their ids are "
        "not in the lists above."
    )


class WithdrawalResult(BaseModel):
    """What a withdrawal or restore did."""

    action: Literal["withdraw", "restore"]
    version: str
    records: list[Withdrawal]
