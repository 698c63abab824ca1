"""The counting rules on hand-made webs: undisclosed is not zero, a whole counts only its
remainder beyond its parts, overlaps count once, a replaced commitment stops counting,
a stock merger moves no money; every answer that sums amounts follows them."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import networkx as nx
import pytest

from graph import queries
from graph.counting import counted
from graph.snapshot import Snapshot
from graph.snapshot import snapshot_of as snapshot_of_records
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import Direction
from schemas.queries import (
    ConcentrationQuery,
    CycleQuery,
    ExportFormat,
    ExportQuery,
    ExposureQuery,
)
from tests.factories import SOURCE, make_commitment, snapshot_of, snapshot_of_files
from tests.helpers import SEEDS

DAY = dt.date(2026, 3, 1)


def deal(from_: str, to: str, kind: str, usd: float | None, **extra: Any) -> Commitment:
    data: dict[str, Any] = {
        "id": extra.pop("id", f"{from_}-{to}-{kind.replace('_', '-')}"),
        "from": from_,
        "to": to,
        "kind": kind,
        "announced": extra.pop("announced", "2026-01-01"),
        "status": extra.pop("status", [{"date": "2026-01-01", "status": "signed"}]),
        "sources": [SOURCE],
        **extra,
    }
    if usd is not None:
        data["amount"] = {"usd": usd}
    return Commitment.model_validate(data)


# A $30B round from "other investors", with a named $10B part and an undisclosed one, and
# a $5B stake that overlaps the round by $2B (the same money reported twice).
ROUND = snapshot_of(
    deal("round-investors", "lab", "equity_investment", 30e9, id="round"),
    deal("bigco", "lab", "equity_investment", 10e9, id="bigco-part", part_of="round"),
    deal("quietco", "lab", "equity_investment", None, id="quiet-part", part_of="round"),
    deal("fund", "lab", "equity_investment", 5e9, id="fund-stake", overlaps=[
        {"commitment": "round", "usd": 2e9}
    ]),
)  # fmt: skip


def exposure_in(snapshot: Snapshot, entity: str, **options: Any) -> Any:
    query = ExposureQuery(**{"as_of": DAY, "direction": Direction.IN, **options})
    return queries.exposure(snapshot, entity, query, today=DAY)


def test_a_round_counts_its_remainder_its_parts_in_full_an_overlap_once() -> None:
    amounts = {c.commitment.id: c.usd for c in counted(ROUND.commitments, DAY)}
    # 30 - 10 (the named part with a figure) = 20; the undisclosed part stays unknown;
    # the fund's 5 less the 2 it shares with the round = 3.
    assert {k: None if v is None else float(v) for k, v in amounts.items()} == {
        "bigco-part": 10e9,
        "fund-stake": 3e9,
        "quiet-part": None,
        "round": 20e9,
    }
    report = exposure_in(ROUND, "lab")
    rows = {r.id: r for r in report.counterparties}
    assert {k: r.usd for k, r in rows.items()} == {
        "round-investors": 20e9,
        "bigco": 10e9,
        "fund": 3e9,
        "quietco": None,  # not disclosed: null, never 0
    }
    assert rows["quietco"].undisclosed == 1 and rows["quietco"].share is None
    assert report.total_usd == 33e9 and report.undisclosed == 1  # "at least $33B, plus 1"
    assert [r.id for r in report.counterparties][-1] == "quietco"  # n/d last
    [item] = rows["round-investors"].items
    assert item.usd == 20e9 and item.rule and "remainder" in item.rule


def test_before_the_round_counts_its_pledges_count_on_their_own() -> None:
    web = snapshot_of(
        deal("round-investors", "lab", "equity_investment", 30e9, id="round",
             announced="2026-02-01", status=[{"date": "2026-02-01", "status": "signed"}]),
        deal("bigco", "lab", "equity_investment", 10e9, id="pledge", part_of="round"),
    )  # fmt: skip
    before = {c.commitment.id: c.usd for c in counted(web.commitments, dt.date(2026, 1, 15))}
    after = {c.commitment.id: c.usd for c in counted(web.commitments, dt.date(2026, 2, 15))}
    assert before == {"pledge": 10e9}
    assert after == {"round": 20e9, "pledge": 10e9}


def test_a_replaced_commitment_stops_counting_on_its_replacements_date() -> None:
    web = snapshot_of(
        deal("chipco", "lab", "equity_investment", 100e9, id="loi",
             replaced_by={"commitment": "stake", "date": "2026-02-27"}),
        deal("chipco", "lab", "equity_investment", 30e9, id="stake", announced="2026-02-27",
             status=[{"date": "2026-02-27", "status": "signed"}]),
    )  # fmt: skip
    usd = {
        day: exposure_in(web, "lab", as_of=dt.date.fromisoformat(day)).total_usd
        for day in ("2026-02-26", "2026-02-27")
    }
    assert usd == {"2026-02-26": 100e9, "2026-02-27": 30e9}  # never 130e9


def test_a_stock_merger_is_no_money_flow() -> None:
    web = snapshot_of(
        deal("spaceco", "aico", "stock_merger", None, id="merger"),
        make_commitment("aico", "chipco", "chip_supply", 5e9),
    )
    report = exposure_in(web, "spaceco")
    assert report.counterparty_count == 0 and report.total_usd == 0
    cycles = queries.cycles(web, CycleQuery(as_of=DAY), today=DAY)
    assert cycles.cycles == []


def test_a_loop_with_an_undisclosed_hop_has_no_round_trip_and_comes_last() -> None:
    web = snapshot_of(
        make_commitment("nvidia", "openai", "equity_investment", 100e9),
        make_commitment("openai", "coreweave", "compute_purchase", 22.4e9),
        make_commitment("coreweave", "nvidia", "chip_supply", None),
        make_commitment("nvidia", "coreweave", "equity_investment", 2e9),
        make_commitment("coreweave", "openai", "other", 1e9),
    )
    report = queries.cycles(web, CycleQuery(as_of=DAY), today=DAY)
    loops = [(c.entities, c.round_trip_usd, c.priced) for c in report.cycles]
    assert loops == [
        (["coreweave", "openai", "coreweave"], 1e9, True),
        (["coreweave", "nvidia", "coreweave"], None, False),
        (["coreweave", "nvidia", "openai", "coreweave"], None, False),
    ]
    assert report.cycles[1].hop_usd == [None, 2e9]
    assert (
        report.cycles[1].note == "no round-trip figure: no disclosed amount on coreweave -> nvidia"
    )


def test_concentration_counts_the_undisclosed_beside() -> None:
    report = queries.concentration(ROUND, ConcentrationQuery(as_of=DAY), today=DAY)
    rows = {r.id: r for r in report.rows}
    assert (rows["lab"].at_stake_usd, rows["lab"].at_stake_undisclosed) == (33e9, 1)
    assert rows["quietco"].exposure_usd == 0 and rows["quietco"].exposure_undisclosed == 1
    assert rows["quietco"].hhi is None and rows["quietco"].largest_share is None
    assert rows["bigco"].hhi == 1.0


def test_exports_say_unknown_not_zero() -> None:
    node_link = queries.export(ROUND, ExportQuery(as_of=DAY), today=DAY).content
    links = {link["id"]: link for link in node_link["links"]}
    assert links["quiet-part"]["usd"] is None and links["quiet-part"]["counted_usd"] is None
    assert (links["round"]["usd"], links["round"]["counted_usd"]) == (30e9, 20e9)
    json.dumps(node_link)  # plain JSON
    graphml = queries.export(ROUND, ExportQuery(format=ExportFormat.GRAPHML, as_of=DAY), today=DAY)
    ET.fromstring(graphml.content)  # well-formed
    read = nx.read_graphml(io.StringIO(graphml.content))
    quiet = next(attrs for *_, attrs in read.edges(data=True) if attrs["id"] == "quiet-part")
    assert "usd" not in quiet and "counted_usd" not in quiet and quiet["disclosed"] is False


def test_exposure_rows_compare_with_a_year_and_with_revenue() -> None:
    """$300B over 5 years is $60B a year; against the exposed party's revenue of $57.4B."""
    revenue = {
        "metric": "revenue", "usd": 57.4e9, "as_of": "2025-05-31", "period": "FY2025",
        "source": SOURCE,
    }  # fmt: skip
    web = snapshot_of(deal("labco", "cloudco", "cloud_contract", 300e9, term_years=5))
    cloudco = Entity.model_validate(
        web.entities["cloudco"].model_dump() | {"financials": [revenue]}
    )
    labco = web.entities["labco"]
    web = snapshot_of_records([labco, cloudco], web.commitments.values())
    report = queries.exposure(web, "cloudco", ExposureQuery(as_of=DAY), today=DAY)
    [row] = report.counterparties
    assert row.items[0].usd_per_year == 60e9
    assert row.share_of_revenue == pytest.approx(300 / 57.4)
    assert row.exposed_revenue is not None and row.exposed_revenue.period == "FY2025"


