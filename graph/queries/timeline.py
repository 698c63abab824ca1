"""What changed when: announcements, status changes and events in a date range."""

from __future__ import annotations

import datetime as dt

from graph.lookup import name_of, require_entity
from graph.snapshot import Snapshot
from schemas.queries import TimelineQuery
from schemas.results import TimelineEntry


def timeline(snapshot: Snapshot, query: TimelineQuery) -> list[TimelineEntry]:
    """What changed between `since` and `until` (inclusive), optionally around one entity,
    in date order. The first status change of a commitment is its announcement
    (old_status None)."""
    entity = query.entity
    if entity is not None:
        require_entity(snapshot, entity)

    def in_range(day: dt.date) -> bool:
        return (query.since is None or day >= query.since) and (
            query.until is None or day <= query.until
        )

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
                        title=f"{name_of(snapshot, c.from_)} -> {name_of(snapshot, c.to)}: "
                        f"{c.kind.value.replace('_', ' ')} {change.status.value}",
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
