"""Change and correction: withdraw and restore records, read the log of writes.

A withdrawal is checked against a snapshot (every id names a live record; no live record
left behind points to one taken out) and written only if the store is still at that
snapshot's version, so the check holds for the write; a concurrent write means one more
check against the new data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from graph import references
from graph.errors import ConflictError, InvalidQueryError, NotFoundError
from graph.snapshot import Snapshot, SnapshotSource
from graph.store.base import RecordRef, Store, WithdrawalWrite
from graph.suggest import did_you_mean
from schemas.changes import (
    RECORD_KINDS,
    ChangesAnswer,
    ImportLogRow,
    LogEntry,
    RecordIds,
    RecordKind,
    RestoreRequest,
    WithdrawalRequest,
    WithdrawalResult,
)
from schemas.results import Counts

ATTEMPTS = 3
PLURAL: dict[RecordKind, str] = {
    "entity": "entities",
    "commitment": "commitments",
    "event": "events",
}


def withdraw(
    source: SnapshotSource, request: WithdrawalRequest, *, today: dt.date
) -> WithdrawalResult:
    on = request.on or today

    def checked(snapshot: Snapshot) -> list[RecordRef]:
        refs = _resolve(snapshot, request, live=True)
        _refuse_dangling(snapshot, refs)
        return refs

    def write(store: Store, refs: list[RecordRef], version: str) -> WithdrawalWrite:
        return store.withdraw(refs, reason=request.reason, on=on, expected_version=version)

    return _result("withdraw", _checked_write(source, checked, write))


def restore(source: SnapshotSource, request: RestoreRequest) -> WithdrawalResult:
    def checked(snapshot: Snapshot) -> list[RecordRef]:
        refs = _resolve(snapshot, request, live=False)
        _refuse_unresolved(snapshot, refs)
        return refs

    def write(store: Store, refs: list[RecordRef], version: str) -> WithdrawalWrite:
        return store.restore(refs, reason=request.reason, expected_version=version)

    return _result("restore", _checked_write(source, checked, write))


def _result(action: Literal["withdraw", "restore"], write: WithdrawalWrite) -> WithdrawalResult:
    return WithdrawalResult(action=action, version=write.version, records=write.records)


def _checked_write(
    source: SnapshotSource,
    checked: Callable[[Snapshot], list[RecordRef]],
    write: Callable[[Store, list[RecordRef], str], WithdrawalWrite],
) -> WithdrawalWrite:
    for attempt in range(1, ATTEMPTS + 1):
        snapshot = source.current()
        refs = checked(snapshot)
        version = snapshot.version
        try:
            return source.followed(functools.partial(_call, write, refs=refs, version=version))
        except ConflictError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _call(
    write: Callable[[Store, list[RecordRef], str], WithdrawalWrite],
    store: Store,
    *,
    refs: list[RecordRef],
    version: str,
) -> WithdrawalWrite:
    return write(store, refs, version)


def _live(snapshot: Snapshot, kind: RecordKind, record_id: str) -> bool:
    pools = {"entity": snapshot.entities, "commitment": snapshot.commitments}
    return record_id in pools.get(kind, snapshot.events)


def _resolve(
    snapshot: Snapshot, request: WithdrawalRequest | RestoreRequest, *, live: bool
) -> list[RecordRef]:
    """The (kind, id) of each requested record, live ones for a withdrawal and withdrawn
    ones for a restore; a 422 naming the field otherwise."""
    refs: list[RecordRef] = []
    for position, ref in enumerate(request.records):
        field = f"records.{position}.id"
        kinds = [ref.kind] if ref.kind else list(RECORD_KINDS)
        matches = [
            k
            for k in kinds
            if (_live(snapshot, k, ref.id) if live else (k, ref.id) in snapshot.withdrawn)
        ]
        if len(matches) > 1:
            raise InvalidQueryError(
                f"{ref.id!r} names a {' and a '.join(matches)}: say which with kind",
                field=field,
            )
        if not matches:
            raise InvalidQueryError(_not_found(snapshot, ref.id, kinds, live=live), field=field)
        found = (matches[0], ref.id)
        if found in refs:
            raise InvalidQueryError(f"{ref.id!r} is named twice", field=field)
        refs.append(found)
    return refs


def _not_found(snapshot: Snapshot, record_id: str, kinds: list[RecordKind], *, live: bool) -> str:
    if live:
        gone = [
            snapshot.withdrawn[(k, record_id)]
            for k in kinds
            if (k, record_id) in snapshot.withdrawn
        ]
        if gone:
            w = gone[0]
            return f"{w.kind} {record_id!r} was already withdrawn on {w.on.isoformat()}: {w.reason}"
        hints = [
            hint
            for k in kinds
            if k != "event"  # events are few and offer no hints
            for hint in snapshot.close_ids(k, record_id)
        ]
        return f"no {' or '.join(kinds)} with id {record_id!r}{did_you_mean(hints)}"
    if any(_live(snapshot, k, record_id) for k in kinds):
        return f"{record_id!r} is not withdrawn: there is nothing to restore"
    return f"no withdrawn {' or '.join(kinds)} with id {record_id!r}"


def _live_records(snapshot: Snapshot) -> Iterable[tuple[RecordKind, str, object]]:
    for c in snapshot.commitments.values():
        yield "commitment", c.id, c
    for e in snapshot.events.values():
        yield "event", e.id, e


def _refuse_dangling(snapshot: Snapshot, refs: Sequence[RecordRef]) -> None:
    """No record that stays may point to one that goes."""
    going = set(refs)
    left: list[str] = []
    for kind, record_id, record in _live_records(snapshot):
        if (kind, record_id) in going:
            continue
        for path, target_kind, target in references.of_record(kind, record):
            if (target_kind, target) in going:
                where = ".".join(map(str, path))
                left.append(f"{kind} {record_id!r} ({where}) points to {target_kind} {target!r}")
                break
    if left:
        shown = "; ".join(left[:10]) + (f"; and {len(left) - 10} more" if len(left) > 10 else "")
        raise InvalidQueryError(
            f"nothing withdrawn: {shown}. Withdraw those in the same request, or correct "
            "them first",
            field="records",
        )


def _refuse_unresolved(snapshot: Snapshot, refs: Sequence[RecordRef]) -> None:
    """What comes back may point only to live records or to others coming back with it."""
    coming = set(refs)
    missing: list[str] = []
    for kind, record_id in refs:
        record = snapshot.withdrawn[(kind, record_id)].record()
        for path, target_kind, target in references.of_record(kind, record):
            if not _live(snapshot, target_kind, target) and (target_kind, target) not in coming:
                where = ".".join(map(str, path))
                missing.append(f"{kind} {record_id!r} ({where}) points to {target_kind} {target!r}")
    if missing:
        raise InvalidQueryError(
            f"nothing restored: {'; '.join(missing[:10])}, which is not in the data. Restore "
            "it in the same request",
            field="records",
        )


def history(source: SnapshotSource) -> list[LogEntry]:
    return source.store.history()


def import_log(source: SnapshotSource) -> list[ImportLogRow]:
    return [
        ImportLogRow(
            seq=e.seq,
            at=e.at,
            version=e.version,
            files=e.files,
            entities=e.counts.get("entities", Counts()),
            commitments=e.counts.get("commitments", Counts()),
            events=e.counts.get("events", Counts()),
        )
        for e in history(source)
        if e.action == "import"
    ]


def changes_since(source: SnapshotSource, since: dt.date | str) -> ChangesAnswer:
    """The writes after `since` (a date: from 00:00 UTC that day; or a data version: after
    the write that produced it), and their net effect per record."""
    log = history(source)
    window = _window(log, since)
    state: dict[tuple[str, str], tuple[str, str]] = {}  # (plural, id) -> (first, last)
    for entry in window:
        if entry.changes is None:
            continue
        for action in ("added", "updated", "withdrawn", "restored"):
            ids: RecordIds = getattr(entry.changes, action)
            for plural in ("entities", "commitments", "events"):
                for record_id in getattr(ids, plural):
                    first, _ = state.get((plural, record_id), (action, action))
                    state[(plural, record_id)] = (first, action)
    net = {name: RecordIds() for name in ("added", "updated", "withdrawn", "restored")}
    for (plural, record_id), (first, last) in sorted(state.items()):
        outcome = _net(first, last)
        if outcome is not None:
            getattr(net[outcome], plural).append(record_id)
    return ChangesAnswer(
        since=since.isoformat() if isinstance(since, dt.date) else since,
        version=log[-1].version if log else "",
        writes=window,
        untracked_imports=sum(1 for e in window if e.changes is None),
        **net,
    )


def _net(first: str, last: str) -> str | None:
    """One record's net change over a window, from its first and last change in it."""
    if first == "added":
        return None if last == "withdrawn" else "added"
    if last == "withdrawn":
        return None if first == "restored" else "withdrawn"
    if first == "withdrawn":  # withdrawn, then restored (and perhaps updated)
        return "updated" if last == "updated" else None
    return "restored" if first == "restored" else "updated"


def parse_since(text: str) -> dt.date | str:
    """A date (YYYY-MM-DD) or a data version (a UUID); InvalidQueryError otherwise."""
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(text)
    with contextlib.suppress(ValueError):
        return str(uuid.UUID(text))
    raise InvalidQueryError(
        f"{text!r} is neither a date (YYYY-MM-DD) nor a data version (a UUID, as GET "
        "/imports and /health give them)",
        field="since",
    )


def _window(log: list[LogEntry], since: dt.date | str) -> list[LogEntry]:
    if isinstance(since, str):
        since = parse_since(since)
    if isinstance(since, dt.date):
        start = dt.datetime.combine(since, dt.time(), dt.UTC)
        return [e for e in log if e.at >= start]
    for position, entry in enumerate(log):
        if entry.version == since:
            return log[position + 1 :]
    raise NotFoundError("data version", since)