# One lab's 24 cloud contracts with one provider: $1B..$22B over 2 years each, one of
# $50B with no term, one undisclosed.
MANY = snapshot_of(
    *(
        deal("labco", "cloudco", "cloud_contract", n * 1e9, id=f"c-{n:02d}", term_years=2)
        for n in range(1, 23)
    ),
    deal("labco", "cloudco", "cloud_contract", 50e9, id="c-no-term"),
    deal("labco", "cloudco", "cloud_contract", None, id="c-quiet", term_years=3),
)


def test_a_row_lists_its_largest_commitments_and_counts_them_all() -> None:
    report = queries.exposure(MANY, "cloudco", ExposureQuery(as_of=DAY), today=DAY)
    [row] = report.counterparties
    # 10 listed by default, largest first; the rest (the smaller ones and the undisclosed
    # one) are counted, not listed.
    assert row.commitments == ["c-no-term", *(f"c-{n:02d}" for n in range(22, 13, -1))]
    assert [i.commitment for i in row.items] == row.commitments
    assert (row.commitment_count, row.undisclosed, row.usd) == (24, 1, 253e9 + 50e9)
    # A year's worth over every commitment that has one, listed or not: (1 + ... + 22) / 2
    # billion; the no-term one and the undisclosed one have none.
    assert row.usd_per_year == pytest.approx(126.5e9)
    assert row.per_year_count == 22
    every = queries.exposure(MANY, "cloudco", ExposureQuery(as_of=DAY, items=1000), today=DAY)
    assert [i.commitment for i in every.counterparties[0].items][-3:] == ["c-02", "c-01", "c-quiet"]
    bare = queries.exposure(MANY, "cloudco", ExposureQuery(as_of=DAY, items=0), today=DAY)
    [bare_row] = bare.counterparties
    assert (bare_row.items, bare_row.commitment_count) == ([], 24)
    assert bare_row.usd_per_year == row.usd_per_year


def test_a_year_of_a_row_is_unknown_when_none_of_its_commitments_has_a_term() -> None:
    web = snapshot_of(
        deal("labco", "cloudco", "cloud_contract", 50e9, id="no-term"),
        deal("labco", "cloudco", "cloud_contract", None, id="quiet", term_years=3),
    )
    [row] = queries.exposure(web, "cloudco", ExposureQuery(as_of=DAY), today=DAY).counterparties
    assert (row.usd_per_year, row.per_year_count, row.commitment_count) == (None, 0, 2)


def test_counting_periods_agree_with_the_rule_on_every_seed_commitment() -> None:
    """What Neo4j Browser's saved queries read (counts_from/counts_until) is the as_of rule."""
    seeds = snapshot_of_files(SEEDS)
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=7 * i) for i in range(420)]
    for c in seeds.commitments.values():
        periods = c.counting_intervals()
        edges = [s.date for s in c.status] + ([c.replaced_by.date] if c.replaced_by else [])
        for day in days + edges + [d - dt.timedelta(days=1) for d in edges]:
            inside = any(start <= day and (end is None or day < end) for start, end in periods)
            assert c.counts_at(day) is inside, (c.id, day, periods)
