"""The whole graph for other tools, and the service's health."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.deps import IsoDate, StoreDep
from api.problems import responses
from graph.export import export_graph, to_cypher, to_graphml, to_node_link
from schemas.api import Health

router = APIRouter()


class ExportFormat(enum.StrEnum):
    JSON = "json"
    GRAPHML = "graphml"
    CYPHER = "cypher"


@router.get("/health", response_model=Health, tags=["service"])
def health(store: StoreDep) -> Health:
    snapshot = store.snapshot()
    return Health(
        status="ok",
        store=store.kind,
        entities=len(snapshot.entities),
        commitments=len(snapshot.commitments),
        events=len(snapshot.events),
    )


@router.get(
    "/graph",
    tags=["export"],
    responses={
        **responses(422),
        200: {
            "description": "The graph",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "application/graphml+xml": {"schema": {"type": "string"}},
                "application/x-cypher": {"schema": {"type": "string"}},
            },
        },
    },
)
def get_graph(
    store: StoreDep,
    format: ExportFormat = ExportFormat.JSON,
    as_of: IsoDate = None,
    live_only: Annotated[bool, Query(description="Only commitments that count at as_of")] = False,
) -> Any:
    """Entities and the commitments announced by `as_of`, each with its status then."""
    graph = export_graph(store.snapshot(), as_of=as_of or dt.date.today(), live_only=live_only)
    if format is ExportFormat.GRAPHML:
        return Response(to_graphml(graph), media_type="application/graphml+xml")
    if format is ExportFormat.CYPHER:
        return Response(to_cypher(graph), media_type="application/x-cypher")
    return JSONResponse(to_node_link(graph))
