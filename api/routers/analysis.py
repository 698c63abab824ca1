"""Timeline and analysis of the whole web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import SnapshotDep, TodayDep
from api.problems import responses
from api.spreadsheet import (
    CSV_RESPONSE,
    FORMAT_HELP,
    AnswerFormat,
    ConcentrationListing,
    CycleListing,
    answer,
)
from graph import queries
from graph.formats import tables
from schemas.queries import TimelineQuery
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


@router.get(
    "/analysis/cycles",
    response_model=CycleReport,
    responses={**responses(404, 422), **CSV_RESPONSE},
)
def get_cycles(
    request: Request,
    response: Response,
    snapshot: SnapshotDep,
    today: TodayDep,
    query: Annotated[CycleListing, Query()],
) -> CycleReport | Response:
    """Circular financing loops, largest round trip (smallest hop) first."""
    report = queries.cycles(snapshot, query, today=today)
    return answer(request, response, query.format, report, lambda: tables.cycles_table(report))


@router.get(
    "/analysis/concentration",
    response_model=ConcentrationReport,
    responses={**responses(422), **CSV_RESPONSE},
)
def get_concentration(
    request: Request,
    response: Response,
    snapshot: SnapshotDep,
    today: TodayDep,
    query: Annotated[ConcentrationListing, Query()],
) -> ConcentrationReport | Response:
    """Who is most depended upon (`at_stake`), most concentrated (`hhi`), most exposed."""
    report = queries.concentration(snapshot, query, today=today)
    return answer(
        request, response, query.format, report, lambda: tables.concentration_table(report)
    )


@router.post(
    "/analysis/stress", response_model=StressReport, responses={**responses(422), **CSV_RESPONSE}
)
def post_stress(
    request: Request,
    response: Response,
    snapshot: SnapshotDep,
    today: TodayDep,
    scenario: StressRequest,
    format: Annotated[AnswerFormat | None, Query(description=FORMAT_HELP)] = None,
) -> StressReport | Response:
    """A failure (`shocks`) propagated to creditors by DebtRank, differential DebtRank,
    Eisenberg-Noe clearing or a default cascade; or a withdrawal (`cuts`, model
    `pull_back`) propagated along the money. Losses in USD and relative to buffers.
    `format=csv`: one row per entity hit."""
    report = queries.run_stress(snapshot, scenario, today=today)
    return answer(request, response, format, report, lambda: tables.stress_table(report))


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
