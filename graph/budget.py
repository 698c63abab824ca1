"""A time budget per question, checked inside the loops that can run long, so a question
that would take too long stops computing, not only stops being waited for.

The API gives each heavy question a `Budget` (AIFG_QUERY_SECONDS) and runs it with
`spending(budget)`; the loops that can run long call `check` (once a round or a month) or
iterate through `metered` (every so many items of an enumeration): a look-through's
paths, a loop enumeration, a contagion model's rounds, a series' months. Outside a
budget (the CLI, the tests of the pure functions) both cost a context-variable read.

A budget can also be cancelled from another thread: when the client closes the
connection, or when the server is told to stop; the question then ends at its next check.
Each check names the parameter to change, so the answer says what to ask instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from graph.errors import OverBudgetError, QuestionCancelledError

T = TypeVar("T")
CHECK_EVERY = 512
"""Items of an enumeration between two clock reads: a read is ~100 ns, an item a few µs,
so the check costs about 1% and the budget is overshot by a few milliseconds at most."""


class Budget:
    """`seconds` of computing from now, or until `cancel` (thread-safe: one assignment)."""

    def __init__(self, seconds: float, *, setting: str = "AIFG_QUERY_SECONDS") -> None:
        self.seconds = seconds
        self.setting = setting
        self.deadline = time.monotonic() + seconds
        self.cancelled: str | None = None

    def restart(self) -> None:
        """Count the `seconds` from now (e.g. once a question waited for a worker)."""
        self.deadline = time.monotonic() + self.seconds

    def cancel(self, reason: str) -> None:
        """Stop the question at its next check, e.g. "the client closed the connection"."""
        self.cancelled = reason

    def check(self, field: str, advice: str) -> None:
        """Raise when cancelled or past the deadline, naming `field` and what to ask instead."""
        if self.cancelled is not None:
            raise QuestionCancelledError(self.cancelled)
        if time.monotonic() > self.deadline:
            raise OverBudgetError(
                f"the question was stopped after its {self.seconds:g} s budget "
                f"({self.setting}): {advice}",
                field=field,
                seconds=self.seconds,
            )


_current: ContextVar[Budget | None] = ContextVar("aifg_budget", default=None)


@contextmanager
def spending(budget: Budget) -> Iterator[Budget]:
    """Run the block (in this thread or task) under `budget`."""
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def check(field: str, advice: str) -> None:
    """Check the budget of the question being answered, if it has one."""
    budget = _current.get()
    if budget is not None:
        budget.check(field, advice)


def metered(items: Iterable[T], field: str, advice: str) -> Iterator[T]:
    """`items`, checking the current budget every CHECK_EVERY of them (and before the first)."""
    budget = _current.get()
    if budget is None:
        yield from items
        return
    for count, item in enumerate(items):
        if count % CHECK_EVERY == 0:
            budget.check(field, advice)
        yield item
