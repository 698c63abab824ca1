"""Heavy questions off the event loop, a few at a time, each within its time budget.

A heavy question (look-through, loops, concentration, stress, export, timeline) runs in
a worker thread, at most AIFG_QUERY_WORKERS at once, under a graph.budget.Budget of
AIFG_QUERY_SECONDS; its answer is encoded to JSON in that thread too. So the event loop
only hands work out and sends bytes, and /health and the light answers stay fast while
heavy ones compute. Around that:

- a question that cannot start soon is refused rather than queued without bound: when
  AIFG_QUERY_QUEUE questions already wait, or after AIFG_QUERY_WAIT_SECONDS of waiting,
  the answer is a 503 with Retry-After;
- a question whose client closes the connection is cancelled, queued or computing;
- `stop()` (the server got SIGTERM) cancels every question, so the server exits within
  moments rather than after the longest one.

The app sets SWITCH_INTERVAL for its process while it runs (below).
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
import pydantic_core
from starlette.requests import Request
from starlette.responses import Response

from api.spreadsheet import AnswerFormat, rendered
from graph.budget import Budget, spending
from graph.errors import AifgError, QuestionCancelledError
from graph.formats.tables import Table
from graph.settings import Settings
from graph.snapshot import Snapshot, SnapshotSource

T = TypeVar("T")
SWITCH_INTERVAL = 0.0005
"""Seconds a computing thread may hold Python's lock while the event loop waits for it
(sys.setswitchinterval; Python's default is 0.005). The loop takes the lock back once
per turn, and a request takes a few dozen turns: at 5 ms a turn a heavy question made
every other answer wait hundreds of milliseconds; at 0.5 ms they wait a few."""
JSON = "application/json"
POLL_SECONDS = 0.1  # how often a waiting question looks whether it was cancelled


class OverloadedError(AifgError):
    """Too many heavy questions already wait: try again after `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class StoppingError(AifgError):
    """The server is stopping: the question was not started, or was cancelled."""


class Work:
    """The pool of workers for heavy questions of one app (module docstring)."""

    def __init__(self, *, workers: int, queue: int, wait_seconds: float, seconds: float) -> None:
        self.workers = workers
        self.queue = queue
        self.wait_seconds = wait_seconds
        self.seconds = seconds
        self._slots = asyncio.Semaphore(workers)
        self.waiting = 0
        self.running = 0
        self._budgets: set[Budget] = set()
        self.stopping = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Work:
        return cls(
            workers=settings.query_workers,
            queue=settings.query_queue,
            wait_seconds=settings.query_wait_seconds,
            seconds=settings.query_seconds,
        )

    @property
    def retry_after(self) -> int:
        """Seconds after which a refused question has a fair chance: a budget's length."""
        return max(1, math.ceil(self.seconds))

    def stop(self) -> None:
        """Cancel every question, waiting or computing, and refuse new ones (thread-safe:
        called from a signal handler)."""
        self.stopping = True
        for budget in list(self._budgets):
            budget.cancel("the server is stopping")

    async def answer(
        self,
        request: Request,
        source: SnapshotSource,
        question: Callable[..., Any],
        *args: Any,
        as_table: Callable[[Any], Table] | None = None,
        answer_format: AnswerFormat | None = None,
        **kwargs: Any,
    ) -> Response:
        """`question(snapshot, *args, **kwargs)` over the request's snapshot, computed and
        encoded as JSON (by alias, as FastAPI encodes a response model) in a worker; with
        `as_table`, as CSV instead when the client asks for it (api.spreadsheet)."""

        def encoded() -> Response:
            answer = question(request_snapshot(request, source), *args, **kwargs)
            if as_table is not None:
                return rendered(request, answer_format, answer, as_table)
            return Response(pydantic_core.to_json(answer, by_alias=True), media_type=JSON)

        return await self.run(request, encoded)

    async def run(self, request: Request, compute: Callable[[], T]) -> T:
        """`compute()` in a worker thread under a budget, once a worker is free."""
        if self.stopping:
            raise StoppingError("the server is stopping; ask again once it is back")
        budget = Budget(self.seconds)
        self._budgets.add(budget)
        watcher = asyncio.create_task(_cancel_when_gone(request, budget))
        try:
            await self._take_slot(budget)
            try:
                self.running += 1
                budget.restart()  # the budget is for computing, not for waiting too

                def call() -> T:
                    with spending(budget):
                        return compute()

                return await anyio.to_thread.run_sync(call)
            finally:
                self.running -= 1
                self._slots.release()
        finally:
            watcher.cancel()
            self._budgets.discard(budget)

    async def _take_slot(self, budget: Budget) -> None:
        if self._slots.locked() and self.waiting >= self.queue:
            raise OverloadedError(
                f"{self.waiting} heavy questions already wait for the {self.workers} "
                f"worker(s) (AIFG_QUERY_QUEUE={self.queue}); ask again in "
                f"{self.retry_after} s",
                retry_after=self.retry_after,
            )
        self.waiting += 1
        try:
            loop = asyncio.get_running_loop()
            give_up = loop.time() + self.wait_seconds
            while True:
                if budget.cancelled is not None:
                    raise QuestionCancelledError(budget.cancelled)
                try:
                    async with asyncio.timeout(POLL_SECONDS):
                        await self._slots.acquire()
                    return
                except TimeoutError:
                    if loop.time() >= give_up:
                        raise OverloadedError(
                            f"no worker was free within {self.wait_seconds:g} s "
                            f"(AIFG_QUERY_WAIT_SECONDS); ask again in {self.retry_after} s",
                            retry_after=self.retry_after,
                        ) from None
        finally:
            self.waiting -= 1


async def _cancel_when_gone(request: Request, budget: Budget) -> None:
    """Wait for the client to close the connection, then cancel the question.

    The body was read before the route ran, so the next message is the disconnect (a GET
    first gets its empty body)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            budget.cancel("the client closed the connection")
            return


def request_snapshot(request: Request, source: SnapshotSource) -> Snapshot:
    """The snapshot the answer cache fixed for this request (api.answers), so an answer
    is computed from the version it is stored under; else the store's current one
    (reloaded if another process imported: I/O, so call it off the event loop)."""
    pinned: Snapshot | None = getattr(request.state, "snapshot", None)
    return pinned if pinned is not None else source.current()
