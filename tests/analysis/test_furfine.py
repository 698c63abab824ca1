"""Default cascade (Furfine 2003): fail when credit losses use up the whole buffer.

Orientation: X[i, j] = what i LOSES if j fails (row = the one who loses). Expected numbers
are worked out by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from graph.analysis.contagion import CascadeResult, ContagionInputError, default_cascade


def exposures(entries: dict[tuple[int, int], float], n: int) -> sparse.csr_array:
    rows, cols = zip(*entries, strict=True)
    return sparse.csr_array((list(entries.values()), (rows, cols)), shape=(n, n))


# b lost 5 on a; c lost 3 on a and 3 on b; a lost 4 on c. Buffers a 1, b 4.9, c 5.
THREE_ROUNDS = exposures({(1, 0): 5.0, (2, 0): 3.0, (2, 1): 3.0, (0, 2): 4.0}, 3)


def test_two_waves() -> None:
    """a fails (round 0). Round 1: b loses 5 > 4.9: fails; c loses 3 < 5.
    Round 2: c loses 3 + 3 = 6 > 5: fails. Round 3 adds nobody.
    Final losses: a 4 (c failed), b 5, c 6; every node failed, distress 1."""
    result = default_cascade(THREE_ROUNDS, [1.0, 4.9, 5], [True, False, False])
    assert result.default_round.tolist() == [0, 1, 2]
    assert result.defaulted.all()
    assert result.losses.tolist() == [4.0, 5.0, 6.0]
    assert result.total_loss == 15.0
    assert result.distress.tolist() == [1.0, 1.0, 1.0]
    assert result.rounds == 2
    assert result.converged


def test_loss_given_default() -> None:
    """theta = 0.5: round 1 b loses 2.5 < 5, c 1.5 < 5: nobody else fails.
    Distress: b 2.5 / 5, c 1.5 / 5; a failed (1)."""
    result = default_cascade(
        THREE_ROUNDS, [1.0, 5, 5], [True, False, False], loss_given_default=0.5
    )
    assert result.default_round.tolist() == [0, -1, -1]
    assert result.losses.tolist() == pytest.approx([0.0, 2.5, 1.5])
    assert result.distress.tolist() == pytest.approx([1.0, 0.5, 0.3])
    assert result.rounds == 0


def test_a_loss_equal_to_the_buffer_is_no_failure() -> None:
    """Furfine (2003) and systemicrisk: a bank fails when its losses EXCEED its capital.
    b loses exactly its 5: it stands, at distress 1; c then loses only 3 < 5."""
    result = default_cascade(THREE_ROUNDS, [1.0, 5, 5], [True, False, False])
    assert result.default_round.tolist() == [0, -1, -1]
    assert result.distress.tolist() == [1.0, 1.0, pytest.approx(0.6)]


@pytest.mark.parametrize(("theta", "fails"), [(0.5, False), (0.6, False), (0.61, True)])
def test_threshold_is_capital_exceeded(theta: float, fails: bool) -> None:
    """b lost 10 on a, buffer 6: it fails once theta * 10 > 6, i.e. theta > 0.6."""
    result = default_cascade(exposures({(1, 0): 10.0}, 2), [1.0, 6.0], [True, False],
                             loss_given_default=theta)  # fmt: skip
    assert bool(result.defaulted[1]) is fails


def test_zero_buffer() -> None:
    """b (buffer 0) lost 1 on a: fails at the first loss. c (buffer 0) is not exposed to
    anyone who failed: a zero buffer alone is no failure."""
    result = default_cascade(exposures({(1, 0): 1.0}, 3), [1.0, 0.0, 0.0], [True, False, False])
    assert result.defaulted.tolist() == [True, True, False]
    assert result.distress.tolist() == [1.0, 1.0, 0.0]


def test_cycle_of_mutual_exposures() -> None:
    """a and b each lost 4 on the other, buffers 3: a's failure takes b down in round 1;
    a's loss on b (4) comes after it failed and only shows in its losses."""
    result = default_cascade(exposures({(0, 1): 4.0, (1, 0): 4.0}, 2), [3.0, 3.0], [1, 0])
    assert result.default_round.tolist() == [0, 1]
    assert result.losses.tolist() == [4.0, 4.0]


def test_no_initial_default() -> None:
    result = default_cascade(THREE_ROUNDS, [1.0, 5, 5], [False, False, False])
    assert result.rounds == 0
    assert not result.defaulted.any()
    assert result.losses.tolist() == [0.0, 0.0, 0.0]


def test_max_rounds_stops_early() -> None:
    result = default_cascade(THREE_ROUNDS, [1.0, 4.9, 5], [True, False, False], max_rounds=1)
    assert result.default_round.tolist() == [0, 1, -1]
    assert result.rounds == 1
    assert not result.converged
    # Losses from the failures so far (a and b): c 3 + 3.
    assert result.losses.tolist() == [0.0, 5.0, 6.0]


