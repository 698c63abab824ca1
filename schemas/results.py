"""Answers the graph gives: exposure, look-through, cycles, timeline, import summaries.

Money is in USD as JSON numbers; each answer says the date and basis it was computed at.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from schemas.enums import CommitmentKind, Direction, Status, ValueBasis


class RevenueFigure(BaseModel):
    """An entity's latest revenue dated on or before the answer's date, to compare with."""

    usd: float
    as_of: dt.date
    period: str | None
    source_url: str


class ExposureItem(BaseModel):
    """One commitment inside a counterparty's exposure, as it counts at the date."""

    commitment: str
    kind: CommitmentKind
    usd: float | None = Field(description="As it counts (USD); null when undisclosed.")
    usd_per_year: float | None = Field(
        description="A year's worth: a per-year figure, or the total over term_years."
    )
    term_years: float | None
    up_to: bool = Field(description='The figure is a ceiling ("up to"), not an expectation.')
    estimate: bool = Field(description="A third party's estimate, not a disclosed figure.")
    rule: str | None = Field(
        default=None, description="Why it counts at less than its own amount, if it does."
    )


class CounterpartyExposure(BaseModel):
    id: str
    name: str
    usd: float | None = Field(
        description="E[entity][id] (out) or E[id][entity] (in), USD, over the disclosed "
        "figures; null when none of its commitments has one (see `undisclosed`)."
    )
    undisclosed: int = Field(
        description="Commitments without a figure: where > 0 the exposure is at least `usd`."
    )
    share: float | None = Field(description="usd / total_usd; null when usd is.")
    up_to: bool = Field(description='usd includes an "up to" ceiling.')
    estimate: bool = Field(description="usd includes a third party's estimate.")
    share_of_revenue: float | None = Field(
        description="usd over the exposed party's latest revenue at the date (see "
        "exposed_revenue); null without either."
    )
    exposed_revenue: RevenueFigure | None = Field(
        description="The exposed party's latest revenue dated on or before as_of."
    )
    usd_per_year: float | None = Field(
        description="A year's worth: the sum of the year's worth of those of its "
        "commitments that have one (`per_year_count` of `commitment_count`; the others "
        "lack a term or a figure); null when none has."
    )
    per_year_count: int = Field(description="Commitments usd_per_year covers.")
    kinds: list[CommitmentKind]
    commitment_count: int = Field(description="Commitments counted in usd, listed or not.")
    commitments: list[str] = Field(description="The ids of `items`.")
    items: list[ExposureItem] = Field(
        description="Its largest commitments as they count (undisclosed last, ties by "
        "id): the query's `items` of them at most."
    )


class ExposurePath(BaseModel):
    path: list[str] = Field(description="Entity ids from the exposed entity to the one failing.")
    usd: float = Field(description="What the path carries (README, Look-through), USD.")


class LookThroughExposure(BaseModel):
    id: str
    name: str
    usd: float = Field(
        description="Sum over the paths of what each carries: never more than a path's "
        "smallest hop (README, Look-through); disclosed figures only."
    )
    path_count: int
    paths: list[ExposurePath] = Field(description="The largest paths, largest first.")


class ExposureReport(BaseModel):
    entity: str
    name: str
    direction: Direction
    as_of: dt.date
    basis: ValueBasis
    depth: int
    total_usd: float | None = Field(
        description="Over every counterparty, listed or not, disclosed figures only: the "
        "exposure is at least this, plus `undisclosed` commitments without a figure; null "
        "when none has one."
    )
    undisclosed: int = Field(description="Commitments counted without a figure, in all.")
    ceilings: int = Field(description='"Up to" figures inside total_usd.')
    counterparty_count: int = Field(description="Counterparties in all; `limit` may list fewer.")
    counterparties: list[CounterpartyExposure] = Field(
        description="Largest first: `limit` of them from `offset`."
    )
    look_through_count: int = Field(description="Ultimate counterparties in all (depth > 1).")
    look_through: list[LookThroughExposure] = Field(
        description="Largest first: `limit` of them from `offset`."
    )
    limit: int = Field(description="Rows of each list at most.")
    offset: int = Field(description="Rows of each list skipped.")
    rules: list[str] = Field(description="How the figures were built.")


class Cycle(BaseModel):
    entities: list[str] = Field(description="The loop in money-flow order; the first repeats.")
    commitments: list[list[str]] = Field(description="Commitment ids on each hop.")
    hop_usd: list[float | None] = Field(
        description="Each hop's disclosed amount; null for a hop with no disclosed figure."
    )
    round_trip_usd: float | None = Field(
        description="The smallest hop amount on the loop; null when a hop has no figure."
    )
    priced: bool = Field(description="Whether every hop has a disclosed figure.")
    note: str | None = Field(default=None, description="Why a figure is missing or a bound.")


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
    withdrawn: int = Field(
        default=0, description="In the files but withdrawn earlier: kept out, as withdrawn."
    )


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
    exposure_usd: float = Field(
        description="What the entity stands to lose in all (out), disclosed figures."
    )
    exposure_undisclosed: int = Field(description="Its commitments at stake without a figure.")
    exposure_ceilings: int = Field(description='"Up to" figures inside exposure_usd.')
    counterparties: int
    largest_counterparty: str | None
    largest_share: float | None = Field(
        description="Share of exposure_usd with the largest one; null without figures."
    )
    hhi: float | None = Field(
        description="Herfindahl-Hirschman index of its out-shares over disclosed figures, "
        "0..1 (1: everything with one counterparty); null without figures."
    )
    at_stake_usd: float = Field(
        description="What others stand to lose if it fails (in), disclosed figures."
    )
    at_stake_undisclosed: int = Field(description="Others' commitments at stake without a figure.")
    at_stake_ceilings: int = Field(description='"Up to" figures inside at_stake_usd.')
    exposed_entities: int = Field(description="How many entities would be hit if it failed.")


class ConcentrationReport(BaseModel):
    as_of: dt.date
    basis: ValueBasis
    sort: str
    rows: list[ConcentrationRow]
