"""Entities: search, detail, and exposure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.deps import SnapshotDep, SourceDep, TodayDep, WorkDep
from api.problems import responses
from graph import queries
from schemas.api import EntityDetail, EntityPage
from schemas.queries import MAX_ID, EntityQuery, ExposureQuery
from schemas.results import ExposureReport

router = APIRouter(tags=["entities"])
EntityId = Annotated[str, Path(description="Entity id, e.g. `openai`.", max_length=MAX_ID)]


@router.get("/entities", response_model=EntityPage, responses=responses(422))
def list_entities(snapshot: SnapshotDep, query: Annotated[EntityQuery, Query()]) -> EntityPage:
    """Entities whose id, name or an alias (any script: 英偉達 finds Nvidia) contains `q`."""
    return queries.search_entities(snapshot, query)


@router.get(
    "/entities/{entity_id}", response_model=EntityDetail, responses=responses(404, 410, 422)
)
def get_entity(snapshot: SnapshotDep, entity_id: EntityId) -> EntityDetail:
    return queries.entity_detail(snapshot, entity_id)


@router.get(
    "/entities/{entity_id}/exposure",
    response_model=ExposureReport,
    responses=responses(404, 410, 422, 503),
)
async def get_exposure(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    entity_id: EntityId,
    query: Annotated[ExposureQuery, Query()],
) -> Response:
    """out: what the entity stands to lose, per counterparty; in: who stands to lose if it fails."""
    return await work.answer(http, source, queries.exposure, entity_id, query, today=today)
