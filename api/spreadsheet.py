"""Answers as CSV: `format=csv` in the query, or `Accept: text/csv`.

The GET questions whose answers are tables take `format` as one more query parameter: the
models below add it to the question's own query model (which forbids unknown
parameters), so the question's function gets the same query either way. The table of
each answer, and the CSV's safety against formula injection, live in graph/formats.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import pydantic_core
from fastapi import Request
from fastapi.responses import Response
from pydantic import Field

from graph.formats import csv
from graph.formats.tables import Table
from schemas.queries import CommitmentQuery, ConcentrationQuery, CycleQuery, ExposureQuery

T = TypeVar("T")
CSV_TYPE = "text/csv"
JSON_TYPE = "application/json"


class AnswerFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


FORMAT_HELP = "`csv`: the answer as a CSV table (as with `Accept: text/csv`); default JSON."
FORMAT = Field(default=None, description=FORMAT_HELP)


class CommitmentListing(CommitmentQuery):
    format: AnswerFormat | None = FORMAT


class ExposureListing(ExposureQuery):
    format: AnswerFormat | None = FORMAT


class CycleListing(CycleQuery):
    format: AnswerFormat | None = FORMAT


class ConcentrationListing(ConcentrationQuery):
    format: AnswerFormat | None = FORMAT


def _quality(accept: str, media_type: str) -> float:
    """The q of `media_type` in an Accept header (RFC 9110 12.5.1), wildcards counted."""
    best = 0.0
    major = media_type.split("/")[0]
    for part in accept.split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if name not in (media_type, f"{major}/*", "*/*"):
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # An exact match outranks a wildcard (`text/csv;q=0, */*`: no CSV).
        if name == media_type:
            return q
        best = max(best, q)
    return best


def wants_csv(request: Request, chosen: AnswerFormat | None) -> bool:
    """`format` decides when given; else CSV only when Accept prefers text/csv to JSON
    (a browser's `*/*` and a missing header stay JSON)."""
    if chosen is not None:
        return chosen is AnswerFormat.CSV
    return accept_prefers_csv(request.headers.get("accept", ""))


def accept_prefers_csv(accept: str) -> bool:
    """Whether an Accept header prefers text/csv to JSON (part of a cached answer's key)."""
    if CSV_TYPE not in accept:
        return False
    return _quality(accept, CSV_TYPE) > _quality(accept, JSON_TYPE)


def answer(
    request: Request,
    response: Response,
    chosen: AnswerFormat | None,
    value: T,
    table: Callable[[], Table],
) -> T | Response:
    """`value` as the route's JSON, or its table as a CSV download; either way `Vary:
    Accept`, so a cache keeps the two apart."""
    response.headers["Vary"] = "Accept"
    if not wants_csv(request, chosen):
        return value
    return _csv_download(table())


def rendered(
    request: Request, chosen: AnswerFormat | None, value: Any, table: Callable[[Any], Table]
) -> Response:
    """`value` encoded as the route's JSON (by alias, as FastAPI encodes a response
    model), or its table as a CSV download; either way `Vary: Accept`. For answers built
    in a worker (api.work), where no response object is at hand."""
    if not wants_csv(request, chosen):
        return Response(
            pydantic_core.to_json(value, by_alias=True),
            media_type=JSON_TYPE,
            headers={"Vary": "Accept"},
        )
    return _csv_download(table(value))


def _csv_download(rows: Table) -> Response:
    return Response(
        csv.to_csv(rows),
        media_type=csv.MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{rows.name}.csv"',
            "Vary": "Accept",
        },
    )


# The OpenAPI description of the CSV alternative, for each route that offers it.
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV_TYPE: {"schema": {"type": "string", "description": "RFC 4180 CSV"}}}}
}
