"""The benchmark and its generator at a tiny size, so neither rots; shapes, never times."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from bench import neo4j_import, reference, run
from bench.generate import write_dataset, write_dataset_folder
from graph import queries
from graph.analysis import contagion
from graph.load import parse_text
from graph.snapshot import snapshot_of
from graph.validate import check_files
from schemas.entities import Entity
from schemas.enums import CommitmentKind, Status, ValueBasis
from schemas.queries import ExposureQuery
from tests.factories import make_commitment


def test_the_generator_writes_a_valid_dataset_of_every_kind() -> None:
    out = io.StringIO()
    write_dataset(out, entities=60, commitments=600, seed=3)
    loaded = parse_text(out.getvalue(), "generated.yaml")
    check_files([loaded])
    commitments = loaded.dataset.commitments
    assert len(commitments) == 600 and len(loaded.dataset.entities) == 60
    assert {c.kind for c in commitments} == set(CommitmentKind)
    statuses = {s.status for c in commitments for s in c.status}
    assert {Status.PROPOSED, Status.PAUSED, Status.CANCELLED, Status.COMPLETED} <= statuses
    amounts = [c.total_usd() for c in commitments]
    assert min(amounts) >= 10**6 and max(amounts) >= 10**10
    degree = Counter(e for c in commitments for e in (c.from_, c.to))
    assert degree.most_common(1)[0][1] > 10 * (2 * 600 / 60)  # a hub, far above the mean
    pairs = {(c.from_, c.to) for c in commitments}
    assert any((b, a) in pairs for a, b in pairs)  # loops


def test_the_same_seed_gives_the_same_file() -> None:
    first, second = io.StringIO(), io.StringIO()
    write_dataset(first, entities=20, commitments=50, seed=7)
    write_dataset(second, entities=20, commitments=50, seed=7)
    assert first.getvalue() == second.getvalue()


@pytest.fixture
def network() -> tuple[sparse.csr_array, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    n = 40
    dense = rng.uniform(1, 100, (n, n)) * (rng.random((n, n)) < 0.15)
    np.fill_diagonal(dense, 0)
    buffers = rng.uniform(20, 300, n)
    buffers[3] = 0.0  # a zero buffer: impact 1, infinite leverage
    shock = np.zeros(n)
    shock[[0, 7]] = [1.0, 0.4]
    return sparse.csr_array(dense), buffers, shock


def test_the_references_agree_with_the_library_models(
    network: tuple[sparse.csr_array, np.ndarray, np.ndarray],
) -> None:
    x, buffers, shock = network
    lib = contagion.debtrank(x, buffers, shock)
    ref = reference.debtrank(x, buffers, shock)
    assert lib.h == pytest.approx(ref.values, abs=1e-12) and lib.rounds == ref.rounds
    lib = contagion.differential_debtrank(x, buffers, shock, max_rounds=1000)
    ref = reference.differential_debtrank(x, buffers, shock, max_rounds=1000)
    assert lib.h == pytest.approx(ref.values, abs=1e-12) and lib.rounds == ref.rounds
    liabilities = sparse.csr_array(x.T)
    assets = buffers * (1 - shock)
    clearing = contagion.eisenberg_noe(liabilities, assets)
    plain = reference.eisenberg_noe(liabilities, assets, tol=1e-13)
    assert clearing.payments == pytest.approx(plain.values, rel=1e-6)
    assert clearing.defaulted.any()  # the case exercises the clearing, not just full payment
    cuts = sparse.csr_array(sparse.diags_array((np.arange(x.shape[0]) == 0) * 1.0) @ liabilities)
    pass_through = np.ones(x.shape[0])  # all passed on: some entities run out of spending
    spread = contagion.pull_back(liabilities, cuts, pass_through)
    plain = reference.pull_back(liabilities, cuts, pass_through)
    assert spread.lost == pytest.approx(plain.values, rel=1e-9) and spread.rounds == plain.rounds
    assert (spread.induced < spread.lost * pass_through - 1e-9).any()  # a cap binds somewhere


def test_the_new_date_reference_sums_what_counts_per_pair() -> None:
    # Row 0 counts in [10, 20) and [30, 40), row 1 from 15 on, row 2 in [5, 12); rows 0
    # and 1 are one pair, row 2 another.
    rows, starts, ends = (
        np.array([0, 0, 1, 2]),
        np.array([10, 30, 15, 5]),
        np.array([20, 40, 99, 12]),
    )
    pair_of_row, usd = np.array([0, 0, 1]), np.array([1.0, 2.0, 4.0])

    def at(day: int) -> list[float]:
        return reference.usd_per_pair_at(day, rows, starts, ends, pair_of_row, usd, 2).tolist()

    assert at(11) == [1.0, 4.0]
    assert at(16) == [3.0, 0.0]
    assert at(20) == [2.0, 0.0]  # an interval's end is the first day it no longer counts
    assert at(35) == [3.0, 0.0]
    assert at(4) == [0.0, 0.0]


def test_the_look_through_reference_agrees_with_the_library() -> None:
    # a holds $100 of b, x $300 of b, b $50 of c: a's share of b is 100 / 400, so the
    # path a-b-c is worth min(100, 0.25 x 50) = 12.5 (graph.queries.exposure).
    web = snapshot_of(
        [Entity(id=e, name=e) for e in "abcx"],
        [
            make_commitment("a", "b", "equity_investment", 100),
            make_commitment("b", "c", "equity_investment", 50),
            make_commitment("x", "b", "equity_investment", 300),
            make_commitment("c", "a", "equity_investment", 80),
        ],
    )
    day = dt.date(2026, 1, 1)
    network = web.network(day, ValueBasis.POINT)
    plain = reference.look_through(network.exposure, network.index["a"], 2, 0.0)
    assert {network.ids[i]: v for i, v in enumerate(plain.tolist()) if v} == {
        "b": 100.0,
        "c": 12.5,
    }
    for depth, min_usd in ((2, 0.0), (3, 0.0), (3, 20.0)):
        report = queries.exposure(
            web, "a", ExposureQuery(as_of=day, depth=depth, min_usd=min_usd), today=day
        )
        plain = reference.look_through(network.exposure, network.index["a"], depth, min_usd)
        got = {end.id: end.usd for end in report.look_through}
        assert got == {network.ids[i]: pytest.approx(v) for i, v in enumerate(plain.tolist()) if v}


def test_a_tiny_run_prints_and_writes_every_figure(tmp_path: Path) -> None:
    """As the README runs it, `python bench/run.py`, here from another directory."""
    output = tmp_path / "results.json"
    argv = ["--sizes", "300", "--repeat", "1", "--calls", "5", "--latency-budget", "0.1"]
    argv += ["--api-seconds", "0.3", "--data-dir", str(tmp_path / "data"), "-o", str(output)]
    done = subprocess.run(
        [sys.executable, str(run.HERE / "run.py"), *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(output.read_text())
    size = results["sizes"][0]
    assert size["commitments"] == 300 and size["hub"].startswith("firm-")
    for figure in ("import", "cycles"):
        assert size[figure]["seconds"] > 0 and size[figure]["ratio"] > 0
    assert size["memory"]["bytes_per_commitment"] > 0
    for key in ("direct_out", "direct_in", "look_through_3_out", "look_through_3_out_scipy"):
        assert size["exposure"][key]["p99_s"] >= size["exposure"][key]["p50_s"] > 0
    assert size["exposure"]["look_through_3_out_scipy"]["max_difference"] < 1e-9
    assert size["exposure"]["look_through_3_out_scipy"]["page_is_the_largest"] is True
    assert size["exposure"]["look_through_3_out_scipy"]["walk_only"]["p50_s"] > 0
    new_date = size["new_date"]
    assert new_date["seconds"] > 0 and new_date["ratio"] > 0 and new_date["pairs"] > 0
    assert new_date["max_difference"] < 1e-9
    for model in ("debtrank", "differential_debtrank", "eisenberg_noe", "pull_back"):
        assert size["stress"][model]["rounds"] >= 0 and size["stress"][model]["ratio"] > 0
        assert size["stress"][model]["max_difference"] < 1e-6
    api = results["seeds_api"]
    assert api["exposure"]["requests"] > 0 and api["exposure"]["errors"] == 0
    assert api["not_modified"]["requests"] > 0 and api["not_modified"]["errors"] == 0
    assert api["ratio"] > 0
    table = done.stdout
    assert "import (vs C-loader parse)" in table and "| 300 |" in table and "seeds" in table


def test_a_split_dataset_holds_the_same_records(tmp_path: Path) -> None:
    whole = io.StringIO()
    write_dataset(whole, entities=20, commitments=50, seed=2)
    paths = write_dataset_folder(tmp_path, entities=20, commitments=50, seed=2, per_file=20)
    assert [p.name for p in paths] == ["part-000.yaml", "part-001.yaml", "part-002.yaml"]
    parts = [parse_text(p.read_text(), p.name) for p in paths]
    check_files(parts)
    single = parse_text(whole.getvalue(), "whole.yaml").dataset
    assert [c for part in parts for c in part.dataset.commitments] == single.commitments
    assert parts[0].dataset.entities == single.entities


@pytest.mark.neo4j
def test_the_neo4j_import_figure_runs_and_leaves_the_database_empty(tmp_path: Path) -> None:
    """The figure at 300 commitments against the Neo4j under test, so it does not rot:
    both sides timed, the server's heap read, and what both wrote cleared after."""
    from tests.stores import NEO4J_URI, NO_NEO4J, neo4j_contents

    if not NEO4J_URI:
        pytest.skip(NO_NEO4J)
    path = run.dataset(tmp_path / "data", 300)
    result = neo4j_import.measure(path, repeat=1)
    assert result["commitments"] == 300 and result["server_heap_bytes"] > 0
    assert result["seconds"] > 0 and result["baseline_seconds"] > 0 and result["ratio"] > 0
    assert result["commitments_per_s"] == pytest.approx(300 / result["seconds"])
    assert neo4j_contents(NEO4J_URI) == {"nodes": [], "relationships": []}
