"""The JSON API under /api: search, measures and related measures, tasks, entities, canned queries."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from api.catalog import NotFound, source_passage
from api.entities import entity_detail, entity_list, task_detail, tasks
from api.pages import page_for
from api.related import related_measures
from kg.store.queries import QueryError, get_query, load_queries
from search.facets import FilterError, Filters

router = APIRouter(prefix="/api", tags=["api"])
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Collection = Annotated[str, Path(pattern="^(units|fields|partners|places|instruments)$")]
MAX_OFFSET = 1_000_000_000  # far past any list; larger numbers would reach the SPARQL parser as OFFSET


def _artifacts(request: Request) -> Any:
    return request.app.state.artifacts


@router.get("/search", summary="Hybrid search over measures, each hit with the reasons it matched")
def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=10_000, description="the question")],
           k: Annotated[int, Query(ge=1, le=100)] = 10, plan: str | None = None, section: str | None = None,
           unit: str | None = None, field: str | None = None, place: str | None = None,
           partner: str | None = None, due_before: Month = None, due_after: Month = None,
           deadline_type: Annotated[str | None, Query(pattern="^(month|quarter|year|range|ongoing|none)$")] = None,
           ) -> dict[str, Any]:
    artifacts = _artifacts(request)
    if artifacts.search is None:
        raise HTTPException(503, f"search is not available: {artifacts.search_problem}")
    from search.engine import SearchError

    try:
        filters = Filters(plan=plan, section=section, unit=unit, field=field, place=place, partner=partner,
                          due_before=due_before, due_after=due_after, deadline_type=deadline_type)
        response = artifacts.search.search(q, k=k, filters=filters)
    except (SearchError, FilterError) as error:
        raise HTTPException(400, str(error)) from None
    return asdict(response)


@router.get("/plans", summary="The plans: id (the {plan} of other paths), title, issuer, size")
def plans(request: Request) -> list[dict[str, Any]]:
    return _artifacts(request).catalog.plans()


@router.get("/plans/{plan}/source", summary="A passage of a plan's source text, with context either side")
def source(request: Request, plan: str, start: Annotated[int, Query(ge=0)], end: Annotated[int, Query(ge=0)],
           context: Annotated[int, Query(ge=0, le=2000)] = 200) -> dict[str, Any]:
    return source_passage(_artifacts(request).catalog, plan, start, end, context)


@router.get("/neighbourhood", summary="Nodes and edges around a measure or entity, for the graph view")
def neighbourhood(request: Request, iri: Annotated[str, Query(min_length=1, max_length=2000)],
                  limit: Annotated[int, Query(ge=2, le=200)] = 40) -> dict[str, Any]:
    artifacts = _artifacts(request)
    try:
        nodes, edges = artifacts.graph.network().neighbourhood(iri, limit)
    except KeyError:
        raise NotFound(f"the graph view knows no node {iri}") from None
    for node in nodes:
        node["href"] = page_for(artifacts.catalog, node["id"], node["kind"])
    return {"center": iri, "nodes": nodes, "edges": edges}


@router.get("/measures", summary="Measures, in document order")
def measures(request: Request, plan: str | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
             offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> list[dict[str, Any]]:
    return _artifacts(request).catalog.measures(plan=plan, limit=limit, offset=offset)


@router.get("/measures/{plan}/{measure_id}", summary="One measure by its id (the `id` of search hits and lists): "
            "text, task, section, deadline, units, entities, targets, source span", response_class=Response,
            responses={200: {"content": {"application/json": {}}}})
def measure(request: Request, plan: str, measure_id: str) -> Response:
    catalog = _artifacts(request).catalog
    # The hottest lookup: its JSON is serialised once and served from the cache afterwards.
    return Response(catalog.detail_json(catalog.measure_iri(plan, measure_id)), media_type="application/json")


@router.get("/measures/{plan}/{measure_id}/related", summary="Related measures with the reasons: shared "
            "fields, partners, places, units, task, and embedding similarity")
def related(request: Request, plan: str, measure_id: str,
            k: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    artifacts = _artifacts(request)
    iri = artifacts.catalog.measure_iri(plan, measure_id)
    return {"measure": iri, "related": related_measures(artifacts, iri, k)}


@router.get("/tasks/{plan}", summary="The tasks of a plan")
def plan_tasks(request: Request, plan: str) -> list[dict[str, Any]]:
    return tasks(_artifacts(request).catalog, plan)


@router.get("/tasks/{plan}/{task_id}", summary="One task with its units and measures")
def task(request: Request, plan: str, task_id: str) -> dict[str, Any]:
    return task_detail(_artifacts(request).catalog, plan, task_id)


@router.get("/queries", summary="The canned analyst queries and their parameters")
def queries() -> list[dict[str, Any]]:
    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
             "params": [asdict(p) for p in q.params]} for q in load_queries().values()]


@router.get("/queries/{name}", summary="Run a canned query; its parameters come as query parameters")
async def run_query(request: Request, name: str) -> dict[str, Any]:
    artifacts = _artifacts(request)
    try:
        canned = get_query(name)
    except QueryError as error:
        raise NotFound(str(error)) from None
    values = {k: v for k, v in request.query_params.items()}
    try:
        text = canned.bind(values)
    except QueryError as error:
        raise HTTPException(422, str(error)) from None
    job = {"query": text, "results_format": "json", "rdf_format": "turtle", "row_cap": artifacts.settings.row_cap,
           "default_graphs": [], "named_graphs": []}
    if hasattr(artifacts.runner, "query_url"):
        outcome = await artifacts.runner.run(job, "application/sparql-results+json")
    else:
        outcome = await artifacts.runner.run(job)
    if outcome.status != 200:
        raise HTTPException(outcome.status, outcome.body.decode("utf-8", "replace"))
    return {"query": name, "title": canned.title, "truncated": outcome.truncated, **json.loads(outcome.body)}


@router.get("/{collection}", summary="Units, fields, partners, places or instruments, with measure counts")
def collection(request: Request, collection: Collection, all: bool = False) -> list[dict[str, Any]]:
    return entity_list(_artifacts(request).catalog, collection, include_unused=all)


@router.get("/{collection}/{entity_id:path}", summary="One unit, field, partner, place or instrument: labels, "
            "hierarchy (narrower fields, places inside) and measures")
def entity(request: Request, collection: Collection, entity_id: str) -> dict[str, Any]:
    return entity_detail(_artifacts(request).catalog, collection, entity_id)
