"""Plain SciPy sparse references of the contagion equations, for the benchmark's baselines.

Each is the textbook iteration written as directly as SciPy allows: whole sparse
matrix-vector products every round, no input checks, no column slicing, no result
object. The library models (graph.analysis.contagion) must agree with them; the
benchmark reports the library's time as a ratio of theirs.

Orientation as in the library: X[i, j] is what i loses if j fails; L[i, j] is what i
owes j.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Reference:
    """A reference run: the final vector (distress h, or payments p) and its rounds."""

    values: FloatArray
    rounds: int


def _per_buffer(exposure: Any, buffers: FloatArray, *, cap: bool) -> Any:
    """X[i, j] / buffer_i (capped at 1 if `cap`); a zero buffer gives 1 or infinity."""
    x = sparse.csr_array(exposure, dtype=np.float64)
    with np.errstate(divide="ignore"):
        scale = np.where(buffers > 0, 1.0 / np.where(buffers > 0, buffers, 1.0), np.inf)
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    data = x.data * scale[rows]
    # Infinite leverage as the largest float: it still wipes out any node it reaches
    # (min(1, .) caps it) while 0 * it stays 0 in a whole-matrix product.
    data[~np.isfinite(data)] = 1.0 if cap else np.finfo(np.float64).max
    if cap:
        data = np.minimum(data, 1.0)
    return sparse.csr_array((data, x.indices, x.indptr), shape=x.shape)


def debtrank(
    exposure: Any, buffers: FloatArray, shock: FloatArray, *, max_rounds: int = 100
) -> Reference:
    """Battiston et al. (2012): h <- min(1, h + W (h * distressed)); distressed nodes then
    turn inactive and nodes first hit this round become distressed."""
    w = _per_buffer(exposure, buffers, cap=True)
    h = shock.astype(np.float64).copy()
    distressed = h > 0
    inactive = np.zeros_like(distressed)
    rounds = 0
    while distressed.any() and rounds < max_rounds:
        new_h = np.minimum(1.0, h + w @ np.where(distressed, h, 0.0))
        if np.array_equal(new_h, h):
            break
        rounds += 1
        h = new_h
        inactive |= distressed
        distressed = (h > 0) & ~inactive
    return Reference(h, rounds)


def differential_debtrank(
    exposure: Any,
    buffers: FloatArray,
    shock: FloatArray,
    *,
    max_rounds: int = 100,
    tol: float = 1e-12,
) -> Reference:
    """Bardoscia et al. (2015): h(t+1) = min(1, h(t) + Lambda (h(t) - h(t-1))), h(0) = 0."""
    leverage = _per_buffer(exposure, buffers, cap=False)
    h = shock.astype(np.float64).copy()
    increment = h.copy()
    rounds = 0
    while increment.max() > tol and rounds < max_rounds:
        with np.errstate(over="ignore"):
            new_h = np.minimum(1.0, h + leverage @ increment)
        if np.array_equal(new_h, h):
            break
        rounds += 1
        increment = new_h - h
        h = new_h
    return Reference(h, rounds)


def eisenberg_noe(
    liabilities: Any, assets: FloatArray, *, tol: float = 1e-9, max_rounds: int = 100_000
) -> Reference:
    """Eisenberg and Noe (2001) by plain fixed-point iteration from full payment:
    p <- min(p_bar, e + Pi^T p), which decreases to the greatest clearing vector. Stops
    when no payment moved by more than `tol` times what the node owes."""
    matrix = sparse.csr_array(liabilities, dtype=np.float64)
    owed = np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(owed > 0, 1.0 / owed, 0.0)
    pi_t = sparse.csr_array((sparse.diags_array(inverse) @ matrix).T)
    p = owed.copy()
    rounds = 0
    while rounds < max_rounds:
        nxt = np.minimum(owed, assets + pi_t @ p)
        rounds += 1
        if np.all(np.abs(p - nxt) <= tol * owed):
            p = nxt
            break
        p = nxt
    return Reference(p, rounds)


def pull_back(
    flows: Any,
    initial_cuts: Any,
    pass_through: FloatArray,
    *,
    max_rounds: int = 1000,
    tol: float = 1e-12,
) -> Reference:
    """The pull-back's fixed point by plain iteration: s <- min(Out', p * (d0 + A^T s)),
    with R = F - C0 and A = diag(1 / Out') R. Returns the lost inflows d0 + A^T s."""
    f = sparse.csr_array(flows, dtype=np.float64)
    c0 = sparse.csr_array(initial_cuts, dtype=np.float64)
    remaining = sparse.csr_array(f - c0)
    out = np.asarray(remaining.sum(axis=1), dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(out > 0, 1.0 / out, 0.0)
    shares_t = sparse.csr_array((sparse.diags_array(inverse) @ remaining).T)
    d0 = np.asarray(c0.sum(axis=0), dtype=np.float64).ravel()
    s = np.zeros_like(d0)
    lost = d0
    rounds = 0
    while rounds < max_rounds:
        new = np.minimum(out, pass_through * lost)
        rounds += 1
        moved = float(np.max(np.abs(new - s), initial=0.0))
        s = new
        lost = d0 + shares_t @ s
        if moved <= tol * max(1.0, float(d0.sum())):
            rounds -= 1
            break
    return Reference(lost, rounds)


def usd_per_pair_at(
    day: int,
    interval_row: npt.NDArray[np.int64],
    interval_start: npt.NDArray[np.int64],
    interval_end: npt.NDArray[np.int64],
    pair_of_row: npt.NDArray[np.int64],
    usd: FloatArray,
    pairs: int,
) -> FloatArray:
    """What counts at a date, summed per exposure pair: the rows with an interval holding
    day number `day` (start <= day < end), their amounts added up per pair."""
    inside = (interval_start <= day) & (day < interval_end)
    live = np.zeros(len(pair_of_row), dtype=np.bool_)
    live[interval_row[inside]] = True
    summed = np.bincount(pair_of_row[live], weights=usd[live], minlength=pairs)
    return summed.astype(np.float64, copy=False)


def look_through(exposure: Any, hub: int, depth: int, min_usd: float) -> FloatArray:
    """The look-through going out, per end entity: the sum over the simple paths of
    1..depth hops from `hub` worth more than `min_usd`, a path's worth being
    min over k of P(k) x X[vk, vk+1] with P(k) the product of the shares
    X[vi, vi+1] / sum_x X[x, vi+1] before hop k (graph.queries.exposure). Each level
    slices the frontier's rows out of X (CSR row indexing) and extends every path by
    every entry of its head's row."""
    x = sparse.csr_array(exposure, dtype=np.float64)
    at_stake = np.asarray(x.sum(axis=0), dtype=np.float64).ravel()
    with np.errstate(divide="ignore"):
        share_of = np.where(at_stake > 0, 1.0 / np.where(at_stake > 0, at_stake, 1.0), 0.0)
    totals = np.zeros(x.shape[0])
    paths = np.array([[hub]], dtype=np.int64)
    carried = np.ones(1)
    value = np.full(1, np.inf)
    for _ in range(depth):
        rows = sparse.coo_array(x[paths[:, -1]])
        parent, step, usd = rows.row, rows.col, rows.data
        worth = np.minimum(value[parent], carried[parent] * usd)
        keep = (worth > min_usd) & (paths[parent] != step[:, None]).all(axis=1)
        parent, step, usd, worth = parent[keep], step[keep], usd[keep], worth[keep]
        totals += np.bincount(step, weights=worth, minlength=x.shape[0])
        paths = np.column_stack([paths[parent], step])
        carried = carried[parent] * usd * share_of[step]
        value = worth
        if not len(paths):
            break
    return totals
