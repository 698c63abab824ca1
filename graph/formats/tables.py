"""Answers and records as tables of typed, described columns.

This is the one home of each column's name, type and meaning: the CSV writer, the data
package's `datapackage.json` and `aifg`'s `.to_pandas()` all read these tables, so a
column means the same in a spreadsheet, in Frictionless and in a notebook.

Types are Frictionless table-schema types (string, number, integer, boolean, date).
An unknown value is None (an empty CSV cell, <NA> in pandas), never 0: an undisclosed
amount stays unknown. Lists are joined with "; ", paths with " -> ".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import ValueBasis
from schemas.events import Event
from schemas.results import ConcentrationReport, CycleReport, ExposureReport, TimelineEntry
from schemas.stress import StressReport

ColumnType = Literal["string", "number", "integer", "boolean", "date"]
Cell = str | float | int | bool | dt.date | None
LIST = "; "
PATH = " -> "


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str


@dataclass(frozen=True)
class Table:
    """`rows` hold one cell per column, in column order."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _columns(*specs: tuple[str, ColumnType, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


def _float(usd: Decimal | None) -> float | None:
    return None if usd is None else float(usd)


COMMITMENT_COLUMNS = _columns(
    ("id", "string", "Commitment id."),
    ("from", "string", "Payer or investor (entity id)."),
    ("to", "string", "Recipient (entity id)."),
    ("kind", "string", "Kind of commitment, e.g. equity_investment, cloud_contract."),
    ("usd", "number", "Amount over the whole term, USD (point value); empty when undisclosed."),
    ("usd_low", "number", "Low end of the amount's range, USD; empty when undisclosed."),
    ("usd_high", "number", "High end of the amount's range, USD; empty when undisclosed."),
    ("up_to", "boolean", 'The amount is a ceiling ("up to"), not an expectation.'),
    ("estimate", "boolean", "The amount is a third party's estimate, not a disclosure."),
    ("as_written", "string", "The amount as the source wrote it."),
    ("term_years", "number", "Term in years; empty when not stated."),
    ("announced", "date", "First public report or announcement."),
    ("status", "string", "Status at the table's date (the latest status without one)."),
    ("binding", "boolean", "Whether it is legally binding; empty when sources do not say."),
    ("part_of", "string", "The whole (a round, a programme) it is a part of, if any."),
    ("source_url", "string", "The first source."),
)


def commitments_table(commitments: Iterable[Commitment], *, as_of: dt.date | None = None) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for c in commitments:
        status = c.status_at(as_of) if as_of is not None else c.status[-1].status
        rows.append(
            (
                c.id,
                c.from_,
                c.to,
                c.kind.value,
                _float(c.amount_usd()),
                _float(c.amount_usd(ValueBasis.LOW)),
                _float(c.amount_usd(ValueBasis.HIGH)),
                bool(c.amount and c.amount.up_to),
                bool(c.amount and c.amount.estimate),
                c.amount.as_written if c.amount else None,
                _float(c.term_years),
                c.announced,
                None if status is None else status.value,
                c.binding,
                c.part_of,
                c.sources[0].url,
            )
        )
    return Table("commitments", "Commitments, one row each.", COMMITMENT_COLUMNS, rows)


ENTITY_COLUMNS = _columns(
    ("id", "string", "Entity id."),
    ("name", "string", "Name."),
    ("kind", "string", "Kind of entity, e.g. company, fund, government."),
    ("sectors", "string", "Sectors, separated by '; '."),
    ("aliases", "string", "Other names in any language, separated by '; '."),
    ("country", "string", "ISO 3166-1 alpha-2 country code."),
    ("ticker", "string", "Stock ticker."),
    ("wikidata", "string", "Wikidata item id."),
    ("lei", "string", "Legal Entity Identifier."),
)


def entities_table(entities: Iterable[Entity]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            e.id,
            e.name,
            e.kind.value,
            LIST.join(e.sectors),
            LIST.join(e.aliases),
            e.country,
            e.ticker,
            e.identifiers.wikidata if e.identifiers else None,
            e.identifiers.lei if e.identifiers else None,
        )
        for e in entities
    ]
    return Table("entities", "Entities, one row each.", ENTITY_COLUMNS, rows)


