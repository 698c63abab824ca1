"""Commitments: filtered listing and detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import SnapshotDep
from api.problems import responses
from graph import queries
from schemas.api import CommitmentPage
from schemas.commitments import Commitment
from schemas.queries import MAX_ID, CommitmentQuery

router = APIRouter(tags=["commitments"])


@router.get("/commitments", response_model=CommitmentPage, responses=responses(404, 410, 422))
def list_commitments(
    snapshot: SnapshotDep, query: Annotated[CommitmentQuery, Query()]
) -> CommitmentPage:
    """With `as_of`: only commitments that count then (or, with `status`, had that status)."""
    return queries.list_commitments(snapshot, query)


@router.get(
    "/commitments/{commitment_id}", response_model=Commitment, responses=responses(404, 410, 422)
)
def get_commitment(
    snapshot: SnapshotDep, commitment_id: Annotated[str, Path(max_length=MAX_ID)]
) -> Commitment:
    return queries.get_commitment(snapshot, commitment_id)
