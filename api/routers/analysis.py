"""Timeline and analysis of the whole web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SnapshotDep, TodayDep
from api.problems import responses
from graph import queries
from schemas.queries import ConcentrationQuery, CycleQuery, TimelineQuery
from schemas.results import ConcentrationReport, CycleReport, TimelineEntry
from schemas.stress import (
    CompareRequest,
    SeriesRequest,
    StressComparison,
    StressReport,
    StressRequest,
    StressSeries,
)

router = APIRouter(tags=["analysis"])


@router.get("/timeline", response_model=list[TimelineEntry], responses=responses(404, 422))
def get_timeline(
    snapshot: SnapshotDep, query: Annotated[TimelineQuery, Query()]
) -> list[TimelineEntry]:
    """Announcements, status changes and events between `since` and `until`, inclusive."""
    return queries.timeline(snapshot, query)


@router.get("/analysis/cycles", response_model=CycleReport, responses=responses(404, 422))
def get_cycles(
    snapshot: SnapshotDep, today: TodayDep, query: Annotated[CycleQuery, Query()]
) -> CycleReport:
    """Circular financing loops, largest round trip (smallest hop) first."""
    return queries.cycles(snapshot, query, today=today)


@router.get("/analysis/concentration", response_model=ConcentrationReport, responses=responses(422))
def get_concentration(
    snapshot: SnapshotDep, today: TodayDep, query: Annotated[ConcentrationQuery, Query()]
) -> ConcentrationReport:
    """Who is most depended upon (`at_stake`), most concentrated (`hhi`), most exposed."""
    return queries.concentration(snapshot, query, today=today)


@router.post("/analysis/stress", response_model=StressReport, responses=responses(422))
def post_stress(snapshot: SnapshotDep, today: TodayDep, request: StressRequest) -> StressReport:
    """A failure (`shocks`) propagated to creditors by DebtRank, differential DebtRank,
    Eisenberg-Noe clearing or a default cascade; or a withdrawal (`cuts`, model
    `pull_back`) propagated along the money. Losses in USD and relative to buffers."""
    return queries.run_stress(snapshot, request, today=today)


@router.post("/analysis/stress/compare", response_model=StressComparison, responses=responses(422))
def post_stress_compare(
    snapshot: SnapshotDep, today: TodayDep, request: CompareRequest
) -> StressComparison:
    """One scenario under several models, side by side, with what each one counts."""
    return queries.compare(snapshot, request, today=today)


@router.post("/analysis/stress/series", response_model=StressSeries, responses=responses(422))
def post_stress_series(
    snapshot: SnapshotDep, today: TodayDep, request: SeriesRequest
) -> StressSeries:
    """One scenario at the first of each month: how fragile the web was over time."""
    return queries.series(snapshot, request, today=today)
