"""`aifg serve`: uvicorn over the app factory, after three lines saying what it serves.

Before uvicorn's own lines a new user sees where the data lives, what this start seeded
(or when the store was seeded), and the URLs to open.
"""

from __future__ import annotations

import datetime as dt
import time
from types import FrameType
from urllib.parse import urlsplit

import uvicorn

from api.app import create_app
from api.work import Work
from graph.imports import SEEDED, open_source
from graph.settings import Settings
from graph.snapshot import SnapshotSource

WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}
STOP_SECONDS = 3
"""After SIGTERM, how long answers under way may take before they are cut off."""


class StoppingServer(uvicorn.Server):
    """uvicorn, which on SIGTERM or Ctrl-C also cancels the heavy questions at once (they
    stop at their next budget check), so the server stops within moments."""

    def __init__(self, config: uvicorn.Config, work: Work) -> None:
        super().__init__(config)
        self.work = work

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.work.stop()
        super().handle_exit(sig, frame)


def serve(settings: Settings, *, host: str, port: int) -> int:
    print(f"aifg serve: {where(settings)}", flush=True)
    started = dt.datetime.now(dt.UTC)
    clock = time.monotonic()
    # The store is opened before uvicorn starts, so an unreachable Neo4j or a bad seed
    # file ends the command with one line naming the cause, not a startup traceback.
    source = open_source(settings)
    try:
        print(seeding(settings, source, since=started, seconds=time.monotonic() - clock))
        base = base_url(host, port)
        print(f"explorer: {base}/   API docs: {base}/docs", flush=True)
        app = create_app(settings, source)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="info",
            timeout_graceful_shutdown=STOP_SECONDS,
        )
        StoppingServer(config, app.state.work).run()
    finally:
        source.close()
    return 0


def where(settings: Settings) -> str:
    """The store and where its data lives: the embedded store's directory or Neo4j's URI."""
    if settings.store == "neo4j":
        uri = urlsplit(settings.neo4j_uri or "")
        shown = uri._replace(netloc=uri.netloc.rpartition("@")[2]).geturl()  # no credentials
        return f"Neo4j at {shown} (database {settings.neo4j_database})"
    return f"embedded store in {settings.data_dir.expanduser().resolve()}"


def seeding(
    settings: Settings, source: SnapshotSource, *, since: dt.datetime, seconds: float
) -> str:
    """What this start seeded, or when the store was seeded, and what it holds now.

    The seed flag holds the time of the seeding import (UTC, ISO 8601): one at or after
    `since` was made by this start.
    """
    now = source.current()
    holds = (
        f"{len(now.entities)} entities, {len(now.commitments)} commitments, "
        f"{len(now.events)} events"
    )
    flag = source.store.get_flag(SEEDED)
    if flag is None:  # open_source seeds an unseeded store unless told not to
        return f"not seeded (AIFG_SEED_ON_START is off); the store holds {holds}"
    seeded_at = dt.datetime.fromisoformat(flag)
    if seeded_at >= since:
        return f"seeded from {settings.seed_dir} in {seconds:.1f} s; the store holds {holds}"
    return f"already seeded on {seeded_at:%Y-%m-%d %H:%M} UTC; the store holds {holds}"


def base_url(host: str, port: int) -> str:
    """The URL to open: a wildcard address (every interface) is reached at loopback."""
    host = WILDCARD_HOSTS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
