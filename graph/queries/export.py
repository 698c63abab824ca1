"""The graph for other tools, in the format asked (one module each in graph/formats):
node-link JSON (networkx), GraphML (yEd, Gephi), GEXF with time (Gephi's timeline), a
Cypher script (Neo4j), FollowTheMoney JSON lines (Aleph, OpenSanctions' tools) and a
Frictionless data package of CSVs (bulk download).

Each holds the entities and the commitments announced by `as_of`, with the status at
that date; `live_only` keeps just those that count then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph.formats import cypher, datapackage, ftm, gexf
from graph.formats.graphml import to_graphml
from graph.formats.network import export_graph
from graph.formats.node_link import to_node_link
from graph.snapshot import Snapshot
from schemas.queries import ExportFormat, ExportQuery, resolve_as_of

MEDIA_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.GEXF: "application/gexf+xml",
    ExportFormat.CYPHER: "application/x-cypher",
    ExportFormat.FTM: ftm.MEDIA_TYPE,
    ExportFormat.DATAPACKAGE: datapackage.MEDIA_TYPE,
}
# The file name a download is saved under.
FILE_NAMES = {
    ExportFormat.JSON: "ai-financing-graph.json",
    ExportFormat.GRAPHML: "ai-financing-graph.graphml",
    ExportFormat.GEXF: "ai-financing-graph.gexf",
    ExportFormat.CYPHER: "ai-financing-graph.cypher",
    ExportFormat.FTM: "ai-financing-graph.ftm.json",
    ExportFormat.DATAPACKAGE: "ai-financing-graph-datapackage.zip",
}
Writer = Callable[..., Any]
# The formats written from the snapshot itself (not from the networkx graph).
FROM_SNAPSHOT: dict[ExportFormat, Writer] = {
    ExportFormat.GEXF: gexf.to_gexf,
    ExportFormat.CYPHER: cypher.to_cypher,
    ExportFormat.FTM: ftm.to_ftm,
    ExportFormat.DATAPACKAGE: datapackage.to_datapackage,
}


@dataclass(frozen=True)
class Export:
    """An export's body: a JSON value for `json`, bytes for the zipped data package,
    text for the others."""

    format: ExportFormat
    content: Any

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def file_name(self) -> str:
        return FILE_NAMES[self.format]


def export(snapshot: Snapshot, query: ExportQuery, *, today: dt.date) -> Export:
    as_of: dt.date = resolve_as_of(query.as_of, today)
    if query.format in FROM_SNAPSHOT:
        writer = FROM_SNAPSHOT[query.format]
        return Export(query.format, writer(snapshot, as_of=as_of, live_only=query.live_only))
    graph = export_graph(snapshot, as_of=as_of, live_only=query.live_only)
    if query.format is ExportFormat.GRAPHML:
        return Export(query.format, to_graphml(graph))
    return Export(query.format, to_node_link(graph))
