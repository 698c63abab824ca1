"""Input checks, array types and small sparse helpers shared by the contagion models.

Two orientations (PITFALLS.md), never mixed up:

- X[i, j] is what i LOSES (USD) if j fails: DebtRank and the default cascade take X.
- L[i, j] is what i OWES j (USD): Eisenberg-Noe takes L.

For plain debt X = L transposed (the lender i loses what the borrower j owes it).
"""

from __future__ import annotations

from typing import Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph import budget
from graph.errors import InvalidQueryError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
# A SciPy sparse array or matrix, or anything np.asarray turns into a 2-D array.
MatrixLike: TypeAlias = "sparse.sparray | sparse.spmatrix | npt.ArrayLike"
CsrMatrix: TypeAlias = "sparse.csr_array[Any, Any]"
CscMatrix: TypeAlias = "sparse.csc_array[Any]"

ArrayT = TypeVar("ArrayT", bound="npt.NDArray[Any]")

# Rounding slack when a sum of floats is compared with a threshold (USD or a share).
RELATIVE_SLACK = 1e-12


class ContagionInputError(InvalidQueryError, ValueError):
    """Pointless or invalid input to a contagion model.

    Shape mismatch, a negative or non-finite amount, a severity outside [0, 1], a
    self-exposure on the diagonal, an empty network. It is an InvalidQueryError (so the
    API answers with a client error) and a ValueError (so plain NumPy code can catch it).
    """


def square_matrix(name: str, matrix: MatrixLike) -> CsrMatrix:
    """A canonical float64 CSR of `matrix`, checked: square, finite, >= 0, zero diagonal.

    Duplicate entries (COO input) are summed and explicit zeros dropped, so one stored
    entry is one counterparty pair. The caller's matrix is never modified, and the
    models never modify what this returns: a float64 CSR that is already canonical is
    returned as it is rather than copied.
    """
    source: Any = matrix
    try:
        if not sparse.issparse(source):
            source = np.asarray(source, dtype=np.float64)
            if source.ndim != 2:
                raise ValueError(f"got {source.ndim} dimensions")
        if isinstance(source, sparse.csr_array) and source.dtype == np.float64:
            # As it is: a new wrapper would forget SciPy's cached canonical-format flag,
            # and checking that again costs as much as a DebtRank round.
            csr: CsrMatrix = source
        else:
            csr = sparse.csr_array(source, dtype=np.float64, copy=False)
    except (TypeError, ValueError) as exc:
        raise ContagionInputError(f"{name} is not a 2-D numeric matrix: {exc}", field=name) from exc
    rows, cols = csr.shape
    if rows != cols:
        raise ContagionInputError(f"{name} must be square, got shape {csr.shape}", field=name)
    if csr.shape[0] == 0:
        raise ContagionInputError(f"{name} is empty: there is no network to stress", field=name)
    # A canonical CSR without stored zeros (what graph.views.network builds) is used
    # as it is, unchanged; anything else is canonicalised in a private copy.
    if not csr.has_canonical_format or not csr.data.all():
        csr = csr.copy()
        csr.sum_duplicates()
        csr.eliminate_zeros()
    if not np.all(np.isfinite(csr.data)):
        raise ContagionInputError(f"{name} has NaN or infinite entries", field=name)
    if np.any(csr.data < 0):
        raise ContagionInputError(f"{name} has negative entries (amounts are >= 0)", field=name)
    if np.any(csr.diagonal() != 0):
        raise ContagionInputError(
            f"{name} has non-zero diagonal entries: a node cannot be exposed to itself",
            field=name,
        )
    return csr


def vector(
    name: str,
    values: npt.ArrayLike,
    n: int,
    *,
    upper: float | None = None,
) -> FloatArray:
    """A float64 copy of `values`, checked: shape (n,), finite, >= 0 and <= upper if given."""
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ContagionInputError(f"{name} is not numeric: {exc}", field=name) from exc
    if array.shape != (n,):
        raise ContagionInputError(
            f"{name} must have shape ({n},) to match the matrix, got {array.shape}", field=name
        )
    if not np.all(np.isfinite(array)):
        raise ContagionInputError(f"{name} has NaN or infinite values", field=name)
    if np.any(array < 0):
        raise ContagionInputError(f"{name} has negative values (must be >= 0)", field=name)
    if upper is not None and np.any(array > upper):
        raise ContagionInputError(f"{name} has values above {upper}", field=name)
    return array


def boolean_vector(name: str, values: npt.ArrayLike, n: int) -> BoolArray:
    """A boolean copy of `values` of shape (n,); accepts bools or 0/1 numbers."""
    array = np.asarray(values)
    if array.shape != (n,):
        raise ContagionInputError(
            f"{name} must have shape ({n},) to match the matrix, got {array.shape}", field=name
        )
    if array.dtype != np.bool_ and (
        not np.issubdtype(array.dtype, np.number) or not np.all((array == 0) | (array == 1))
    ):
        raise ContagionInputError(f"{name} must be booleans (or 0/1)", field=name)
    return np.array(array, dtype=np.bool_)


def rounds_limit(name: str, value: int | None, default: int) -> int:
    """`value` checked to be an int >= 1, or `default` when None."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ContagionInputError(f"{name} must be an integer >= 1, got {value!r}", field=name)
    return int(value)


def next_round() -> None:
    """Called once a round by every model: the question's time budget (graph.budget)."""
    budget.check(
        "max_rounds",
        "the model had not converged by then; ask with a smaller max_rounds (the answer "
        "then says converged: false) or fewer shocks",
    )


def row_of_entry(csr: CsrMatrix) -> IntArray:
    """The row index of every stored entry of a CSR matrix (aligned with csr.data)."""
    n_rows = csr.shape[0]
    return np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(csr.indptr))


def columns_times(csc: CscMatrix, columns: IntArray, values: FloatArray) -> FloatArray:
    """csc[:, columns] @ values, touching only the chosen columns (CSC slicing)."""
    if columns.size == 0:
        return np.zeros(csc.shape[0], dtype=np.float64)
    product = csc[:, columns] @ values
    return np.asarray(product, dtype=np.float64).ravel()


def frozen(array: ArrayT) -> ArrayT:
    """`array` made read-only, so a frozen result cannot be changed behind its back."""
    array.flags.writeable = False
    return array
