"""Direct and look-through exposure (DESIGN.md), in both directions, over a snapshot.

E[a][b] is what a stands to lose if b fails. Look-through exposure of a to z up to
depth k sums, over simple paths a=v0 -> ... -> vm=z (m <= k), E[v0][v1] times the
dependence shares D[vi][vi+1] = E[vi][vi+1] / sum_x E[vi][x] along the rest of the path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from graph.build import ExposureEdge, Snapshot, reverse_exposure
from graph.errors import InvalidQueryError, NotFoundError
from graph.gcpause import paused_gc
from graph.validate import suggest
from schemas.enums import Direction, ValueBasis
from schemas.results import (
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
    return reverse_exposure(exposure)


@dataclass(frozen=True)
class ExposureIndex:
    """What the look-through needs besides E, computed once per adjacency.

    incoming: E reversed; shares: sum_x E[a][x] for every a (the denominators of the
    dependence shares), USD; largest: the largest E[a][b], USD (bounds extensions).
    """

    incoming: Adjacency
    shares: Mapping[str, float]
    largest: float


def index_exposure(exposure: Adjacency, incoming: Adjacency | None = None) -> ExposureIndex:
    return ExposureIndex(
        incoming=incoming if incoming is not None else reverse(exposure),
        shares={a: float(sum(e.usd for e in row.values())) for a, row in exposure.items()},
        largest=max((float(e.usd) for row in exposure.values() for e in row.values()), default=0),
    )


def _walk(
    exposure: Adjacency,
    entity: str,
    *,
    depth: int,
    direction: Direction,
    min_usd: float,
    index: ExposureIndex,
) -> Iterator[tuple[tuple[str, ...], float]]:
    """(path, look-through USD) of every simple path of length 1..depth worth > min_usd.

    Pruning is exact: a path is extended only if some extension could still be worth
    more than `min_usd`. Going out, values only shrink along a path (shares are at most
    1). Coming in, an extension adds a hop in front, whose amount is at most the largest
    E in the network, so a suffix whose share product times that amount is <= min_usd
    has no extension worth reporting. This is what keeps a hub at depth 3 from
    enumerating millions of immaterial paths once a materiality threshold is set.
    """
    sums = index.shares
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
    into, largest = index.incoming, index.largest
    # The suffix product Q holds the dependence shares of every hop after the first.
    back: list[tuple[tuple[str, ...], float]] = [((entity,), 1.0)]
    while back:
        suffix, q = back.pop()
        head = suffix[0]
        for prev, edge in into.get(head, {}).items():
            if prev in suffix:
                continue
            usd = float(edge.usd) * q
            if usd > min_usd:
                yield (prev, *suffix), usd
            if len(suffix) < depth and sums.get(prev, 0.0) > 0:
                share = q * float(edge.usd) / sums[prev]
                if largest * share > min_usd:
                    back.append(((prev, *suffix), share))


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
    out, and so are extensions that could not be worth more.
    >>> e = {"a": {"b": ExposureEdge(100, (), ()), "c": ExposureEdge(50, (), ())}}
    >>> [(p.path, p.usd) for p in look_through_paths(e, "a", depth=2)]
    [(('a', 'b'), 100.0), (('a', 'c'), 50.0)]
    """
    return [
        PathValue(path, usd)
        for path, usd in _walk(
            exposure,
            entity,
            depth=depth,
            direction=direction,
            min_usd=min_usd,
            index=index_exposure(exposure),
        )
    ]


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
    limit: int | None = None,
) -> ExposureReport:
    """Exposure of `entity` at `as_of`: per counterparty, and look-through when depth > 1."""
    require_entity(snapshot, entity)
    return report_from_adjacency(
        snapshot.exposure(as_of, basis),
        entity,
        index=snapshot.cached(
            ("exposure_index", as_of, basis),
            lambda: index_exposure(
                snapshot.exposure(as_of, basis), snapshot.exposure_in(as_of, basis)
            ),
        ),
        names=lambda entity_id: _name(snapshot, entity_id),
        as_of=as_of,
        direction=direction,
        basis=basis,
        depth=depth,
        min_usd=min_usd,
        max_paths=max_paths,
        limit=limit,
    )


