"""How records become a property graph: labels, relationship types and properties.

The Neo4j store writes this model and the Cypher export writes the same one, so the
Browser style (neo4j/style.grass) and the saved queries (neo4j/queries/) work on both.
An entity is a node `(:Entity:<Kind>)`; a commitment is one relationship from payer to
recipient, typed by its kind; an event is an `(:Event)` node that `INVOLVES` entities.
Every element also carries its whole record as JSON in `doc`, which is what the store
reads back; the other properties are there for people writing Cypher.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.store.base import document
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import MONEY_FLOW_KINDS, CommitmentKind, EntityKind, ValueBasis
from schemas.events import Event

ENTITY_LABELS: dict[EntityKind, str] = {kind: kind.value.capitalize() for kind in EntityKind}

# Fixed vocabulary, never taken from input.
RELATIONSHIP_TYPES: dict[CommitmentKind, str] = {
    CommitmentKind.EQUITY_INVESTMENT: "INVESTS_IN",
    CommitmentKind.COMPUTE_PURCHASE: "BUYS_COMPUTE_FROM",
    CommitmentKind.CLOUD_CONTRACT: "BUYS_CLOUD_FROM",
    CommitmentKind.CHIP_SUPPLY: "BUYS_CHIPS_FROM",
    CommitmentKind.WARRANT: "HOLDS_WARRANT_IN",
    CommitmentKind.LOAN: "LENDS_TO",
    CommitmentKind.BACKSTOP: "BACKSTOPS",
    CommitmentKind.OTHER: "COMMITS_TO",
    CommitmentKind.STOCK_MERGER: "ACQUIRES_IN_STOCK",
}
KIND_OF_TYPE = {rel: kind for kind, rel in RELATIONSHIP_TYPES.items()}
EVENT_LINK = "INVOLVES"


def entity_props(entity: Entity, doc: str | None = None) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind.value,
        "sectors": entity.sectors,
        "aliases": entity.aliases,
        "country": entity.country,
        "ticker": entity.ticker,
        "doc": document(entity) if doc is None else doc,
    }


# Neo4j lists cannot hold null: a counting period without an end ends on this day.
OPEN_END = dt.date(9999, 12, 31)


def _usd(c: Commitment, basis: ValueBasis) -> float | None:
    usd = c.amount_usd(basis)
    return None if usd is None else float(usd)


def usd_label(c: Commitment) -> str:
    """The amount as a caption (Neo4j Browser's `{usd_label}`), as the explorer prints it:
    "$300B", "up to $100B", "~$20B" for an estimate, "n/d" when undisclosed."""
    usd = c.amount_usd()
    if usd is None or c.amount is None:
        return "n/d"
    scales = ((1e12, "T"), (1e9, "B"), (1e6, "M"))
    size, suffix = next(((s, x) for s, x in scales if usd >= s), (1.0, ""))
    value = float(usd) / size
    figure = f"{value:,.{0 if value >= 100 else 1 if value >= 10 else 2}f}"
    figure = figure.rstrip("0").rstrip(".") if "." in figure else figure
    prefix = "up to " if c.amount.up_to else "~" if c.amount.estimate else ""
    return f"{prefix}${figure}{suffix}"


def commitment_props(c: Commitment, doc: str | None = None) -> dict[str, Any]:
    """Plain Bolt types: the driver cannot send Decimal, so money goes as float USD, and an
    undisclosed amount as null (no property), never 0.

    `counts_from`/`counts_until` are the periods in which the commitment counts (the as_of
    rule, `Commitment.counting_intervals`), so Cypher can ask "counts on $as_of" without
    restating the rule; `part_of`, `overlap_ids` and `overlap_usd` let it count a whole's
    remainder and an overlap once, as graph/counting.py does.
    """
    intervals = c.counting_intervals() if c.kind in MONEY_FLOW_KINDS else []
    return {
        "id": c.id,
        "kind": c.kind.value,
        "usd_point": _usd(c, ValueBasis.POINT),
        "usd_low": _usd(c, ValueBasis.LOW),
        "usd_high": _usd(c, ValueBasis.HIGH),
        "usd_label": usd_label(c),
        "disclosed": c.amount is not None,
        "up_to": bool(c.amount and c.amount.up_to),
        "estimate": bool(c.amount and c.amount.estimate),
        "term_years": None if c.term_years is None else float(c.term_years),
        "capacity_gw": None if c.capacity_gw is None else float(c.capacity_gw),
        "announced": c.announced,
        "binding": c.binding,
        "status": c.status[-1].status.value,
        "status_dates": [s.date for s in c.status],
        "status_values": [s.status.value for s in c.status],
        "counts_from": [start for start, _ in intervals],
        "counts_until": [OPEN_END if end is None else end for _, end in intervals],
        "part_of": c.part_of,
        "overlap_ids": [o.commitment for o in c.overlaps],
        "overlap_usd": [float(o.usd) for o in c.overlaps],
        "source_url": c.sources[0].url,
        "doc": document(c) if doc is None else doc,
    }


def event_props(event: Event, doc: str | None = None) -> dict[str, Any]:
    return {
        "id": event.id,
        "date": event.date,
        "kind": event.kind.value,
        "title": event.title,
        "doc": document(event) if doc is None else doc,
    }
