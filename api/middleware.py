"""Plain ASGI middlewares that bound what one connection can hold (the decorator-style
middleware costs about a third of the throughput on small requests):

- ``ConcurrencyLimit``: at most ``limit`` requests in the app at once; more get 503 with
  Retry-After, at once, instead of queueing without bound.
- ``BodyDeadline``: a request body must arrive within ``timeout_s`` (408 otherwise), so a slow
  client cannot hold a request open; a client that hangs up mid-body ends its request quietly.
- ``HeadAsGet``: HEAD on every GET route answers like GET, without the body (RFC 9110 §9.3.2).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import ClientDisconnect

Scope = dict[str, Any]


async def _answer(send: Any, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class ConcurrencyLimit:
    def __init__(self, app: Any, limit: int, retry_after_s: int = 1) -> None:
        self.app = app
        self.limit = limit
        self.retry_after = str(retry_after_s).encode()
        self.active = 0  # one event loop: no lock needed

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            await _answer(send, 503, f"the server is handling {self.limit} requests; try again shortly",
                          [(b"retry-after", self.retry_after)])
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


class _BodyTimeout(Exception):
    pass


class BodyDeadline:
    def __init__(self, app: Any, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        body_done = False
        started = False

        async def timed_receive() -> Any:
            nonlocal body_done
            if body_done:
                # After the body, receive() only waits for a disconnect (e.g. while streaming an
                # answer): no deadline there.
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), max(deadline - loop.time(), 0.001))
            except TimeoutError:
                raise _BodyTimeout from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except _BodyTimeout:
            if not started:
                await _answer(send, 408, f"the request body did not arrive within {self.timeout_s:g} s",
                              [(b"connection", b"close")])
        except ClientDisconnect:
            pass  # the client hung up mid-body: nobody to answer, nothing to log


class HeadAsGet:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}  # headers (Content-Length too) stay as for GET
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
