"""Answers the graph gives: exposure, look-through, cycles, timeline, import summaries.

Money is in USD as JSON numbers; each answer says the date and basis it was computed at.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from schemas.enums import CommitmentKind, Direction, Status, ValueBasis


class CounterpartyExposure(BaseModel):
    id: str
    name: str
    usd: float = Field(description="E[entity][id] (out) or E[id][entity] (in), USD.")
    share: float = Field(description="usd / total_usd.")
    kinds: list[CommitmentKind]
    commitments: list[str]


class ExposurePath(BaseModel):
    path: list[str] = Field(description="Entity ids from the exposed entity to the one failing.")
    usd: float


class LookThroughExposure(BaseModel):
    id: str
    name: str
    usd: float = Field(description="Sum over the paths of E[v0][v1] times dependence shares.")
    path_count: int
    paths: list[ExposurePath] = Field(description="The largest paths, largest first.")


class ExposureReport(BaseModel):
    entity: str
    name: str
    direction: Direction
    as_of: dt.date
    basis: ValueBasis
    depth: int
    total_usd: float = Field(description="Over every counterparty, listed or not.")
    counterparty_count: int = Field(description="Counterparties in all; `limit` may list fewer.")
    counterparties: list[CounterpartyExposure] = Field(description="Largest first.")
    look_through_count: int = Field(description="Ultimate counterparties in all (depth > 1).")
    look_through: list[LookThroughExposure] = Field(description="Largest first.")


class Cycle(BaseModel):
    entities: list[str] = Field(description="The loop in money-flow order; the first repeats.")
    commitments: list[list[str]] = Field(description="Commitment ids on each hop.")
    hop_usd: list[float]
    round_trip_usd: float = Field(description="The smallest hop amount on the loop.")


class CycleReport(BaseModel):
    as_of: dt.date
    basis: ValueBasis
    max_length: int
    entity: str | None
    truncated: bool
    cycles: list[Cycle]


class TimelineEntry(BaseModel):
    date: dt.date
    type: str = Field(description="`status_change` (the first is the announcement) or `event`.")
    commitment: str | None = None
    event: str | None = None
    from_: str | None = Field(default=None, serialization_alias="from")
    to: str | None = None
    kind: str | None = None
    old_status: Status | None = None
    new_status: Status | None = None
    title: str
    source_url: str | None = None
    source_publisher: str | None = None
    note: str | None = None


class Counts(BaseModel):
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportSummary(BaseModel):
    dry_run: bool
    files: list[str]
    entities: Counts
    commitments: Counts
    events: Counts

    @property
    def changed(self) -> bool:
        return any(c.added or c.updated for c in (self.entities, self.commitments, self.events))


class ConcentrationRow(BaseModel):
    id: str
    name: str
    exposure_usd: float = Field(description="What the entity stands to lose in all (out).")
    counterparties: int
    largest_counterparty: str | None
    largest_share: float = Field(description="Share of exposure_usd with the largest one.")
    hhi: float = Field(description="Herfindahl-Hirschman index of out-shares, 0..1.")
    at_stake_usd: float = Field(description="What others stand to lose if it fails (in).")
    exposed_entities: int = Field(description="How many entities would be hit if it failed.")


class ConcentrationReport(BaseModel):
    as_of: dt.date
    basis: ValueBasis
    sort: str
    rows: list[ConcentrationRow]
