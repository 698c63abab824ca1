"""Imports: a YAML dataset as the body (application/yaml) or a multipart file upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import SettingsDep, SourceDep, require_api_key
from api.problems import responses
from graph import imports
from schemas.results import ImportSummary

router = APIRouter(tags=["imports"])

YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            # The schema of a YAML body describes the document, a mapping (not a string).
            "application/yaml": {
                "schema": {
                    "type": "object",
                    "description": "A dataset, as in seeds/dataset.schema.json.",
                    "properties": {
                        "version": {"type": "integer", "enum": [1]},
                        "entities": {"type": "array", "items": {"type": "object"}},
                        "commitments": {"type": "array", "items": {"type": "object"}},
                        "events": {"type": "array", "items": {"type": "object"}},
                    },
                    "additionalProperties": False,
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


async def _read_upload(request: Request) -> tuple[bytes, str]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        async with request.form() as form:  # closes the spooled upload files
            uploads = [v for v in form.values() if isinstance(v, UploadFile)]
            if not uploads:
                return b"", "upload"
            return await uploads[0].read(), uploads[0].filename or "upload"
    return await request.body(), "request body"


@router.post(
    "/imports",
    response_model=ImportSummary,
    dependencies=[Depends(require_api_key)],
    responses=responses(400, 401, 403, 413, 422, 503, 507),  # 400: malformed multipart
    openapi_extra=YAML_BODY,
)
async def post_import(
    request: Request,
    source: SourceDep,
    settings: SettingsDep,
    dry_run: Annotated[bool, Query(description="Report what would change; write nothing")] = False,
) -> ImportSummary:
    """Import a dataset, all or nothing. Problems come back with line and field."""
    data, name = await _read_upload(request)
    return await run_in_threadpool(
        imports.import_bytes,
        source,
        data,
        name=name,
        dry_run=dry_run,
        max_bytes=settings.max_file_bytes,
    )
