"""The graph as GEXF 1.2 with time, so Gephi's timeline plays the web's history.

Each commitment's edge carries its counting intervals (Commitment.counting_intervals:
from the status history known at `as_of`, and `replaced_by`) as GEXF spells, and `start`
/ `end` for the first start and the last end; an interval still open at `as_of` has no
end. A commitment that never counted by `as_of` (withdrawn before it was live) has no
time to show and is left out, so a static view of the file is the web as it ever counted.
"""

from __future__ import annotations

import datetime as dt
import io

import networkx as nx

from graph.formats.network import export_graph, known_at, without_unknowns
from graph.snapshot import Snapshot


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def to_gexf(snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False) -> str:
    graph = without_unknowns(export_graph(snapshot, as_of=as_of, live_only=live_only))
    for commitment in known_at(snapshot, as_of, live_only):
        spells = [(start, end) for start, end in commitment.counting_intervals() if start <= as_of]
        edge = (commitment.from_, commitment.to, commitment.id)
        if not spells:
            graph.remove_edge(*edge)
            continue
        attrs = graph.edges[edge]
        attrs["spells"] = [(_iso(start), _iso(end)) for start, end in spells]
        attrs["start"] = spells[0][0].isoformat()
        if spells[-1][1] is not None:
            attrs["end"] = spells[-1][1].isoformat()
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", version="1.2draft")
    return buffer.getvalue().decode("utf-8")