# A hub's report is tens of thousands of container objects that live until the answer is
# sent and form no cycles: the collector's passes over them freed nothing and took more
# than half the time of a hub's report at a million commitments.
@paused_gc()
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
    index: ExposureIndex | None = None,
    limit: int | None = None,
) -> ExposureReport:
    """The report from E as adjacency; `exposure` must hold every pair touching the
    entities within `depth` hops (the Neo4j store fetches just that neighbourhood).

    `min_usd` is the materiality threshold of the look-through: paths worth that much
    or less are left out and not followed further (0, the default, keeps every path;
    a hub at depth 3 can have millions). `index` may be passed precomputed, as the
    snapshot caches it per date and basis. `limit` lists only the largest counterparties
    (and ultimate counterparties) of each list; totals and counts still cover them all.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise InvalidQueryError(f"depth must be between 1 and {MAX_DEPTH}", field="depth")
    if limit is not None and limit < 1:
        raise InvalidQueryError("limit must be at least 1", field="limit")
    incoming: Adjacency | None = index.incoming if index is not None else None
    if direction is Direction.OUT:
        row = exposure.get(entity, {})
    else:
        if incoming is None:
            incoming = reverse(exposure)
        row = incoming.get(entity, {})
    total = sum((edge.usd for edge in row.values()), start=Decimal(0))
    # The largest first, ties by id; rows are built only for those listed, as a hub can
    # have many thousands of counterparties.
    listed = sorted(row.items(), key=lambda item: (-float(item[1].usd), item[0]))[:limit]
    # Plain rows, validated with the report in one pydantic-core call: for a hub's
    # thousands of rows that is about twice as fast as model_construct row by row.
    whole = float(total)
    counterparties = [
        {
            "id": other,
            "name": names(other),
            "usd": float(edge.usd),
            "share": float(edge.usd) / whole if whole else 0.0,
            "kinds": edge.kinds,
            "commitments": edge.commitments,
        }
        for other, edge in listed
    ]
    look_through: list[LookThroughExposure] = []
    if depth > 1:
        if index is None:
            index = index_exposure(exposure, incoming)
        look_through = _look_through(
            exposure,
            entity,
            names=names,
            depth=depth,
            direction=direction,
            min_usd=min_usd,
            max_paths=max_paths,
            index=index,
        )
    return ExposureReport.model_validate(
        {
            "entity": entity,
            "name": names(entity),
            "direction": direction,
            "as_of": as_of,
            "basis": basis,
            "depth": depth,
            "total_usd": whole,
            "counterparty_count": len(row),
            "counterparties": counterparties,
            "look_through_count": len(look_through),
            "look_through": look_through[:limit],
        }
    )


@dataclass
class _End:
    """Running totals of the paths to one end entity."""

    usd: float = 0.0
    count: int = 0
    best: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)  # (-usd, path)


def _look_through(
    exposure: Adjacency,
    entity: str,
    *,
    names: Callable[[str], str],
    depth: int,
    direction: Direction,
    min_usd: float,
    max_paths: int,
    index: ExposureIndex,
) -> list[LookThroughExposure]:
    """Per end entity: the sum and count of its paths and the `max_paths` largest,
    gathered as the walk finds them, so no list of every path is ever held."""
    ends: dict[str, _End] = {}
    trim_at = 2 * max_paths + 16
    for path, usd in _walk(
        exposure,
        entity,
        depth=depth,
        direction=direction,
        min_usd=min_usd,
        index=index,
    ):
        end = path[-1] if direction is Direction.OUT else path[0]
        acc = ends.get(end)
        if acc is None:
            acc = ends[end] = _End()
        acc.usd += usd
        acc.count += 1
        acc.best.append((-usd, path))
        if len(acc.best) >= trim_at:  # keep the best max_paths: (-usd, path) is a total order
            acc.best.sort()
            del acc.best[max_paths:]
    out = []
    for end, acc in ends.items():
        acc.best.sort()
        out.append(
            LookThroughExposure(
                id=end,
                name=names(end),
                usd=acc.usd,
                path_count=acc.count,
                paths=[ExposurePath(path=list(p), usd=-neg) for neg, p in acc.best[:max_paths]],
            )
        )
    out.sort(key=lambda r: (-r.usd, r.id))
    return out
