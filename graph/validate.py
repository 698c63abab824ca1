"""Checks across records and files: unique ids and references that resolve."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from graph.errors import Problems
from graph.load import FieldPath, LoadedFile, ReadFile, RejectedFile
from graph.readings import slug_of
from graph.suggest import Suggester, did_you_mean
from schemas.common import SLUG_PATTERN
from schemas.dataset import Dataset

SECTIONS = {"entities": "entity", "commitments": "commitment", "events": "event"}
EACH = "*"
REFERENCES: dict[str, tuple[tuple[FieldPath, str], ...]] = {
    "commitments": (
        (("from",), "entity"),
        (("to",), "entity"),
        (("part_of",), "commitment"),
        (("replaced_by", "commitment"), "commitment"),
        (("overlaps", EACH, "commitment"), "commitment"),
        (("round", "leads", EACH), "entity"),
    ),
    "events": (
        (("entities", EACH), "entity"),
        (("commitments", EACH), "commitment"),
        (("disputed_by", EACH), "event"),
    ),
}
"""Where a record names another, by the field path a file writes (`*`: every item), and
the kind of record it names: one table for validated records and for a rejected file's
data alike."""
_ATTRIBUTES = {"from": "from_"}  # the model attribute of a field whose name is a keyword
_SLUG = re.compile(SLUG_PATTERN)


def _named(value: Any, path: FieldPath, at: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """The ids found at `path` inside `value` (a model or the data a file holds), with
    where they are; a value that is not an id is the schema's problem, skipped here."""
    if not path:
        if isinstance(value, str) and _SLUG.fullmatch(value):
            yield at, value
        return
    part, rest = path[0], path[1:]
    if part == EACH:
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                yield from _named(item, rest, (*at, index))
        return
    assert isinstance(part, str)
    if isinstance(value, dict):
        child = value.get(part)
    else:
        child = getattr(value, _ATTRIBUTES.get(part, part), None)
    if child is not None:
        yield from _named(child, rest, (*at, part))


def _records(file: ReadFile, section: str) -> list[Any]:
    if isinstance(file, LoadedFile):
        return list(getattr(file.dataset, section))
    records = file.data.get(section) if file.data is not None else None
    return records if isinstance(records, list) else []


def _written_id(record: Any) -> str | None:
    value = record.get("id") if isinstance(record, dict) else getattr(record, "id", None)
    return value if isinstance(value, str) else None


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
            for index, record in enumerate(_records(file, section)):
                written = _written_id(record)
                if written is None:
                    continue
                # An id that breaks the id rule has its own problem already; it counts as
                # the id that problem says to write, so references to that resolve.
                record_id = written if _SLUG.fullmatch(written) else slug_of(written)
                first = seen[kind].get(record_id)
                if first is None:
                    seen[kind][record_id] = file.name
                elif record_id == written:
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
        for section, references in REFERENCES.items():
            for index, record in enumerate(_records(file, section)):
                for path, kind in references:
                    pool = pools[kind]
                    for at, ref in _named(record, path, (section, index)):
                        if ref not in pool:
                            report(file, at, _unknown_of(kind, ref, hints[kind]))
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
