"""GET /graph?format=cypher writes the Neo4j store's own model: run in a real Neo4j, the
script leaves the same nodes, labels, relationships and properties as `aifg import`
does, so the saved Browser queries give the same answers on both; names with Cypher
syntax in them stay text."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from graph import queries
from graph.snapshot import SnapshotSource
from graph.store import Store
from neo4j import Driver, GraphDatabase
from schemas.dataset import Dataset
from schemas.queries import ExportFormat, ExportQuery
from tests.factories import snapshot_of_files
from tests.helpers import SEEDS
from tests.stores import NEO4J_URI, clear_neo4j, neo4j_contents, neo4j_driver_auth

pytestmark = pytest.mark.neo4j

EVIL = "Evil\"}) DETACH DELETE n // `x` ' \\u0027 $rows"
TODAY = dt.date(2026, 12, 1)
QUERY_DATES = (dt.date(2026, 1, 29), dt.date(2026, 1, 31))


def seeds_with_evil_names() -> Dataset:
    seeds = snapshot_of_files(SEEDS)
    data: dict[str, Any] = {
        "entities": [e.model_dump(by_alias=True) for e in seeds.entities.values()],
        "commitments": [c.model_dump(by_alias=True) for c in seeds.commitments.values()],
        "events": [e.model_dump(by_alias=True) for e in seeds.events.values()],
    }
    data["entities"].append({"id": "evilco", "name": EVIL, "aliases": [EVIL]})
    return Dataset.model_validate(data)


def saved_answers(driver: Driver) -> dict[str, Any]:
    """Every saved Browser query's rows, at each date the tests ask about."""
    from tests.pages.neo4j_browser.conftest import QUERIES

    out: dict[str, Any] = {}
    for path in sorted(QUERIES.glob("*.cypher")):
        for day in QUERY_DATES:
            records = driver.execute_query(path.read_text(encoding="utf-8"), as_of=day).records
            # As multisets: rows tied on the ORDER BY, and collect()ed lists, come in no
            # fixed order.
            rows = [json.dumps(_plain(r.data()), sort_keys=True, default=str) for r in records]
            out[f"{path.stem} {day}"] = sorted(rows)
    return out


def _plain(value: Any) -> Any:
    """Rows as comparable values: nodes and relationships by their properties."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return _plain(dict(value.items()))
    if hasattr(value, "nodes") and hasattr(value, "relationships"):
        return [_plain(dict(n.items())) for n in value.nodes]
    return value


# The store's own bookkeeping, not the data: (:Meta) holds the data version and flags,
# (:Log) the write log, (:Withdrawn) records taken out (kept as history, never exported).
BOOKKEEPING = {"Meta", "Log", "Withdrawn"}


def without_meta(contents: dict[str, Any]) -> dict[str, Any]:
    """The data without the store's own bookkeeping nodes."""
    return {
        "nodes": [n for n in contents["nodes"] if not BOOKKEEPING & set(json.loads(n)[0])],
        "relationships": contents["relationships"],
    }


def run_script(driver: Driver, script: str) -> None:
    """The script's statements in order, as cypher-shell would run them: the schema
    statements each on its own, the data in one transaction (each in a transaction of
    its own costs a commit apiece; MERGEs in order end the same)."""
    statements = [
        line.removesuffix(";") for line in script.splitlines() if line and not line.startswith("//")
    ]
    schema = [s for s in statements if s.startswith(("CREATE CONSTRAINT", "CREATE INDEX"))]
    with driver.session() as session:
        for statement in schema:
            session.run(statement).consume()
        with session.begin_transaction() as tx:
            for statement in statements:
                if statement not in schema:
                    tx.run(statement).consume()
            tx.commit()


def test_the_export_script_recreates_what_the_store_writes(neo4j_store: Store) -> None:
    assert NEO4J_URI
    data = seeds_with_evil_names()
    clear_neo4j()
    source = SnapshotSource(neo4j_store)
    source.import_dataset(data, files=["seeds"])
    with GraphDatabase.driver(NEO4J_URI, auth=neo4j_driver_auth()) as driver:
        imported = without_meta(neo4j_contents(NEO4J_URI))
        imported_answers = saved_answers(driver)
        script = queries.export(
            source.current(), ExportQuery(format=ExportFormat.CYPHER), today=TODAY
        ).content
        clear_neo4j()
        run_script(driver, script)
        exported = neo4j_contents(NEO4J_URI)
        exported_answers = saved_answers(driver)
        run_script(driver, script)  # twice, it changes nothing (MERGE on ids)
        assert neo4j_contents(NEO4J_URI) == exported
        names = {
            r["id"]: r["name"]
            for r in driver.execute_query(
                "MATCH (e:Entity) RETURN e.id AS id, e.name AS name"
            ).records
        }
    clear_neo4j()
    assert exported == imported
    assert exported_answers == imported_answers
    assert all(rows for key, rows in imported_answers.items() if not key.startswith("03-"))
    assert names["evilco"] == EVIL  # stored as text, never executed


def test_an_export_at_a_date_holds_what_was_known_then() -> None:
    """On 2026-01-29 Nvidia's plan was live: its 2026-01-30 pause is not in the script."""
    seeds = snapshot_of_files(SEEDS)
    day = dt.date(2026, 1, 29)
    script = queries.export(seeds, ExportQuery(format=ExportFormat.CYPHER, as_of=day), today=TODAY)
    line = next(s for s in script.content.splitlines() if '{id: "nvidia-openai-loi-2025"}' in s)
    assert 'date("2026-01-30")' not in line and '"paused"' not in line
    assert "INVESTS_IN" in line and "SET e:" not in line
