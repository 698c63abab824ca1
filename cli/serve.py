"""`aifg serve`: uvicorn over the app factory."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from graph.imports import open_source
from graph.settings import Settings


def serve(settings: Settings, *, host: str, port: int) -> int:
    # The store is opened before uvicorn starts, so an unreachable Neo4j or a bad seed
    # file ends the command with one line naming the cause, not a startup traceback.
    source = open_source(settings)
    try:
        uvicorn.run(create_app(settings, source), host=host, port=port, log_level="info")
    finally:
        source.close()
    return 0
