"""One function per question, each pure over a snapshot and a typed query (schemas.queries).

Every API route and every CLI command is a call to one of these, so both answer the same
way, from either store.
"""

from graph.queries.commitments import get_commitment, list_commitments
from graph.queries.concentration import concentration
from graph.queries.cycles import cycles
from graph.queries.entities import entity_detail, search_entities
from graph.queries.export import Export, export
from graph.queries.exposure import exposure
from graph.queries.health import health
from graph.queries.stress import compare, run_stress, series
from graph.queries.timeline import timeline

__all__ = [
    "Export",
    "compare",
    "concentration",
    "cycles",
    "entity_detail",
    "export",
    "exposure",
    "get_commitment",
    "health",
    "list_commitments",
    "run_stress",
    "search_entities",
    "series",
    "timeline",
]
