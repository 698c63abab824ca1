"""Dataset -> an immutable in-memory snapshot with a networkx money-flow graph."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

import networkx as nx

from graph.gcpause import keep_out_of_collections, paused_gc
from schemas.commitments import Commitment
from schemas.entities import Entity
from schemas.enums import CONTRACT_KINDS, MONEY_FLOW_KINDS, CommitmentKind, ValueBasis
from schemas.events import Event

T = TypeVar("T")
# Enum .value is a descriptor call; a dict lookup is several times cheaper per commitment.
_KIND_VALUES = {kind: kind.value for kind in CommitmentKind}


@dataclass(frozen=True)
class ExposureEdge:
    """E[a][b]: what `a` stands to lose if `b` fails, summed over commitments (USD)."""

    usd: Decimal
    kinds: tuple[str, ...]
    commitments: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """One consistent view of the data: readers hold it while an import swaps in the next.

    `graph` is the money-flow MultiDiGraph over every commitment (edge key = commitment
    id, edge attribute `commitment`), built on first use: the queries read the cached
    views at a date and basis instead, and at a million commitments the multigraph
    alone would cost about a kilobyte per commitment.
    """

    entities: Mapping[str, Entity]
    commitments: Mapping[str, Commitment]
    events: Mapping[str, Event]
    _views: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False)

    def live(self, as_of: dt.date, *, include_inactive: bool = False) -> Iterator[Commitment]:
        """Commitments that count at `as_of` (all announced ones with include_inactive)."""
        for commitment in self.commitments.values():
            if commitment.counts_at(as_of) or (include_inactive and commitment.announced <= as_of):
                yield commitment

    def cached(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """A derived view of this snapshot, built once per key (snapshots never change).

        Built with the cyclic collector paused and then kept out of its sight, like the
        snapshot itself: a view lives as long as the snapshot, and at a million
        commitments the collector's full passes over one date's exposure view doubled
        the time of the queries that happened to trigger them.
        """
        if key not in self._views:
            with paused_gc():
                self._views[key] = build()
            keep_out_of_collections()
        return self._views[key]  # type: ignore[return-value]

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The money-flow MultiDiGraph over every commitment (built once, on first use)."""
        return self.cached(("graph",), lambda: _multigraph(self))

    def exposure_in(
        self, as_of: dt.date, basis: ValueBasis
    ) -> Mapping[str, Mapping[str, ExposureEdge]]:
        """E reversed: in[b][a] = E[a][b], who is exposed to b (cached)."""
        return self.cached(
            ("exposure_in", as_of, basis), lambda: reverse_exposure(self.exposure(as_of, basis))
        )

    def exposure(
        self, as_of: dt.date, basis: ValueBasis
    ) -> Mapping[str, Mapping[str, ExposureEdge]]:
        """E as adjacency: E[a][b] for every pair with something at stake (cached)."""
        return self.cached(("exposure", as_of, basis), lambda: _exposure(self, as_of, basis))

    def money_flow(self, as_of: dt.date, basis: ValueBasis) -> nx.DiGraph[str]:
        """Simple DiGraph of live money flow from -> to with summed `usd` and commitment ids."""
        return self.cached(("money_flow", as_of, basis), lambda: _money_flow(self, as_of, basis))


def exposure_pair(commitment: Commitment) -> tuple[str, str]:
    """(exposed, counterparty): who stands to lose if whom fails, by commitment kind.

    A contract's recipient holds a receivable from the payer; an investor, lender,
    warrant holder or guarantor holds a stake in the recipient.
    """
    if commitment.kind in CONTRACT_KINDS:
        return commitment.to, commitment.from_
    return commitment.from_, commitment.to


def _exposure(
    snapshot: Snapshot, as_of: dt.date, basis: ValueBasis
) -> dict[str, dict[str, ExposureEdge]]:
    groups: dict[tuple[str, str], list[Commitment]] = {}
    for commitment in snapshot.live(as_of):
        if commitment.kind not in MONEY_FLOW_KINDS:
            continue
        pair = exposure_pair(commitment)
        group = groups.get(pair)
        if group is None:
            groups[pair] = [commitment]
        else:
            group.append(commitment)
    out: dict[str, dict[str, ExposureEdge]] = {}
    # In (exposed, counterparty) order, as the Neo4j store reads its pairs: look-through
    # sums floats along the walk, and the walk follows this order.
    for a, b in sorted(groups):
        group = groups[a, b]
        out.setdefault(a, {})[b] = ExposureEdge(
            sum((c.total_usd(basis) for c in group), start=Decimal(0)),
            tuple(sorted({_KIND_VALUES[c.kind] for c in group})),
            tuple(sorted(c.id for c in group)),
        )
    return out


def reverse_exposure(
    exposure: Mapping[str, Mapping[str, ExposureEdge]],
) -> dict[str, dict[str, ExposureEdge]]:
    """in[b][a] = E[a][b]: who is exposed to b."""
    out: dict[str, dict[str, ExposureEdge]] = {}
    for a, row in exposure.items():
        for b, edge in row.items():
            out.setdefault(b, {})[a] = edge
    return out


def _multigraph(snapshot: Snapshot) -> nx.MultiDiGraph[str]:
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(snapshot.entities)
    # (u, v, key, data) tuples: valid for multigraphs, unknown to the stubs.
    graph.add_edges_from(
        (c.from_, c.to, c.id, {"commitment": c})  # type: ignore[misc]
        for c in snapshot.commitments.values()
    )
    return graph


def _money_flow(snapshot: Snapshot, as_of: dt.date, basis: ValueBasis) -> nx.DiGraph[str]:
    flow: nx.DiGraph[str] = nx.DiGraph()
    for commitment in snapshot.live(as_of):
        if commitment.kind not in MONEY_FLOW_KINDS:
            continue
        u, v = commitment.from_, commitment.to
        if flow.has_edge(u, v):
            data = flow.edges[u, v]
            data["usd"] += commitment.total_usd(basis)
            data["commitments"].append(commitment.id)
        else:
            flow.add_edge(u, v, usd=commitment.total_usd(basis), commitments=[commitment.id])
    return flow


def build_snapshot(
    entities: Iterable[Entity], commitments: Iterable[Commitment], events: Iterable[Event] = ()
) -> Snapshot:
    # Records in id order whatever order a store or an import hands them over in, so
    # listings, exports and float sums are the same on every store (timsort: cheap when
    # the input is already sorted, as the stores' reads are).
    entity_map = {e.id: e for e in sorted(entities, key=_by_id)}
    commitment_map = {c.id: c for c in sorted(commitments, key=_by_id)}
    event_map = {e.id: e for e in sorted(events, key=_by_id)}
    return Snapshot(entity_map, commitment_map, event_map)


def _by_id(record: Entity | Commitment | Event) -> str:
    return record.id


def updated_snapshot(
    base: Snapshot,
    entities: Iterable[Entity],
    commitments: Iterable[Commitment],
    events: Iterable[Event],
) -> Snapshot:
    """`base` with the given records added or replaced (by id)."""
    entity_map = dict(base.entities)
    entity_map.update((e.id, e) for e in entities)
    commitment_map = dict(base.commitments)
    commitment_map.update((c.id, c) for c in commitments)
    event_map = dict(base.events)
    event_map.update((e.id, e) for e in events)
    return build_snapshot(entity_map.values(), commitment_map.values(), event_map.values())
