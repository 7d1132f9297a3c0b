"""Moving between SPARQL JSON result terms and query text: a binding's Python value, and an IRI
or literal written safely into a query (escaped by the RDF library, never by hand-made quoting)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

Row = dict[str, dict[str, str]]  # one solution in SPARQL 1.1 JSON results form


def value(row: Row, name: str) -> Any:
    """The binding of ``name`` as int, float, bool or str (None when unbound)."""
    term = row.get(name)
    if term is None:
        return None
    datatype = term.get("datatype", "")
    if datatype.endswith(("#integer", "#int")):
        return int(term["value"])
    if datatype.endswith(("#decimal", "#double")):
        return float(term["value"])
    if datatype.endswith("#boolean"):
        return term["value"] == "true"
    return term["value"]


def iri_term(iri: str) -> str:
    """``<iri>`` for query text; a ``>`` in the value cannot close the IRI early."""
    return "<" + iri.replace(">", "%3E") + ">"


def literal_term(text: str | None) -> str:
    """A plain literal for query text, N-Triples escaped."""
    return str(ox.Literal(text or ""))


__all__ = ["Row", "iri_term", "literal_term", "value"]
