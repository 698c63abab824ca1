"""Read answers cached per data version and request, with `ETag` and `304 Not Modified`.

A read endpoint's answer depends on the data (the snapshot's version), the request's path
and query string, today's date (the default `as_of` of every question), and whether Accept
asks for CSV (api.spreadsheet): no other header. So this layer, in front of the routes,
keeps each answer's bytes as the route serialised them once, keyed by (path, query, today,
CSV or not) for the current version, and answers
a repeat from them without running the route. A new version (an import here or by another
process) empties the cache.

Each answer's `ETag` is a hash of its bytes: equal answers have equal tags, whichever
version or query string gave them. A client that sends `If-None-Match` with the tag
(RFC 9110, 13.1.2: weak comparison, a list, or `*`) gets `304` with no body. `Cache-Control:
no-cache` tells clients to ask again each time, as the data can change with any import.

The snapshot a request is answered from is fixed here, before the route runs (the routes
read it through api.deps.get_snapshot), so an answer is stored under the version it was
computed from even if an import lands meanwhile. Only `200` answers are kept; errors and
writes pass through untouched. The cache holds at most `max_bytes` of answers (least
recently used first out); an answer over an eighth of that is served but not kept.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import get_today
from api.spreadsheet import accept_prefers_csv
from graph.errors import AifgError
from graph.snapshot import SnapshotSource

# The read endpoints whose answers are cached (everything under them is a GET of data).
CACHED_PATHS = (
    "/entities",
    "/commitments",
    "/timeline",
    "/analysis/cycles",
    "/analysis/concentration",
    "/graph",
)
DEFAULT_MAX_BYTES = 128 * 2**20
Key = tuple[str, bytes, str, bool]


@dataclass(frozen=True)
class Answer:
    """A route's 200 answer as sent: its headers (without the length) and its bytes."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


class AnswerCache:
    """The answers of one data version, least recently used first, within `max_bytes`."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.version: str | None = None
        self.bytes = 0
        self._answers: OrderedDict[Key, Answer] = OrderedDict()

    def get(self, version: str, key: Key) -> Answer | None:
        if version != self.version:
            self._answers.clear()
            self.version, self.bytes = version, 0
            return None
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, version: str, key: Key, answer: Answer) -> None:
        if version != self.version or len(answer.body) > self.max_bytes // 8:
            return
        old = self._answers.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self._answers[key] = answer
        self.bytes += len(answer.body)
        while self.bytes > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self.bytes -= len(dropped.body)


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 If-None-Match: `*`, or any listed tag equal to `etag`, weak or not."""
    if if_none_match.strip() == b"*":
        return True
    tags = (tag.strip() for tag in if_none_match.split(b","))
    return any(tag.removeprefix(b"W/") == etag for tag in tags)


class AnswerCacheMiddleware:
    """The cache in front of the routes (module docstring)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.app = app
        self.cache = AnswerCache(max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or not path.startswith(CACHED_PATHS):
            await self.app(scope, receive, send)
            return
        source: SnapshotSource = scope["app"].state.source
        # current() may reload a snapshot after another process's import: off the loop.
        try:
            snapshot = await anyio.to_thread.run_sync(source.current)
        except AifgError:
            # E.g. Neo4j down: the route meets the same error and answers it as a problem
            # (503); raised here, outside the app's handlers, it would be a bare 500.
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["snapshot"] = snapshot
        headers = dict(scope["headers"])
        # The same question asked as CSV (Accept: text/csv) is another answer.
        as_csv = accept_prefers_csv(headers.get(b"accept", b"").decode("latin-1"))
        key = (path, scope.get("query_string", b""), (await get_today()).isoformat(), as_csv)
        if_none_match = headers.get(b"if-none-match")
        answer = self.cache.get(snapshot.version, key)
        if answer is None:
            answer = await self._answer(scope, receive, send)
            if answer is None:  # not a 200: already sent as the route made it
                return
            self.cache.put(snapshot.version, key, answer)
        await _send(
            send,
            answer,
            not_modified=if_none_match is not None and matches(if_none_match, answer.etag),
        )

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> Answer | None:
        """Run the route; a 200 is gathered into an Answer (not sent), anything else is
        passed on as it comes."""
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False

        async def gather(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                start = message
                passing = message["status"] != 200
            if passing:
                await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, gather)
        if passing or start is None:
            return None
        body = b"".join(chunks)
        headers = tuple(
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-length", b"etag", b"cache-control")
        )
        return Answer(headers, body, etag_of(body))


async def _send(send: Send, answer: Answer, *, not_modified: bool) -> None:
    common = [(b"etag", answer.etag), (b"cache-control", b"no-cache")]
    if not_modified:
        # RFC 9110 15.4.5: a 304 carries the validators, not the representation's headers.
        await send({"type": "http.response.start", "status": 304, "headers": common})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [*answer.headers, *common, (b"content-length", str(len(answer.body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
