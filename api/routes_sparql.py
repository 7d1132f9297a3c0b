"""The SPARQL 1.1 Protocol endpoint (/sparql), read-only and safe, and /graph downloads."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.negotiation import RDF_MEDIA, RDF_TYPES, RESULT_TYPES, choose
from api.service_description import service_description
from api.sparql_text import QueryRefused, check_query
from kg.store.sparql_guard import SparqlError, analyze

router = APIRouter(tags=["sparql"])
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "jsonld": "jsonld",
                "ntriples": "ntriples", "rdfxml": "rdfxml"}


def _problem(status: int, message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=status)


@router.get("/sparql", summary="SPARQL 1.1 query (GET); without a query: the service description")
async def sparql_get(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    if "update" in params:
        return _problem(403, "this endpoint is read-only: SPARQL Update is not accepted (and never over GET)")
    if "query" not in params:
        return service_description(request)
    return await _answer(request, params, params["query"])


@router.post("/sparql", summary="SPARQL 1.1 query (POST form-encoded or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if media == "application/sparql-update":
        return _problem(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if media == "application/x-www-form-urlencoded":
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return _problem(400, "the form body is not UTF-8")
        if "update" in form:
            return _problem(403, "this endpoint is read-only: SPARQL Update is not accepted")
        for key, values in form.items():
            params.setdefault(key, []).extend(values)
        if "query" not in form:
            return _problem(400, "the form has no `query` field")
        return await _answer(request, params, form["query"])
    if media == "application/sparql-query":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _problem(400, "the query is not UTF-8")
        if "query" in params:
            return _problem(400, "give the query either in the body or as a parameter, not both")
        return await _answer(request, params, [text])
    return _problem(415 if media else 400, "POST needs Content-Type application/sparql-query or "
                    "application/x-www-form-urlencoded" + (f", not {media}" if media else ""))


async def _answer(request: Request, params: dict[str, list[str]], queries: list[str]) -> Response:
    if len(queries) != 1:
        return _problem(400, "give exactly one query")
    query = queries[0]
    if not query.strip():
        return _problem(400, "the query is empty")
    try:
        form = check_query(query)
    except QueryRefused as error:
        return _problem(403 if error.update else 400, str(error))
    except SparqlError as error:
        return _problem(400, str(error))
    requested = params.get("format", [None])[0]
    if requested is not None and requested not in FORMAT_PARAM:
        return _problem(400, f"format must be one of {', '.join(FORMAT_PARAM)}")
    accept = request.headers.get("accept")
    results_format = choose(accept, RESULT_TYPES, "json")
    rdf_format = choose(accept, RDF_TYPES, "turtle")
    if requested:
        results_format = requested if requested in ("json", "xml", "csv", "tsv") else "json"
        rdf_format = requested if requested in RDF_MEDIA else "turtle"
    if form in ("SELECT", "ASK") and results_format is None:
        return _problem(406, "no acceptable results format; offered: " + ", ".join(sorted(set(RESULT_TYPES))))
    if form in ("CONSTRUCT", "DESCRIBE") and rdf_format is None:
        return _problem(406, "no acceptable RDF format; offered: " + ", ".join(sorted(set(RDF_TYPES))))
    artifacts = request.app.state.artifacts
    settings = artifacts.settings
    job = {"query": query, "results_format": results_format or "json", "rdf_format": rdf_format or "turtle",
           "row_cap": settings.row_cap, "byte_cap": settings.max_answer_bytes,
           "memory_mb": settings.worker_memory_mb, "default_graphs": params.get("default-graph-uri", []),
           "named_graphs": params.get("named-graph-uri", []),
           # relative IRIs resolve against the configured base, never against the Host header
           "base_iri": settings.base,
           "client": request.client.host if request.client else "unknown"}
    if hasattr(artifacts.runner, "query_url"):
        try:  # no worker parses it on this path: decide here, off the event loop
            await asyncio.to_thread(analyze, query)
        except QueryRefused as error:
            return _problem(403 if error.update else 400, str(error))
        except SparqlError as error:
            return _problem(400, str(error))
        outcome = await artifacts.runner.run(job, accept or "*/*")
    else:
        outcome = await artifacts.runner.run(job)
    if outcome.status != 200:
        response = _problem(outcome.status, outcome.body.decode("utf-8", "replace"))
        if outcome.retry_after is not None:
            response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        headers["X-PolicyKG-Truncated"] = (f"true; results cut at {settings.row_cap} rows or "
                                           f"{settings.max_answer_bytes} bytes")
    return Response(outcome.body, media_type=outcome.media, headers=headers)


@router.get("/graph", summary="Download the whole graph (TriG by default; Turtle, N-Quads, N-Triples, JSON-LD)")
async def graph(request: Request, format: str | None = None) -> Response:
    offered = {"application/trig": "trig", "application/n-quads": "nquads", **RDF_TYPES}
    chosen = format or choose(request.headers.get("accept"), offered, "trig")
    if chosen not in RDF_MEDIA:
        return _problem(406 if format is None else 422, "format must be one of " + ", ".join(RDF_MEDIA))
    data = request.app.state.artifacts.graph.export(chosen)
    extension = {"turtle": "ttl", "jsonld": "jsonld", "ntriples": "nt", "rdfxml": "rdf", "trig": "trig", "nquads": "nq"}
    return Response(data, media_type=RDF_MEDIA[chosen],
                    headers={"Content-Disposition": f'attachment; filename="policykg.{extension[chosen]}"'})
