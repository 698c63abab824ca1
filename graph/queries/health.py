"""The service's state: which store, which data version, how many records."""

from __future__ import annotations

from graph.snapshot import Snapshot
from schemas.api import Health


def health(snapshot: Snapshot, *, store: str) -> Health:
    return Health(
        status="ok",
        store=store,
        data_version=snapshot.version,
        entities=len(snapshot.entities),
        commitments=len(snapshot.commitments),
        events=len(snapshot.events),
    )
