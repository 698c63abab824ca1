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
                **{
                    MEDIA_TYPES[f]: {"schema": {"type": "string"}}
                    for f in ExportFormat
                    if f not in (ExportFormat.JSON, ExportFormat.DATAPACKAGE)
                },
                MEDIA_TYPES[ExportFormat.DATAPACKAGE]: {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        },
    },
)
def get_graph(
    snapshot: SnapshotDep, today: TodayDep, query: Annotated[ExportQuery, Query()]
) -> Any:
    """Entities and the commitments announced by `as_of`, each with its status then:
    `json` networkx node-link, `graphml`, `gexf` (with each commitment's counting
    intervals for Gephi's timeline), `cypher`, `ftm` (FollowTheMoney JSON lines),
    `datapackage` (a zipped Frictionless data package of CSVs, CC BY 4.0)."""
    exported = queries.export(snapshot, query, today=today)
    if exported.format is ExportFormat.JSON:
        return JSONResponse(exported.content)
    disposition = {"Content-Disposition": f'attachment; filename="{exported.file_name}"'}
    if exported.format is ExportFormat.DATAPACKAGE:
        return Response(exported.content, media_type=exported.media_type, headers=disposition)
    return Response(exported.content, media_type=exported.media_type)
