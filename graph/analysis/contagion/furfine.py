"""Default cascade (Furfine 2003): a node fails when its credit losses exceed its buffer.

Furfine, C. H. (2003), "Interbank exposures: quantifying the risk of contagion", Journal
of Money, Credit and Banking 35(1): 111-128. Sequential defaults: the failures of one
round cost each creditor `loss_given_default` (theta) times its exposure; whoever has lost
more than its buffer fails in the next round (as Furfine's capital test and the R package
systemicrisk have it: a loss equal to the capital leaves the bank standing).

Orientation: X[i, j] is what i LOSES (USD) if j fails. For plain debt X = L transposed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.analysis.contagion.common import (
    RELATIVE_SLACK,
    BoolArray,
    ContagionInputError,
    FloatArray,
    IntArray,
    MatrixLike,
    boolean_vector,
    columns_times,
    frozen,
    next_round,
    rounds_limit,
    square_matrix,
    vector,
)

__all__ = ["CascadeResult", "default_cascade"]


@dataclass(frozen=True)
class CascadeResult:
    """Where a default cascade ended (arrays are read-only, indexed like the matrix rows).

    defaulted: failed, initially or in the cascade.
    default_round: 0 for the initial defaults, k for a failure in round k, -1 never.
    losses: theta * sum over failed j of X[i, j], USD: each node's credit losses at the end
        (the initial defaults' own losses are not part of it).
    distress: losses / buffer capped at 1, and 1 for every failed node (0..1).
    rounds: cascade rounds that added defaults.
    converged: False when max_rounds stopped a cascade that would have gone on.
    """

    defaulted: BoolArray
    default_round: IntArray
    losses: FloatArray
    distress: FloatArray
    rounds: int
    converged: bool

    @property
    def total_loss(self) -> float:
        """Sum of `losses`, USD."""
        return float(self.losses.sum())


def default_cascade(
    exposure: MatrixLike,
    buffers: npt.ArrayLike,
    initial_defaults: npt.ArrayLike,
    *,
    loss_given_default: float = 1.0,
    max_rounds: int | None = None,
) -> CascadeResult:
    """Furfine's (2003) sequential default cascade.

    exposure: sparse n x n, X[i, j] = what i LOSES (USD) if j fails.
    buffers: USD >= 0, what each node can lose before it fails (Furfine: tier 1 capital).
    initial_defaults: booleans (or 0/1), the nodes failing in round 0.
    loss_given_default: theta in [0, 1], the share of an exposure lost when the
        counterparty fails.
    max_rounds: stop after this many rounds; None runs to the end (at most n rounds).

    Round k: losses_i = theta * sum_{j failed by round k-1} X[i, j]; a node not yet failed
    fails in round k when losses_i > buffer_i, i.e. its losses exceed its capital (beyond
    1e-12 relative rounding; a zero buffer fails at the first loss, never without one).
    The cascade ends when a round adds no failure.

    Monotone: each round's losses are non-decreasing in the set already failed and in
    theta, and a node fails once they exceed its buffer; by induction on the rounds, more
    initial defaults, lower buffers or a higher theta never fail fewer nodes or lose less.

    Example: b lost 10 on a (buffer 9: exceeded), c lost 3 on b (buffer 5); a loss of 10 on
    a buffer of exactly 10 would leave b standing.

    >>> X = [[0.0, 0, 0], [10, 0, 0], [0, 3, 0]]
    >>> r = default_cascade(X, [1.0, 9, 5], [True, False, False])
    >>> r.defaulted.tolist(), r.default_round.tolist(), r.losses.tolist()
    ([True, True, False], [0, 1, -1], [0.0, 10.0, 3.0])
    """
    x = square_matrix("exposure", exposure)
    n = x.shape[0]
    buffer = vector("buffers", buffers, n)
    defaulted = boolean_vector("initial_defaults", initial_defaults, n)
    theta = float(loss_given_default)
    if not (np.isfinite(theta) and 0.0 <= theta <= 1.0):
        raise ContagionInputError(
            "loss_given_default must be between 0 and 1", field="loss_given_default"
        )
    limit = rounds_limit("max_rounds", max_rounds, n)
    by_column = x.tocsc()

    default_round = np.where(defaulted, 0, -1).astype(np.int64)
    losses = np.zeros(n, dtype=np.float64)
    newly_failed = np.flatnonzero(defaulted)
    rounds = 0
    converged = True
    while newly_failed.size:
        next_round()
        losses += theta * columns_times(by_column, newly_failed, np.ones(newly_failed.size))
        failing = ~defaulted & (losses > 0) & (losses > buffer * (1.0 + RELATIVE_SLACK))
        if not failing.any():
            break
        if rounds == limit:
            converged = False
            break
        rounds += 1
        defaulted |= failing
        default_round[failing] = rounds
        newly_failed = np.flatnonzero(failing)

    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(buffer > 0, np.minimum(1.0, losses / buffer), 0.0)
    distress = np.where(defaulted, 1.0, share)
    return CascadeResult(
        defaulted=frozen(defaulted),
        default_round=frozen(default_round),
        losses=frozen(losses),
        distress=frozen(distress),
        rounds=rounds,
        converged=converged,
    )
