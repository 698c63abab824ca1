"""`aifg serve`: uvicorn over the app factory."""

from __future__ import annotations

import uvicorn

from api.app import create_app
from graph.settings import Settings


def serve(settings: Settings, *, host: str, port: int) -> int:
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
