"""One mapping from errors to RFC 9457 problem details; nothing else builds error bodies."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.work import OverloadedError, StoppingError
from graph.errors import (
    MAX_PROBLEMS,
    AifgError,
    ConflictError,
    DataError,
    GoneError,
    InvalidQueryError,
    NotFoundError,
    OverBudgetError,
    QuestionCancelledError,
    StoreFullError,
    StoreLimitError,
    StoreUnavailableError,
)
from schemas.api import ProblemDetail
from schemas.common import visible
from schemas.problems import Problem

log = logging.getLogger("aifg.api")
PROBLEM_JSON = "application/problem+json"


class BodyTooLargeError(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"request body is over the {limit / 2**20:.0f} MiB limit (AIFG_MAX_BODY_MB)"
        )


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The one builder of error bodies: RFC 9457 problem details, with the request id in
    the body and in the X-Request-ID header (a 500 is sent from outside the middleware
    that adds it to every other answer)."""
    request_id = getattr(request.state, "request_id", None)
    body = ProblemDetail(
        type=type_,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        **extra,
    )
    headers = dict(headers or {})
    if request_id is not None:
        headers["X-Request-ID"] = request_id
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method some route answers at this path, asked of the router itself, so the
    explorer page at `/` (not in the OpenAPI document) counts and no HEAD is promised
    where FastAPI routes answer GET only."""
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    from http import HTTPStatus

    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a JSON body that is not UTF-8 with a bare 400, but malformed
        # JSON with a 422: both are one kind of problem here, a 422 naming the body.
        return problem_response(
            request,
            422,
            "Invalid request",
            f"the request body is not UTF-8 JSON: {exc.__cause__.reason} at byte "
            f"{exc.__cause__.start}",
            type_="/problems/invalid-request",
            errors=[Problem(field="body", message="not UTF-8")],
        )
    title = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no resource at {request.url.path}; see /docs for the endpoints"
    return problem_response(request, exc.status_code, title, detail, headers=headers or None)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    problems = [
        Problem(field=visible(".".join(str(p) for p in err["loc"])), message=visible(err["msg"]))
        for err in errors[:MAX_PROBLEMS]
    ]
    detail = "; ".join(f"{p.field}: {p.message}" for p in problems[:10])
    if len(errors) > 10:
        detail += f" (and {len(errors) - 10:,} more)"
    return problem_response(
        request,
        422,
        "Invalid request",
        detail,
        type_="/problems/invalid-request",
        errors=problems,
        total_errors=len(errors),
    )


async def domain_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotFoundError):
        return problem_response(
            request,
            404,
            "Not found",
            str(exc),
            type_="/problems/not-found",
            suggestions=exc.suggestions,
        )
    if isinstance(exc, GoneError):
        return problem_response(
            request,
            410,
            "Gone",
            str(exc),
            type_="/problems/withdrawn",
            withdrawn_on=exc.on,
            reason=exc.reason,
        )
    if isinstance(exc, ConflictError):
        return problem_response(
            request,
            409,
            "Conflict",
            f"{exc}: the data kept changing while the request was checked; nothing was "
            "written, send it again",
            type_="/problems/conflict",
        )
    if isinstance(exc, DataError):
        detail = str(exc)
        if exc.omitted:
            detail += f"; `errors` lists the first {len(exc.listed)} of {exc.total:,}"
        return problem_response(
            request,
            422,
            "Invalid data",
            detail,
            type_="/problems/invalid-data",
            errors=exc.listed,
            total_errors=exc.total,
        )
    if isinstance(exc, InvalidQueryError):
        errors = [Problem(field=exc.field, message=str(exc))] if exc.field else None
        return problem_response(
            request,
            422,
            "Invalid request",
            str(exc),
            type_="/problems/invalid-request",
            errors=errors,
        )
    if isinstance(exc, OverBudgetError):
        return problem_response(
            request,
            422,
            "Question over its budget",
            str(exc),
            type_="/problems/over-budget",
            errors=[Problem(field=exc.field, message=str(exc))],
        )
    if isinstance(exc, OverloadedError | StoppingError | QuestionCancelledError):
        # Refused or cancelled before its end: nothing was computed that another try
        # would not compute again, so the answer says when to try.
        retry = exc.retry_after if isinstance(exc, OverloadedError) else 5
        return problem_response(
            request,
            503,
            "Service Unavailable",
            str(exc),
            type_="/problems/overloaded" if isinstance(exc, OverloadedError) else "about:blank",
            headers={"Retry-After": str(retry)},
        )
    if isinstance(exc, StoreFullError):
        return problem_response(
            request, 507, "Insufficient Storage", str(exc), type_="/problems/store-full"
        )
    if isinstance(exc, StoreLimitError):
        return problem_response(
            request, 413, "Import too large", str(exc), type_="/problems/import-too-large"
        )
    if isinstance(exc, StoreUnavailableError):
        return problem_response(
            request,
            503,
            "Store unavailable",
            str(exc),
            type_="/problems/store-unavailable",
            headers={"Retry-After": "5"},
        )
    return await unexpected_error(request, exc)


async def body_too_large(request: Request, exc: Exception) -> JSONResponse:
    return problem_response(
        request, 413, "Content Too Large", str(exc), type_="/problems/body-too-large"
    )


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    log.exception("unexpected error (request %s)", request_id, exc_info=exc)
    return problem_response(
        request,
        500,
        "Internal Server Error",
        f"an unexpected error occurred; quote request id {request_id} when reporting it",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(AifgError, domain_error)
    app.add_exception_handler(BodyTooLargeError, body_too_large)
    app.add_exception_handler(Exception, unexpected_error)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problem responses a route may give."""
    return {
        status: {"model": ProblemDetail, "content": {PROBLEM_JSON: {}}, "description": "Problem"}
        for status in statuses
    }
