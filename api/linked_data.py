"""Linked data: every IRI minted under the base dereferences — HTML for a browser, Turtle,
JSON-LD, N-Triples or RDF/XML by content negotiation."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.negotiation import RDF_MEDIA, RDF_TYPES, choose
from kg.rdf.iri import encode_path
from kg.store.terms import iri_term


def linked_data_router(base: str) -> APIRouter:
    prefix = urlsplit(base).path.rstrip("/") or ""
    router = APIRouter(tags=["linked data"])

    @router.get(prefix + "/{path:path}", summary="Dereference an IRI of the graph")
    def describe(request: Request, path: str) -> Response:
        iri = base + encode_path(path)
        graph = request.app.state.artifacts.graph
        node = iri_term(iri)
        offered = {**RDF_TYPES, "text/html": "html", "application/xhtml+xml": "html"}
        offered.pop("application/json")
        chosen = choose(request.headers.get("accept"), offered, "turtle")
        rows = graph.select(f"SELECT ?p ?o WHERE {{ {node} ?p ?o }} ORDER BY ?p ?o LIMIT 2000")
        if not rows:
            message = f"nothing is known about <{iri}>"
            if chosen == "html":
                return HTMLResponse(f"<!doctype html><title>Not found</title><h1>Not found</h1><p>{html.escape(message)}",
                                    status_code=404)
            return JSONResponse({"detail": message}, status_code=404)
        if chosen == "html":
            return HTMLResponse(_page(iri, rows, base, prefix))
        if chosen is None:
            return JSONResponse({"detail": "offered: text/html, " + ", ".join(RDF_MEDIA.values())}, status_code=406)
        data = graph.backend.construct(f"CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}", RDF_MEDIA[chosen])
        return Response(data, media_type=RDF_MEDIA[chosen], headers={"Vary": "Accept"})

    return router


def _page(iri: str, rows: list[dict], base: str, prefix: str) -> str:
    def show(term: dict) -> str:
        value = term["value"]
        if term["type"] == "uri":
            href = prefix + "/" + value[len(base):] if value.startswith(base) else value
            return f'<a href="{html.escape(href)}">{html.escape(value)}</a>'
        lang = term.get("xml:lang")
        return html.escape(value) + (f' <small lang="en">@{html.escape(lang)}</small>' if lang else "")

    label = next((r["o"]["value"] for r in rows if r["p"]["value"].endswith(("prefLabel", "title", "#text"))), iri)
    body = "".join(f"<tr><th>{html.escape(r['p']['value'])}</th><td>{show(r['o'])}</td></tr>" for r in rows)
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{html.escape(label[:60])} · PolicyKG'
            f'</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
            f"<h1>{html.escape(label[:200])}</h1><p><code>{html.escape(iri)}</code></p>"
            f"<table>{body}</table></body></html>")
