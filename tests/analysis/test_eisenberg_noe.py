"""Eisenberg-Noe (2001) clearing, greatest clearing vector by the fictitious default algorithm.

Orientation: L[i, j] = what i OWES j (row = the debtor). Expected numbers are worked out
by hand in the comments (as fractions) on networks taken from the literature where noted;
none is copied from this code's output.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from graph.analysis.contagion import ClearingResult, ContagionInputError, eisenberg_noe

# The module, not the function the package re-exports under the same name.
EN_MODULE = sys.modules["graph.analysis.contagion.eisenberg_noe"]


def liabilities(entries: dict[tuple[int, int], float], n: int) -> sparse.csr_array:
    rows, cols = zip(*entries, strict=True)
    return sparse.csr_array((list(entries.values()), (rows, cols)), shape=(n, n))


def test_mutual_debt_without_assets_has_many_clearing_vectors_greatest_pays_in_full() -> None:
    """a and b owe each other 1 and have nothing else.

    Every p = (t, t), 0 <= t <= 1, is a clearing vector (each pays what it receives). The
    greatest is full payment: nobody defaults, nobody loses, equity 0 + 1 - 1 = 0.
    """
    result = eisenberg_noe(liabilities({(0, 1): 1.0, (1, 0): 1.0}, 2), [0.0, 0.0])
    assert result.payments.tolist() == [1.0, 1.0]
    assert not result.defaulted.any()
    assert result.default_round.tolist() == [-1, -1]
    assert result.rounds == 0
    assert result.equity.tolist() == [0.0, 0.0]
    assert result.recovery.tolist() == [1.0, 1.0]


def test_partial_default_on_a_chain() -> None:
    """a owes b 10 and has 4; b owes c 5 and has 2; c owes nothing.

    Round 1: with full payments a has 4 < 10: a defaults and pays 4 (recovery 0.4).
    b then has 2 + 4 = 6 >= 5: pays in full, equity 1. c receives 5.
    b's credit loss: owed 10, received 4 -> 6. c: owed 5, received 5 -> 0.
    """
    result = eisenberg_noe(liabilities({(0, 1): 10.0, (1, 2): 5.0}, 3), [4.0, 2.0, 0.0])
    assert result.payments.tolist() == pytest.approx([4.0, 5.0, 0.0])
    assert result.owed.tolist() == [10.0, 5.0, 0.0]
    assert result.shortfall.tolist() == pytest.approx([6.0, 0.0, 0.0])
    assert result.defaulted.tolist() == [True, False, False]
    assert result.default_round.tolist() == [1, -1, -1]
    assert result.recovery.tolist() == pytest.approx([0.4, 1.0, 1.0])
    assert result.received.tolist() == pytest.approx([0.0, 4.0, 5.0])
    assert result.losses.tolist() == pytest.approx([0.0, 6.0, 0.0])
    assert result.equity.tolist() == pytest.approx([0.0, 1.0, 5.0])
    assert result.rounds == 1
    assert result.converged


def test_contagion_in_the_second_round() -> None:
    """Same chain, b has only 0.5: after round 1 (a pays 4) b has 4.5 < 5.

    Round 2: b defaults and pays 4.5. c receives 4.5: loss 0.5, equity 4.5.
    """
    result = eisenberg_noe(liabilities({(0, 1): 10.0, (1, 2): 5.0}, 3), [4.0, 0.5, 0.0])
    assert result.payments.tolist() == pytest.approx([4.0, 4.5, 0.0])
    assert result.default_round.tolist() == [1, 2, -1]
    assert result.rounds == 2
    assert result.losses.tolist() == pytest.approx([0.0, 6.0, 0.5])
    assert result.equity.tolist() == pytest.approx([0.0, 0.0, 4.5])


def test_max_rounds_gives_an_upper_bound_and_says_so() -> None:
    result = eisenberg_noe(
        liabilities({(0, 1): 10.0, (1, 2): 5.0}, 3), [4.0, 0.5, 0.0], max_rounds=1
    )
    assert not result.converged
    assert result.rounds == 1
    assert result.payments.tolist() == pytest.approx([4.0, 5.0, 0.0])  # >= (4, 4.5, 0)
    assert result.default_round.tolist() == [1, -1, -1]


def test_ring_of_rogers_and_veraart_without_default_costs() -> None:
    """The circular network of Rogers & Veraart (2013), "Failure and rescue in an interbank
    network", Management Science 59(4), section 5.1, with a = 2, epsilon = 1, gamma = 0.4
    and no default costs (alpha = beta = 1), which is the plain Eisenberg-Noe model.

    Banks 0..5 in a ring: 0 owes 1 a = 2, 1 owes 2 a + epsilon = 3, 2 owes 3 2, 3 owes 4 3,
    4 owes 5 2, 5 owes 0 3. External assets gamma (1 - epsilon) = 0 for 0, 2, 4 and
    gamma (1 + epsilon) = 0.8 for 1, 3, 5.
    By hand: with full payments bank 1 has 0.8 + 2 = 2.8 < 3 (so do 3 and 5): they default
    in round 1 and pay 2.8 each. Bank 2 then receives 2.8 >= 2: pays in full (so do 4
    and 0). Round 2 adds nobody. Equity of 0, 2, 4: 2.8 - 2 = 0.8; recovery of 1, 3, 5: 2.8/3.
    """
    entries = {(0, 1): 2.0, (1, 2): 3.0, (2, 3): 2.0, (3, 4): 3.0, (4, 5): 2.0, (5, 0): 3.0}
    result = eisenberg_noe(liabilities(entries, 6), [0.0, 0.8, 0.0, 0.8, 0.0, 0.8])
    assert result.payments.tolist() == pytest.approx([2.0, 2.8, 2.0, 2.8, 2.0, 2.8])
    assert result.default_round.tolist() == [-1, 1, -1, 1, -1, 1]
    assert result.recovery.tolist() == pytest.approx([1, 2.8 / 3, 1, 2.8 / 3, 1, 2.8 / 3])
    assert result.equity.tolist() == pytest.approx([0.8, 0, 0.8, 0, 0.8, 0])
    assert result.rounds == 1


def test_three_banks_with_external_liabilities() -> None:
    """The example of `default()` / `default_clearing()` in the R package systemicrisk
    (Gandy & Veraart; https://search.r-project.org/CRAN/refmans/systemicrisk/html/default.html):

        ea <- c(1/2, 5/8, 3/4); el <- c(3/2, 1/2, 1/2); x <- 0.5
        L <- matrix(c(0, x, 1-x, 1-x, 0, x, x, 1-x, 0), nrow = 3)

    With x = 0.5 every bank owes each other bank 0.5. The external liabilities el are owed
    to the outside, modelled as a fourth node that owes nothing. The package prints no
    numbers; solved by hand:
    owed p_bar = (2.5, 1.5, 1.5); shares: bank 1 pays 0.2 to each bank, 0.6 outside;
    banks 2 and 3 pay a third to each of the others and outside.
    Round 1, full payments: bank 1 has 0.5 + 0.5 + 0.5 = 1.5 < 2.5: defaults, pays 1.5.
    Bank 2 then has 0.625 + 0.2 * 1.5 + 0.5 = 1.425 < 1.5; bank 3 1.55 >= 1.5.
    Round 2: p1 = 0.5 + p2 / 3 + 0.5, p2 = 0.625 + 0.2 p1 + 0.5
      => p1 (1 - 1/15) = 11/8 => p1 = 165/112, p2 = 9/8 + 33/112 = 159/112.
    Bank 3: 0.75 + 0.2 * 165/112 + 159/336 = (84 + 33 + 53)/112 = 170/112 >= 1.5: pays.
    """
    third = 0.5
    entries = {
        (0, 1): third, (0, 2): third, (0, 3): 1.5,
        (1, 0): third, (1, 2): third, (1, 3): 0.5,
        (2, 0): third, (2, 1): third, (2, 3): 0.5,
    }  # fmt: skip
    result = eisenberg_noe(liabilities(entries, 4), [0.5, 0.625, 0.75, 0.0])
    assert result.payments.tolist() == pytest.approx([165 / 112, 159 / 112, 1.5, 0.0])
    assert result.default_round.tolist() == [1, 2, -1, -1]
    assert result.defaulted.tolist() == [True, True, False, False]
    assert result.equity[2] == pytest.approx(170 / 112 - 1.5)
    # The outside creditor is owed 1.5 + 0.5 + 0.5 and receives 0.6 p1 + p2 / 3 + 0.5.
    assert result.losses[3] == pytest.approx(2.5 - (0.6 * 165 / 112 + 159 / 336 + 0.5))


def test_nobody_owes_anything() -> None:
    result = eisenberg_noe(sparse.csr_array((3, 3)), [1.0, 0.0, 2.0])
    assert result.payments.tolist() == [0.0, 0.0, 0.0]
    assert result.recovery.tolist() == [1.0, 1.0, 1.0]
    assert result.equity.tolist() == [1.0, 0.0, 2.0]
    assert result.rounds == 0


def test_defaulted_nodes_with_nothing_coming_in_pay_nothing() -> None:
    """a owes b 3, b owes a 1, neither has outside assets.

    Round 1 (full payments): a has 1 < 3: defaults. b has 3 >= 1: pays. Round 1 solve:
    p_a = 0 + p_b = 1. Round 2: b has 1 >= 1: pays. So p = (1, 1): the mutual part
    circulates, a's extra 2 is lost.
    """
    result = eisenberg_noe(liabilities({(0, 1): 3.0, (1, 0): 1.0}, 2), [0.0, 0.0])
    assert result.payments.tolist() == pytest.approx([1.0, 1.0])
    assert result.default_round.tolist() == [1, -1]
    result = eisenberg_noe(liabilities({(0, 1): 3.0}, 2), [0.0, 0.0])
    assert result.payments.tolist() == [0.0, 0.0]


def test_results_are_read_only_and_inputs_untouched() -> None:
    matrix = liabilities({(0, 1): 10.0, (1, 2): 5.0}, 3)
    assets = np.array([4.0, 2.0, 0.0])
    result = eisenberg_noe(matrix, assets)
    assert isinstance(result, ClearingResult)
    with pytest.raises(ValueError, match="read-only"):
        result.payments[0] = 0.0
    assert assets.tolist() == [4.0, 2.0, 0.0]
    assert matrix.toarray().tolist() == [[0, 10, 0], [0, 0, 5], [0, 0, 0]]


@pytest.mark.parametrize(
    ("matrix", "assets", "kwargs", "field"),
    [
        (np.zeros((2, 3)), [1.0, 1.0], {}, "liabilities"),
        ([[0.0, -1], [0, 0]], [1.0, 1.0], {}, "liabilities"),
        ([[0.0, np.inf], [0, 0]], [1.0, 1.0], {}, "liabilities"),
        ([[2.0, 1], [0, 0]], [1.0, 1.0], {}, "liabilities"),
        ([[0.0, 1], [0, 0]], [1.0], {}, "external_assets"),
        ([[0.0, 1], [0, 0]], [1.0, -2], {}, "external_assets"),
        ([[0.0, 1], [0, 0]], [np.nan, 1], {}, "external_assets"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], {"max_rounds": 0}, "max_rounds"),
        ([[0.0, 1], [0, 0]], [1.0, 1.0], {"tol": 1.5}, "tol"),
    ],
)
def test_invalid_input(matrix: object, assets: object, kwargs: dict, field: str) -> None:
    with pytest.raises(ContagionInputError) as caught:
        eisenberg_noe(matrix, assets, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


# --- Properties on random networks -----------------------------------------------------


@st.composite
def systems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 7))
    amounts = st.one_of(st.just(0.0), st.just(0.0), st.floats(0.1, 10.0))
    matrix = np.array([[draw(amounts) for _ in range(n)] for _ in range(n)])
    np.fill_diagonal(matrix, 0.0)
    assets = np.array([draw(st.one_of(st.just(0.0), st.floats(0.0, 10.0))) for _ in range(n)])
    return matrix, assets


def relative_shares(matrix: np.ndarray) -> np.ndarray:
    owed = matrix.sum(axis=1)
    return np.divide(matrix, owed[:, None], out=np.zeros_like(matrix), where=owed[:, None] > 0)


@settings(max_examples=80, deadline=None)
@given(systems())
def test_payments_are_a_clearing_vector(system: tuple[np.ndarray, np.ndarray]) -> None:
    matrix, assets = system
    result = eisenberg_noe(sparse.csr_array(matrix), assets)
    owed = matrix.sum(axis=1)
    p = result.payments
    assert result.converged
    assert np.all(p >= 0) and np.all(p <= owed * (1 + 1e-12))  # owed: summed in another order
    fixed = np.minimum(owed, assets + relative_shares(matrix).T @ p)
    assert p.tolist() == pytest.approx(fixed.tolist(), rel=1e-8, abs=1e-9)
    assert result.defaulted.tolist() == (p < owed * (1 - 1e-9)).tolist()
    assert np.all(result.equity >= 0)
    assert result.rounds <= len(assets)


@settings(max_examples=60, deadline=None)
@given(systems())
def test_payments_are_the_greatest_clearing_vector(system: tuple[np.ndarray, np.ndarray]) -> None:
    """Eisenberg & Noe (2001), Lemma 4: the greatest clearing vector maximises sum(p)
    subject to 0 <= p <= p_bar and p <= e + Pi^T p; a linear programme solved by HiGHS."""
    matrix, assets = system
    owed = matrix.sum(axis=1)
    n = len(assets)
    lp = linprog(
        c=-np.ones(n),
        A_ub=np.eye(n) - relative_shares(matrix).T,
        b_ub=assets,
        bounds=list(zip(np.zeros(n), owed, strict=True)),
        method="highs",
    )
    assert lp.status == 0
    result = eisenberg_noe(sparse.csr_array(matrix), assets)
    assert result.payments.tolist() == pytest.approx(lp.x.tolist(), rel=1e-7, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(systems(), st.data())
def test_more_outside_assets_never_pay_less(
    system: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    matrix, assets = system
    extra = np.array([data.draw(st.floats(0.0, 5.0)) for _ in assets])
    poor = eisenberg_noe(sparse.csr_array(matrix), assets)
    rich = eisenberg_noe(sparse.csr_array(matrix), assets + extra)
    assert np.all(rich.payments >= poor.payments - 1e-9)
    assert not np.any(rich.defaulted & ~poor.defaulted)


# --- Large networks: the iterative solvers ---------------------------------------------


def random_system(n: int, m: int, seed: int, richness: float) -> tuple[sparse.csr_array, ...]:
    rng = np.random.default_rng(seed)
    rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = rows != cols
    matrix = sparse.coo_array(
        (rng.lognormal(0, 1.5, keep.sum()), (rows[keep], cols[keep])), shape=(n, n)
    ).tocsr()
    owed = np.asarray(matrix.sum(axis=1)).ravel()
    return matrix, owed * rng.uniform(0, 2 * richness, n)


def assert_clearing(matrix: sparse.csr_array, assets: np.ndarray, result: ClearingResult) -> None:
    owed = np.asarray(matrix.sum(axis=1)).ravel()
    shares = sparse.diags_array(np.divide(1.0, owed, out=np.zeros_like(owed), where=owed > 0))
    available = assets + (shares @ matrix).T @ result.payments
    expected = np.minimum(owed, available)
    assert np.all(np.abs(result.payments - expected) <= 1e-8 * np.maximum(owed, 1.0))


def test_large_default_block_uses_gmres() -> None:
    """A block above the direct-solve size: 6,000 nodes, 60,000 debts, most default."""
    matrix, assets = random_system(6_000, 60_000, seed=3, richness=0.05)
    result = eisenberg_noe(matrix, assets)
    assert result.converged
    assert result.defaulted.sum() > 2_000
    assert_clearing(matrix, assets, result)


def test_long_ring_that_stalls_gmres_is_still_solved(monkeypatch: pytest.MonkeyPatch) -> None:
    """5,000 nodes in a ring, each owing the next 1 and the outside 1e-4: the defaulted block
    is one long cycle that leaks 0.01% per step, where plain GMRES converges as slowly as
    fixed-point iteration. By hand, with g = 1 / 1.0001 (the share of a payment that stays
    in the ring): if all ring nodes default, p_k = p_0 g^k and p_0 = 0.3 + g p_{n-1}, so
    p_0 = 0.3 / (1 - g^n) = 0.762 < 1.0001: they all do."""
    n = 5_000
    ring = np.arange(n)
    matrix = sparse.coo_array(
        (
            np.concatenate([np.ones(n), np.full(n, 1e-4)]),
            (np.concatenate([ring, ring]), np.concatenate([(ring + 1) % n, np.full(n, n)])),
        ),
        shape=(n + 1, n + 1),
    ).tocsr()
    assets = np.zeros(n + 1)
    assets[0] = 0.3
    calls: list[str] = []
    for name in ("_gmres", "_gauss_seidel_gmres"):
        solver = getattr(EN_MODULE, name)

        def spy(*args: object, solver: object = solver, name: str = name) -> np.ndarray:
            calls.append(name)
            return solver(*args)  # type: ignore[operator, no-any-return]

        monkeypatch.setattr(EN_MODULE, name, spy)
    result = eisenberg_noe(matrix, assets)
    assert "_gauss_seidel_gmres" in calls
    assert result.converged
    assert_clearing(matrix, assets, result)
    g = 1 / 1.0001
    p0 = 0.3 / (1 - g**n)
    assert result.defaulted[:n].all()
    assert result.payments[:n] == pytest.approx(p0 * g ** np.arange(n), rel=1e-8)
    assert result.default_round[0] == 2  # the others (round 1) pull it down


def test_monotone_iteration_fallback_finds_the_greatest_solution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If every linear solver fails, iterating from the previous payments still clears."""

    def broken(system: object, rhs: np.ndarray, start: np.ndarray) -> np.ndarray:
        return np.full(rhs.size, np.nan)

    monkeypatch.setattr(EN_MODULE, "_direct", broken)
    entries = {(0, 1): 2.0, (1, 2): 3.0, (2, 3): 2.0, (3, 4): 3.0, (4, 5): 2.0, (5, 0): 3.0}
    result = eisenberg_noe(liabilities(entries, 6), [0.0, 0.8, 0.0, 0.8, 0.0, 0.8])
    assert result.converged
    assert result.payments.tolist() == pytest.approx([2.0, 2.8, 2.0, 2.8, 2.0, 2.8])
    matrix, assets = random_system(300, 1_500, seed=5, richness=0.1)
    fallback = eisenberg_noe(matrix, assets)
    monkeypatch.undo()
    assert fallback.payments.tolist() == pytest.approx(
        eisenberg_noe(matrix, assets).payments.tolist(), rel=1e-6, abs=1e-9
    )
