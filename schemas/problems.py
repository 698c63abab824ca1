"""A problem found in user input, located by file, line and field."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.common import visible


class Problem(BaseModel):
    """One thing wrong with an input, precise enough to fix without guessing."""

    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    field: str | None = None  # e.g. `commitments[3].amount.usd`
    message: str

    def __str__(self) -> str:
        """`file:line:column: field: message`, safe to print (controls shown escaped)."""
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        parts = [p for p in (where, self.field, self.message) if p]
        return visible(": ".join(parts))
