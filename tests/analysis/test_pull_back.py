"""The pull-back model by hand (a chain, a loop, a fan-out, a binding cap, zero
pass-through), against the closed-form solve where no cap binds, as a monotone
property, and the source article's domino on the seed data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.linalg import spsolve

from graph import queries
from graph.analysis.contagion.pull_back import pull_back
from schemas.stress import StressRequest
from tests.factories import make_commitment, snapshot_of, snapshot_of_files
from tests.helpers import SEEDS

B = 1e9
ONES = np.ones


def test_a_chain_with_a_binding_cap() -> None:
    """a -> b 100, b -> c 60. a withdraws its 100: b loses 100 but has only 60 to cut."""
    f = [[0, 100, 0], [0, 0, 60], [0, 0, 0]]
    run = pull_back(f, [[0, 100, 0], [0, 0, 0], [0, 0, 0]], ONES(3))
    assert run.lost.tolist() == [0, 100, 60]
    assert run.induced.tolist() == [0, 60, 0]  # capped at b's 60, never more
    assert run.edge_cuts.toarray().tolist() == [[0, 100, 0], [0, 0, 60], [0, 0, 0]]
    assert run.first_round.tolist() == [0, 1, 2] and run.converged


def test_a_fan_out_spreads_in_proportion() -> None:
    """o -> x 30, o -> y 70; a payer cuts 50 of its 100 to o: o cuts 50, 15 and 35."""
    f = [[0, 100, 0, 0], [0, 0, 30, 70], [0, 0, 0, 0], [0, 0, 0, 0]]
    run = pull_back(f, [[0, 50, 0, 0], [0] * 4, [0] * 4, [0] * 4], ONES(4))
    assert run.lost.tolist() == pytest.approx([0, 50, 15, 35])


def test_the_loop_comes_back_at_half_pass_through() -> None:
    """The article's loop: n -> o 100, o -> c 50, o -> r 50, c -> n 20; everyone passes on
    half. n withdraws 100: o loses 100, cuts 50 (25 each); c loses 25, cuts 12.5 of its 20;
    n loses 12.5 back: the boomerang, 12.5% of its cut."""
    f = [[0, 100, 0, 0], [0, 0, 50, 50], [20, 0, 0, 0], [0, 0, 0, 0]]
    c0 = [[0, 100, 0, 0], [0] * 4, [0] * 4, [0] * 4]
    run = pull_back(f, c0, np.full(4, 0.5))
    assert run.lost.tolist() == pytest.approx([12.5, 100, 25, 25])
    assert run.induced.tolist() == pytest.approx([0, 50, 12.5, 0])
    assert run.first_round.tolist() == [0, 1, 2, 2]


def test_zero_pass_through_stops_at_the_first_recipients() -> None:
    f = [[0, 100, 0], [0, 0, 60], [0, 0, 0]]
    run = pull_back(f, [[0, 40, 0], [0, 0, 0], [0, 0, 0]], np.zeros(3))
    assert run.lost.tolist() == [0, 40, 0] and run.induced.tolist() == [0, 0, 0]
    assert run.first_round.tolist() == [0, 1, -1]


def test_a_cut_larger_than_its_flow_is_refused() -> None:
    with pytest.raises(ValueError, match="larger than the flow"):
        pull_back([[0, 10], [0, 0]], [[0, 11], [0, 0]], ONES(2))


def test_max_rounds_says_it_stopped_short() -> None:
    f = [[0, 100, 0, 0], [0, 0, 50, 50], [20, 0, 0, 0], [0, 0, 0, 0]]
    run = pull_back(f, [[0, 100, 0, 0], [0] * 4, [0] * 4, [0] * 4], ONES(4), max_rounds=1)
    assert not run.converged and run.rounds == 1
    assert run.lost.tolist() == pytest.approx([0, 100, 50, 50])  # c has not cut yet


@st.composite
def webs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 7))
    f = np.array([[float(draw(st.integers(0, 9))) for _ in range(n)] for _ in range(n)])
    np.fill_diagonal(f, 0.0)
    share = np.array([[draw(st.sampled_from([0, 0.25, 1.0])) for _ in range(n)] for _ in range(n)])
    p = np.array([draw(st.sampled_from([0.0, 0.3, 1.0])) for _ in range(n)])
    return f, f * share, p


@settings(max_examples=120, deadline=None)
@given(webs(), st.sampled_from([0.5, 0.9]))
def test_a_larger_cut_never_lowers_any_loss_or_cut(
    web: tuple[np.ndarray, np.ndarray, np.ndarray], scale: float
) -> None:
    f, c0, p = web
    large = pull_back(f, c0, p)
    small = pull_back(f, c0 * scale, p)
    assert np.all(large.lost >= small.lost - 1e-9)
    assert np.all(large.induced + large.initial >= small.induced + small.initial - 1e-9)
    assert np.all(large.edge_cuts.toarray() <= f + 1e-9)  # never more than a commitment


@settings(max_examples=60, deadline=None)
@given(webs())
def test_where_no_cap_binds_it_is_the_leontief_solution(
    web: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    """s = (I - diag(p) A^T)^-1 diag(p) d0 (a plain SciPy solve), when s < Out' everywhere."""
    f, c0, p = web
    p = p * 0.5  # keeps most cuts below the caps
    run = pull_back(f, c0, p)
    remaining = f - c0
    out = remaining.sum(axis=1)
    if np.any((run.lost > 0) & (p * run.lost >= out - 1e-12)):
        return  # a cap binds (an entity cannot cut all it would): not the linear case
    shares = np.divide(
        remaining, out[:, None], out=np.zeros_like(remaining), where=out[:, None] > 0
    )
    d0 = c0.sum(axis=0)
    system = sparse.csc_array(np.eye(len(p)) - np.diag(p) @ shares.T)
    expected = spsolve(system, p * d0)
    assert run.induced == pytest.approx(np.atleast_1d(expected), abs=1e-6)


