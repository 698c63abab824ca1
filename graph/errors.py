"""Domain errors. They know nothing of HTTP; api/problems.py maps them to responses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from graph.suggest import did_you_mean
from schemas.problems import Problem


class AifgError(Exception):
    """Base of every error this package raises on purpose."""


MAX_PROBLEMS = 100
"""Problems listed per error; the rest are counted. A file of a million wrong entries
then answers with a hundred located problems and the total, not a 138 MB list."""


class DataError(AifgError):
    """Input data is invalid: `listed` holds the first problems found (at most
    MAX_PROBLEMS), each located, and `total` counts every one.

    `problems` is `listed` followed, when some were left out, by one line saying how many,
    so whatever prints the problems one a line (the CLI) tells the reader there are more.
    """

    def __init__(self, problems: Sequence[Problem], *, total: int | None = None) -> None:
        self.listed = list(problems[:MAX_PROBLEMS])
        self.total = max(total or 0, len(problems))
        self.omitted = self.total - len(self.listed)
        self.problems = list(self.listed)
        if self.omitted:
            self.problems.append(
                Problem(
                    message=f"... and {self.omitted:,} more problems not listed "
                    f"({self.total:,} in all; the first {len(self.listed)} are above)"
                )
            )
        first = str(self.listed[0]) if self.listed else "invalid data"
        more = f" (and {self.total - 1:,} more)" if self.total > 1 else ""
        super().__init__(first + more)


class Problems:
    """Problems gathered one by one, up to MAX_PROBLEMS kept; the rest only counted.

    `add` takes a function making the problem, so locating (a re-parse) and wording a
    "did you mean" cost nothing for the problems that will not be listed.
    """

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, make: Callable[[], Problem]) -> None:
        self.total += 1
        if len(self.listed) < MAX_PROBLEMS:
            self.listed.append(make())

    def extend(self, error: DataError) -> None:
        self.listed += error.listed[: MAX_PROBLEMS - len(self.listed)]
        self.total += error.total

    def raise_if_any(self) -> None:
        if self.total:
            raise DataError(self.listed, total=self.total)


class NotFoundError(AifgError):
    """No record with this id; `suggestions` holds close ids."""

    def __init__(self, kind: str, id: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.id = id
        self.suggestions = list(suggestions)
        super().__init__(f"no {kind} with id {id!r}{did_you_mean(self.suggestions)}")


class InvalidQueryError(AifgError):
    """A question that makes no sense for the data (e.g. a cycle length below 2)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class StoreUnavailableError(AifgError):
    """The store cannot be reached (e.g. the Neo4j server is down)."""


class StoreLimitError(AifgError):
    """The store refused an import for a limit of its own (e.g. Neo4j's transaction
    memory); nothing was written."""


class StoreFullError(AifgError):
    """The disk under the store is full; the import was rolled back, nothing written."""


class OverBudgetError(AifgError):
    """A question stopped at its time budget (graph.budget); `field` names the parameter
    to change, the message what to ask instead. Nothing was changed."""

    def __init__(self, message: str, *, field: str, seconds: float) -> None:
        self.field = field
        self.seconds = seconds
        super().__init__(message)


class QuestionCancelledError(AifgError):
    """A question stopped before its end because nobody waits for it any more: the client
    closed the connection, or the server is stopping."""


class GoneError(AifgError):
    """The record was withdrawn: its id answers with the date and the reason."""

    def __init__(self, kind: str, id: str, on: dt.date, reason: str) -> None:
        self.kind = kind
        self.id = id
        self.on = on
        self.reason = reason
        super().__init__(f"{kind} {id!r} was withdrawn on {on.isoformat()}: {reason}")


class ConflictError(AifgError):
    """The data changed between a check and the write that relied on it; nothing written."""