EVENT_COLUMNS = _columns(
    ("id", "string", "Event id."),
    ("date", "date", "When it happened."),
    ("kind", "string", "Kind of event, e.g. market_move, report, claim."),
    ("title", "string", "What happened."),
    ("entities", "string", "Entities involved, separated by '; '."),
    ("commitments", "string", "Commitments it concerns, separated by '; '."),
    ("source_url", "string", "The first source."),
)


def events_table(events: Iterable[Event]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            e.id,
            e.date,
            e.kind.value,
            e.title,
            LIST.join(e.entities),
            LIST.join(e.commitments),
            e.sources[0].url,
        )
        for e in events
    ]
    return Table(
        "events", "Events (rulings, results, failures), one row each.", EVENT_COLUMNS, rows
    )


EXPOSURE_COLUMNS = _columns(
    ("entity", "string", "The entity asked about."),
    ("direction", "string", "out: what it stands to lose; in: who stands to lose if it fails."),
    ("as_of", "date", "The date the figures count at."),
    ("counterparty", "string", "Counterparty id."),
    ("name", "string", "Counterparty name."),
    ("usd", "number", "Exposure over disclosed figures, USD; empty when none has one."),
    ("undisclosed", "integer", "Commitments without a figure: where > 0, at least usd."),
    ("share", "number", "usd over the entity's total, 0..1; empty when usd is."),
    ("up_to", "boolean", 'usd includes an "up to" ceiling.'),
    ("estimate", "boolean", "usd includes a third party's estimate."),
    ("share_of_revenue", "number", "usd over the exposed party's latest revenue."),
    ("kinds", "string", "Kinds of its commitments, separated by '; '."),
    ("commitments", "string", "Its commitment ids, separated by '; '."),
)


def exposure_table(report: ExposureReport) -> Table:
    """One row per direct counterparty (the look-through paths stay in the JSON answer)."""
    rows: list[tuple[Cell, ...]] = [
        (
            report.entity,
            report.direction.value,
            report.as_of,
            c.id,
            c.name,
            c.usd,
            c.undisclosed,
            c.share,
            c.up_to,
            c.estimate,
            c.share_of_revenue,
            LIST.join(k.value for k in c.kinds),
            LIST.join(c.commitments),
        )
        for c in report.counterparties
    ]
    return Table("exposure", "Exposure per counterparty, largest first.", EXPOSURE_COLUMNS, rows)


CYCLE_COLUMNS = _columns(
    ("rank", "integer", "1: the largest round trip."),
    ("as_of", "date", "The date the loop counts at."),
    ("loop", "string", "Entity ids in money-flow order, joined by ' -> '; the first repeats."),
    ("hops", "integer", "Number of hops."),
    ("round_trip_usd", "number", "Smallest hop amount, USD; empty when a hop has no figure."),
    ("priced", "boolean", "Whether every hop has a disclosed figure."),
    ("hop_usd", "string", "Each hop's disclosed amount, USD, separated by '; ' (empty: none)."),
    ("commitments", "string", "Commitment ids per hop, hops separated by '; ', ids by ','."),
    ("note", "string", "Why a figure is missing or a bound."),
)


def cycles_table(report: CycleReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            rank,
            report.as_of,
            PATH.join(c.entities),
            len(c.entities) - 1,
            c.round_trip_usd,
            c.priced,
            LIST.join("" if usd is None else repr(usd) for usd in c.hop_usd),
            LIST.join(",".join(hop) for hop in c.commitments),
            c.note,
        )
        for rank, c in enumerate(report.cycles, start=1)
    ]
    return Table("cycles", "Circular financing loops, largest first.", CYCLE_COLUMNS, rows)


CONCENTRATION_COLUMNS = _columns(
    ("id", "string", "Entity id."),
    ("name", "string", "Entity name."),
    ("as_of", "date", "The date the figures count at."),
    ("at_stake_usd", "number", "What others stand to lose if it fails, disclosed figures, USD."),
    ("at_stake_undisclosed", "integer", "Others' commitments at stake without a figure."),
    ("exposed_entities", "integer", "How many entities would be hit if it failed."),
    ("exposure_usd", "number", "What it stands to lose in all, disclosed figures, USD."),
    ("exposure_undisclosed", "integer", "Its commitments at stake without a figure."),
    ("counterparties", "integer", "Counterparties it is exposed to."),
    ("largest_counterparty", "string", "Its largest counterparty."),
    ("largest_share", "number", "That one's share of its exposure, 0..1."),
    ("hhi", "number", "Herfindahl-Hirschman index of its exposure shares, 0..1."),
)


