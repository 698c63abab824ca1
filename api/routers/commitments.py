"""Commitments: filtered listing and detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import IsoDate, StoreDep
from api.problems import responses
from graph import service
from schemas.api import CommitmentPage
from schemas.commitments import Commitment
from schemas.enums import CommitmentKind, Status

router = APIRouter(tags=["commitments"])
Id = Annotated[str | None, Query(max_length=200)]


@router.get("/commitments", response_model=CommitmentPage, responses=responses(404, 422))
def list_commitments(
    store: StoreDep,
    entity: Id = None,
    counterparty: Id = None,
    kind: CommitmentKind | None = None,
    status: Status | None = None,
    binding: bool | None = None,
    min_usd: Annotated[float | None, Query(ge=0)] = None,
    as_of: IsoDate = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CommitmentPage:
    """With `as_of`: only commitments that count then (or, with `status`, had that status)."""
    where = service.CommitmentFilter(
        entity=entity,
        counterparty=counterparty,
        kind=kind,
        status=status,
        binding=binding,
        min_usd=min_usd,
        as_of=as_of,
    )
    page = service.list_commitments(store.snapshot(), where, limit=limit, offset=offset)
    return CommitmentPage(total=page.total, limit=limit, offset=offset, items=page.items)


@router.get(
    "/commitments/{commitment_id}", response_model=Commitment, responses=responses(404, 422)
)
def get_commitment(
    store: StoreDep, commitment_id: Annotated[str, Path(max_length=200)]
) -> Commitment:
    return service.get_commitment(store.snapshot(), commitment_id)
