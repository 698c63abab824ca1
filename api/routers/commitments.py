"""Commitments: filtered listing and detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.deps import SnapshotDep
from api.problems import responses
from api.spreadsheet import CSV_RESPONSE, CommitmentListing, answer
from graph import queries
from graph.formats import tables
from schemas.api import CommitmentPage
from schemas.commitments import Commitment
from schemas.queries import MAX_ID

router = APIRouter(tags=["commitments"])


@router.get(
    "/commitments",
    response_model=CommitmentPage,
    responses={**responses(404, 410, 422), **CSV_RESPONSE},
)
def list_commitments(
    request: Request,
    response: Response,
    snapshot: SnapshotDep,
    query: Annotated[CommitmentListing, Query()],
) -> CommitmentPage | Response:
    """With `as_of`: only commitments that count then (or, with `status`, had that status).
    `format=csv` (or `Accept: text/csv`): the page as CSV, the status at `as_of` if given."""
    page = queries.list_commitments(snapshot, query)
    return answer(
        request,
        response,
        query.format,
        page,
        lambda: tables.commitments_table(page.items, as_of=query.as_of),
    )


@router.get(
    "/commitments/{commitment_id}", response_model=Commitment, responses=responses(404, 410, 422)
)
def get_commitment(
    snapshot: SnapshotDep, commitment_id: Annotated[str, Path(max_length=MAX_ID)]
) -> Commitment:
    return queries.get_commitment(snapshot, commitment_id)
