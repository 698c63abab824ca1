"""Pull-back: a cut in spending or investment that travels with the money.

The source article's domino is not a failure but a withdrawal: "if Nvidia cuts its
investment, OpenAI may lower its demand for CoreWeave's compute, and CoreWeave in turn
buys fewer Nvidia chips". Default models (DebtRank, Eisenberg-Noe, the cascade) carry a
debtor's failure to its creditors; this model carries a payer's cut to its recipients,
as demand shocks travel to suppliers in input-output models.

Orientation: F[u, v] is what u commits to pay or invest in v (USD), the direction money
flows. An initial cut C0 (C0 <= F entrywise) lowers the inflows of its recipients; each
entity v that loses inflow cuts its own remaining outflows R = F - C0 by

    s_v = min(Out'_v, p_v * lost_v),      lost_v = d0_v + sum_u s_u * A[u, v],

spread over them in proportion to their size (A[u, w] = R[u, w] / Out'_u, with
Out'_u = sum_w R[u, w]), where d0_v = sum_u C0[u, v] is the inflow v loses at once and
p_v in [0, 1] is the share of a lost inflow v passes on. So no commitment is cut by more
than its amount. Iterated from s = 0 the sequence only grows and is bounded by Out', so
it converges; where no cap binds the fixed point is the Leontief-type solution
s = (I - diag(p) A^T)^-1 diag(p) d0.

What this follows and where it differs:

- Leontief (1936; The Structure of American Economy, 1941): a fall in final demand for
  one sector lowers the output of its suppliers, and of theirs, through (I - A)^-1. Here
  the network is one of financial commitments, not input shares of production.
- Acemoglu, Carvalho, Ozdaglar and Tahbaz-Salehi, "The Network Origins of Aggregate
  Fluctuations", Econometrica 80(5), 2012: demand shocks propagate upstream, to
  suppliers; in our graph money flows from payer to recipient, so a cut travels along
  the arrows. Carvalho and Tahbaz-Salehi, "Production Networks: A Primer", Annual
  Review of Economics 11, 2019, write the same propagation with influence vectors.
- Unlike those linear models, each entity's cut is capped by what it still has to spend
  (a min, not a matrix inverse), and the share passed on, p_v, is a documented rule per
  entity (fixed, or from its dated financials), not an estimated elasticity.

A larger cut never lowers any entity's lost inflow or cut: every step of the iteration
is monotone in C0 (a larger initial cut on an edge lowers what remains there, but the
edge's total cut, initial plus induced, still grows, and the induced cuts on the
entity's other edges grow with the smaller remainder they are spread over).
tests/analysis/test_pull_back.py checks it by hand and as a property.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from graph.analysis.contagion.common import (
    ContagionInputError,
    CsrMatrix,
    FloatArray,
    IntArray,
    MatrixLike,
    frozen,
    next_round,
    rounds_limit,
    square_matrix,
    vector,
)

__all__ = ["PullBackResult", "pull_back"]

# Converged when no entity's cut moved by more than this share of the initial cut.
TOLERANCE = 1e-12


@dataclass(frozen=True)
class PullBackResult:
    """Where a pull-back run ended (arrays read-only, indexed like the matrix rows).

    lost: the inflow each entity loses, USD (initial and induced cuts of its payers).
    induced: the spending each entity cuts because it lost inflow, USD (s above; its own
        initial cut, if it made one, is in `initial`).
    initial: each entity's own initial cut, USD (the row sums of C0).
    edge_cuts: the cut of every edge, C0 + diag(s) A, USD (never more than F).
    first_round: 0 for the initiators (the entities that cut first); for the others, the
        round in which they first lost inflow: 1 for the recipients of the initial cut,
        k + 1 for those reached by a round-k cut; -1 for entities never reached.
    rounds: propagation steps taken; converged: False when max_rounds stopped a run
        that was still moving.
    """

    lost: FloatArray
    induced: FloatArray
    initial: FloatArray
    edge_cuts: CsrMatrix
    first_round: IntArray
    rounds: int
    converged: bool


def _spending_shares(remaining: CsrMatrix) -> tuple[CsrMatrix, FloatArray]:
    """A[u, w] = R[u, w] / Out'_u (rows without outflows stay zero), and Out'."""
    out = np.asarray(remaining.sum(axis=1), dtype=np.float64).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(out > 0, 1.0 / out, 0.0)
    shares: CsrMatrix = sparse.csr_array(sparse.diags_array(inverse) @ remaining)
    return shares, out


def pull_back(
    flows: MatrixLike,
    initial_cuts: MatrixLike,
    pass_through: FloatArray,
    *,
    max_rounds: int | None = None,
) -> PullBackResult:
    """The cut's spread over the flow network (module docstring), round by round.

    >>> # Nvidia invests 100 in OpenAI; OpenAI buys 50 from CoreWeave and 50 from Oracle;
    >>> # CoreWeave buys 20 of Nvidia's chips. Nvidia withdraws its 100, all passed on.
    >>> f = [[0, 100, 0, 0], [0, 0, 50, 50], [20, 0, 0, 0], [0, 0, 0, 0]]
    >>> c0 = [[0, 100, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    >>> run = pull_back(f, c0, np.ones(4))
    >>> [float(x) for x in run.lost], [int(r) for r in run.first_round]
    ([20.0, 100.0, 50.0, 50.0], [0, 1, 2, 2])
    """
    f = square_matrix("flows", flows)
    c0 = square_matrix("initial_cuts", initial_cuts)
    if c0.shape != f.shape:
        raise ContagionInputError(
            f"initial_cuts must have the shape of flows {f.shape}, got {c0.shape}",
            field="initial_cuts",
        )
    remaining = sparse.csr_array(f - c0)
    remaining.eliminate_zeros()
    if remaining.nnz and remaining.data.min() < -1e-9 * max(1.0, float(f.data.max())):
        raise ContagionInputError("a cut is larger than the flow it cuts", field="initial_cuts")
    remaining.data = np.maximum(remaining.data, 0.0)
    n = f.shape[0]
    p = vector("pass_through", pass_through, n, upper=1.0)
    limit = rounds_limit("max_rounds", max_rounds, 1000)
    shares, out = _spending_shares(remaining)
    shares_t: CsrMatrix = sparse.csr_array(shares.T)
    d0 = np.asarray(c0.sum(axis=0), dtype=np.float64).ravel()
    initial = np.asarray(c0.sum(axis=1), dtype=np.float64).ravel()
    tolerance = TOLERANCE * max(1.0, float(d0.sum()))
    first_round = np.where(initial > 0, 0, -1).astype(np.int64)
    s = np.zeros(n, dtype=np.float64)
    lost = d0.copy()
    first_round[(lost > 0) & (first_round < 0)] = 1
    rounds, converged = 0, False
    while rounds < limit:
        next_round()
        new = np.minimum(out, p * lost)
        rounds += 1
        moved = float(np.max(np.abs(new - s), initial=0.0))
        s = new
        lost = d0 + shares_t @ s
        first_round[(lost > 0) & (first_round < 0)] = rounds + 1
        if moved <= tolerance:
            converged = True
            rounds -= 1  # the last step changed nothing
            break
    edge_cuts: CsrMatrix = sparse.csr_array(c0 + sparse.diags_array(s) @ shares)
    return PullBackResult(
        lost=frozen(np.asarray(lost, dtype=np.float64)),
        induced=frozen(s),
        initial=frozen(initial),
        edge_cuts=edge_cuts,
        first_round=frozen(first_round),
        rounds=rounds,
        converged=converged,
    )
