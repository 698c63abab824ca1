"""Timeline and analysis of the whole web."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import IsoDate, StoreDep
from api.problems import responses
from graph.analysis.concentration import ConcentrationSort, concentration
from graph.analysis.stress import run_stress
from schemas.enums import ValueBasis
from schemas.results import ConcentrationReport, CycleReport, TimelineEntry
from schemas.stress import StressReport, StressRequest

router = APIRouter(tags=["analysis"])


@router.get("/timeline", response_model=list[TimelineEntry], responses=responses(404, 422))
def get_timeline(
    store: StoreDep,
    since: IsoDate = None,
    until: IsoDate = None,
    entity: Annotated[str | None, Query(max_length=200)] = None,
) -> list[TimelineEntry]:
    """Announcements, status changes and events between `since` and `until`, inclusive."""
    return store.timeline(since=since, until=until, entity=entity)


@router.get("/analysis/cycles", response_model=CycleReport, responses=responses(404, 422))
def get_cycles(
    store: StoreDep,
    entity: Annotated[str | None, Query(max_length=200)] = None,
    max_length: Annotated[int, Query(ge=2, le=10)] = 6,
    as_of: IsoDate = None,
    basis: ValueBasis = ValueBasis.POINT,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> CycleReport:
    """Circular financing loops, largest round trip (smallest hop) first."""
    return store.cycles(
        as_of=as_of or dt.date.today(),
        basis=basis,
        max_length=max_length,
        entity=entity,
        limit=limit,
    )


@router.get("/analysis/concentration", response_model=ConcentrationReport, responses=responses(422))
def get_concentration(
    store: StoreDep,
    as_of: IsoDate = None,
    basis: ValueBasis = ValueBasis.POINT,
    sort: ConcentrationSort = ConcentrationSort.MOST_DEPENDED_UPON,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> ConcentrationReport:
    """Who is most depended upon (`at_stake`), most concentrated (`hhi`), most exposed."""
    return concentration(
        store.snapshot(), as_of=as_of or dt.date.today(), basis=basis, sort=sort, limit=limit
    )


@router.post("/analysis/stress", response_model=StressReport, responses=responses(422))
def post_stress(store: StoreDep, request: StressRequest) -> StressReport:
    """Propagate shocks through the exposure network by DebtRank, differential DebtRank,
    Eisenberg-Noe clearing or a default cascade; losses in USD and relative to buffers."""
    return run_stress(store.snapshot(), request, today=dt.date.today())
