"""The process that runs SPARQL queries for the endpoint.

pyoxigraph cannot cancel a running query, so queries run here, in a separate process that the
endpoint kills when the time limit passes. Before it reads any query the process locks itself
down (api.sandbox): no network sockets, a capped address space. Every query is checked on a
real parse (kg.store.sparql_guard) and every answer is cut at the row and byte caps.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from api.sandbox import SandboxError, address_space_mb, block_network, limit_memory
from kg.namespaces import PREFIXES
from kg.store.results import MEDIA, boolean, write_select
from kg.store.sparql import dataset_options
from kg.store.sparql_guard import QueryRefused, SparqlError, analyze

RDF_MEDIA = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}


def serve_queries(connection: Connection, store_path: str, memory_mb: int = 0) -> None:
    sandbox: str | None = None
    try:
        block_network()
    except (SandboxError, OSError) as error:
        # Loud: the parse check still refuses SERVICE, but the second line of defence is missing.
        sandbox = f"SPARQL worker NOT sandboxed (network sockets still allowed): {error}"
        print(f"policykg: WARNING: {sandbox}", file=sys.stderr, flush=True)
    store = ox.Store.read_only(store_path)
    # The allowance is on top of what the open store already maps, so a bigger build never stops
    # a worker from starting, and the same setting means the same headroom for every query.
    baseline_mb = address_space_mb()
    limit_memory(baseline_mb + memory_mb if memory_mb else 0)
    connection.send({"hello": True, "sandbox_problem": sandbox})
    current_limit = memory_mb
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request.get("memory_mb") and request["memory_mb"] != current_limit:
            current_limit = int(request["memory_mb"])
            limit_memory(baseline_mb + current_limit)
        try:
            reply = run_query(store, request)
        except MemoryError:
            reply = {"status": "memory", "message": f"the query needed more memory than a worker may use "
                                                    f"({current_limit} MB above the open store) and was stopped"}
            connection.send(reply)
            return  # the heap may be in pieces: let the pool start a fresh worker
        connection.send(reply)


def run_query(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    cap = int(request["row_cap"])
    byte_cap = int(request.get("byte_cap") or 0) or None
    try:
        analysis = analyze(request["query"])
        options: dict[str, Any] = {"prefixes": dict(PREFIXES), "base_iri": request.get("base_iri"),
                                   **dataset_options(analysis, request.get("default_graphs"),
                                                     request.get("named_graphs"))}
        result = store.query(request["query"], **options)
        if isinstance(result, ox.QueryBoolean):
            fmt = request["results_format"]
            return _ok(MEDIA[fmt], boolean(bool(result), fmt), False)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            fmt = request["results_format"]
            rows = ([solution[v] for v in variables] for solution in result)
            body, truncated = write_select(variables, rows, fmt, row_cap=cap, byte_cap=byte_cap)
            return _ok(MEDIA[fmt], body, truncated)
        media, rdf_format = RDF_MEDIA[request["rdf_format"]]
        return _ok(media, *_graph(result, rdf_format, cap, byte_cap))
    except QueryRefused as error:
        return {"status": "update" if error.update else "refused", "message": str(error)}
    except SparqlError as error:
        return {"status": "syntax", "message": str(error)}
    except SyntaxError as error:
        return {"status": "syntax", "message": f"malformed SPARQL query: {error}"}
    except (OSError, RuntimeError, ValueError, TypeError) as error:
        return {"status": "error", "message": f"the query failed: {error}"}


def _graph(result: Any, rdf_format: ox.RdfFormat, cap: int, byte_cap: int | None) -> tuple[bytes, bool]:
    """CONSTRUCT/DESCRIBE triples serialised whole (a cut Turtle or RDF/XML would not parse):
    stop taking triples at the row cap or when their N-Triples size passes the byte cap, then
    drop triples until the chosen syntax fits."""
    triples: list[Any] = []
    size = 0
    truncated = False
    for triple in result:
        size += len(str(triple)) + 3
        if len(triples) == cap or (byte_cap is not None and size > byte_cap):
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=rdf_format) or b""
    while byte_cap is not None and len(body) > byte_cap and triples:
        triples = triples[:int(len(triples) * byte_cap / len(body) * 0.9)]
        body = ox.serialize(triples, format=rdf_format) or b""
        truncated = True
    return body, truncated


def _ok(media: str, body: bytes, truncated: bool) -> dict[str, Any]:
    return {"status": "ok", "media": media, "body": body, "truncated": truncated}
