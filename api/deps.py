"""Dependencies: the store and settings the app was created with, and the API key check."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request
from pydantic import BeforeValidator

from graph.settings import Settings
from graph.store.base import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


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


def _iso_date_only(value: object) -> object:
    """Refuse what lax date parsing would take as a Unix timestamp (as_of=2026 is 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("expected an ISO 8601 date, YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date | None, BeforeValidator(_iso_date_only)]
