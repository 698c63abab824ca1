"""Direct and look-through exposure of one entity, in both directions (README, Exposure).

E[a][b] is what a stands to lose if b fails. Look-through exposure of a to z up to
depth k sums, over simple paths a=v0 -> ... -> vm=z (m <= k), E[v0][v1] times the
dependence shares D[vi][vi+1] = E[vi][vi+1] / sum_x E[vi][x] along the rest of the path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from graph.lookup import name_of, require_entity
from graph.snapshot import Snapshot
from graph.views import Adjacency, ExposureTotals
from schemas.enums import Direction
from schemas.queries import ExposureQuery, resolve_as_of
from schemas.results import ExposurePath, ExposureReport, LookThroughExposure

MAX_PATHS = 10  # paths listed per ultimate counterparty, largest first


def walk(
    exposure: Adjacency,
    entity: str,
    *,
    depth: int,
    direction: Direction,
    min_usd: float,
    totals: ExposureTotals,
    incoming: Adjacency,
) -> Iterator[tuple[tuple[str, ...], float]]:
    """(path, look-through USD) of every simple path of length 1..depth worth > min_usd,
    oriented from the exposed entity to the failing one.

    Pruning is exact: a path is extended only if some extension could still be worth
    more than `min_usd`. Going out, values only shrink along a path (shares are at most
    1). Coming in, an extension adds a hop in front, whose amount is at most the largest
    E in the network, so a suffix whose share product times that amount is <= min_usd
    has no extension worth reporting. This keeps a hub at depth 3 from enumerating
    millions of immaterial paths once a materiality threshold is set.

    >>> from graph.views import ExposureEdge, exposure_totals, reverse
    >>> def edge(usd):
    ...     return ExposureEdge(Decimal(usd), (), ())
    >>> e = {"a": {"b": edge(100)}, "b": {"c": edge(50)}}
    >>> sorted(walk(e, "a", depth=2, direction=Direction.OUT, min_usd=0,
    ...             totals=exposure_totals(e), incoming=reverse(e)))
    [(('a', 'b'), 100.0), (('a', 'b', 'c'), 100.0)]
    """
    sums = totals.row_sums
    if direction is Direction.OUT:
        stack: list[tuple[tuple[str, ...], float]] = [((entity,), 0.0)]
        while stack:
            path, value = stack.pop()
            head = path[-1]
            for nxt, edge in exposure.get(head, {}).items():
                if nxt in path:
                    continue
                if len(path) == 1:
                    usd = float(edge.usd)
                elif sums[head] > 0:
                    usd = value * float(edge.usd) / sums[head]
                else:  # nothing disclosed at this hop: no share can pass through it
                    continue
                if usd <= min_usd:
                    continue
                yield (*path, nxt), usd
                if len(path) < depth:
                    stack.append(((*path, nxt), usd))
        return
    largest = totals.largest
    # The suffix product Q holds the dependence shares of every hop after the first.
    back: list[tuple[tuple[str, ...], float]] = [((entity,), 1.0)]
    while back:
        suffix, q = back.pop()
        head = suffix[0]
        for prev, edge in incoming.get(head, {}).items():
            if prev in suffix:
                continue
            usd = float(edge.usd) * q
            if usd > min_usd:
                yield (prev, *suffix), usd
            if len(suffix) < depth and sums.get(prev, 0.0) > 0:
                share = q * float(edge.usd) / sums[prev]
                if largest * share > min_usd:
                    back.append(((prev, *suffix), share))


def exposure(
    snapshot: Snapshot, entity_id: str, query: ExposureQuery, *, today: dt.date
) -> ExposureReport:
    """Exposure of `entity_id` at the query's date: per counterparty, and look-through
    when depth > 1. `min_usd` is the look-through's materiality threshold: paths worth
    that much or less are left out and not followed. `limit` lists only the largest
    counterparties (and ultimate counterparties) of each list; totals and counts still
    cover them all."""
    require_entity(snapshot, entity_id)
    as_of = resolve_as_of(query.as_of, today)
    adjacency = snapshot.exposure(as_of, query.basis)
    incoming = snapshot.exposure_in(as_of, query.basis)
    row = (adjacency if query.direction is Direction.OUT else incoming).get(entity_id, {})
    total = sum((edge.usd for edge in row.values()), start=Decimal(0))
    # The largest first, ties by id; rows are built only for those listed, as a hub can
    # have many thousands of counterparties.
    listed = sorted(row.items(), key=lambda item: (-float(item[1].usd), item[0]))[: query.limit]
    whole = float(total)
    # Plain rows, validated with the report in one pydantic-core call (a hub has
    # thousands: one call is cheaper than a model per row).
    counterparties = [
        {
            "id": other,
            "name": name_of(snapshot, other),
            "usd": float(edge.usd),
            "share": float(edge.usd) / whole if whole else 0.0,
            "kinds": edge.kinds,
            "commitments": edge.commitments,
        }
        for other, edge in listed
    ]
    look_through: list[LookThroughExposure] = []
    if query.depth > 1:
        look_through = _look_through(
            snapshot,
            walk(
                adjacency,
                entity_id,
                depth=query.depth,
                direction=query.direction,
                min_usd=query.min_usd,
                totals=snapshot.exposure_totals(as_of, query.basis),
                incoming=incoming,
            ),
            direction=query.direction,
        )
    return ExposureReport.model_validate(
        {
            "entity": entity_id,
            "name": name_of(snapshot, entity_id),
            "direction": query.direction,
            "as_of": as_of,
            "basis": query.basis,
            "depth": query.depth,
            "total_usd": whole,
            "counterparty_count": len(row),
            "counterparties": counterparties,
            "look_through_count": len(look_through),
            "look_through": look_through[: query.limit],
        }
    )


@dataclass
class _End:
    """Running totals of the paths to one end entity."""

    usd: float = 0.0
    count: int = 0
    best: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # (-usd, path)


def _look_through(
    snapshot: Snapshot,
    paths: Iterator[tuple[tuple[str, ...], float]],
    *,
    direction: Direction,
) -> list[LookThroughExposure]:
    """Per end entity: the sum and count of its paths and the MAX_PATHS largest,
    gathered as the walk finds them, so no list of every path is ever held."""
    ends: dict[str, _End] = {}
    trim_at = 2 * MAX_PATHS + 16
    for path, usd in paths:
        end = path[-1] if direction is Direction.OUT else path[0]
        acc = ends.get(end)
        if acc is None:
            acc = ends[end] = _End()
        acc.usd += usd
        acc.count += 1
        acc.best.append((-usd, path))
        if len(acc.best) >= trim_at:  # keep the best MAX_PATHS: (-usd, path) is a total order
            acc.best.sort()
            del acc.best[MAX_PATHS:]
    out = []
    for end, acc in ends.items():
        acc.best.sort()
        out.append(
            LookThroughExposure(
                id=end,
                name=name_of(snapshot, end),
                usd=acc.usd,
                path_count=acc.count,
                paths=[ExposurePath(path=list(p), usd=-neg) for neg, p in acc.best[:MAX_PATHS]],
            )
        )
    out.sort(key=lambda r: (-r.usd, r.id))
    return out
