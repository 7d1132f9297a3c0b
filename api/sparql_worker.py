"""The process that runs SPARQL queries for the endpoint.

pyoxigraph cannot cancel a running query, so queries run here, in a separate process that the
endpoint kills when the time limit passes. This module imports only pyoxigraph and the result
writers, so a replacement worker starts in a fraction of a second.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store.results import MEDIA, boolean, select

RDF_MEDIA = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


def serve_queries(connection: Connection, store_path: str) -> None:
    store = ox.Store.read_only(store_path)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(run_query(store, request))


def run_query(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {"prefixes": dict(PREFIXES), "base_iri": request.get("base_iri")}
    if request.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    else:
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    cap = int(request["row_cap"])
    try:
        result = store.query(request["query"], **options)
        if isinstance(result, ox.QueryBoolean):
            fmt = request["results_format"]
            return _ok(MEDIA[fmt], boolean(bool(result), fmt), False)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == cap:
                    return _ok(MEDIA[request["results_format"]], select(variables, rows, request["results_format"]), True)
                rows.append([solution[v] for v in variables])
            return _ok(MEDIA[request["results_format"]], select(variables, rows, request["results_format"]), False)
        triples = []
        truncated = False
        for triple in result:
            if len(triples) == cap:
                truncated = True
                break
            triples.append(triple)
        media, rdf_format = RDF_MEDIA[request["rdf_format"]]
        return _ok(media, ox.serialize(triples, format=rdf_format) or b"", truncated)
    except SyntaxError as error:
        return {"status": "syntax", "message": f"malformed SPARQL query: {error}"}
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        return {"status": "error", "message": f"the query failed: {error}"}


def _ok(media: str, body: bytes, truncated: bool) -> dict[str, Any]:
    return {"status": "ok", "media": media, "body": body, "truncated": truncated}
