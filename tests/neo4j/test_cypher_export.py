"""GET /graph?format=cypher recreates the graph in a real Neo4j, names with Cypher
syntax in them included."""

from __future__ import annotations

import datetime as dt

import pytest

from graph import service
from graph.export import RELATIONSHIP_TYPES, export_graph, to_cypher
from graph.store.neo4j import Neo4jStore
from graph.validate import merge
from neo4j import GraphDatabase
from schemas.dataset import Dataset
from schemas.enums import CommitmentKind
from tests.helpers import ROOT
from tests.stores import NEO4J_URI, neo4j_driver_auth

pytestmark = pytest.mark.neo4j

EVIL = "Evil\"}) DETACH DELETE n // `x` ' \\u0027 $rows"


def test_the_seed_export_script_recreates_the_graph(neo4j_store: Neo4jStore) -> None:
    seeds = merge(service.validate_paths([ROOT / "seeds"], None, max_bytes=32 * 2**20))
    data = seeds.model_dump(by_alias=True)
    data["entities"].append({"id": "evilco", "name": EVIL, "aliases": [EVIL]})
    neo4j_store.clear()
    neo4j_store.import_dataset(Dataset.model_validate(data), files=["seeds"])
    graph = export_graph(neo4j_store.snapshot(), as_of=dt.date(2026, 1, 29))
    script = to_cypher(graph)
    neo4j_store.clear()

    assert NEO4J_URI
    with GraphDatabase.driver(NEO4J_URI, auth=neo4j_driver_auth()) as driver:
        with driver.session() as session:
            for statement in script.splitlines():
                if statement and not statement.startswith("//"):
                    session.run(statement.removesuffix(";")).consume()
        nodes = driver.execute_query("MATCH (e:Entity) RETURN e.id AS id, e.name AS name").records
        rels = driver.execute_query(
            "MATCH (a:Entity)-[r]->(b:Entity) "
            "RETURN r.id AS id, a.id AS a, b.id AS b, type(r) AS type, r.usd AS usd"
        ).records
    names = {r["id"]: r["name"] for r in nodes}
    assert names == {n: attrs["name"] for n, attrs in graph.nodes(data=True)}
    assert names["evilco"] == EVIL  # stored as text, never executed
    recreated = {r["id"]: (r["a"], r["b"], r["type"], r["usd"]) for r in rels}
    assert recreated == {
        attrs["id"]: (u, v, RELATIONSHIP_TYPES[CommitmentKind(attrs["kind"])], attrs["usd"])
        for u, v, attrs in graph.edges(data=True)
    }
    # The article's figure, read back from the recreated graph.
    assert recreated["openai-oracle-oci-2025"] == ("openai", "oracle", "BUYS_CLOUD_FROM", 300e9)
