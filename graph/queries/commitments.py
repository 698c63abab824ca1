"""Commitments: a filtered listing and one by id."""

from __future__ import annotations

from graph.lookup import require_commitment, require_entity
from graph.snapshot import Snapshot
from schemas.api import CommitmentPage
from schemas.commitments import Commitment
from schemas.queries import CommitmentQuery


def list_commitments(snapshot: Snapshot, query: CommitmentQuery) -> CommitmentPage:
    """Commitments matching every given filter, by announcement date then id.

    With `as_of` and no `status`, only commitments that count at that date (README,
    as_of); `status` tests the status at `as_of` if given, else the latest status.
    """
    for entity_id in (query.entity, query.counterparty):
        if entity_id is not None:
            require_entity(snapshot, entity_id)
    found = []
    for c in snapshot.commitments.values():
        parties = (c.from_, c.to)
        if query.entity is not None and query.entity not in parties:
            continue
        if query.counterparty is not None and query.counterparty not in parties:
            continue
        if query.kind is not None and c.kind is not query.kind:
            continue
        if query.binding is not None and c.binding is not query.binding:
            continue
        if query.min_usd is not None and float(c.total_usd()) < query.min_usd:
            continue
        if query.as_of is not None:
            status = c.status_at(query.as_of)
            if query.status is None and not c.counts_at(query.as_of):
                continue
        else:
            status = c.status[-1].status
        if query.status is not None and status is not query.status:
            continue
        found.append(c)
    found.sort(key=lambda c: (c.announced, c.id))
    return CommitmentPage(
        total=len(found),
        limit=query.limit,
        offset=query.offset,
        items=found[query.offset : query.offset + query.limit],
    )


def get_commitment(snapshot: Snapshot, commitment_id: str) -> Commitment:
    return require_commitment(snapshot, commitment_id)
