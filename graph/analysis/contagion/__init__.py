"""Contagion models on SciPy sparse matrices: pure functions, arrays in, frozen results out.

Orientation (the source of most bugs, PITFALLS.md):

- X[i, j] = what i LOSES (USD) if j fails: `debtrank`, `differential_debtrank`,
  `default_cascade`.
- L[i, j] = what i OWES j (USD): `eisenberg_noe`.
- F[u, v] = what u PAYS or invests in v (USD), the way money flows: `pull_back`.

For plain debt X = L.T. No function builds a dense n x n array; rounds loop in Python,
nodes never do.
"""

from graph.analysis.contagion.common import ContagionInputError
from graph.analysis.contagion.debtrank import DebtRankResult, debtrank, differential_debtrank
from graph.analysis.contagion.eisenberg_noe import ClearingResult, eisenberg_noe
from graph.analysis.contagion.furfine import CascadeResult, default_cascade
from graph.analysis.contagion.pull_back import PullBackResult, pull_back

__all__ = [
    "CascadeResult",
    "ClearingResult",
    "ContagionInputError",
    "DebtRankResult",
    "PullBackResult",
    "debtrank",
    "default_cascade",
    "differential_debtrank",
    "eisenberg_noe",
    "pull_back",
]
