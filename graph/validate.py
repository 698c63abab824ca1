"""Checks across records and files: unique ids and references that resolve."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence

from graph.errors import DataError
from graph.load import LoadedFile
from schemas.dataset import Dataset
from schemas.problems import Problem


def suggest(wanted: str, candidates: Collection[str], n: int = 3) -> list[str]:
    """Close ids for a "did you mean" hint."""
    return difflib.get_close_matches(wanted, list(candidates), n=n, cutoff=0.6)


def _unknown(kind: str, wanted: str, candidates: Collection[str]) -> str:
    hint = suggest(wanted, candidates)
    did_you_mean = f"; did you mean {' or '.join(repr(h) for h in hint)}?" if hint else ""
    return f"unknown {kind} {wanted!r}{did_you_mean}"


def check_files(
    files: Sequence[LoadedFile],
    *,
    known_entities: Collection[str] = frozenset(),
    known_commitments: Collection[str] = frozenset(),
    known_events: Collection[str] = frozenset(),
) -> None:
    """Raise a DataError listing every duplicate id and dangling reference in `files`.

    Records may reference ids already in the store (`known_*`) or anywhere in `files`.
    """
    problems: list[Problem] = []
    seen: dict[str, dict[str, str]] = {"entities": {}, "commitments": {}, "events": {}}
    for file in files:
        for section in ("entities", "commitments", "events"):
            for index, record in enumerate(getattr(file.dataset, section)):
                first = seen[section].get(record.id)
                if first is not None:
                    problems.append(
                        file.problem(
                            (section, index, "id"),
                            f"duplicate id {record.id!r} (first defined in {first})",
                        )
                    )
                else:
                    seen[section][record.id] = file.name
    entities = set(known_entities) | seen["entities"].keys()
    commitments = set(known_commitments) | seen["commitments"].keys()
    events = set(known_events) | seen["events"].keys()
    for file in files:
        for index, commitment in enumerate(file.dataset.commitments):
            for field, ref in (("from", commitment.from_), ("to", commitment.to)):
                if ref not in entities:
                    problems.append(
                        file.problem(
                            ("commitments", index, field), _unknown("entity", ref, entities)
                        )
                    )
            links: list[tuple[tuple[str | int, ...], str | None]] = [
                (("part_of",), commitment.part_of)
            ]
            if commitment.replaced_by is not None:
                links.append((("replaced_by", "commitment"), commitment.replaced_by.commitment))
            links += [
                (("overlaps", n, "commitment"), o.commitment)
                for n, o in enumerate(commitment.overlaps)
            ]
            for path, target in links:
                if target is not None and target not in commitments:
                    problems.append(
                        file.problem(
                            ("commitments", index, *path),
                            _unknown("commitment", target, commitments),
                        )
                    )
            leads = commitment.round.leads if commitment.round else []
            for position, ref in enumerate(leads):
                if ref not in entities:
                    problems.append(
                        file.problem(
                            ("commitments", index, "round", "leads", position),
                            _unknown("entity", ref, entities),
                        )
                    )
        for index, event in enumerate(file.dataset.events):
            for field, refs, pool, kind in (
                ("entities", event.entities, entities, "entity"),
                ("commitments", event.commitments, commitments, "commitment"),
                ("disputed_by", event.disputed_by, events, "event"),
            ):
                for position, ref in enumerate(refs):
                    if ref not in pool:
                        problems.append(
                            file.problem(
                                ("events", index, field, position), _unknown(kind, ref, pool)
                            )
                        )
    if problems:
        raise DataError(problems)


def merge(files: Sequence[LoadedFile]) -> Dataset:
    """One dataset holding every record of `files` (already validated: no re-validation)."""
    return Dataset.model_construct(
        entities=[e for f in files for e in f.dataset.entities],
        commitments=[c for f in files for c in f.dataset.commitments],
        events=[e for f in files for e in f.dataset.events],
    )
