"""Circular financing: loops in the money flow at a date, largest round trip first."""

from __future__ import annotations

import datetime as dt

from graph.analysis.cycles import cycles_in_flow
from graph.lookup import require_entity
from graph.snapshot import Snapshot
from schemas.bounds import CYCLE_SCAN_LIMIT
from schemas.queries import CycleQuery, resolve_as_of
from schemas.results import CycleReport

SCAN_LIMIT = CYCLE_SCAN_LIMIT


def cycles(
    snapshot: Snapshot, query: CycleQuery, *, today: dt.date, scan_limit: int = SCAN_LIMIT
) -> CycleReport:
    """Loops of 2..max_length hops (through `entity` if given), at most `limit` of them."""
    if query.entity is not None:
        require_entity(snapshot, query.entity)
    as_of = resolve_as_of(query.as_of, today)
    return cycles_in_flow(
        snapshot.money_flow(as_of, query.basis),
        as_of=as_of,
        basis=query.basis,
        max_length=query.max_length,
        entity=query.entity,
        limit=query.limit,
        scan_limit=scan_limit,
    )
