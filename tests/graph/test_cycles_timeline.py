"""Circular financing loops and the timeline, on hand-made webs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from graph import queries
from graph.snapshot import Snapshot
from schemas.queries import CycleQuery, TimelineQuery
from schemas.results import CycleReport, TimelineEntry
from tests.factories import make_commitment, snapshot_of

DAY = dt.date(2025, 6, 1)


def find_cycles(snapshot: Snapshot, scan_limit: int = 100_000, **options: Any) -> CycleReport:
    return queries.cycles(snapshot, CycleQuery(**options), today=DAY, scan_limit=scan_limit)


def timeline(snapshot: Snapshot, **options: Any) -> list[TimelineEntry]:
    return queries.timeline(snapshot, TimelineQuery(**options))


# Nvidia invests in OpenAI, OpenAI buys from CoreWeave, CoreWeave buys Nvidia GPUs.
ARTICLE_LOOP = snapshot_of(
    make_commitment("nvidia", "openai", "equity_investment", 100),
    make_commitment("openai", "coreweave", "compute_purchase", 22.4),
    make_commitment("coreweave", "nvidia", "chip_supply", 7.5),
    make_commitment("openai", "oracle", "cloud_contract", 300),
    make_commitment("nvidia", "coreweave", "equity_investment", 2),
)


def test_the_article_loop_with_its_round_trip() -> None:
    report = find_cycles(ARTICLE_LOOP, as_of=DAY)
    loops = {tuple(c.entities): c.round_trip_usd for c in report.cycles}
    assert loops == {
        ("coreweave", "nvidia", "openai", "coreweave"): 7.5,
        ("coreweave", "nvidia", "coreweave"): 2,
    }
    assert report.cycles[0].round_trip_usd == 7.5  # largest first
    assert report.cycles[0].hop_usd == [7.5, 100, 22.4]


def test_cycles_through_an_entity_start_there() -> None:
    report = find_cycles(ARTICLE_LOOP, as_of=DAY, entity="openai")
    assert [c.entities for c in report.cycles] == [["openai", "coreweave", "nvidia", "openai"]]


def test_length_bound_and_limit() -> None:
    assert [len(c.entities) for c in find_cycles(ARTICLE_LOOP, as_of=DAY, max_length=2).cycles] == [
        3
    ]
    limited = find_cycles(ARTICLE_LOOP, as_of=DAY, limit=1)
    assert len(limited.cycles) == 1 and limited.truncated
    with pytest.raises(ValidationError, match="max_length"):
        find_cycles(ARTICLE_LOOP, as_of=DAY, max_length=1)


def test_a_dense_graph_answers_truncated_instead_of_hanging() -> None:
    nodes = [f"n{i}" for i in range(12)]
    dense = snapshot_of(*(make_commitment(a, b, "loan", 1) for a in nodes for b in nodes if a != b))
    report = find_cycles(dense, as_of=DAY, max_length=6, limit=10, scan_limit=5_000)
    assert report.truncated and len(report.cycles) == 10


def test_timeline_orders_changes_and_names_old_and_new_status() -> None:
    snap = snapshot_of(
        make_commitment(
            "nvidia",
            "openai",
            "equity_investment",
            100,
            announced="2025-09-22",
            status=[("2025-09-22", "announced"), ("2026-01-30", "paused")],
        ),
        make_commitment(
            "openai",
            "amd",
            "chip_supply",
            None,
            announced="2025-10-06",
            status=[("2025-10-06", "signed")],
        ),
    )
    entries = timeline(snap, since=dt.date(2025, 9, 1))
    assert [(e.date.isoformat(), e.commitment, e.old_status, e.new_status) for e in entries] == [
        ("2025-09-22", "nvidia-openai-equity-investment", None, "announced"),
        ("2025-10-06", "openai-amd-chip-supply", None, "signed"),
        ("2026-01-30", "nvidia-openai-equity-investment", "announced", "paused"),
    ]
    on_the_day = timeline(snap, since=dt.date(2026, 1, 30), until=dt.date(2026, 1, 30))
    assert [e.new_status for e in on_the_day] == ["paused"]
    assert timeline(snap, entity="amd")[0].commitment == "openai-amd-chip-supply"
