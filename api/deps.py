"""Dependencies: the snapshot source and settings the app was created with, today's date,
and the API key check.

Those that only read app state are `async def`: FastAPI runs a plain `def` dependency in
a thread, and a thread has to win Python's lock from the heavy questions computing, so a
request would wait for it before it could even be refused (api.work).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from api.work import Work, request_snapshot
from graph.settings import Settings
from graph.snapshot import Snapshot, SnapshotSource


async def get_source(request: Request) -> SnapshotSource:
    source: SnapshotSource = request.app.state.source
    return source


def get_snapshot(request: Request) -> Snapshot:
    """The request's data (api.work.request_snapshot); in a thread, as asking the store
    is I/O."""
    return request_snapshot(request, request.app.state.source)


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_today() -> dt.date:
    """The default `as_of` of every question: the server's date when it is asked."""
    return dt.date.today()


async def get_work(request: Request) -> Work:
    """The workers that answer the heavy questions (api.work)."""
    work: Work = request.app.state.work
    return work


SourceDep = Annotated[SnapshotSource, Depends(get_source)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
TodayDep = Annotated[dt.date, Depends(get_today)]
WorkDep = Annotated[Work, Depends(get_work)]


def require_api_key(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="The key set in AIFG_API_KEY.")] = None,
) -> None:
    """Writes need the configured key; with no key configured, writes are refused."""
    if settings.api_key is None:
        raise HTTPException(403, "writes are disabled: the server has no AIFG_API_KEY configured")
    if x_api_key is None:
        raise HTTPException(401, "missing X-API-Key header", headers={"WWW-Authenticate": "ApiKey"})
    if not secrets.compare_digest(x_api_key.encode(), settings.api_key.get_secret_value().encode()):
        raise HTTPException(401, "wrong API key", headers={"WWW-Authenticate": "ApiKey"})
