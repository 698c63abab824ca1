"""Eisenberg-Noe clearing: who can pay what they owe when payments depend on each other.

Eisenberg, L. and Noe, T. H. (2001), "Systemic risk in financial systems", Management
Science 47(2): 236-249.

Orientation: L[i, j] is what i OWES j (USD) — the transpose of the exposure X used by
DebtRank and the cascade (for plain debt X = L.T).

p_bar_i = sum_j L[i, j] is what i owes in all; Pi[i, j] = L[i, j] / p_bar_i is the share of
i's payments that goes to j (a zero row when i owes nothing). A clearing vector p solves

    p = min(p_bar, e + Pi^T p)

(each node pays in full, or everything it has: outside assets e plus what it receives,
shared pro rata among its creditors). There may be several; this module returns the
GREATEST, which Eisenberg and Noe show is the one that matters (every other clearing
vector pays less to everyone, and it is unique under their regularity condition).
It is monotone in the outside assets: min(p_bar, e + Pi^T p) is non-decreasing in p and
in e, so its greatest fixed point (Tarski) is non-decreasing in e. Less outside assets (a
larger shock) never raise a payment, so never lower what a creditor fails to receive.

Method: the fictitious default algorithm (Eisenberg and Noe, section 3). Start with
everyone paying in full. Each round, the nodes that cannot pay in full given the others'
current payments join the default set; the defaulted nodes' payments are then the
solution of the linear system

    (I - Pi_DD^T) p_D = e_D + Pi_ND^T p_bar_N          (N: the nodes still paying in full)

It stops when the default set stops growing (at most n rounds), and each round is a wave
of contagion: round 1 holds the fundamental defaults (they fail even if all others pay),
round k the nodes pulled down by round k-1. The linear system is solved directly for a
block of up to 2,000 defaulted nodes and with GMRES beyond (a direct sparse solve on a
large default block can take minutes), then with GMRES preconditioned by a Gauss-Seidel
sweep if plain GMRES stalls. If no solution checks out (a residual above tol), the
monotone iteration p_D <- min(p_bar_D, e_D + Pi^T p) from the previous payments (an
upper bound) finishes the job; it decreases to the greatest solution.
Plain fixed-point iteration on the whole network converges only geometrically, and its
rounds would not mean waves of default.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import linalg

from graph.analysis.contagion.common import (
    BoolArray,
    ContagionInputError,
    CsrMatrix,
    FloatArray,
    IntArray,
    MatrixLike,
    frozen,
    next_round,
    rounds_limit,
    row_of_entry,
    square_matrix,
    vector,
)

__all__ = ["ClearingResult", "eisenberg_noe"]

_DIRECT_MAX = 2_000  # blocks up to this size: a direct sparse solve (exact, milliseconds)
_GMRES_RESTART = 60
_GMRES_CYCLES = 5
_FALLBACK_SWEEPS = 5_000


@dataclass(frozen=True)
class ClearingResult:
    """The greatest clearing vector and what follows from it (read-only arrays, USD).

    payments: p*, what each node pays in all.
    owed: p_bar, what each node owes in all (row sums of L).
    shortfall: owed - payments (>= 0).
    defaulted: pays less than it owes.
    default_round: fictitious-default round in which the node defaulted: 1 for
        fundamental defaults, k for those pulled down by round k-1, -1 never.
    recovery: payments / owed, the share its creditors recover (1 where nothing is owed).
    received: Pi^T p*, what each node receives from the others.
    losses: what the others owed the node minus what it received, its credit loss.
    equity: e + received - payments, what is left after paying (>= 0).
    rounds: fictitious-default rounds that added defaults.
    converged: False when max_rounds stopped the algorithm (payments are then an upper
        bound of the clearing vector) or a linear solve did not converge.
    """

    payments: FloatArray
    owed: FloatArray
    shortfall: FloatArray
    defaulted: BoolArray
    default_round: IntArray
    recovery: FloatArray
    received: FloatArray
    losses: FloatArray
    equity: FloatArray
    rounds: int
    converged: bool


def _payment_shares_transposed(liabilities: CsrMatrix, owed: FloatArray) -> CsrMatrix:
    """Pi^T as CSR: row i holds the shares of each debtor's payments that go to i."""
    rows = row_of_entry(liabilities)
    shares = liabilities.data / owed[rows]  # a stored entry implies owed > 0
    pi = sparse.csr_array(
        (shares, liabilities.indices.copy(), liabilities.indptr.copy()), shape=liabilities.shape
    )
    return sparse.csr_array(pi.T)


