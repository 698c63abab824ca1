"""Build small datasets in tests from (from, to, kind, usd) tuples."""

from __future__ import annotations

from collections.abc import Iterable

from graph.build import Snapshot, build_snapshot
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
    return build_snapshot([Entity(id=i, name=i.title()) for i in ids], commitments)
