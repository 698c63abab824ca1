"""Circular financing: directed cycles in the money-flow graph at a date.

A cycle's round-trip amount is the smallest hop on it (README, Circular financing). Enumeration uses
networkx's length-bounded search and stops after `scan_limit` cycles, so a dense graph
answers with `truncated` set rather than hanging.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import networkx as nx

from graph import budget
from schemas.enums import ValueBasis
from schemas.results import Cycle, CycleReport


def _through(flow: nx.DiGraph[str], entity: str, max_length: int) -> Iterator[list[str]]:
    """Cycles through `entity`: a simple path from it to a predecessor, closed by an edge."""
    if entity not in flow:
        return
    for pred in flow.predecessors(entity):
        if pred == entity:
            continue
        for path in nx.all_simple_paths(flow, entity, pred, cutoff=max_length - 1):
            yield list(path)


def _cycle(flow: nx.DiGraph[str], nodes: list[str], hops: list[tuple[str, str]]) -> Cycle:
    hop_usd: list[float | None] = []
    unpriced, partial = [], False
    for u, v in hops:
        data = flow.edges[u, v]
        has_figure = len(data["commitments"]) > data["undisclosed"]
        hop_usd.append(float(data["usd"]) if has_figure else None)
        if not has_figure:
            unpriced.append(f"{u} -> {v}")
        partial |= has_figure and data["undisclosed"] > 0
    note = None
    if unpriced:
        note = "no round-trip figure: no disclosed amount on " + ", ".join(unpriced)
    elif partial:
        note = "at least: a hop also has commitments without a figure"
    known = [usd for usd in hop_usd if usd is not None]
    return Cycle(
        entities=[*nodes, nodes[0]],
        commitments=[sorted(flow.edges[u, v]["commitments"]) for u, v in hops],
        hop_usd=hop_usd,
        round_trip_usd=None if unpriced else min(known),
        priced=not unpriced,
        note=note,
    )


def canonical(nodes: list[str]) -> list[str]:
    """Rotate a cycle to start at its smallest id, so equal loops compare equal."""
    start = nodes.index(min(nodes))
    return nodes[start:] + nodes[:start]


def cycles_in_flow(
    flow: nx.DiGraph[str],
    *,
    as_of: dt.date,
    basis: ValueBasis,
    max_length: int = 6,
    entity: str | None = None,
    limit: int = 100,
    scan_limit: int = 100_000,
) -> CycleReport:
    """Cycles of a money-flow DiGraph whose edges carry `usd` (the disclosed amounts),
    `undisclosed` (how many of the hop's commitments have no figure) and `commitments`.

    A hop with no disclosed figure has no amount, so its loop has no round-trip figure:
    such loops come after the priced ones, with a note saying which hop. A hop that has a
    figure and also undisclosed commitments makes the round trip a lower bound.

    >>> flow = nx.DiGraph()
    >>> flow.add_edge("a", "b", usd=5, undisclosed=0, commitments=["ab"])
    >>> flow.add_edge("b", "a", usd=3, undisclosed=0, commitments=["ba"])
    >>> report = cycles_in_flow(flow, as_of=dt.date(2025, 1, 1), basis=ValueBasis.POINT)
    >>> report.cycles[0].round_trip_usd
    3.0
    """
    if entity is None:
        found: Iterator[list[str]] = nx.simple_cycles(flow, length_bound=max_length)
    else:
        found = _through(flow, entity, max_length)
    found = budget.metered(
        found,
        "max_length",
        f"loops of up to {max_length} hops are more than that here; ask with a smaller "
        "max_length, or for the loops through one entity",
    )
    scanned = list(itertools.islice(found, scan_limit + 1))
    truncated = len(scanned) > scan_limit
    cycles = []
    for nodes in scanned[:scan_limit]:
        if len(nodes) < 2:
            continue
        nodes = canonical(nodes) if entity is None else nodes
        hops = list(itertools.pairwise([*nodes, nodes[0]]))
        cycles.append(_cycle(flow, nodes, hops))
    cycles.sort(
        key=lambda c: (
            c.round_trip_usd is None,
            -(c.round_trip_usd or 0.0),
            len(c.entities),
            c.entities,
        )
    )
    return CycleReport(
        as_of=as_of,
        basis=basis,
        max_length=max_length,
        entity=entity,
        truncated=truncated or len(cycles) > limit,
        cycles=cycles[:limit],
    )
