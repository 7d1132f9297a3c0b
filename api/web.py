"""The web pages: search (/), measure (/m/…), entity (/e/…), plan (/p/…) and SPARQL (/query).

Each page is the same HTML shell with a meaningful title; app.js draws it from the JSON API.
Unknown measures and entities get a real 404 page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.catalog import NotFound
from api.entities import entity_detail
from api.pages import shell

router = APIRouter(include_in_schema=False)


def _not_found(message: str) -> HTMLResponse:
    return HTMLResponse(shell("notfound", "未找到 · PolicyKG", {"message": message}), status_code=404)


@router.get("/")
def search_page(q: str | None = None) -> HTMLResponse:
    title = f"{q} · 搜索 · PolicyKG" if q else "PolicyKG · 政策措施知识图谱检索"
    return HTMLResponse(shell("search", title))


@router.get("/m/{plan}/{measure_id}")
def measure_page(request: Request, plan: str, measure_id: str) -> HTMLResponse:
    catalog = request.app.state.artifacts.catalog
    try:
        detail = catalog.detail(catalog.measure_iri(plan, measure_id))
    except NotFound as error:
        return _not_found(str(error))
    title = f"措施（{detail['number'] or detail['seq']}）{detail['text'][:24]} · PolicyKG"
    return HTMLResponse(shell("measure", title, {"plan": plan, "id": detail["id"]}))


@router.get("/e/{collection}/{entity_id:path}")
def entity_page(request: Request, collection: str, entity_id: str) -> HTMLResponse:
    catalog = request.app.state.artifacts.catalog
    try:
        detail = entity_detail(catalog, collection, entity_id)
    except NotFound as error:
        return _not_found(str(error))
    return HTMLResponse(shell("entity", f"{detail['label']} · PolicyKG",
                              {"collection": collection, "id": entity_id}))


@router.get("/p/{plan}")
def plan_page(request: Request, plan: str) -> HTMLResponse:
    plans = {p["id"]: p for p in request.app.state.artifacts.catalog.plans()}
    if plan not in plans:
        return _not_found(f"no plan {plan!r}")
    return HTMLResponse(shell("plan", f"{plans[plan]['title']} · PolicyKG", {"plan": plan}))


@router.get("/query")
def sparql_page() -> HTMLResponse:
    return HTMLResponse(shell("sparql", "SPARQL 查询 · PolicyKG"))
