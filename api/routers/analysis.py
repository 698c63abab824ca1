"""Timeline and analysis of the whole web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import SourceDep, TodayDep, WorkDep
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


@router.get("/timeline", response_model=list[TimelineEntry], responses=responses(404, 422, 503))
async def get_timeline(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    query: Annotated[TimelineQuery, Query()],
) -> Response:
    """Announcements, status changes and events between `since` and `until`, inclusive."""
    return await work.answer(http, source, queries.timeline, query)


@router.get("/analysis/cycles", response_model=CycleReport, responses=responses(404, 422, 503))
async def get_cycles(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    query: Annotated[CycleQuery, Query()],
) -> Response:
    """Circular financing loops, largest round trip (smallest hop) first."""
    return await work.answer(http, source, queries.cycles, query, today=today)


@router.get(
    "/analysis/concentration", response_model=ConcentrationReport, responses=responses(422, 503)
)
async def get_concentration(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    query: Annotated[ConcentrationQuery, Query()],
) -> Response:
    """Who is most depended upon (`at_stake`), most concentrated (`hhi`), most exposed."""
    return await work.answer(http, source, queries.concentration, query, today=today)


@router.post("/analysis/stress", response_model=StressReport, responses=responses(422, 503))
async def post_stress(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    request: StressRequest,
) -> Response:
    """A failure (`shocks`) propagated to creditors by DebtRank, differential DebtRank,
    Eisenberg-Noe clearing or a default cascade; or a withdrawal (`cuts`, model
    `pull_back`) propagated along the money. Losses in USD and relative to buffers."""
    return await work.answer(http, source, queries.run_stress, request, today=today)


@router.post(
    "/analysis/stress/compare", response_model=StressComparison, responses=responses(422, 503)
)
async def post_stress_compare(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    request: CompareRequest,
) -> Response:
    """One scenario under several models, side by side, with what each one counts."""
    return await work.answer(http, source, queries.compare, request, today=today)


@router.post("/analysis/stress/series", response_model=StressSeries, responses=responses(422, 503))
async def post_stress_series(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    request: SeriesRequest,
) -> Response:
    """One scenario at the first of each month: how fragile the web was over time."""
    return await work.answer(http, source, queries.series, request, today=today)
