"""Domain errors. They know nothing of HTTP; api/problems.py maps them to responses."""

from __future__ import annotations

from collections.abc import Sequence

from schemas.problems import Problem


class AifgError(Exception):
    """Base of every error this package raises on purpose."""


class DataError(AifgError):
    """Input data is invalid; `problems` lists every problem found, each located."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid data"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class NotFoundError(AifgError):
    """No record with this id; `suggestions` holds close ids."""

    def __init__(self, kind: str, id: str, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.id = id
        self.suggestions = list(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no {kind} with id {id!r}{hint}")


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
