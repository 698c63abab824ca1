"""The FastAPI application factory."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from api import problems
from api.answers import AnswerCacheMiddleware
from api.middleware import BodyLimitMiddleware, RequestIdMiddleware
from api.routers import analysis, changes, commitments, entities, graph_export, imports
from api.work import SWITCH_INTERVAL, Work
from graph.imports import open_source
from graph.settings import Settings, get_settings
from graph.snapshot import SnapshotSource

STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, source: SnapshotSource | None = None) -> FastAPI:
    """An app over `source`, or over the store `settings` names, opened in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sys.setswitchinterval(SWITCH_INTERVAL)
        owned = source is None
        app.state.source = open_source(settings) if owned else source
        try:
            yield
        finally:
            if owned:
                app.state.source.close()

    app = FastAPI(
        title="AI Financing Graph",
        version="0.1.0",
        summary="Who is exposed to whom in the web of AI financing deals, and how much.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.work = Work.from_settings(settings)
    problems.install(app)
    for module in (entities, commitments, analysis, imports, changes, graph_export):
        app.include_router(module.router)
    # The explorer page: plain files, no build step (api/static/, README "Explorer page").
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def explorer() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.add_middleware(AnswerCacheMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_mb * 2**20)
    app.add_middleware(RequestIdMiddleware)
    return app
