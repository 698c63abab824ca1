"""Checks across records and files: unique ids and references that resolve."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from graph import references
from graph.errors import Problems
from graph.load import FieldPath, LoadedFile, ReadFile, RejectedFile
from graph.readings import slug_of
from graph.suggest import Suggester, did_you_mean
from schemas.changes import RecordKind
from schemas.common import SLUG_PATTERN
from schemas.dataset import Dataset

SECTIONS: dict[str, RecordKind] = {
    "entities": "entity",
    "commitments": "commitment",
    "events": "event",
}
_SLUG = re.compile(SLUG_PATTERN)


def _records(file: ReadFile, section: str) -> list[tuple[int, Any]]:
    """The records of a section with their index: a validated file's models, or the
    mappings a rejected file holds (anything else there is the schema's problem)."""
    if isinstance(file, LoadedFile):
        return list(enumerate(getattr(file.dataset, section)))
    records = file.data.get(section) if file.data is not None else None
    if not isinstance(records, list):
        return []
    return [(index, record) for index, record in enumerate(records) if isinstance(record, dict)]


def _record_id(record: Any) -> tuple[str, bool] | None:
    """The id a record counts as, and whether it was written so: an id that breaks the
    id rule has its own problem already, and counts as the id that problem says to
    write, so references to that resolve."""
    if not isinstance(record, dict):
        return record.id, True  # validated
    written = record.get("id")
    if not isinstance(written, str):
        return None
    return (written, True) if _SLUG.fullmatch(written) else (slug_of(written), False)


def _links(file: ReadFile, kind: RecordKind, record: Any) -> Iterator[references.Reference]:
    if isinstance(file, LoadedFile):
        return references.of_record(kind, record)
    return references.in_data(kind, record)


def _unknown(kind: str, wanted: str, hints: Suggester) -> str:
    hint = hints(wanted)
    if hint:
        return f"unknown {kind} {wanted!r}{did_you_mean(hint)}"
    where = "`entities:`" if kind == "entity" else f"`{kind}s:`"
    return (
        f"unknown {kind} {wanted!r}: neither these files nor the store have it "
        f"(define it under {where}, or fix the id)"
    )


def _unknown_of(kind: str, wanted: str, hints: Suggester) -> Callable[[], str]:
    return lambda: _unknown(kind, wanted, hints)


def check_files(
    files: Sequence[ReadFile],
    *,
    known_entities: Collection[str] = frozenset(),
    known_commitments: Collection[str] = frozenset(),
    known_events: Collection[str] = frozenset(),
) -> list[LoadedFile]:
    """The files, all valid, or a DataError listing every problem found in one pass: each
    rejected file's own (schema errors, keys written twice), then duplicate ids and
    dangling references across all files, the rejected ones' data included; sorted by
    file and line, the first MAX_PROBLEMS located, with hints, the rest counted.

    Records may reference ids already in the store (`known_*`) or anywhere in `files`.
    """
    problems = Problems()

    def report(file: ReadFile, path: FieldPath, message: str | Callable[[], str]) -> None:
        problems.add(lambda: file.problem(path, message if isinstance(message, str) else message()))

    for file in files:
        if isinstance(file, RejectedFile):
            problems.extend(file.error)
    seen: dict[str, dict[str, str]] = {kind: {} for kind in SECTIONS.values()}
    for file in files:
        for section, kind in SECTIONS.items():
            for index, record in _records(file, section):
                counted = _record_id(record)
                if counted is None:
                    continue
                record_id, as_written = counted
                first = seen[kind].get(record_id)
                if first is None:
                    seen[kind][record_id] = file.name
                elif as_written:
                    report(
                        file,
                        (section, index, "id"),
                        f"duplicate id {record_id!r} (first defined in {first})",
                    )
    pools = {
        "entity": set(known_entities) | seen["entity"].keys(),
        "commitment": set(known_commitments) | seen["commitment"].keys(),
        "event": set(known_events) | seen["event"].keys(),
    }
    hints = {kind: Suggester(pool) for kind, pool in pools.items()}
    for file in files:
        for section in ("commitments", "events"):
            kind = SECTIONS[section]
            for index, record in _records(file, section):
                for path, target, ref in _links(file, kind, record):
                    if ref not in pools[target]:
                        at = (section, index, *path)
                        report(file, at, _unknown_of(target, ref, hints[target]))
    order = {file.name: position for position, file in enumerate(files)}
    problems.listed.sort(key=lambda p: (order.get(p.file or "", -1), p.line or 0, p.column or 0))
    problems.raise_if_any()
    return [file for file in files if isinstance(file, LoadedFile)]


def merge(files: Sequence[LoadedFile]) -> Dataset:
    """One dataset holding every record of `files` (already validated: no re-validation)."""
    return Dataset.model_construct(
        entities=[e for f in files for e in f.dataset.entities],
        commitments=[c for f in files for c in f.dataset.commitments],
        events=[e for f in files for e in f.dataset.events],
    )
