"""Snapshots for tests: from (from, to, kind, usd) tuples, or from YAML files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph.imports import validate_paths
from graph.snapshot import Snapshot
from graph.snapshot import snapshot_of as build
from graph.validate import merge
from schemas import Commitment, Entity

SOURCE = {"url": "https://example.com/test", "publisher": "Test"}


def make_commitment(
    from_: str,
    to: str,
    kind: str,
    usd: float | None,
    *,
    id: str | None = None,
    announced: str = "2025-01-01",
    status: Iterable[tuple[str, str]] = (("2025-01-01", "signed"),),
) -> Commitment:
    return Commitment.model_validate(
        {
            "id": id or f"{from_}-{to}-{kind.replace('_', '-')}",
            "from": from_,
            "to": to,
            "kind": kind,
            "amount": None if usd is None else {"usd": usd},
            "announced": announced,
            "status": [{"date": d, "status": s} for d, s in status],
            "sources": [SOURCE],
        }
    )


def snapshot_of(*commitments: Commitment) -> Snapshot:
    ids = sorted({c.from_ for c in commitments} | {c.to for c in commitments})
    return build([Entity(id=i, name=i.title()) for i in ids], commitments)


def snapshot_of_files(*paths: Path) -> Snapshot:
    """The records of YAML files or folders (checked as `aifg validate` checks them)."""
    data = merge(validate_paths(list(paths), max_bytes=2**25))
    return build(data.entities, data.commitments, data.events)
