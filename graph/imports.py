"""Getting data in: open the configured store (seeded on first start), check files, import.

The API and the CLI call these; every write goes through a SnapshotSource, so the process
that imports sees its own import at once, and every other process on its next question.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, KeysView, Sequence
from pathlib import Path

from graph import references
from graph.errors import DataError, Problems
from graph.load import LoadedFile, ReadFile, read_bytes, read_files
from graph.settings import Settings
from graph.snapshot import Snapshot, SnapshotSource, collector_paused
from graph.store import make_store
from graph.validate import check_files, merge
from schemas.changes import RECORD_KINDS, RecordKind
from schemas.commitments import Commitment
from schemas.events import Event
from schemas.problems import Problem
from schemas.results import ImportSummary

SEEDED = "seeded"


def open_source(settings: Settings, *, seed: bool = True) -> SnapshotSource:
    """The configured store behind a snapshot source; with `seed`, a store that was never
    seeded gets settings.seed_dir first (unless settings.seed_on_start is off)."""
    source = SnapshotSource(make_store(settings), view_cache=settings.view_cache)
    try:
        if seed and settings.seed_on_start and source.store.get_flag(SEEDED) is None:
            files = validate_paths(
                [settings.seed_dir], source.current(), max_bytes=settings.max_file_bytes
            )
            with collector_paused():
                dataset = merge(files)
            source.import_dataset(dataset, files=[f.name for f in files], flag=SEEDED)
    except BaseException:
        source.close()
        raise
    return source


def validate_paths(
    paths: Sequence[Path], snapshot: Snapshot | None = None, *, max_bytes: int
) -> list[LoadedFile]:
    """Parse and check files, every problem of all of them in one DataError; references
    may point into `snapshot` when one is given."""
    with collector_paused():
        files = read_files(paths, max_bytes=max_bytes)
    if not files:
        raise DataError([Problem(file=", ".join(map(str, paths)), message="no YAML files found")])
    return _check_against(files, snapshot)


def _check_against(files: Sequence[ReadFile], snapshot: Snapshot | None) -> list[LoadedFile]:
    if snapshot is None:
        return check_files(files)
    # Withdrawn ids count as known here, so a reference to one gets the message below
    # that says so, rather than "unknown". Without withdrawals the snapshot's own key
    # views serve: no set of every id is built per import.
    gone: dict[str, set[str]] = {kind: set() for kind in RECORD_KINDS}
    for kind, record_id in snapshot.withdrawn:
        gone[kind].add(record_id)

    def known(ids: KeysView[str], kind: str) -> Collection[str]:
        return ids | gone[kind] if gone[kind] else ids

    loaded = check_files(
        files,
        known_entities=known(snapshot.entities.keys(), "entity"),
        known_commitments=known(snapshot.commitments.keys(), "commitment"),
        known_events=known(snapshot.events.keys(), "event"),
    )
    if snapshot.withdrawn:
        _refuse_withdrawn_references(loaded, snapshot)
    return loaded


def _refuse_withdrawn_references(files: list[LoadedFile], snapshot: Snapshot) -> None:
    """A record that will be imported may not point to a withdrawn one (records that are
    withdrawn themselves are kept out by the import, links and all)."""
    problems = Problems()
    for file in files:
        sections: tuple[tuple[str, RecordKind, Sequence[Commitment | Event]], ...] = (
            ("commitments", "commitment", file.dataset.commitments),
            ("events", "event", file.dataset.events),
        )
        for section, kind, records in sections:
            for index, record in enumerate(records):
                if (kind, record.id) in snapshot.withdrawn:
                    continue
                for path, target_kind, target in references.of_record(kind, record):
                    withdrawal = snapshot.withdrawn.get((target_kind, target))
                    if withdrawal is None:
                        continue
                    message = (
                        f"{target_kind} {target!r} was withdrawn on "
                        f"{withdrawal.on.isoformat()} ({withdrawal.reason}): point to "
                        f"another {target_kind}, or restore it first (aifg restore {target})"
                    )
                    problems.add(functools.partial(file.problem, (section, index, *path), message))
    problems.raise_if_any()


def import_paths(
    source: SnapshotSource, paths: Sequence[Path], *, dry_run: bool, max_bytes: int
) -> ImportSummary:
    files = validate_paths(paths, source.current(), max_bytes=max_bytes)
    return source.import_dataset(merge(files), files=[f.name for f in files], dry_run=dry_run)


def import_bytes(
    source: SnapshotSource, data: bytes, *, name: str, dry_run: bool, max_bytes: int
) -> ImportSummary:
    with collector_paused():
        read = read_bytes(data, name, max_bytes=max_bytes)
    [file] = _check_against([read], source.current())
    return source.import_dataset(file.dataset, files=[name], dry_run=dry_run)
