"""Checks across records and files: unique ids and references that resolve."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from graph.errors import Problems
from graph.load import FieldPath, LoadedFile
from graph.suggest import Suggester, did_you_mean
from schemas.dataset import Dataset


def _unknown(kind: str, wanted: str, hints: Suggester) -> str:
    return f"unknown {kind} {wanted!r}{did_you_mean(hints(wanted))}"


def check_files(
    files: Sequence[LoadedFile],
    *,
    known_entities: Collection[str] = frozenset(),
    known_commitments: Collection[str] = frozenset(),
    known_events: Collection[str] = frozenset(),
) -> None:
    """Raise a DataError listing the duplicate ids and dangling references in `files`
    (the first MAX_PROBLEMS located, with hints; the rest counted).

    Records may reference ids already in the store (`known_*`) or anywhere in `files`.
    """
    problems = Problems()

    def report(file: LoadedFile, path: FieldPath, message: str | Callable[[], str]) -> None:
        problems.add(lambda: file.problem(path, message if isinstance(message, str) else message()))

    seen: dict[str, dict[str, str]] = {"entities": {}, "commitments": {}, "events": {}}
    for file in files:
        for section in ("entities", "commitments", "events"):
            for index, record in enumerate(getattr(file.dataset, section)):
                first = seen[section].get(record.id)
                if first is not None:
                    report(
                        file,
                        (section, index, "id"),
                        f"duplicate id {record.id!r} (first defined in {first})",
                    )
                else:
                    seen[section][record.id] = file.name
    entities = set(known_entities) | seen["entities"].keys()
    commitments = set(known_commitments) | seen["commitments"].keys()
    events = set(known_events) | seen["events"].keys()
    pools = {
        "entity": (entities, Suggester(entities)),
        "commitment": (commitments, Suggester(commitments)),
        "event": (events, Suggester(events)),
    }

    def check(file: LoadedFile, path: FieldPath, kind: str, ref: str | None) -> None:
        pool, hints = pools[kind]
        if ref is not None and ref not in pool:
            report(file, path, lambda: _unknown(kind, ref, hints))

    for file in files:
        for index, commitment in enumerate(file.dataset.commitments):
            at: FieldPath = ("commitments", index)
            check(file, (*at, "from"), "entity", commitment.from_)
            check(file, (*at, "to"), "entity", commitment.to)
            check(file, (*at, "part_of"), "commitment", commitment.part_of)
            if commitment.replaced_by is not None:
                path = (*at, "replaced_by", "commitment")
                check(file, path, "commitment", commitment.replaced_by.commitment)
            for n, overlap in enumerate(commitment.overlaps):
                check(file, (*at, "overlaps", n, "commitment"), "commitment", overlap.commitment)
            leads = commitment.round.leads if commitment.round else []
            for position, ref in enumerate(leads):
                check(file, (*at, "round", "leads", position), "entity", ref)
        for index, event in enumerate(file.dataset.events):
            for field, refs, kind in (
                ("entities", event.entities, "entity"),
                ("commitments", event.commitments, "commitment"),
                ("disputed_by", event.disputed_by, "event"),
            ):
                for position, ref in enumerate(refs):
                    check(file, ("events", index, field, position), kind, ref)
    problems.raise_if_any()


def merge(files: Sequence[LoadedFile]) -> Dataset:
    """One dataset holding every record of `files` (already validated: no re-validation)."""
    return Dataset.model_construct(
        entities=[e for f in files for e in f.dataset.entities],
        commitments=[c for f in files for c in f.dataset.commitments],
        events=[e for f in files for e in f.dataset.events],
    )
