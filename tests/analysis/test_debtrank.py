"""DebtRank (Battiston et al. 2012) and differential DebtRank (Bardoscia et al. 2015).

Orientation throughout: X[i, j] = what i LOSES if j fails (row = the one who loses).
Expected numbers are published (NetworkRiskMeasures README) or worked out by hand in the
comments; none is copied from this code's output.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from graph.analysis.contagion import (
    ContagionInputError,
    DebtRankResult,
    debtrank,
    differential_debtrank,
)

MODELS = [debtrank, differential_debtrank]

# --- The worked example printed by the R package NetworkRiskMeasures -------------------

# assets_matrix <- matrix(c(0, 10, 3, 1, 0, 2, 0, 3, 0), ncol = 3): R fills by column, so
# the rows are a = (0, 1, 0), b = (10, 0, 3), c = (3, 2, 0). It is an assets matrix (a -> b:
# a has an asset on b), i.e. X[i, j] = what i loses if j fails.
NRM_X = np.array([[0.0, 1, 0], [10, 0, 3], [3, 2, 0]])
NRM_BUFFER = np.array([2.0, 5, 2])
NRM_WEIGHTS = np.array([10.0, 100, 30])


@pytest.mark.parametrize(
    ("stressed", "additional_stress", "additional_defaults"),
    [(0, 0.9285714, 2), (2, 0.6642857, 0), (1, 0.2500000, 1)],
)
def test_networkriskmeasures_readme_default_of_each_vertex(
    stressed: int, additional_stress: float, additional_defaults: int
) -> None:
    """`debt_rank(assets_matrix, buffer, weights)` as printed in the NetworkRiskMeasures README.

    Source: https://github.com/carloscinelli/NetworkRiskMeasures, README.md of the early
    (2016) versions ("Example usage"), and the @examples of R/DebtRank.R:

        Stressed Vertex  Vertex Weight  Additional Stress  Number of Additional Defaults
        a                0.07142857     0.9285714          2
        c                0.21428571     0.6642857          0
        b                0.71428571     0.2500000          1
    """
    shock = np.zeros(3)
    shock[stressed] = 1.0
    result = debtrank(NRM_X, NRM_BUFFER, shock, weights=NRM_WEIGHTS)
    assert result.weights.tolist() == pytest.approx([10 / 140, 100 / 140, 30 / 140])
    assert result.debtrank == pytest.approx(additional_stress, abs=5e-8)
    assert int(result.defaulted.sum()) - 1 == additional_defaults


def test_networkriskmeasures_readme_ten_percent_shock() -> None:
    """`debt_rank_shock(assets_matrix, buffer, weights, c(0.1, 0.1, 0.1))` in the same README.

    Printed: "Shock causes additional stress of 16.07% in the network", no additional
    defaults, final stress a = 0.15, b = 0.26, c = 0.30.

    By hand, W = min(1, X / buffer) row-wise: a: (0, 0.5, 0); b: (min(1, 2), 0, 0.6);
    c: (min(1, 1.5), min(1, 1), 0). All three start distressed at 0.1 and propagate once:
    a = 0.1 + 0.5 * 0.1 = 0.15; b = 0.1 + 1 * 0.1 + 0.6 * 0.1 = 0.26; c = 0.1 + 0.1 + 0.1
    = 0.30 (the cap matters: uncapped, b would be 0.36 and c 0.35). Then all are inactive.
    R = (0.05 * 10 + 0.16 * 100 + 0.20 * 30) / 140 = 22.5 / 140.
    """
    result = debtrank(NRM_X, NRM_BUFFER, [0.1, 0.1, 0.1], weights=NRM_WEIGHTS)
    assert result.h.tolist() == pytest.approx([0.15, 0.26, 0.30])
    assert result.debtrank == pytest.approx(0.1607, abs=5e-5)
    assert result.debtrank == pytest.approx(22.5 / 140)
    assert not result.defaulted.any()
    assert result.rounds == 1


def test_inactive_nodes_keep_accumulating_distress() -> None:
    """The README's "c defaults" row (additional stress 0.6642857), step by step by hand.

    Round 1: c (h = 1) hits b: W[b, c] = 0.6, so b = 0.6; a is not exposed to c.
    Round 2: b hits a: 0.5 * 0.6 = 0.3, and c (inactive, already 1) stays 1.
    Round 3: a hits b: W[b, a] = 1, so b = 0.6 + 0.3 = 0.9: b is inactive but still
    accumulates; it never passes this on. Then nobody is distressed.
    R = (0.3 * 10 + 0.9 * 100) / 140 = 93 / 140 = 0.6642857.
    """
    result = debtrank(NRM_X, NRM_BUFFER, [0.0, 0.0, 1.0], weights=NRM_WEIGHTS)
    assert result.h.tolist() == pytest.approx([0.3, 0.9, 1.0])
    assert result.rounds == 3
    assert result.first_distressed_round.tolist() == [2, 1, 0]
    assert result.order.tolist() == [2, 1, 0]
    assert result.history is not None
    assert result.history.tolist() == [
        pytest.approx([0.0, 0.0, 1.0]),
        pytest.approx([0.0, 0.6, 1.0]),
        pytest.approx([0.3, 0.6, 1.0]),
        pytest.approx([0.3, 0.9, 1.0]),
    ]
    assert result.debtrank == pytest.approx(93 / 140)


# --- Hand-computed small networks -------------------------------------------------------


def test_chain() -> None:
    """a <- b <- c: b lost 4 on a (buffer 8), c lost 6 on b (buffer 3); a loses half.

    W[b, a] = 4 / 8 = 0.5, W[c, b] = min(1, 6 / 3) = 1.
    Round 1: b = 0.5 * 0.5 = 0.25. Round 2: c = 1 * 0.25 = 0.25. (Round 3: c reaches
    nobody, not counted.) Losses USD = h * buffer = (5, 2, 0.75).
    Default weights are the buffers (10, 8, 3): R = (0.25 * 8 + 0.25 * 3) / 21 = 2.75 / 21.
    """
    x = sparse.csr_array(([4.0, 6.0], ([1, 2], [0, 1])), shape=(3, 3))
    result = debtrank(x, [10.0, 8, 3], [0.5, 0, 0])
    assert result.h.tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert result.losses.tolist() == pytest.approx([5.0, 2.0, 0.75])
    assert result.total_loss == pytest.approx(7.75)
    assert result.rounds == 2
    assert result.converged
    assert result.first_distressed_round.tolist() == [0, 1, 2]
    assert result.weights.tolist() == pytest.approx([10 / 21, 8 / 21, 3 / 21])
    assert result.debtrank == pytest.approx(2.75 / 21)


def test_chain_differential_uses_the_uncapped_leverage() -> None:
    """Same chain, Bardoscia et al.: Lambda[c, b] = 6 / 3 = 2 is not capped at 1.

    b = 0.5 * 0.5 = 0.25 as before, but c = min(1, 2 * 0.25) = 0.5: c loses 6 times b's
    relative loss 0.25, i.e. 1.5 of its buffer 3.
    """
    x = sparse.csr_array(([4.0, 6.0], ([1, 2], [0, 1])), shape=(3, 3))
    result = differential_debtrank(x, [10.0, 8, 3], [0.5, 0, 0])
    assert result.h.tolist() == pytest.approx([0.5, 0.25, 0.5])
    assert result.rounds == 2
    assert result.first_distressed_round.tolist() == [0, 1, 2]


def test_cycle() -> None:
    """a and b exposed to each other, c to b.

    X[a, b] = 5 (buffer a 10: W = 0.5), X[b, a] = 2 (buffer b 4: W = 0.5), X[c, b] = 1
    (buffer c 4: W = 0.25). Shock a = 0.4.
    2012: round 1: b = 0.5 * 0.4 = 0.2. Round 2: b (distressed) hits a and c:
    a = 0.4 + 0.5 * 0.2 = 0.5 (a is inactive: it accumulates but never passes it on),
    c = 0.25 * 0.2 = 0.05. Round 3: c reaches nobody. Final (0.5, 0.2, 0.05).
    Differential: h = shock + Lambda h: a = 0.4 + 0.5 b, b = 0.5 a, c = 0.25 b, so
    a = 0.4 / 0.75 = 8/15, b = 4/15, c = 1/15: more, because the ring keeps echoing.
    """
    x = sparse.csr_array(([5.0, 2.0, 1.0], ([0, 1, 2], [1, 0, 1])), shape=(3, 3))
    buffers = [10.0, 4, 4]
    shock = [0.4, 0, 0]
    once = debtrank(x, buffers, shock)
    assert once.h.tolist() == pytest.approx([0.5, 0.2, 0.05])
    assert once.rounds == 2
    echo = differential_debtrank(x, buffers, shock)
    assert echo.converged
    assert echo.h.tolist() == pytest.approx([8 / 15, 4 / 15, 1 / 15], abs=1e-10)
    assert echo.first_distressed_round.tolist() == [0, 1, 2]


def test_zero_buffer() -> None:
    """b has no buffer and lost 2 on a; c lost 1 on b (buffer 4); d has no buffer, no exposure.

    2012: W[b, a] = 1 (zero buffer, positive exposure), so b = 1 * 0.3 = 0.3; then
    c = 0.25 * 0.3 = 0.075. d: W = 0 (nothing at stake), stays 0.
    Differential: Lambda[b, a] is infinite: any loss wipes b out, b = 1; c = 0.25 * 1.
    Default weights are the buffers (5, 0, 4, 0): R(2012) = 4/9 * 0.075. Losses USD of b
    are 0: it had nothing to lose.
    """
    x = sparse.csr_array(([2.0, 1.0], ([1, 2], [0, 1])), shape=(4, 4))
    buffers = [5.0, 0, 4, 0]
    shock = [0.3, 0, 0, 0]
    once = debtrank(x, buffers, shock)
    assert once.h.tolist() == pytest.approx([0.3, 0.3, 0.075, 0.0])
    assert once.losses.tolist() == pytest.approx([1.5, 0.0, 0.3, 0.0])
    assert once.debtrank == pytest.approx(4 / 9 * 0.075)
    assert once.first_distressed_round.tolist() == [0, 1, 2, -1]
    echo = differential_debtrank(x, buffers, shock)
    assert echo.h.tolist() == pytest.approx([0.3, 1.0, 0.25, 0.0])
    assert echo.defaulted.tolist() == [False, True, False, False]


def test_all_buffers_zero_gives_equal_weights() -> None:
    result = debtrank(sparse.csr_array((2, 2)), [0.0, 0.0], [1.0, 0.0])
    assert result.weights.tolist() == [0.5, 0.5]
    assert result.debtrank == 0.0
    assert result.rounds == 0


def test_no_shock_nothing_happens() -> None:
    for model in MODELS:
        result = model(NRM_X, NRM_BUFFER, [0.0, 0.0, 0.0])
        assert result.rounds == 0
        assert result.converged
        assert result.h.tolist() == [0.0, 0.0, 0.0]
        assert result.first_distressed_round.tolist() == [-1, -1, -1]


def test_original_debtrank_is_not_monotone_in_the_shock() -> None:
    """A documented limit of the 2012 algorithm, and why differential DebtRank exists.

    i <- j <- k, each wiped out by the failure of the one it is exposed to (W = 1).
    Shock (1, 0, 0): j = 1 in round 1, k = 1 in round 2: everyone fails.
    Shock (1, 0.01, 0), elementwise larger: j is distressed from the start, passes on only
    its 0.01 (k = 0.01) and is inactive when i's blow reaches it. Less total loss.
    Differential DebtRank passes j's later increment on: k = 1.
    """
    x = sparse.csr_array(([10.0, 10.0], ([1, 2], [0, 1])), shape=(3, 3))
    buffers = [5.0, 5, 5]
    small = debtrank(x, buffers, [1.0, 0, 0])
    large = debtrank(x, buffers, [1.0, 0.01, 0])
    assert small.h.tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert large.h.tolist() == pytest.approx([1.0, 1.0, 0.01])
    assert large.total_loss < small.total_loss
    assert differential_debtrank(x, buffers, [1.0, 0.01, 0]).h.tolist() == pytest.approx(
        [1.0, 1.0, 1.0]
    )


def test_duplicate_entries_are_summed_before_the_cap() -> None:
    """Two COO entries b <- a of 6 each (buffer 10): one exposure of 12, impact min(1, 1.2) = 1.

    a at 0.5 gives b 0.5; capping each entry separately would give 0.6 + 0.6 -> 0.6.
    """
    x = sparse.coo_array(([6.0, 6.0], ([1, 1], [0, 0])), shape=(2, 2))
    assert debtrank(x, [10.0, 10], [0.5, 0]).h.tolist() == pytest.approx([0.5, 0.5])


def test_max_rounds_stops_early() -> None:
    x = sparse.csr_array(([4.0, 6.0], ([1, 2], [0, 1])), shape=(3, 3))
    for model in MODELS:
        result = model(x, [10.0, 8, 3], [0.5, 0, 0], max_rounds=1)
        assert result.rounds == 1
        assert not result.converged
        assert result.h[2] == 0.0
        assert result.first_distressed_round.tolist() == [0, 1, -1]


def test_history_can_be_dropped_and_results_are_read_only() -> None:
    shock = np.array([0.0, 0.0, 1.0])
    x = sparse.csr_array(NRM_X)
    result = debtrank(x, NRM_BUFFER, shock, keep_history=False)
    assert result.history is None
    assert isinstance(result, DebtRankResult)
    with pytest.raises(ValueError, match="read-only"):
        result.h[0] = 0.5
    assert shock.tolist() == [0.0, 0.0, 1.0]  # inputs untouched
    assert x.toarray().tolist() == NRM_X.tolist()


def test_dense_input_is_accepted() -> None:
    dense = debtrank(NRM_X.tolist(), NRM_BUFFER, [0.1, 0.1, 0.1])
    sparse_ = debtrank(sparse.csc_array(NRM_X), NRM_BUFFER, [0.1, 0.1, 0.1])
    assert dense.h.tolist() == pytest.approx(sparse_.h.tolist())


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    ("exposure", "buffers", "shock", "kwargs", "field"),
    [
        (np.zeros((2, 3)), [1.0, 1], [0.5, 0], {}, "exposure"),
        (np.zeros((0, 0)), [], [], {}, "exposure"),
        (np.zeros(3), [1.0, 1, 1], [0.5, 0, 0], {}, "exposure"),
        ([[0.0, -1], [0, 0]], [1.0, 1], [0.5, 0], {}, "exposure"),
        ([[0.0, np.nan], [0, 0]], [1.0, 1], [0.5, 0], {}, "exposure"),
        ([[1.0, 0], [0, 0]], [1.0, 1], [0.5, 0], {}, "exposure"),
        ([["a", "b"], ["c", "d"]], [1.0, 1], [0.5, 0], {}, "exposure"),
        ([[0.0, 1], [0, 0]], [1.0], [0.5, 0], {}, "buffers"),
        ([[0.0, 1], [0, 0]], [1.0, -1], [0.5, 0], {}, "buffers"),
        ([[0.0, 1], [0, 0]], [1.0, np.inf], [0.5, 0], {}, "buffers"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [1.5, 0], {}, "shock"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [-0.1, 0], {}, "shock"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [np.nan, 0], {}, "shock"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [0.5, 0], {"weights": [0.0, 0]}, "weights"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [0.5, 0], {"weights": [1.0]}, "weights"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [0.5, 0], {"max_rounds": 0}, "max_rounds"),
        ([[0.0, 1], [0, 0]], [1.0, 1], [0.5, 0], {"max_rounds": 2.5}, "max_rounds"),
    ],
)
def test_invalid_input(
    model: object, exposure: object, buffers: object, shock: object, kwargs: dict, field: str
) -> None:
    with pytest.raises(ContagionInputError) as caught:
        model(exposure, buffers, shock, **kwargs)  # type: ignore[operator]
    assert caught.value.field == field
    assert isinstance(caught.value, ValueError)


def test_invalid_tol() -> None:
    with pytest.raises(ContagionInputError, match="tol"):
        differential_debtrank(NRM_X, NRM_BUFFER, [0.1, 0, 0], tol=-1.0)


# --- Cross-checks between the two versions and with a literal reading of the papers ----


def reference_debtrank(x: np.ndarray, buffers: np.ndarray, shock: np.ndarray) -> np.ndarray:
    """Battiston et al. (2012) read literally, node by node, with dense lists (tests only)."""
    n = len(shock)
    w = [
        [
            (min(1.0, x[i][j] / buffers[i]) if buffers[i] > 0 else 1.0) if x[i][j] > 0 else 0.0
            for j in range(n)
        ]
        for i in range(n)
    ]
    h = [float(s) for s in shock]
    state = ["D" if s > 0 else "U" for s in shock]
    for _ in range(10 * n + 10):
        if "D" not in state:
            break
        new = [
            min(1.0, h[i] + sum(w[i][j] * h[j] for j in range(n) if state[j] == "D"))
            for i in range(n)
        ]
        state = ["I" if state[i] in "DI" else ("D" if new[i] > 0 else "U") for i in range(n)]
        h = new
    return np.array(h)


def test_reference_reproduces_the_readme() -> None:
    assert reference_debtrank(NRM_X, NRM_BUFFER, np.full(3, 0.1)).tolist() == pytest.approx(
        [0.15, 0.26, 0.30]
    )


def test_single_full_shock_with_small_impacts_first_round_agrees() -> None:
    """One node at severity 1, every X <= buffer (W = Lambda < 1): round 1 is W[:, j]."""
    x = sparse.csr_array(
        ([2.0, 3.0, 1.0, 4.0, 2.5], ([1, 2, 3, 0, 3], [0, 0, 1, 2, 2])), shape=(4, 4)
    )
    buffers = [10.0, 6, 5, 8]
    shock = [1.0, 0, 0, 0]
    once = debtrank(x, buffers, shock)
    echo = differential_debtrank(x, buffers, shock)
    assert once.history is not None and echo.history is not None
    # Round 1 by hand: b = 2/6, c = 3/5, d = 0 (d is exposed to b and c, not to a).
    assert once.history[1].tolist() == pytest.approx([1.0, 2 / 6, 3 / 5, 0.0])
    assert echo.history[1].tolist() == pytest.approx(once.history[1].tolist())


# Random small networks for the property tests: X[i, j] >= 0, zero diagonal.
@st.composite
def networks(draw: st.DrawFn, *, min_buffer: float = 0.0) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(2, 7))
    amounts = st.one_of(st.just(0.0), st.floats(0.1, 20.0))
    x = np.array([[draw(amounts) for _ in range(n)] for _ in range(n)])
    np.fill_diagonal(x, 0.0)
    buffers = np.array(
        [
            draw(st.one_of(st.just(min_buffer), st.floats(max(min_buffer, 0.1), 30.0)))
            for _ in range(n)
        ]
    )
    shock = np.array([draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0))) for _ in range(n)])
    return x, buffers, shock


@settings(max_examples=60, deadline=None)
@given(networks())
def test_matches_the_literal_reading_of_the_paper(network: tuple[np.ndarray, ...]) -> None:
    x, buffers, shock = network
    result = debtrank(sparse.csr_array(x), buffers, shock)
    assert result.h.tolist() == pytest.approx(reference_debtrank(x, buffers, shock).tolist())


@settings(max_examples=50, deadline=None)
@given(networks(min_buffer=0.5))
def test_differential_is_iteration_of_min_one_shock_plus_leverage(
    network: tuple[np.ndarray, ...],
) -> None:
    """Bardoscia et al.: with h(0) = 0 the increments add up to h(t+1) = min(1, s + Lambda h(t))."""
    x, buffers, shock = network
    result = differential_debtrank(sparse.csr_array(x), buffers, shock, max_rounds=30)
    leverage = x / buffers[:, None]
    assert result.history is not None
    h = shock.copy()
    for row in result.history[1:]:
        h = np.minimum(1.0, shock + leverage @ h)
        assert row.tolist() == pytest.approx(h.tolist(), abs=1e-9)


@st.composite
def trees(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    """Each node i > 0 exposed to one parent p(i) < i, with X <= buffer (W = Lambda <= 1)."""
    n = draw(st.integers(2, 8))
    x = np.zeros((n, n))
    buffers = np.array([draw(st.floats(1.0, 20.0)) for _ in range(n)])
    for i in range(1, n):
        parent = draw(st.integers(0, i - 1))
        x[i, parent] = draw(st.floats(0.0, 1.0)) * buffers[i]
    shock = np.zeros(n)
    shock[0] = draw(st.floats(0.01, 1.0))
    return x, buffers, shock


@settings(max_examples=50, deadline=None)
@given(trees())
def test_both_versions_agree_when_each_node_is_hit_once(network: tuple[np.ndarray, ...]) -> None:
    """On a tree shocked at its root, every node is hit once: nothing to echo or to drop."""
    x, buffers, shock = network
    once = debtrank(sparse.csr_array(x), buffers, shock)
    echo = differential_debtrank(sparse.csr_array(x), buffers, shock, tol=0.0)
    assert once.h.tolist() == pytest.approx(echo.h.tolist())
    assert once.first_distressed_round.tolist() == echo.first_distressed_round.tolist()


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=50, deadline=None)
@given(network=networks())
def test_distress_stays_in_unit_interval_and_never_decreases(
    model: object, network: tuple[np.ndarray, ...]
) -> None:
    x, buffers, shock = network
    result = model(sparse.csr_array(x), buffers, shock)  # type: ignore[operator]
    history = result.history
    assert history.shape == (result.rounds + 1, len(shock))
    assert history[0].tolist() == shock.tolist()
    assert np.all(history >= 0) and np.all(history <= 1)
    assert np.all(np.diff(history, axis=0) >= 0)
    assert result.h.tolist() == history[-1].tolist()
    # first_distressed_round is the first row where h > 0.
    hit = history > 0
    expected = np.where(hit.any(axis=0), hit.argmax(axis=0), -1)
    assert result.first_distressed_round.tolist() == expected.tolist()
    assert result.losses.tolist() == pytest.approx((result.h * buffers).tolist())
    assert -1e-12 <= result.debtrank <= 1.0


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_differential_larger_shock_never_less_loss(
    network: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    x, buffers, shock = network
    extra = np.array([data.draw(st.floats(0.0, 1.0)) for _ in shock])
    larger = np.minimum(1.0, shock + extra)
    small = differential_debtrank(sparse.csr_array(x), buffers, shock, max_rounds=500)
    large = differential_debtrank(sparse.csr_array(x), buffers, larger, max_rounds=500)
    assert np.all(large.h >= small.h - 1e-6)
    assert large.total_loss >= small.total_loss - 1e-6


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_original_larger_shock_on_the_same_nodes_never_less_loss(
    network: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    """With the same shocked nodes the D/I timeline is the same, so the 2012 map is monotone.

    (A shock on more nodes can lower the loss: see the counterexample above.)
    """
    x, buffers, shock = network
    extra = np.array([data.draw(st.floats(0.0, 1.0)) for _ in shock])
    larger = np.where(shock > 0, np.minimum(1.0, shock + extra), 0.0)
    small = debtrank(sparse.csr_array(x), buffers, shock)
    large = debtrank(sparse.csr_array(x), buffers, larger)
    assert np.all(large.h >= small.h - 1e-12)
    assert large.total_loss >= small.total_loss - 1e-9


def test_large_sparse_network_runs_fast() -> None:
    """20k nodes, 200k edges: both versions on CSR/CSC products, no dense n x n array."""
    rng = np.random.default_rng(7)
    n, m = 20_000, 200_000
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rows != cols
    x = sparse.coo_array((rng.lognormal(0, 1, keep.sum()), (rows[keep], cols[keep])), (n, n))
    buffers = np.asarray(x.tocsr().sum(axis=1)).ravel() * rng.uniform(0.1, 1.0, n)
    shock = np.zeros(n)
    shock[rng.choice(n, 20, replace=False)] = 1.0
    for model in MODELS:
        result = model(x, buffers, shock)
        assert result.converged
        assert 0 < result.debtrank <= 1
        assert np.all(np.diff(result.history, axis=0) >= 0)
