"""The whole graph for other tools, and the service's health."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.deps import SnapshotDep, SourceDep, TodayDep
from api.problems import responses
from graph import queries
from graph.queries.export import MEDIA_TYPES
from schemas.api import Health
from schemas.queries import ExportFormat, ExportQuery

router = APIRouter()


@router.get("/health", response_model=Health, tags=["service"])
def health(source: SourceDep, snapshot: SnapshotDep) -> Health:
    return queries.health(snapshot, store=source.kind)


@router.get(
    "/graph",
    tags=["export"],
    responses={
        **responses(422),
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
def get_graph(
    snapshot: SnapshotDep, today: TodayDep, query: Annotated[ExportQuery, Query()]
) -> Any:
    """Entities and the commitments announced by `as_of`, each with its status then."""
    exported = queries.export(snapshot, query, today=today)
    if exported.format is ExportFormat.JSON:
        return JSONResponse(exported.content)
    return Response(exported.content, media_type=exported.media_type)