def test_results_are_read_only_and_inputs_untouched() -> None:
    initial = np.array([True, False, False])
    result = default_cascade(THREE_ROUNDS, [1.0, 5, 5], initial)
    assert isinstance(result, CascadeResult)
    assert initial.tolist() == [True, False, False]
    with pytest.raises(ValueError, match="read-only"):
        result.defaulted[2] = False


@pytest.mark.parametrize(
    ("matrix", "buffers", "initial", "kwargs", "field"),
    [
        (np.zeros((2, 3)), [1.0, 1.0], [True, False], {}, "exposure"),
        ([[0.0, 1], [0, 0]], [1.0, -1.0], [True, False], {}, "buffers"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], [True], {}, "initial_defaults"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], [2, 0], {}, "initial_defaults"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], ["yes", "no"], {}, "initial_defaults"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], [True, False], {"loss_given_default": 1.5},
         "loss_given_default"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], [True, False], {"loss_given_default": np.nan},
         "loss_given_default"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], [True, False], {"max_rounds": -1}, "max_rounds"),
    ],
)  # fmt: skip
def test_invalid_input(
    matrix: object, buffers: object, initial: object, kwargs: dict, field: str
) -> None:
    with pytest.raises(ContagionInputError) as caught:
        default_cascade(matrix, buffers, initial, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


# --- Properties ------------------------------------------------------------------------


def reference_cascade(x: np.ndarray, buffers: np.ndarray, initial: np.ndarray, theta: float):
    """Furfine's rounds read literally, node by node (tests only)."""
    n = len(buffers)
    failed = [bool(f) for f in initial]
    while True:
        losses = [theta * sum(x[i][j] for j in range(n) if failed[j]) for i in range(n)]
        new = [not failed[i] and losses[i] > 0 and losses[i] > buffers[i] for i in range(n)]
        if not any(new):
            return np.array(failed), np.array(losses)
        failed = [a or b for a, b in zip(failed, new, strict=True)]


@st.composite
def networks(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    n = draw(st.integers(2, 8))
    amounts = st.one_of(st.just(0.0), st.integers(1, 10).map(float))
    x = np.array([[draw(amounts) for _ in range(n)] for _ in range(n)])
    np.fill_diagonal(x, 0.0)
    buffers = np.array([float(draw(st.integers(0, 15))) for _ in range(n)])
    initial = np.array([draw(st.booleans()) for _ in range(n)])
    return x, buffers, initial


@settings(max_examples=80, deadline=None)
@given(networks(), st.sampled_from([1.0, 0.5, 0.25]))
def test_matches_the_literal_reading(network: tuple[np.ndarray, ...], theta: float) -> None:
    x, buffers, initial = network
    failed, losses = reference_cascade(x, buffers, initial, theta)
    result = default_cascade(sparse.csr_array(x), buffers, initial, loss_given_default=theta)
    assert result.defaulted.tolist() == failed.tolist()
    assert result.losses.tolist() == pytest.approx(losses.tolist())
    survivors = ~result.defaulted
    assert np.all(result.losses[survivors] <= buffers[survivors])  # standing: not exceeded
    assert np.all((result.distress >= 0) & (result.distress <= 1))


@settings(max_examples=80, deadline=None)
@given(networks(), st.data())
def test_more_initial_defaults_never_less_loss(
    network: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    x, buffers, initial = network
    more = initial | np.array([data.draw(st.booleans()) for _ in initial])
    small = default_cascade(sparse.csr_array(x), buffers, initial)
    large = default_cascade(sparse.csr_array(x), buffers, more)
    assert not np.any(small.defaulted & ~large.defaulted)
    assert np.all(large.losses >= small.losses)
    assert large.total_loss >= small.total_loss


@settings(max_examples=50, deadline=None)
@given(networks(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_higher_loss_given_default_never_less_loss(
    network: tuple[np.ndarray, ...], a: float, b: float
) -> None:
    x, buffers, initial = network
    low = default_cascade(x, buffers, initial, loss_given_default=min(a, b))
    high = default_cascade(x, buffers, initial, loss_given_default=max(a, b))
    assert not np.any(low.defaulted & ~high.defaulted)
    assert np.all(high.losses >= low.losses - 1e-12)


def test_large_sparse_network_runs_fast() -> None:
    rng = np.random.default_rng(11)
    n, m = 20_000, 200_000
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rows != cols
    x = sparse.coo_array((rng.lognormal(0, 1, keep.sum()), (rows[keep], cols[keep])), (n, n))
    buffers = np.asarray(x.tocsr().sum(axis=1)).ravel() * rng.uniform(0.05, 0.8, n)
    initial = np.zeros(n, dtype=bool)
    initial[rng.choice(n, 20, replace=False)] = True
    result = default_cascade(x, buffers, initial)
    assert result.converged
    assert result.defaulted.sum() >= 20
    failed_later = result.default_round > 0
    assert np.all(result.losses[failed_later] > buffers[failed_later])