def concentration_table(report: ConcentrationReport) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            r.id,
            r.name,
            report.as_of,
            r.at_stake_usd,
            r.at_stake_undisclosed,
            r.exposed_entities,
            r.exposure_usd,
            r.exposure_undisclosed,
            r.counterparties,
            r.largest_counterparty,
            r.largest_share,
            r.hhi,
        )
        for r in report.rows
    ]
    return Table(
        "concentration", "Who is most depended upon or concentrated.", CONCENTRATION_COLUMNS, rows
    )


STRESS_COLUMNS = _columns(
    ("id", "string", "Entity id."),
    ("name", "string", "Entity name."),
    ("model", "string", "The stress model."),
    ("as_of", "date", "The date of the network."),
    ("loss_usd", "number", "Its loss (pull-back: lost inflow), USD."),
    ("distress", "number", "Loss relative to its buffer, 0..1."),
    ("buffer_usd", "number", "The buffer used, USD; empty when none was known."),
    ("buffer_rule", "string", "`financials`, or the rule applied when none was known."),
    ("round", "integer", "Round in which it was first hit; empty if never."),
    ("defaulted", "boolean", "Judged to default; empty when not judged (rule buffer)."),
    ("verdict", "string", "defaulted, not defaulted, or not judged."),
)


def stress_table(report: StressReport) -> Table:
    """One row per entity hit, most distressed first (the pull-back's lost inflows are its
    losses, so the same columns hold either kind of scenario)."""
    rows: list[tuple[Cell, ...]] = [
        (
            e.id,
            e.name,
            report.model.value,
            report.as_of,
            e.loss_usd,
            e.distress,
            e.buffer_usd,
            e.buffer_rule,
            e.round,
            e.defaulted,
            e.verdict,
        )
        for e in report.entities
    ]
    return Table("stress", "Entities hit, most distressed first.", STRESS_COLUMNS, rows)


TIMELINE_COLUMNS = _columns(
    ("date", "date", "When."),
    ("type", "string", "`status_change` (the first is the announcement) or `event`."),
    ("commitment", "string", "Commitment id, for a status change."),
    ("event", "string", "Event id, for an event."),
    ("from", "string", "Payer or investor."),
    ("to", "string", "Recipient."),
    ("kind", "string", "Kind of commitment."),
    ("old_status", "string", "Status before."),
    ("new_status", "string", "Status after."),
    ("title", "string", "What happened."),
    ("source_url", "string", "Source."),
)


def timeline_table(entries: Sequence[TimelineEntry]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            e.date,
            e.type,
            e.commitment,
            e.event,
            e.from_,
            e.to,
            e.kind,
            None if e.old_status is None else e.old_status.value,
            None if e.new_status is None else e.new_status.value,
            e.title,
            e.source_url,
        )
        for e in entries
    ]
    return Table("timeline", "Announcements, status changes and events.", TIMELINE_COLUMNS, rows)


STATUS_COLUMNS = _columns(
    ("commitment", "string", "Commitment id."),
    ("date", "date", "When the status changed."),
    ("status", "string", "The new status (the first row of a commitment: as announced)."),
    ("source_url", "string", "The source of the change, if it has its own."),
    ("note", "string", "A note on the change."),
)


def status_table(commitments: Iterable[Commitment]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (c.id, change.date, change.status.value, change.source.url if change.source else None,
         change.note)
        for c in commitments
        for change in c.status
    ]  # fmt: skip
    return Table("status", "Each commitment's dated status changes.", STATUS_COLUMNS, rows)


FINANCIAL_COLUMNS = _columns(
    ("entity", "string", "Entity id."),
    ("metric", "string", "e.g. equity, market_cap, revenue (the stress models' buffers)."),
    ("usd", "number", "The figure, USD."),
    ("as_of", "date", "The date it describes (period end or quote date)."),
    ("period", "string", "What it covers, e.g. FY2025."),
    ("source_url", "string", "Its source."),
)


def financials_table(entities: Iterable[Entity]) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (e.id, f.metric.value, float(f.usd), f.as_of, f.period, f.source.url)
        for e in entities
        for f in e.financials
    ]
    return Table("financials", "Dated, sourced figures about entities.", FINANCIAL_COLUMNS, rows)
