"""Read-only SPARQL over the store, with the project's prefixes predeclared, and result output
as a text table, SPARQL JSON/XML/CSV/TSV, or an RDF syntax for CONSTRUCT/DESCRIBE."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store.results import MEDIA, select
from kg.store.sparql_guard import Analysis, SparqlError, analyze

__all__ = ["SparqlError", "Table", "dataset_options", "execute", "format_table", "render", "to_table"]

GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Table:
    variables: list[str]
    rows: list[list[str | None]]


def execute(store: ox.Store, query: str, *, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None) -> Any:
    """Run a read-only query. Updates and SERVICE are refused, and deep or huge texts are refused
    before any parser sees them (see kg.store.sparql_guard). The dataset is the protocol's
    (``default_graphs``/``named_graphs``), else the query's FROM / FROM NAMED, else the union of
    all graphs as the default graph."""
    options = dataset_options(analyze(query), default_graphs, named_graphs)
    try:
        return store.query(query, prefixes=dict(PREFIXES), **options)
    except SyntaxError as error:
        raise SparqlError(f"malformed SPARQL query: {error}") from None


def dataset_options(analysis: Analysis, default_graphs: list[str] | None,
                    named_graphs: list[str] | None) -> dict[str, Any]:
    """pyoxigraph options for the SPARQL 1.1 dataset rules: protocol parameters replace the
    query's FROM / FROM NAMED; a query with neither gets the union of all graphs. (pyoxigraph's
    union flag would override the query's own FROM, so it is only set when there is none.)"""
    if default_graphs or named_graphs:
        return {"default_graph": [ox.NamedNode(g) for g in default_graphs or []],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs or []]}
    if analysis.has_dataset:
        return {}
    return {"use_default_graph_as_union": True}


def to_table(result: ox.QuerySolutions) -> Table:
    variables = [v.value for v in result.variables]
    rows = [[_show(solution[v]) for v in variables] for solution in result]
    return Table(variables, rows)


def render(result: Any, output: str = "table") -> str:
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        rdf_format = GRAPH_FORMATS["turtle" if output in ("table", "json") else output]
        return (result.serialize(format=rdf_format) or b"").decode("utf-8")
    if output == "table":
        return format_table(to_table(result))
    if output not in MEDIA:
        raise SparqlError(f"unknown output format {output!r}; use table, {', '.join(MEDIA)}")
    variables = [v.value for v in result.variables]
    return select(variables, [[solution[v] for v in variables] for solution in result], output).decode("utf-8")


def format_table(table: Table, max_width: int = 60) -> str:
    cells = [table.variables] + [[_clip(value or "", max_width) for value in row] for row in table.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(table.variables))]
    lines = []
    for number, row in enumerate(cells):
        lines.append("  ".join(value + " " * (widths[i] - _width(value)) for i, value in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(table.rows)} rows)")
    return "\n".join(lines)


def _show(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    return str(term.value)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    while _width(text) > limit - 1:
        text = text[:-1]
    return text + "…"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)
