"""`aifg serve`: uvicorn over the app factory."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from graph import service
from graph.settings import Settings


def serve(settings: Settings, *, host: str, port: int) -> int:
    # The store is opened before uvicorn starts, so an unreachable Neo4j or a bad seed
    # file ends the command with one line naming the cause, not a startup traceback.
    store = service.open_store(settings)
    try:
        uvicorn.run(create_app(settings, store), host=host, port=port, log_level="info")
    finally:
        store.close()
    return 0
