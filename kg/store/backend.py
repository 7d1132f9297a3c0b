"""Where the graph lives: the embedded Oxigraph store of the current build, or any SPARQL 1.1
endpoint (``--store URL``). Both answer SELECT with rows in the SPARQL JSON binding shape."""

from __future__ import annotations

from typing import Any, Protocol

import httpx
import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store.sparql import SparqlError, execute
from kg.store.terms import Row


class GraphBackend(Protocol):
    def select(self, query: str) -> list[Row]: ...

    def construct(self, query: str, media: str) -> bytes: ...


def _binding(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    entry = {"type": "literal", "value": term.value}
    if term.language:
        entry["xml:lang"] = term.language
    else:
        entry["datatype"] = term.datatype.value
    return entry


class EmbeddedBackend:
    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def select(self, query: str) -> list[Row]:
        result = execute(self.store, query)
        names = [v.value for v in result.variables]
        return [{n: _binding(s[n]) for n in names if s[n] is not None} for s in result]

    def construct(self, query: str, media: str) -> bytes:
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise SparqlError(f"no RDF syntax for media type {media!r}")
        return ox.serialize(list(execute(self.store, query)), format=rdf_format, prefixes=dict(PREFIXES)) or b""


class RemoteBackend:
    def __init__(self, query_url: str, *, timeout_s: float = 10.0) -> None:
        self.query_url = query_url
        self._client = httpx.Client(timeout=timeout_s)
        self._prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

    def _post(self, query: str, accept: str) -> httpx.Response:
        try:
            response = self._client.post(self.query_url, content=(self._prologue + query).encode("utf-8"),
                                          headers={"Content-Type": "application/sparql-query", "Accept": accept})
        except httpx.HTTPError as error:
            raise SparqlError(f"the store at {self.query_url} could not be queried: {error}") from None
        if response.status_code >= 400:
            raise SparqlError(f"the store at {self.query_url} refused the query ({response.status_code}): "
                              f"{response.text[:300]}")
        return response

    def select(self, query: str) -> list[Row]:
        return list(self._post(query, "application/sparql-results+json").json()["results"]["bindings"])

    def construct(self, query: str, media: str) -> bytes:
        return self._post(query, media).content

    def close(self) -> None:
        self._client.close()
