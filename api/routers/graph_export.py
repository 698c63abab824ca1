"""The whole graph for other tools, and the service's health."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.deps import SourceDep, TodayDep, WorkDep
from api.problems import responses
from graph import queries
from graph.queries.export import MEDIA_TYPES
from schemas.api import Health
from schemas.queries import ExportFormat, ExportQuery

router = APIRouter()


@router.get("/health", response_model=Health, tags=["service"], responses=responses(503))
async def health(source: SourceDep) -> Health:
    """The store, its data version and what it holds. Asked of the store in one thread
    hop (not two, as a plain dependency and route would take), so it stays quick while
    heavy questions compute."""
    snapshot = await anyio.to_thread.run_sync(source.current)
    return queries.health(snapshot, store=source.kind)


@router.get(
    "/graph",
    tags=["export"],
    responses={
        **responses(422, 503),
        200: {
            "description": "The graph",
            "content": {
                MEDIA_TYPES[ExportFormat.JSON]: {"schema": {"type": "object"}},
                MEDIA_TYPES[ExportFormat.GRAPHML]: {"schema": {"type": "string"}},
                MEDIA_TYPES[ExportFormat.CYPHER]: {"schema": {"type": "string"}},
            },
        },
    },
)
async def get_graph(
    http: Request,
    work: WorkDep,
    source: SourceDep,
    today: TodayDep,
    query: Annotated[ExportQuery, Query()],
) -> Response:
    """Entities and the commitments announced by `as_of`, each with its status then."""

    def exported() -> Response:  # built and encoded in a worker (api.work)
        graph = queries.export(source.current(), query, today=today)
        if graph.format is ExportFormat.JSON:
            return JSONResponse(graph.content)
        return Response(graph.content, media_type=graph.media_type)

    return await work.run(http, exported)
