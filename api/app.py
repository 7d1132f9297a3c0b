"""The FastAPI application: ``create_app(settings, artifacts)`` — no module globals; the graph,
index, catalog and query workers are loaded in the lifespan (or handed in by tests)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.catalog import NotFound
from api.host_guard import HostGuard, allowed_hosts
from api.linked_data import linked_data_router
from api.middleware import BodyDeadline, ConcurrencyLimit, HeadAsGet
from api.pages import STATIC
from api.routes_api import router as api_router
from api.routes_sparql import router as sparql_router
from api.state import Artifacts, BuildFollower
from api.web import router as web_router
from kg.store.builds import current_build
from kg.store.sparql import SparqlError
from policykg.settings import Settings


def create_app(settings: Settings | None = None, artifacts: Artifacts | None = None) -> FastAPI:
    settings = settings or (artifacts.settings if artifacts else Settings.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loaded = artifacts or Artifacts.open(settings)
        await loaded.runner.start()
        app.state.artifacts = loaded
        # A server that opened the build itself follows `current` to each new build; artifacts
        # handed in (tests) stay as they are.
        follower = None if artifacts else BuildFollower(app.state, settings)
        following = asyncio.create_task(follower.run()) if follower else None
        try:
            yield
        finally:
            if following is not None:
                following.cancel()
                await asyncio.gather(following, return_exceptions=True)
            if follower is not None:
                await follower.close()
            await app.state.artifacts.close()

    app = FastAPI(title="PolicyKG", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph and hybrid search over Chinese policy plans: JSON API, "
                              "read-only SPARQL 1.1 endpoint, linked data.")
    if settings.cors_origins.strip():
        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
                           allow_methods=["GET", "POST"], allow_headers=["*"])

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HostGuard, hosts=allowed_hosts(settings.host, settings.allowed_hosts),
                       cors_origins=settings.cors_origins)
    # Added last = outermost: a request over the concurrency limit costs nothing further.
    app.add_middleware(BodyDeadline, timeout_s=settings.body_timeout_s)
    app.add_middleware(HeadAsGet)
    app.add_middleware(ConcurrencyLimit, limit=settings.max_requests)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(SparqlError)
    async def bad_query(request: Request, error: SparqlError) -> Response:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        fields = [{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "problem": e["msg"]}
                  for e in error.errors()]
        names = ", ".join(f["field"] for f in fields)
        return JSONResponse({"detail": f"bad parameter: {names}", "errors": fields}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return JSONResponse({"detail": error.detail}, status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        # Never a stack trace to the client; the server log keeps it.
        return JSONResponse({"detail": f"internal error ({type(error).__name__})"}, status_code=500)

    @app.get("/health", tags=["service"])
    def health(request: Request) -> dict[str, object]:
        loaded = request.app.state.artifacts
        return {"status": "ok", "build": loaded.graph.build.path.name, "built_at": loaded.graph.build.manifest["built_at"],
                "plans": loaded.graph.plan_ids, "search": loaded.search is not None}

    app.include_router(api_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(sparql_router)
    app.include_router(linked_data_router(_base(settings, artifacts)))
    return app


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413 (a plain ASGI middleware: the
    decorator-style middleware costs about a third of the throughput on small requests)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._too_large(send)
            return
        received = 0

        async def counting_receive() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._too_large(send)

    async def _too_large(self, send: Any) -> None:
        body = json.dumps({"detail": f"request body larger than {self.limit} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def _base(settings: Settings, artifacts: Artifacts | None) -> str:
    if artifacts is not None:
        return artifacts.graph.base
    try:
        return str(current_build(settings.data_dir).manifest["base"])
    except Exception:  # noqa: BLE001 - no build yet: the lifespan will report it
        return settings.base
