"""ASGI middleware: a request id on every request (and on the 500 of an unexpected error),
and a cap on request bodies."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import BodyTooLargeError, problem_response, unexpected_error


class RequestIdMiddleware:
    """Tag each request with an id (or the caller's X-Request-ID) and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given[:64] if given.isprintable() and given else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = message.setdefault("headers", [])
                if not any(name.lower() == b"x-request-id" for name, _ in headers):
                    headers.append((b"x-request-id", request_id.encode("latin-1")))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            # Answered here: Starlette's outermost handler re-raises after its 500, and
            # uvicorn then drops the connection, a reset a client may read before the answer.
            if started:
                raise
            response = await unexpected_error(Request(scope), error)
            await response(scope, receive, send_with_id)


class BodyLimitMiddleware:
    """Refuse bodies over `limit` bytes: at once by Content-Length, else while reading."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLargeError(self.limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            Request(scope),
            413,
            "Content Too Large",
            str(BodyTooLargeError(self.limit)),
            type_="/problems/body-too-large",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
