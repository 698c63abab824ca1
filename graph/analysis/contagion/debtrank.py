"""DebtRank: distress h_i in [0, 1] (share of i's buffer lost) spreading along exposures.

Orientation: X[i, j] is what i LOSES (USD) if j fails (i's claim on j, or its stake in j).
For plain debt X = L transposed, where L[i, j] is what i owes j.

Two published versions, same inputs and result type:

- `debtrank`: Battiston, Puliga, Kaushik, Tasca, Caldarelli (2012), "DebtRank: too central
  to fail?", Scientific Reports 2:541. Impact W[i, j] = min(1, X[i, j] / buffer_i); each
  distressed node passes its distress on ONCE, then is inactive.
- `differential_debtrank`: Bardoscia, Battiston, Caccioli, Caldarelli (2015), "DebtRank: a
  microscopic foundation for shock propagation", PLoS ONE 10(6): e0130406. Every increment
  of distress passes on, through the uncapped leverage Lambda[i, j] = X[i, j] / buffer_i.

Rounds: round 0 is the shock (the papers' t = 1); round k is after k propagation steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph.analysis.contagion.common import (
    BoolArray,
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
from graph.analysis.contagion.common import (
    ContagionInputError as ContagionInputError,
)

__all__ = ["DebtRankResult", "debtrank", "differential_debtrank"]


@dataclass(frozen=True)
class DebtRankResult:
    """Where a DebtRank run ended (arrays are read-only, indexed like the matrix rows).

    h: final distress h_i(T) in [0, 1], the share of i's buffer lost (1 = wiped out).
    initial: the shock h_i(1).
    history: h after each round, shape (rounds + 1, n); row 0 is the shock. None when the
        run was asked not to keep it.
    rounds: propagation steps that changed h (a step reaching nobody is not counted).
    converged: False when max_rounds stopped a run that was still moving.
    debtrank: R = sum_i v_i h_i(T) - sum_i v_i h_i(1), the value lost beyond the shock, as a
        share of the system's total value (`weights`).
    weights: v, the relative economic value of each node (sums to 1).
    losses: h_i * buffer_i, USD (the shock's own loss included).
    first_distressed_round: the round in which h_i first became > 0: 0 for shocked nodes,
        -1 for nodes never reached.
    defaulted: h_i == 1.
    """

    h: FloatArray
    initial: FloatArray
    history: FloatArray | None
    rounds: int
    converged: bool
    debtrank: float
    weights: FloatArray
    losses: FloatArray
    first_distressed_round: IntArray
    defaulted: BoolArray

    @property
    def total_loss(self) -> float:
        """Sum of `losses`, USD."""
        return float(self.losses.sum())

    @property
    def order(self) -> IntArray:
        """Nodes ever distressed, in the order they were first hit (ties by index)."""
        hit = np.flatnonzero(self.first_distressed_round >= 0)
        return hit[np.argsort(self.first_distressed_round[hit], kind="stable")].astype(np.int64)


def _relative_value(weights: npt.ArrayLike | None, buffers: FloatArray) -> FloatArray:
    n = buffers.shape[0]
    if weights is None:
        total = float(buffers.sum())
        if total > 0:
            return buffers / total
        return np.full(n, 1.0 / n)
    raw = vector("weights", weights, n)
    total = float(raw.sum())
    if total <= 0:
        raise ContagionInputError("weights must not all be zero", field="weights")
    return raw / total


def _per_buffer(exposure: CsrMatrix, buffers: FloatArray, *, cap: bool) -> CsrMatrix:
    """X[i, j] / buffer_i (capped at 1 if `cap`), CSR.

    A zero buffer with a positive exposure: impact 1 when capped, infinite leverage when
    not (any increment wipes the node out). Infinite entries are stored as 0 here and
    their pattern is kept by `_infinite_leverage`, so a whole-matrix product with a
    vector holding zeros never computes 0 * inf.
    """
    row_buffer = buffers[row_of_entry(exposure)]
    data = np.full(exposure.data.shape, 1.0 if cap else 0.0)
    np.divide(exposure.data, row_buffer, out=data, where=row_buffer > 0)
    if cap:
        np.minimum(data, 1.0, out=data)
    # The index arrays are shared, not copied: no model writes to a matrix.
    return sparse.csr_array((data, exposure.indices, exposure.indptr), shape=exposure.shape)


def _infinite_leverage(exposure: CsrMatrix, buffers: FloatArray) -> CsrMatrix | None:
    """1 where X[i, j] > 0 and buffer_i = 0 (infinite leverage), or None if nowhere."""
    zero_buffer = buffers[row_of_entry(exposure)] <= 0
    if not zero_buffer.any():
        return None
    pattern = sparse.csr_array(
        (zero_buffer.astype(np.float64), exposure.indices.copy(), exposure.indptr.copy()),
        shape=exposure.shape,
    )
    pattern.eliminate_zeros()
    return pattern


def _result(
    h: FloatArray,
    initial: FloatArray,
    history: list[FloatArray] | None,
    rounds: int,
    converged: bool,
    weights: FloatArray,
    buffers: FloatArray,
    first: IntArray,
) -> DebtRankResult:
    return DebtRankResult(
        h=frozen(h),
        initial=frozen(initial),
        history=None if history is None else frozen(np.vstack(history)),
        rounds=rounds,
        converged=converged,
        # A share of the whole value: in [0, 1], where the weights' float sum can miss
        # by an ulp (a reader must never see 1.0000000000000002).
        debtrank=float(np.clip(weights @ (h - initial), 0.0, 1.0)),
        weights=frozen(weights),
        losses=frozen(h * buffers),
        first_distressed_round=frozen(first),
        defaulted=frozen(h >= 1.0),
    )


def debtrank(
    exposure: MatrixLike,
    buffers: npt.ArrayLike,
    shock: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    max_rounds: int = 100,
    keep_history: bool = True,
) -> DebtRankResult:
    """DebtRank as defined by Battiston et al. (2012), Scientific Reports 2:541.

    exposure: sparse n x n, X[i, j] = what i LOSES (USD) if j fails.
    buffers: USD >= 0, what each node can lose before it fails (e.g. equity).
    shock: initial distress h_i(1) in [0, 1] (share of buffer lost at once).
    weights: relative economic value v_i (>= 0, normalised to sum 1). Default: v
        proportional to `buffers` (equal weights if every buffer is 0), so R is the
        share of the system's total buffer lost beyond the shock.
    max_rounds: stop after this many propagation steps (converged is then False).
    keep_history: keep h after every round (memory: (rounds + 1) x n floats).

    Impact of j on i: W[i, j] = min(1, X[i, j] / buffer_i), capped BEFORE it multiplies
    distress; a zero buffer with X[i, j] > 0 gives impact 1. States: undistressed (U),
    distressed (D), inactive (I); nodes with shock > 0 start in D. Each round, for every i
    (inactive ones too: they keep accumulating distress)

        h_i(t) = min(1, h_i(t-1) + sum_{j in D} W[i, j] h_j(t-1))

    then the D nodes become I (they propagate once, never again) and U nodes with h > 0
    become D. The run ends when no node is in D.

    Not monotone in the shock: a node shocked a little at t = 1 passes on only that little
    and never what it receives later, so adding a small shock can lower the final loss
    (a known limit of the 2012 algorithm; `differential_debtrank` has no such effect).
    Monotone when the same nodes are shocked harder: who is in D, and when, depends only on
    which h are > 0 (reachability along W > 0), so the D/I timeline is the same, and each
    round's min(1, h + W h_D) is non-decreasing in every h; by induction no h(t) is lower.

    Example: b lost 10 on a, c lost 3 on b; a is wiped out.

    >>> X = sparse.csr_array([[0.0, 0, 0], [10, 0, 0], [0, 3, 0]])
    >>> r = debtrank(X, [5.0, 5, 5], [1.0, 0, 0])
    >>> r.h.tolist(), r.rounds, r.first_distressed_round.tolist()
    ([1.0, 1.0, 0.6], 2, [0, 1, 2])
    """
    x = square_matrix("exposure", exposure)
    n = x.shape[0]
    buffer = vector("buffers", buffers, n)
    initial = vector("shock", shock, n, upper=1.0)
    values = _relative_value(weights, buffer)
    limit = rounds_limit("max_rounds", max_rounds, 100)
    impact = _per_buffer(x, buffer, cap=True)

    h = initial.copy()
    distressed = h > 0
    inactive = np.zeros(n, dtype=np.bool_)
    first = np.where(distressed, 0, -1).astype(np.int64)
    history = [h.copy()] if keep_history else None
    rounds = 0
    converged = True
    while True:
        next_round()
        spreading = np.flatnonzero(distressed)
        if spreading.size == 0:
            break
        # One whole-matrix product: the columns of nodes not spreading meet a zero.
        # (Each row sums its entries in column order either way, so this equals the
        # product over the spreading columns alone, bit for bit.)
        new_h = np.minimum(1.0, h + impact @ np.where(distressed, h, 0.0))
        if np.array_equal(new_h, h):
            break  # nobody was exposed to the spreading nodes: nothing new can happen
        if rounds == limit:
            converged = False
            break
        rounds += 1
        h = new_h
        inactive[spreading] = True
        distressed = (h > 0) & ~inactive
        first[(first < 0) & (h > 0)] = rounds
        if history is not None:
            history.append(h.copy())
    return _result(h, initial, history, rounds, converged, values, buffer, first)


def differential_debtrank(
    exposure: MatrixLike,
    buffers: npt.ArrayLike,
    shock: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    max_rounds: int = 100,
    tol: float = 1e-12,
    keep_history: bool = True,
) -> DebtRankResult:
    """Differential (linear) DebtRank of Bardoscia et al. (2015), PLoS ONE 10(6): e0130406.

    exposure: sparse n x n, X[i, j] = what i LOSES (USD) if j fails.
    buffers, shock, weights, max_rounds, keep_history: as in `debtrank`.
    tol: stop when no node's distress grew by more than this in the last round.

    Every increment of distress propagates, so no loss is dropped on cycles:

        h_i(t+1) = min(1, h_i(t) + sum_j Lambda[i, j] (h_j(t) - h_j(t-1))),  h(0) = 0,

    with the interbank leverage Lambda[i, j] = X[i, j] / buffer_i NOT capped at 1 (the
    paper's matrix: i loses X[i, j] times j's relative loss, whatever its buffer; the
    min(1, .) on h already caps each node). A zero buffer with X[i, j] > 0 is infinite
    leverage: i is wiped out by any increment of j. Where every X[i, j] <= buffer_i this
    is the capped impact W of `debtrank`. The result equals iterating
    h <- min(1, shock + Lambda h) from h = 0, a map non-decreasing in both the shock and h,
    so every round's h is monotone in the shock: shocking harder or shocking more nodes
    never lowers anyone's distress.

    Example: a ring a -> b -> a (each lost 4 on the other, buffers 10); a loses half.

    >>> X = sparse.csr_array([[0.0, 4], [4, 0]])
    >>> r = differential_debtrank(X, [10.0, 10], [0.5, 0], max_rounds=1000)
    >>> [round(v, 6) for v in r.h.tolist()]  # a: 0.5 / (1 - 0.16), b: 0.4 a
    [0.595238, 0.238095]
    """
    x = square_matrix("exposure", exposure)
    n = x.shape[0]
    buffer = vector("buffers", buffers, n)
    initial = vector("shock", shock, n, upper=1.0)
    values = _relative_value(weights, buffer)
    limit = rounds_limit("max_rounds", max_rounds, 100)
    if not (np.isfinite(tol) and tol >= 0):
        raise ContagionInputError("tol must be a finite number >= 0", field="tol")
    leverage = _per_buffer(x, buffer, cap=False)
    wiped = _infinite_leverage(x, buffer)

    h = initial.copy()
    increment = initial.copy()  # h(1) - h(0), with h(0) = 0
    first = np.where(h > 0, 0, -1).astype(np.int64)
    history = [h.copy()] if keep_history else None
    rounds = 0
    converged = True
    while True:
        next_round()
        if increment.max() <= tol:
            break
        step = leverage @ increment  # increments are >= 0: only moving nodes count
        if wiped is not None:  # infinite leverage on a moving node: wiped out
            step[wiped @ (increment > 0).astype(np.float64) > 0] = np.inf
        new_h = np.minimum(1.0, h + step)
        if np.array_equal(new_h, h):
            break  # the last increments reached nobody (or only wiped-out nodes)
        if rounds == limit:
            converged = False
            break
        rounds += 1
        increment = new_h - h
        h = new_h
        first[(first < 0) & (h > 0)] = rounds
        if history is not None:
            history.append(h.copy())
    return _result(h, initial, history, rounds, converged, values, buffer, first)
