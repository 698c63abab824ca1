"""Entities: search, detail, and exposure."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import IsoDate, StoreDep
from api.problems import responses
from graph import service
from schemas.api import EntityDetail, EntityPage
from schemas.enums import Direction, EntityKind, ValueBasis
from schemas.results import ExposureReport

router = APIRouter(tags=["entities"])
EntityId = Annotated[str, Path(description="Entity id, e.g. `openai`.", max_length=200)]


@router.get("/entities", response_model=EntityPage, responses=responses(422))
def list_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200, description="Name or alias, any script")] = None,
    kind: EntityKind | None = None,
    sector: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EntityPage:
    page = service.search_entities(
        store.snapshot(), q=q, kind=kind, sector=sector, limit=limit, offset=offset
    )
    return EntityPage(total=page.total, limit=limit, offset=offset, items=page.items)


@router.get("/entities/{entity_id}", response_model=EntityDetail, responses=responses(404, 422))
def get_entity(store: StoreDep, entity_id: EntityId) -> EntityDetail:
    snapshot = store.snapshot()
    entity = service.get_entity(snapshot, entity_id)
    mine = [c for c in snapshot.commitments.values() if entity_id in (c.from_, c.to)]
    mine.sort(key=lambda c: (c.announced, c.id))
    return EntityDetail(
        entity=entity,
        commitments_out=[c for c in mine if c.from_ == entity_id],
        commitments_in=[c for c in mine if c.to == entity_id],
    )


@router.get(
    "/entities/{entity_id}/exposure", response_model=ExposureReport, responses=responses(404, 422)
)
def get_exposure(
    store: StoreDep,
    entity_id: EntityId,
    direction: Direction = Direction.OUT,
    as_of: Annotated[IsoDate, Query(description="Default: today")] = None,
    basis: ValueBasis = ValueBasis.POINT,
    depth: Annotated[int, Query(ge=1, le=6, description="Look-through depth")] = 1,
    min_usd: Annotated[float, Query(ge=0, description="Leave out paths worth less")] = 0.0,
    limit: Annotated[
        int | None,
        Query(ge=1, description="List only the largest N of each list (default: all)"),
    ] = None,
) -> ExposureReport:
    """out: what the entity stands to lose, per counterparty; in: who stands to lose if it fails."""
    return store.exposure(
        entity_id,
        as_of=as_of or dt.date.today(),
        direction=direction,
        basis=basis,
        depth=depth,
        min_usd=min_usd,
        limit=limit,
    )
