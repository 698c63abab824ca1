"""AI Financing Graph for notebooks: the API's questions as Python calls.

    import aifg
    web = aifg.read("seeds/")  # or aifg.open(): the store `aifg serve` uses
    web.exposure("oracle", as_of="2026-01-29").to_pandas()

(README, "In a notebook", runs a longer example under test.)

`aifg.read(paths)` validates YAML files or folders into memory, no store needed;
`aifg.open()` opens the configured store (embedded by default, Neo4j with
`store="neo4j"` and NEO4J_URI). Either gives a `Graph` whose methods are the API's
questions (commitments, exposure, cycles, concentration, stress, timeline) taking the
API's parameters and returning the API's models, each with `.to_pandas()` (pandas is
the `notebook` extra), and `network(as_of)`, the graph at a date as networkx.
"""

from aifg.answers import Commitments, Concentration, Cycles, Exposure, Stress, Timeline
from aifg.library import Graph, open, read

__all__ = [
    "Commitments",
    "Concentration",
    "Cycles",
    "Exposure",
    "Graph",
    "Stress",
    "Timeline",
    "open",
    "read",
]
