"""The graph at a date as a networkx MultiDiGraph: what the JSON, GraphML and GEXF exports
hold and what `aifg.Graph.network` returns.

Each export holds the entities and the commitments announced by `as_of`, with the status
at that date; `live_only` keeps just those that count then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import networkx as nx

from graph.counting import counts, exposure_pair
from graph.snapshot import Snapshot
from schemas.commitments import Commitment
from schemas.enums import MONEY_FLOW_KINDS, ValueBasis


def known_at(snapshot: Snapshot, as_of: dt.date, live_only: bool) -> Iterator[Commitment]:
    """The commitments announced by `as_of` (counting then, with `live_only`), each with
    its status history up to that date: what a reader could have known on the day."""
    for c in snapshot.commitments.values():
        if c.announced > as_of or c.status_at(as_of) is None:
            continue
        if live_only and not c.counts_at(as_of):
            continue
        known = [s for s in c.status if s.date <= as_of]
        yield c if len(known) == len(c.status) else c.model_copy(update={"status": known})


def export_graph(
    snapshot: Snapshot, *, as_of: dt.date, live_only: bool = False
) -> nx.MultiDiGraph[str]:
    """A MultiDiGraph with scalar attributes only (what GraphML and JSON can carry), an
    edge per commitment keyed by its id.

    An undisclosed amount is None (null in JSON, absent in GraphML), never 0; `counted_usd`
    is what the commitment counts for at `as_of` (a whole only for its remainder beyond
    its parts, less stated overlaps), None when undisclosed or not counting then.
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(as_of=as_of.isoformat())
    adjusted = snapshot.adjustments(as_of, ValueBasis.POINT)
    for entity in snapshot.entities.values():
        graph.add_node(
            entity.id,
            name=entity.name,
            kind=entity.kind.value,
            sectors=",".join(entity.sectors),
            country=entity.country or "",
            ticker=entity.ticker or "",
        )
    for c in known_at(snapshot, as_of, live_only):
        counts_then = counts(c, as_of)
        counted = adjusted[c.id].usd if c.id in adjusted else c.amount_usd()
        graph.add_edge(
            c.from_,
            c.to,
            key=c.id,
            id=c.id,
            kind=c.kind.value,
            usd=_float(c.amount_usd()),
            usd_low=_float(c.amount_usd(ValueBasis.LOW)),
            usd_high=_float(c.amount_usd(ValueBasis.HIGH)),
            counted_usd=_float(counted) if counts_then else None,
            disclosed=c.amount is not None,
            up_to=bool(c.amount and c.amount.up_to),
            estimate=bool(c.amount and c.amount.estimate),
            status=c.status[-1].status.value,
            counts=counts_then,
            # Who stands to lose if the other party fails ("" where no money flows).
            exposed=exposure_pair(c)[0] if c.kind in MONEY_FLOW_KINDS else "",
            binding="" if c.binding is None else str(c.binding).lower(),
            announced=c.announced.isoformat(),
            source_url=c.sources[0].url,  # not `source`: node-link JSON uses that key
            # The lead source's kind and publisher, and every source's page (space-separated:
            # GraphML holds no lists), so a picture can say what its figures rest on.
            source_kind=c.sources[0].kind.value,
            source_publisher=c.sources[0].publisher,
            source_urls=" ".join(s.url for s in c.sources),
        )
    return graph


def without_unknowns(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy without the None attributes, for formats that have no null (GraphML, GEXF):
    there an unknown value is an absent attribute, never 0 or an empty string."""
    known = graph.copy()
    for _, _, attrs in known.edges(data=True):
        for name in [name for name, value in attrs.items() if value is None]:
            del attrs[name]
    return known


def _float(usd: Decimal | None) -> float | None:
    return None if usd is None else float(usd)
