"""The FastAPI application: ``create_app(settings, artifacts)`` — no module globals; the graph,
index, catalog and query workers are loaded in the lifespan (or handed in by tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.catalog import NotFound
from api.linked_data import linked_data_router
from api.routes_api import router as api_router
from api.pages import STATIC
from api.routes_sparql import router as sparql_router
from api.web import router as web_router
from api.state import Artifacts
from kg.settings import Settings
from kg.sparql import SparqlError
from kg.store import current_build


def create_app(settings: Settings | None = None, artifacts: Artifacts | None = None) -> FastAPI:
    settings = settings or (artifacts.settings if artifacts else Settings.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loaded = artifacts or Artifacts.open(settings)
        await loaded.runner.start()
        app.state.artifacts = loaded
        try:
            yield
        finally:
            await loaded.runner.close()

    app = FastAPI(title="PolicyKG", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph and hybrid search over Chinese policy plans: JSON API, "
                              "read-only SPARQL 1.1 endpoint, linked data.")
    if settings.cors_origins.strip():
        app.add_middleware(CORSMiddleware, allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
                           allow_methods=["GET", "POST"], allow_headers=["*"])

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length")
        if declared and (not declared.isdigit() or int(declared) > settings.max_body_bytes):
            return JSONResponse({"detail": f"request body larger than {settings.max_body_bytes} bytes"}, status_code=413)
        if request.method == "POST" and not declared:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.max_body_bytes:
                    return JSONResponse({"detail": f"request body larger than {settings.max_body_bytes} bytes"},
                                        status_code=413)
            request._body = body  # read once here; handlers get the cached body
        return await call_next(request)

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
        return {"status": "ok", "built_at": loaded.graph.build.manifest["built_at"],
                "plans": loaded.graph.plan_ids, "search": loaded.search is not None}

    app.include_router(api_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(sparql_router)
    app.include_router(linked_data_router(_base(settings, artifacts)))
    return app


def _base(settings: Settings, artifacts: Artifacts | None) -> str:
    if artifacts is not None:
        return artifacts.graph.base
    try:
        return str(current_build(settings.data_dir).manifest["base"])
    except Exception:  # noqa: BLE001 - no build yet: the lifespan will report it
        return settings.base
