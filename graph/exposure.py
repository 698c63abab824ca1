"""Direct and look-through exposure (DESIGN.md), in both directions, over a snapshot.

E[a][b] is what a stands to lose if b fails. Look-through exposure of a to z up to
depth k sums, over simple paths a=v0 -> ... -> vm=z (m <= k), E[v0][v1] times the
dependence shares D[vi][vi+1] = E[vi][vi+1] / sum_x E[vi][x] along the rest of the path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from graph.build import ExposureEdge, Snapshot
from graph.errors import InvalidQueryError, NotFoundError
from graph.validate import suggest
from schemas.enums import CommitmentKind, Direction, ValueBasis
from schemas.results import (
    CounterpartyExposure,
    ExposurePath,
    ExposureReport,
    LookThroughExposure,
)

Adjacency = Mapping[str, Mapping[str, ExposureEdge]]
MAX_DEPTH = 6


@dataclass(frozen=True)
class PathValue:
    path: tuple[str, ...]
    usd: float


def reverse(exposure: Adjacency) -> dict[str, dict[str, ExposureEdge]]:
    """in[b][a] = E[a][b]: who is exposed to b."""
    out: dict[str, dict[str, ExposureEdge]] = {}
    for a, row in exposure.items():
        for b, edge in row.items():
            out.setdefault(b, {})[a] = edge
    return out


def _totals(exposure: Adjacency) -> dict[str, float]:
    return {a: float(sum(e.usd for e in row.values())) for a, row in exposure.items()}


def look_through_paths(
    exposure: Adjacency,
    entity: str,
    *,
    depth: int,
    direction: Direction = Direction.OUT,
    min_usd: float = 0.0,
) -> list[PathValue]:
    """Every simple path of length 1..depth with its look-through USD.

    out: paths from `entity` to each z; in: paths from each z to `entity`, oriented
    from the exposed entity to the failing one. Paths worth `min_usd` or less are left
    out; going out, their extensions too (shares are at most 1, so value only shrinks).
    >>> e = {"a": {"b": ExposureEdge(100, (), ()), "c": ExposureEdge(50, (), ())}}
    >>> [(p.path, p.usd) for p in look_through_paths(e, "a", depth=2)]
    [(('a', 'b'), 100.0), (('a', 'c'), 50.0)]
    """
    totals = _totals(exposure)
    found: list[PathValue] = []
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
                elif totals[head] > 0:
                    usd = value * float(edge.usd) / totals[head]
                else:  # nothing disclosed at this hop: no share can pass through it
                    continue
                if usd <= min_usd:
                    continue
                found.append(PathValue((*path, nxt), usd))
                if len(path) < depth:
                    stack.append(((*path, nxt), usd))
    else:
        incoming = reverse(exposure)
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
                    found.append(PathValue((prev, *suffix), usd))
                if len(suffix) < depth and totals[prev] > 0:
                    back.append(((prev, *suffix), q * float(edge.usd) / totals[prev]))
    return found


def _name(snapshot: Snapshot, entity_id: str) -> str:
    entity = snapshot.entities.get(entity_id)
    return entity.name if entity else entity_id


def require_entity(snapshot: Snapshot, entity_id: str) -> None:
    if entity_id not in snapshot.entities:
        raise NotFoundError("entity", entity_id, suggest(entity_id, snapshot.entities.keys()))


def exposure_report(
    snapshot: Snapshot,
    entity: str,
    *,
    as_of: dt.date,
    direction: Direction = Direction.OUT,
    basis: ValueBasis = ValueBasis.POINT,
    depth: int = 1,
    min_usd: float = 0.0,
    max_paths: int = 10,
) -> ExposureReport:
    """Exposure of `entity` at `as_of`: per counterparty, and look-through when depth > 1."""
    require_entity(snapshot, entity)
    return report_from_adjacency(
        snapshot.exposure(as_of, basis),
        entity,
        names=lambda entity_id: _name(snapshot, entity_id),
        as_of=as_of,
        direction=direction,
        basis=basis,
        depth=depth,
        min_usd=min_usd,
        max_paths=max_paths,
    )


def report_from_adjacency(
    exposure: Adjacency,
    entity: str,
    *,
    names: Callable[[str], str],
    as_of: dt.date,
    direction: Direction,
    basis: ValueBasis,
    depth: int,
    min_usd: float = 0.0,
    max_paths: int = 10,
) -> ExposureReport:
    """The report from E as adjacency; `exposure` must hold every pair touching the
    entities within `depth` hops (the Neo4j store fetches just that neighbourhood)."""
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidQueryError(f"depth must be between 1 and {MAX_DEPTH}", field="depth")
    if direction is Direction.OUT:
        row = exposure.get(entity, {})
    else:
        row = reverse(exposure).get(entity, {})
    total = sum((edge.usd for edge in row.values()), start=Decimal(0))
    counterparties = [
        CounterpartyExposure(
            id=other,
            name=names(other),
            usd=float(edge.usd),
            share=float(edge.usd / total) if total else 0.0,
            kinds=[CommitmentKind(k) for k in edge.kinds],
            commitments=list(edge.commitments),
        )
        for other, edge in row.items()
    ]
    counterparties.sort(key=lambda c: (-c.usd, c.id))
    look_through: list[LookThroughExposure] = []
    if depth > 1:
        by_end: dict[str, list[PathValue]] = {}
        for pv in look_through_paths(
            exposure, entity, depth=depth, direction=direction, min_usd=min_usd
        ):
            end = pv.path[-1] if direction is Direction.OUT else pv.path[0]
            by_end.setdefault(end, []).append(pv)
        for end, paths in by_end.items():
            paths.sort(key=lambda p: (-p.usd, p.path))
            look_through.append(
                LookThroughExposure(
                    id=end,
                    name=names(end),
                    usd=sum(p.usd for p in paths),
                    path_count=len(paths),
                    paths=[ExposurePath(path=list(p.path), usd=p.usd) for p in paths[:max_paths]],
                )
            )
        look_through.sort(key=lambda r: (-r.usd, r.id))
    return ExposureReport(
        entity=entity,
        name=names(entity),
        direction=direction,
        as_of=as_of,
        basis=basis,
        depth=depth,
        total_usd=float(total),
        counterparties=counterparties,
        look_through=look_through,
    )