def _solve_defaulted(
    pi_t: CsrMatrix,
    assets: FloatArray,
    payments: FloatArray,
    defaulted: BoolArray,
    owed: FloatArray,
    tol: float,
) -> tuple[FloatArray, bool]:
    """Payments with the defaulted nodes paying all they have, the others in full.

    Solved for the recovery rates r_D = p_D / p_bar_D (each in [0, 1]) rather than p_D, so
    that a block mixing trillion-dollar and thousand-dollar nodes is well scaled:

        (I - B) r = c,  B[i, j] = L[j, i] / p_bar_i,  c_i = (e_i + inflow from payers) / p_bar_i
    """
    block = np.flatnonzero(defaulted)
    cap = owed[block]  # > 0: a node that owes nothing never defaults
    solvent_pay = np.where(defaulted, 0.0, payments)
    inflows: Any = pi_t[block]
    c = (assets[block] + np.asarray(inflows @ solvent_pay, dtype=np.float64)) / cap
    start = payments[block] / cap
    if not c.any():
        return _with_block(payments, block, np.zeros(block.size)), True  # nothing comes in
    # B = diag(1 / cap) Pi^T_DD diag(cap), scaled entry by entry (the same products as
    # the two diagonal matrix products, without building them).
    b: Any = sparse.csr_array(inflows[:, block])
    b.sum_duplicates()
    b.data = b.data * (1.0 / cap)[row_of_entry(b)] * cap[b.indices]
    system = sparse.csc_array(sparse.eye_array(block.size, format="csc") - b)
    solvers = [_direct] if block.size <= _DIRECT_MAX else [_gmres, _gauss_seidel_gmres]
    for solver in solvers:
        r = np.clip(solver(system, c, start), 0.0, 1.0)
        if bool(np.all(np.abs(r - np.minimum(1.0, c + b @ r)) <= tol)):
            return _with_block(payments, block, r * cap), True
    r, ok = _monotone_iteration(b, c, start, tol)
    return _with_block(payments, block, r * cap), ok


