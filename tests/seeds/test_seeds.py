"""The seed data is data under test: it loads, resolves, is sourced, and says what the
source article says (and what became of it)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal

import pytest

from graph import queries
from graph.counting import counted
from graph.imports import validate_paths
from graph.load import LoadedFile, yaml_files
from graph.snapshot import Snapshot, snapshot_of
from graph.validate import merge
from schemas import (
    Commitment,
    CommitmentKind,
    Direction,
    FinancialMetric,
    SourceKind,
    Status,
    ValueBasis,
)
from schemas.dataset import dataset_json_schema
from schemas.queries import CycleQuery, EntityQuery, ExposureQuery
from tests.helpers import SEEDS

BEFORE_PAUSE = dt.date(2026, 1, 29)
AFTER_PAUSE = dt.date(2026, 1, 31)
TODAY = dt.date(2026, 11, 25)
B = Decimal("1e9")

pytestmark = pytest.mark.skipif(
    not any(yaml_files([SEEDS])), reason="seeds/ holds no dataset files yet"
)


@pytest.fixture(scope="module")
def files() -> list[LoadedFile]:
    return validate_paths([SEEDS], None, max_bytes=2**25)


@pytest.fixture(scope="module")
def seeds(files: list[LoadedFile]) -> Snapshot:
    data = merge(files)
    return snapshot_of(data.entities, data.commitments, data.events)


def between(
    seeds: Snapshot, a: str, b: str, kind: CommitmentKind | None = None
) -> list[Commitment]:
    return [
        c
        for c in seeds.commitments.values()
        if c.from_ == a and c.to == b and (kind is None or c.kind is kind)
    ]


def test_size(seeds: Snapshot) -> None:
    assert len(seeds.commitments) >= 80
    assert len(seeds.entities) >= 40


def test_json_schema_is_current() -> None:
    committed = json.loads((SEEDS / "dataset.schema.json").read_text(encoding="utf-8"))
    assert committed == dataset_json_schema(), "run: aifg schema -o seeds/dataset.schema.json"


def test_every_file_has_the_editor_schema_header() -> None:
    for path in yaml_files([SEEDS]):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = first.split("$schema=", 1)[1].strip()
        assert (path.parent / target).resolve() == (SEEDS / "dataset.schema.json").resolve(), path


def test_the_curation_readme_lists_every_file() -> None:
    """seeds/README.md's list of files is the folder's, no more and no less."""
    text = (SEEDS / "README.md").read_text(encoding="utf-8")
    listing = text.split("```\n", 2)[1]
    listed = {line.split()[0] for line in listing.splitlines() if line.strip()}
    present = {path.relative_to(SEEDS).as_posix() for path in yaml_files([SEEDS])}
    assert listed == present


def sources_of(seeds: Snapshot) -> Iterator[tuple[str, str]]:
    for c in seeds.commitments.values():
        for s in c.sources:
            yield c.id, s.url
        for change in c.status[1:]:
            assert change.source is not None, f"{c.id}: status change {change.date} has no source"
            yield c.id, change.source.url
    for e in seeds.entities.values():
        for f in e.financials:
            for s in (f.source, *f.other_sources):
                yield e.id, s.url
    for ev in seeds.events.values():
        for s in ev.sources:
            yield ev.id, s.url


def test_every_figure_and_change_has_a_real_source(seeds: Snapshot) -> None:
    for owner, url in sources_of(seeds):
        assert url.startswith(("https://", "http://")), owner
        assert "example.com" not in url and "..." not in url, f"{owner}: placeholder URL {url}"


def test_big_entities_have_dated_buffers(seeds: Snapshot) -> None:
    for entity_id in ("nvidia", "microsoft", "oracle", "amazon", "amd", "coreweave", "openai"):
        metrics = {f.metric for f in seeds.entities[entity_id].financials}
        assert metrics & {
            FinancialMetric.EQUITY,
            FinancialMetric.MARKET_CAP,
            FinancialMetric.VALUATION,
            FinancialMetric.REVENUE,
        }, entity_id


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("英偉達", "nvidia"),
        ("微軟", "microsoft"),
        ("甲骨文", "oracle"),
        ("亞馬遜", "amazon"),
        ("nvidia", "nvidia"),
        ("AWS", "amazon"),
    ],
)
def test_article_names_find_the_entities(seeds: Snapshot, query: str, entity: str) -> None:
    assert entity in [e.id for e in queries.search_entities(seeds, EntityQuery(q=query)).items]


def test_nvidia_openai_letter_of_intent(seeds: Snapshot) -> None:
    (loi,) = [
        c
        for c in between(seeds, "nvidia", "openai")
        if c.amount and c.amount.up_to and c.total_usd() == 100 * B
    ]
    assert loi.binding is False
    assert loi.announced == dt.date(2025, 9, 22)
    assert loi.capacity_gw is not None and loi.capacity_gw >= 10
    assert loi.status_at(BEFORE_PAUSE) in (Status.ANNOUNCED, Status.SIGNED)
    assert loi.status_at(dt.date(2026, 1, 30)) is Status.PAUSED
    assert loi.counts_at(BEFORE_PAUSE) and not loi.counts_at(AFTER_PAUSE)


@pytest.mark.parametrize(
    ("to", "usd", "term"),
    [("microsoft", 250, None), ("amazon", 38, 7), ("oracle", 300, 5)],
)
def test_openai_cloud_commitments(seeds: Snapshot, to: str, usd: int, term: int | None) -> None:
    deals = [c for c in between(seeds, "openai", to) if c.total_usd() == usd * B]
    assert deals, f"no ${usd}B OpenAI -> {to} commitment"
    if term is not None:
        assert any(c.term_years == term for c in deals)


def test_openai_coreweave_contracts_add_to_22_4_billion(seeds: Snapshot) -> None:
    contracts = between(seeds, "openai", "coreweave", CommitmentKind.COMPUTE_PURCHASE)
    assert sum(c.total_usd() for c in contracts) == Decimal("22.4") * B


def test_openai_amd_supply_and_warrant(seeds: Snapshot) -> None:
    supply = between(seeds, "openai", "amd", CommitmentKind.CHIP_SUPPLY)
    assert any(c.capacity_gw == 6 for c in supply)
    assert between(seeds, "openai", "amd", CommitmentKind.WARRANT)
    article = [s for c in supply for s in c.sources if s.kind is SourceKind.ARTICLE]
    assert article, "the article's 'up to $300B' is recorded as the article's claim"
    # AMD disclosed no dollar figure: the amount is an analyst's estimate, flagged as one.
    (deal,) = (c for c in supply if c.id == "openai-amd-2025")
    assert deal.amount is not None and deal.amount.estimate
    assert deal.amount.as_written and "Bank of America" in deal.amount.as_written
    assert any(s.kind is SourceKind.ANALYST for s in deal.sources)


def test_the_circle_nvidia_coreweave_openai(seeds: Snapshot) -> None:
    assert between(seeds, "nvidia", "coreweave", CommitmentKind.EQUITY_INVESTMENT)
    assert between(seeds, "coreweave", "nvidia", CommitmentKind.CHIP_SUPPLY)
    query = CycleQuery(as_of=BEFORE_PAUSE, entity="nvidia", max_length=3, limit=1000)
    loops = queries.cycles(seeds, query, today=TODAY)
    assert ["nvidia", "openai", "coreweave", "nvidia"] in [c.entities for c in loops.cycles]


def test_the_2026_round(seeds: Snapshot) -> None:
    announced = dt.date(2026, 2, 27)
    for investor, usd in (("amazon", 50), ("nvidia", 30), ("softbank", 30)):
        round_deals = [
            c
            for c in between(seeds, investor, "openai", CommitmentKind.EQUITY_INVESTMENT)
            if any(s.date == announced for s in c.status)
        ]
        assert round_deals, investor
        assert sum(c.total_usd(ValueBasis.HIGH) for c in round_deals) == usd * B, investor
    proposed = [
        c
        for c in seeds.commitments.values()
        if c.to == "openai" and c.status_at(BEFORE_PAUSE) is Status.PROPOSED
    ]
    assert proposed, "the round in talks when the article was written"


def test_market_context_events(seeds: Snapshot) -> None:
    on_the_day = [e for e in seeds.events.values() if e.date == dt.date(2026, 1, 30)]
    assert any("silver" in e.title.lower() for e in on_the_day)
    claims = [e for e in seeds.events.values() if e.claimed_by and e.disputed_by]
    assert any("DRAM" in e.title or "memory" in e.title.lower() for e in claims)


def test_three_dates_three_webs(seeds: Snapshot) -> None:
    exposed = {
        day: {
            c.id
            for c in queries.exposure(
                seeds, "openai", ExposureQuery(as_of=day, direction=Direction.IN), today=TODAY
            ).counterparties
        }
        for day in (BEFORE_PAUSE, AFTER_PAUSE, TODAY)
    }
    assert "nvidia" in exposed[BEFORE_PAUSE]
    live = {
        day: {c.commitment.id for c in counted(seeds.commitments, day)}
        for day in (BEFORE_PAUSE, AFTER_PAUSE, TODAY)
    }
    assert live[BEFORE_PAUSE] != live[AFTER_PAUSE] != live[TODAY]


def test_oracle_is_most_exposed_to_openai(seeds: Snapshot) -> None:
    report = queries.exposure(seeds, "oracle", ExposureQuery(as_of=BEFORE_PAUSE), today=TODAY)
    assert report.counterparties[0].id == "openai"
    assert report.counterparties[0].usd >= 300e9


# --- the same money counted once (the semantics issue's three seed cases) ------------------


def counted_usd(seeds: Snapshot, day: dt.date) -> dict[str, Decimal | None]:
    return {c.commitment.id: c.usd for c in counted(seeds.commitments, day)}


def test_anthropics_series_g_counts_once_with_its_pledges(seeds: Snapshot) -> None:
    """Microsoft's and Nvidia's November pledges (up to $5B and $10B) are inside the $30B
    Series G: once it counts, the round counts only what its named parts leave."""
    day = dt.date(2026, 3, 1)
    amounts = counted_usd(seeds, day)
    whole = seeds.commitments["anthropic-series-g-2026"]
    parts = [c for c in seeds.commitments.values() if c.part_of == whole.id]
    assert {"microsoft-anthropic-2025", "nvidia-anthropic-2025"} <= {c.id for c in parts}
    named = sum((c.total_usd() for c in parts if c.amount and c.id in amounts), Decimal(0))
    assert named <= whole.total_usd()
    together = sum((amounts[c.id] or Decimal(0) for c in parts if c.id in amounts), Decimal(0))
    assert amounts[whole.id] + together == whole.total_usd()  # $30B, not $30B + $15B


def test_nvidias_letter_of_intent_gives_way_to_its_30b_stake(seeds: Snapshot) -> None:
    loi = seeds.commitments["nvidia-openai-loi-2025"]
    assert loi.replaced_by is not None and loi.replaced_by.commitment == "nvidia-openai-equity-2026"
    later = loi.replaced_by.date + dt.timedelta(days=30)
    query = ExposureQuery(as_of=later, direction=Direction.IN)
    report = queries.exposure(seeds, "openai", query, today=TODAY)
    nvidia = next(r for r in report.counterparties if r.id == "nvidia")
    assert "nvidia-openai-loi-2025" not in nvidia.commitments  # never $100B + $30B


def test_blue_owls_hyperion_cash_overlaps_the_pimco_bonds_once(seeds: Snapshot) -> None:
    day = dt.date(2026, 1, 29)
    stake = seeds.commitments["blue-owl-hyperion-jv-2025"]
    [overlap] = stake.overlaps
    assert overlap.commitment == "pimco-hyperion-jv-bonds-2025"
    assert counted_usd(seeds, day)[stake.id] == stake.total_usd() - overlap.usd  # 7 - 4.5


def test_the_spacex_xai_merger_moves_no_money(seeds: Snapshot) -> None:
    merger = seeds.commitments["spacex-xai-merger-2026"]
    assert merger.kind is CommitmentKind.STOCK_MERGER and merger.amount is None
    day = dt.date(2026, 11, 30)
    assert merger.id not in counted_usd(seeds, day)
    report = queries.exposure(seeds, "spacex", ExposureQuery(as_of=day), today=TODAY)
    assert all(merger.id not in r.commitments for r in report.counterparties)


def test_oracles_look_through_to_amd_is_bounded_by_openais_stake(seeds: Snapshot) -> None:
    """Oracle -> OpenAI -> AMD carries Oracle's share of all that is at stake in OpenAI
    times OpenAI's stake in AMD: never the $293B the first definition printed."""
    day = BEFORE_PAUSE
    oracle = queries.exposure(seeds, "oracle", ExposureQuery(as_of=day, depth=2), today=TODAY)
    at_stake_in_openai = queries.exposure(
        seeds, "openai", ExposureQuery(as_of=day, direction=Direction.IN), today=TODAY
    ).total_usd
    openai = queries.exposure(seeds, "openai", ExposureQuery(as_of=day), today=TODAY)
    amd_stake = next(r.usd for r in openai.counterparties if r.id == "amd")
    oracle_in_openai = oracle.counterparties[0]
    assert oracle_in_openai.id == "openai" and oracle_in_openai.usd == 300e9
    assert at_stake_in_openai and amd_stake
    via = next(r for r in oracle.look_through if r.id == "amd")
    assert via.paths[0].path == ["oracle", "openai", "amd"]
    assert via.paths[0].usd == pytest.approx(300e9 / at_stake_in_openai * amd_stake)
    assert via.usd <= amd_stake  # 11.5B of OpenAI's 34B
    for row in oracle.look_through:
        for path in row.paths:
            assert path.usd <= oracle_in_openai.usd