def test_cuts_name_a_commitment_or_an_entity_and_report_each_commitment() -> None:
    """LabCo cuts half its chips (kinds) but keeps its cloud: only ChipCo loses."""
    web = snapshot_of(
        make_commitment("labco", "chipco", "chip_supply", 40e9),
        make_commitment("labco", "cloudco", "cloud_contract", 60e9),
    )
    request = StressRequest.model_validate(
        {"model": "pull_back", "as_of": "2025-06-01",
         "cuts": [{"entity": "labco", "fraction": 0.5, "kinds": ["chip_supply"]}]}
    )  # fmt: skip
    report = queries.run_stress(web, request, today=dt.date(2025, 6, 1))
    assert report.pull_back is not None
    [cut] = report.pull_back.commitments
    assert (cut.commitment, cut.cut_usd, cut.share) == ("labco-chipco-chip-supply", 20e9, 0.5)
    assert {e.id: e.lost_inflow_usd for e in report.pull_back.entities} == {
        "chipco": 20e9,
        "labco": 0.0,
    }
    assert report.converged and report.question.startswith("If Labco cut 50% of its chip supply")


# --- the source article's domino on the seeds ---------------------------------------------

# OpenAI's priced outgoing flows that count on 2026-01-29 (commitments/openai.yaml), USD:
OPENAI_OUT = {
    "oracle": 300 * B,  # openai-oracle-oci-2025
    "microsoft": 250 * B,  # openai-microsoft-azure-2025
    "amd": 100 * B,  # openai-amd-2025 (Bank of America's estimate)
    "amazon": 38 * B,  # openai-aws-2025
    "coreweave": (11.9 + 4 + 6.5) * B,  # the three CoreWeave contracts
    "cerebras": 10 * B,  # openai-cerebras-2026
    "sb-energy": 0.5 * B,  # openai-sb-energy-2026
}
ORACLE_TO_NVIDIA = 40 * B  # oracle-nvidia-abilene-2025: Oracle's only priced outflow
ORACLE_IN = (300 + 18) * B  # OpenAI's contract and the 2025 bonds
ORACLE_REVENUE = 57.4 * B  # FY2025, the latest revenue dated by 2026-01-29


def test_nvidia_withdrawing_its_100b_and_what_comes_back() -> None:
    """Round 1: OpenAI loses the $100B and, funded mostly by others (it commits $720.9B
    against $151B of inflows plus ~$13B of revenue), cuts all of it, spread over its
    commitments: Oracle 100 x 300/720.9 = 41.61B, ... Round 2: Oracle passes on
    40 / (318 + 57.4) = 10.7% of that, all of it on its Abilene chips from Nvidia: $4.43B
    comes back to Nvidia, the boomerang's largest part."""
    seeds = snapshot_of_files(SEEDS)
    request = StressRequest.model_validate(
        {"model": "pull_back", "as_of": "2026-01-29",
         "cuts": [{"commitment": "nvidia-openai-loi-2025"}]}
    )  # fmt: skip
    report = queries.run_stress(seeds, request, today=dt.date(2026, 12, 1))
    assert report.pull_back is not None and report.converged
    entities = {e.id: e for e in report.pull_back.entities}
    out = sum(OPENAI_OUT.values())
    for name, usd in OPENAI_OUT.items():
        assert entities[name].paths[0].path == ["nvidia", "openai", name]
        assert entities[name].paths[0].usd == pytest.approx(100 * B * usd / out), name
    assert entities["openai"].pass_through == 1.0 and entities["openai"].round == 1
    p_oracle = ORACLE_TO_NVIDIA / (ORACLE_IN + ORACLE_REVENUE)
    assert entities["oracle"].pass_through == pytest.approx(p_oracle)
    via_oracle = 100 * B * OPENAI_OUT["oracle"] / out * p_oracle
    assert entities["nvidia"].paths[0].path == ["nvidia", "openai", "oracle", "nvidia"]
    assert entities["nvidia"].paths[0].usd == pytest.approx(via_oracle)  # 4.43B
    [boomerang] = report.pull_back.boomerang
    assert boomerang.entity == "nvidia" and boomerang.initial_cut_usd == 100 * B
    assert boomerang.returned_usd >= via_oracle  # plus what comes back by other roads
    # CoreWeave's GPU purchases from Nvidia have no disclosed figure: said, not zero.
    assert "coreweave-nvidia-gpus-2025" in report.pull_back.unpriced
