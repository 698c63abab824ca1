"""Change and correction: the log of imports, what changed since, withdrawals, restores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from api.deps import SourceDep, TodayDep, require_api_key
from api.problems import responses
from graph import changes
from schemas.changes import (
    ChangesAnswer,
    ImportLogRow,
    RestoreRequest,
    WithdrawalRequest,
    WithdrawalResult,
)

router = APIRouter(tags=["changes"])
WRITE_PROBLEMS = responses(401, 403, 409, 422, 503, 507)


@router.get("/imports", response_model=list[ImportLogRow], responses=responses(503))
def list_imports(source: SourceDep) -> list[ImportLogRow]:
    """Every import that changed the data, oldest first: when, files, counts, data version."""
    return changes.import_log(source)


SINCE_SCHEMA = {"anyOf": [{"format": "date"}, {"format": "uuid"}]}


@router.get("/changes", response_model=ChangesAnswer, responses=responses(404, 422, 503))
def get_changes(
    source: SourceDep,
    since: Annotated[
        str,
        Query(
            description="A date (YYYY-MM-DD: writes from 00:00 UTC that day on) or a data "
            "version (writes after the one that produced it; 404 if the store never had it).",
            max_length=36,
            json_schema_extra=SINCE_SCHEMA,
        ),
    ],
) -> ChangesAnswer:
    """What was added, updated, withdrawn or restored since, net per record, and the writes."""
    return changes.changes_since(source, since)


@router.post(
    "/withdrawals",
    response_model=WithdrawalResult,
    dependencies=[Depends(require_api_key)],
    responses=WRITE_PROBLEMS,
)
async def post_withdrawal(
    source: SourceDep, today: TodayDep, request: WithdrawalRequest
) -> WithdrawalResult:
    """Withdraw records, all or none, with a dated reason: they leave every answer, their ids
    answer 410 Gone with the reason, and a later import of the same ids keeps them out."""
    return await run_in_threadpool(changes.withdraw, source, request, today=today)


@router.post(
    "/restorations",
    response_model=WithdrawalResult,
    dependencies=[Depends(require_api_key)],
    responses=WRITE_PROBLEMS,
)
async def post_restoration(source: SourceDep, request: RestoreRequest) -> WithdrawalResult:
    """Bring withdrawn records back as they were, all or none, with a reason."""
    return await run_in_threadpool(changes.restore, source, request)
