"""`aifg import DIR` into an empty store, with seeding on start switched on and DIR the seed
folder itself (issue 17: it reported "0 added" because opening the store had seeded it
silently first): an explicit import never seeds, so its counts are those of its files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import DATA, run_cli
from tests.stores import STORE_KINDS, clear_neo4j, neo4j_env

# tests/data/toy.yaml holds 4 entities (lines 5-8) and 5 commitments, no events.
TOY_COUNTS = {"entities": 4, "commitments": 5, "events": 0}


@pytest.mark.parametrize("store", STORE_KINDS)
def test_an_explicit_import_into_an_empty_store_adds_its_files(tmp_path: Path, store: str) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(DATA / "toy.yaml", seeds / "toy.yaml")
    env = {"AIFG_SEED_DIR": str(seeds)}
    if store == "neo4j":
        env |= neo4j_env()
        clear_neo4j()

    result = run_cli("import", str(seeds), "--json", data_dir=tmp_path / "data", seed=True, env=env)

    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {kind: summary[kind]["added"] for kind in TOY_COUNTS} == TOY_COUNTS
    again = run_cli("import", str(seeds), "--json", data_dir=tmp_path / "data", seed=True, env=env)
    summary = json.loads(again.stdout)
    assert {kind: summary[kind]["unchanged"] for kind in TOY_COUNTS} == TOY_COUNTS
