"""Announcements, status changes and events in a date range, in date order."""

from __future__ import annotations

import datetime as dt

from graph.build import Snapshot
from graph.exposure import require_entity
from schemas.results import TimelineEntry


def timeline(
    snapshot: Snapshot,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    entity: str | None = None,
) -> list[TimelineEntry]:
    """What changed between `since` and `until` (inclusive), optionally around one entity.

    The first status change of a commitment is its announcement (old_status None).
    """

    if entity is not None:
        require_entity(snapshot, entity)

    def in_range(day: dt.date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    def name(entity_id: str) -> str:
        found = snapshot.entities.get(entity_id)
        return found.name if found else entity_id

    entries: list[TimelineEntry] = []
    for c in snapshot.commitments.values():
        if entity is not None and entity not in (c.from_, c.to):
            continue
        previous = None
        for change in c.status:
            if in_range(change.date):
                source = change.source or (c.sources[0] if previous is None else None)
                entries.append(
                    TimelineEntry(
                        date=change.date,
                        type="status_change",
                        commitment=c.id,
                        from_=c.from_,
                        to=c.to,
                        kind=c.kind.value,
                        old_status=previous,
                        new_status=change.status,
                        title=f"{name(c.from_)} -> {name(c.to)}: {c.kind.value.replace('_', ' ')}"
                        f" {change.status.value}",
                        source_url=source.url if source else None,
                        source_publisher=source.publisher if source else None,
                        note=change.note,
                    )
                )
            previous = change.status
    for event in snapshot.events.values():
        if in_range(event.date) and (entity is None or entity in event.entities):
            entries.append(
                TimelineEntry(
                    date=event.date,
                    type="event",
                    event=event.id,
                    kind=event.kind.value,
                    title=event.title,
                    source_url=event.sources[0].url,
                    source_publisher=event.sources[0].publisher,
                    note=event.notes,
                )
            )
    entries.sort(key=lambda e: (e.date, e.type, e.commitment or e.event or ""))
    return entries