def _direct(system: Any, rhs: FloatArray, start: FloatArray) -> FloatArray:
    """Sparse LU solve; NaNs if the matrix is singular (the residual check then fails)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", linalg.MatrixRankWarning)
        try:
            return np.asarray(linalg.spsolve(system, rhs), dtype=np.float64).ravel()
        except (linalg.MatrixRankWarning, RuntimeError):
            return np.full(rhs.size, np.nan)


def _gmres(system: Any, rhs: FloatArray, start: FloatArray) -> FloatArray:
    solution, _info = linalg.gmres(
        system, rhs, x0=start, rtol=1e-12, atol=0.0, restart=_GMRES_RESTART, maxiter=_GMRES_CYCLES
    )
    return np.asarray(solution, dtype=np.float64)


def _gauss_seidel_gmres(system: Any, rhs: FloatArray, start: FloatArray) -> FloatArray:
    """GMRES preconditioned by a Gauss-Seidel sweep (a sparse triangular solve, O(nnz)).

    For what plain GMRES cannot do: long cycles that leak little (a ring of defaulted
    nodes), where every unpreconditioned Krylov method converges only as fast as
    fixed-point iteration. (An incomplete LU would also do, but costs minutes on a
    large, well-connected block.)
    """
    lower = sparse.csr_array(sparse.tril(system, format="csr"))
    preconditioner = linalg.LinearOperator(
        system.shape,
        matvec=lambda v: linalg.spsolve_triangular(lower, np.ravel(v), lower=True),
    )
    solution, _info = linalg.gmres(
        system,
        rhs,
        x0=start,
        rtol=1e-12,
        atol=0.0,
        restart=_GMRES_RESTART,
        maxiter=_GMRES_CYCLES,
        M=preconditioner,
    )
    return np.asarray(solution, dtype=np.float64)


def _with_block(payments: FloatArray, block: IntArray, values: FloatArray) -> FloatArray:
    new = payments.copy()
    new[block] = values
    return new


def _monotone_iteration(
    b: Any, c: FloatArray, start: FloatArray, tol: float
) -> tuple[FloatArray, bool]:
    """r <- min(1, c + B r) from an upper bound: decreases to the greatest solution."""
    r = start.copy()
    for _ in range(_FALLBACK_SWEEPS):
        nxt = np.minimum(r, np.minimum(1.0, c + b @ r))
        if np.all(r - nxt <= tol * 1e-3):
            return nxt, True
        r = nxt
    return r, False


def eisenberg_noe(
    liabilities: MatrixLike,
    external_assets: npt.ArrayLike,
    *,
    max_rounds: int | None = None,
    tol: float = 1e-9,
) -> ClearingResult:
    """The greatest Eisenberg-Noe (2001) clearing vector, by the fictitious default algorithm.

    liabilities: sparse n x n, L[i, j] = what i OWES j (USD). Not the exposure X: for plain
        debt pass X.T.
    external_assets: e, USD >= 0, what each node has from outside the network.
    max_rounds: stop after this many fictitious-default rounds; None: until the default set
        stops growing (at most n rounds).
    tol: relative slack: a node defaults when e_i + received_i < p_bar_i (1 - tol), so
        rounding in a node that can exactly pay does not count as a default.

    Example: a owes b 10 and has 4; b owes c 5 and has 2: b gets 4 and pays 5 in full.

    >>> L = sparse.csr_array([[0.0, 10, 0], [0, 0, 5], [0, 0, 0]])
    >>> r = eisenberg_noe(L, [4.0, 2, 0])
    >>> r.payments.tolist(), r.defaulted.tolist(), r.equity.tolist()
    ([4.0, 5.0, 0.0], [True, False, False], [0.0, 1.0, 5.0])
    """
    matrix = square_matrix("liabilities", liabilities)
    n = matrix.shape[0]
    assets = vector("external_assets", external_assets, n)
    limit = rounds_limit("max_rounds", max_rounds, n)
    if not (np.isfinite(tol) and 0.0 <= tol < 1.0):
        raise ContagionInputError("tol must be between 0 and 1", field="tol")
    owed = np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()
    pi_t = _payment_shares_transposed(matrix, owed)

    payments = owed.copy()
    defaulted = np.zeros(n, dtype=np.bool_)
    default_round = np.full(n, -1, dtype=np.int64)
    rounds = 0
    converged = True
    while True:
        next_round()
        available = assets + pi_t @ payments
        failing = ~defaulted & (available < owed * (1.0 - tol))
        if not failing.any():
            break
        if rounds == limit:
            converged = False
            break
        rounds += 1
        defaulted |= failing
        default_round[failing] = rounds
        payments, solved = _solve_defaulted(pi_t, assets, payments, defaulted, owed, tol)
        converged = converged and solved

    received = np.asarray(pi_t @ payments, dtype=np.float64)
    owed_to = np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        recovery = np.where(owed > 0, payments / owed, 1.0)
    return ClearingResult(
        payments=frozen(payments),
        owed=frozen(owed),
        shortfall=frozen(np.maximum(owed - payments, 0.0)),
        defaulted=frozen(defaulted),
        default_round=frozen(default_round),
        recovery=frozen(recovery),
        received=frozen(received),
        losses=frozen(np.maximum(owed_to - received, 0.0)),
        equity=frozen(np.maximum(assets + received - payments, 0.0)),
        rounds=rounds,
        converged=converged,
    )
