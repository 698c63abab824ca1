"""Dependencies: the snapshot source and settings the app was created with, today's date,
and the API key check."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from graph.settings import Settings
from graph.snapshot import Snapshot, SnapshotSource


def get_source(request: Request) -> SnapshotSource:
    source: SnapshotSource = request.app.state.source
    return source


def get_snapshot(request: Request) -> Snapshot:
    """The data at the store's current version (reloaded if another process imported),
    or the snapshot the answer cache fixed for this request (api.answers)."""
    pinned: Snapshot | None = getattr(request.state, "snapshot", None)
    return pinned if pinned is not None else get_source(request).current()


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_today() -> dt.date:
    """The default `as_of` of every question: the server's date when it is asked."""
    return dt.date.today()


SourceDep = Annotated[SnapshotSource, Depends(get_source)]
SnapshotDep = Annotated[Snapshot, Depends(get_snapshot)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
TodayDep = Annotated[dt.date, Depends(get_today)]


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
