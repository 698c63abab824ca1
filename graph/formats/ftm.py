"""FollowTheMoney entities (the model of OpenSanctions and Aleph) as JSON lines, so the
web loads into the tools journalists already use (`ftm` on the command line, Aleph,
yente, nomenklatura).

One entity a line: {"id", "schema", "properties": {name: [values]}}, values as FtM's own
types write them (dates ISO 8601, countries lower-case ISO 3166-1, amounts as decimal
text). Ids are ours with an `aifg-` prefix, so they do not collide with other datasets.

Entities: company -> Company; fund, project -> Organization; government -> PublicBody;
commodity (a market, not a party) -> LegalEntity, FtM's most general party.
Commitments, each the link FtM has for it: equity_investment, warrant -> Ownership
(owner: the investor, asset: the company; sharesValue/sharesCurrency the amount);
loan, backstop -> Debt (creditor: the lender, debtor: the borrower); compute_purchase,
cloud_contract, chip_supply, other -> Payment (payer, beneficiary); stock_merger ->
UnknownLink (subject: the acquirer, role "stock merger"). An undisclosed amount is no
amount property at all (FtM has no null), never 0. Events -> Event (involved parties).
The FtM schema is checked by tests with the `followthemoney` library (the `formats`
extra); writing the lines needs nothing but the standard library.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from graph.formats.network import known_at
from graph.snapshot import Snapshot
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import CommitmentKind, EntityKind
from schemas.events import Event

MEDIA_TYPE = "application/x-ndjson"
PREFIX = "aifg-"
Properties = dict[str, list[str]]

ENTITY_SCHEMA = {
    EntityKind.COMPANY: "Company",
    EntityKind.FUND: "Organization",
    EntityKind.PROJECT: "Organization",
    EntityKind.GOVERNMENT: "PublicBody",
    EntityKind.COMMODITY: "LegalEntity",
}
# (schema, the property naming the paying or investing side, the receiving side).
LINK_SCHEMA = {
    CommitmentKind.EQUITY_INVESTMENT: ("Ownership", "owner", "asset"),
    CommitmentKind.WARRANT: ("Ownership", "owner", "asset"),
    CommitmentKind.LOAN: ("Debt", "creditor", "debtor"),
    CommitmentKind.BACKSTOP: ("Debt", "creditor", "debtor"),
    CommitmentKind.COMPUTE_PURCHASE: ("Payment", "payer", "beneficiary"),
    CommitmentKind.CLOUD_CONTRACT: ("Payment", "payer", "beneficiary"),
    CommitmentKind.CHIP_SUPPLY: ("Payment", "payer", "beneficiary"),
    CommitmentKind.OTHER: ("Payment", "payer", "beneficiary"),
    CommitmentKind.STOCK_MERGER: ("UnknownLink", "subject", "object"),
}


def ftm_id(record_id: str) -> str:
    return PREFIX + record_id


def _amount(usd: Decimal) -> str:
    return format(usd.normalize(), "f")


def _props(**values: list[str | None]) -> Properties:
    """Only the properties that have a value: FtM has no null."""
    kept = {name: [v for v in items if v] for name, items in values.items()}
    return {name: [str(v) for v in items] for name, items in kept.items() if items}


def entity_line(entity: Entity) -> dict[str, object]:
    ids = entity.identifiers
    props = _props(
        name=[entity.name],
        alias=list(entity.aliases),
        country=[entity.country.lower() if entity.country else None],
        sector=list(entity.sectors),
        notes=[entity.notes],
    )
    if ENTITY_SCHEMA[entity.kind] == "Company":
        props.update(
            _props(
                ticker=[entity.ticker],
                wikidataId=[ids.wikidata if ids else None],
                leiCode=[ids.lei if ids else None],
                cikCode=[ids.cik if ids else None],
            )
        )
    elif ids is not None:
        props.update(_props(wikidataId=[ids.wikidata], leiCode=[ids.lei]))
    return {"id": ftm_id(entity.id), "schema": ENTITY_SCHEMA[entity.kind], "properties": props}


def commitment_line(commitment: Commitment, as_of: dt.date) -> dict[str, object]:
    schema, payer, receiver = LINK_SCHEMA[commitment.kind]
    status = commitment.status[-1].status.value
    amount = commitment.amount_usd()
    marks = ""
    if commitment.amount is not None:
        marks = ("up to " if commitment.amount.up_to else "") + (
            "estimated " if commitment.amount.estimate else ""
        )
    figure = "amount not disclosed" if amount is None else f"{marks}USD {_amount(amount)}"
    intervals = [(s, e) for s, e in commitment.counting_intervals() if s <= as_of]
    parties: dict[str, list[str | None]] = {
        payer: [ftm_id(commitment.from_)],
        receiver: [ftm_id(commitment.to)],
    }
    props = _props(
        **parties,
        date=[commitment.announced.isoformat()],
        startDate=[intervals[0][0].isoformat() if intervals else None],
        endDate=[_iso(intervals[-1][1]) if intervals else None],
        summary=[f"{commitment.kind.value.replace('_', ' ')}, {status} at {as_of}: {figure}"],
        description=[commitment.notes],
        sourceUrl=[s.url for s in commitment.sources],
        recordId=[commitment.id],
    )
    if amount is not None:
        if schema == "Ownership":
            props.update(sharesValue=[_amount(amount)], sharesCurrency=["USD"])
        elif schema in ("Debt", "Payment"):
            props.update(amountUsd=[_amount(amount)], amount=[_amount(amount)], currency=["USD"])
    if schema == "Ownership":
        props["ownershipType"] = [commitment.kind.value.replace("_", " ")]
        props["status"] = [status]
    elif schema == "Payment":
        props["purpose"] = [commitment.kind.value.replace("_", " ")]
    elif schema == "UnknownLink":
        props["role"] = ["stock merger"]
        props["status"] = [status]
    return {"id": ftm_id(commitment.id), "schema": schema, "properties": props}


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def event_line(event: Event) -> dict[str, object]:
    props = _props(
        name=[event.title],
        date=[event.date.isoformat()],
        involved=[ftm_id(e) for e in event.entities],
        summary=[event.kind.value.replace("_", " ")],
        notes=[event.notes],
        sourceUrl=[s.url for s in event.sources],
        recordId=[event.id],
    )
    return {"id": ftm_id(event.id), "schema": "Event", "properties": props}


def to_ftm(snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False) -> str:
    """Every entity, the commitments known at `as_of` (as the other exports), the events
    up to `as_of`: one JSON object a line."""
    lines = [entity_line(e) for e in snapshot.entities.values()]
    lines += [commitment_line(c, as_of) for c in known_at(snapshot, as_of, live_only)]
    lines += [event_line(e) for e in snapshot.events.values() if e.date <= as_of]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
