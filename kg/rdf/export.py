"""`policykg export`: the graph (all plans, or one plan's named graph) in an RDF syntax."""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import InputError
from kg.namespaces import PREFIXES

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_DATASET_FORMATS = {"trig", "nquads"}


class ExportError(InputError):
    pass


def export_graph(store: ox.Store, rdf_format: str, *, graph_iri: str | None = None) -> bytes:
    """Serialise one named graph, or the union of all graphs (datasets keep their graph names)."""
    if rdf_format not in FORMATS:
        raise ExportError(f"unknown format {rdf_format!r}; use one of {', '.join(FORMATS)}")
    target = FORMATS[rdf_format]
    prefixes = dict(PREFIXES) if rdf_format in ("turtle", "trig", "rdfxml") else None
    if graph_iri is not None:
        name = ox.NamedNode(graph_iri)
        if not store.contains_named_graph(name):
            raise ExportError(f"no graph named <{graph_iri}> in the store")
        if rdf_format in _DATASET_FORMATS:
            quads = list(store.quads_for_pattern(None, None, None, name))
            return ox.serialize(quads, format=target, prefixes=prefixes) or b""
        return store.dump(format=target, from_graph=name, prefixes=prefixes) or b""
    if rdf_format in _DATASET_FORMATS:
        return store.dump(format=target, prefixes=prefixes) or b""
    triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return ox.serialize(list(triples), format=target, prefixes=prefixes) or b""
