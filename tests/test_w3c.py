"""The W3C SPARQL 1.1 protocol manifest and the JSON/CSV/TSV result-format suites, run against a
live server whose store holds the graphs the tests name (loaded from local files)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph

from kg.store.builds import new_build_dir, publish, write_store
from tests.server import running_server
from tests.w3c import PROTOCOL_GRAPHS, W3C, ProtocolTest, protocol_tests, result_tests

RESULT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_MEDIA = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def data_graph(path: Path) -> str:
    return f"urn:w3c:{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("w3c")
    graphs = [(iri, Graph().parse(path, format="nt")) for iri, path in PROTOCOL_GRAPHS.items()]
    for suite in ("json-res", "csv-tsv-res"):
        for path in sorted((W3C / suite).glob("data*.ttl")):
            graphs.append((data_graph(path), Graph().parse(path, format="turtle")))
    build_dir = new_build_dir(data)
    quads = write_store(build_dir, graphs)
    publish(build_dir, {"policykg": "test", "built_at": "w3c-suite", "base": "https://policykg.example/id/",
                        "quads": quads, "plans": []}, data)
    with running_server(data) as base:
        yield base


TESTS = protocol_tests()


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(url: str, test: ProtocolTest) -> None:
    for number, request in enumerate(test.requests):
        response = httpx.request(request.method, url + request.path, headers=request.headers, content=request.body,
                                 timeout=30, follow_redirects=False)
        status = f"{response.status_code // 100}xx"
        if test.is_update:
            # A read-only endpoint: every update is refused with a 4xx, and that ends the test.
            assert status == "4xx", (test.name, response.status_code, response.text)
            return
        assert status in request.statuses, (test.name, number, response.status_code, response.text[:300])
        media = response.headers.get("content-type", "").split(";")[0]
        if request.result_format == "RDF":
            assert media in RDF_MEDIA
        if request.result_format in ("tabular", "boolean"):
            assert media in RESULT_MEDIA
        if request.boolean is not None:
            assert response.json()["boolean"] is request.boolean, test.name


_NUMERIC = re.compile(r'^"?([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"?(?:\^\^<http://www.w3.org/2001/XMLSchema#'
                      r'(?:integer|negativeInteger|nonNegativeInteger|positiveInteger|nonPositiveInteger|long|int|'
                      r'decimal|double|float)>)?$')


def _cell(cell: str) -> str:
    """Compare cells by value: Oxigraph stores literals in canonical form (1.0E6 as 1000000, an
    xsd:negativeInteger as xsd:integer), which changes the lexical form but not the value."""
    if cell.startswith("_:"):
        return "_:"
    match = _NUMERIC.match(cell)
    if match:
        return repr(float(match.group(1)))
    return cell


def _terms_json(document: dict) -> list[tuple]:
    """Rows as sorted (variable, term) pairs: result sets compare without regard to column order,
    and blank nodes match any blank node."""
    rows = []
    for binding in document["results"]["bindings"]:
        row = []
        for var, term in binding.items():
            if term["type"] == "bnode":
                row.append((var, "bnode"))
                continue
            datatype = term.get("datatype")
            if datatype == "http://www.w3.org/2001/XMLSchema#string":
                datatype = None
            row.append((var, term["type"].replace("typed-literal", "literal"), term["value"], term.get("xml:lang"), datatype))
        rows.append(tuple(sorted(row, key=str)))
    return sorted(rows, key=str)


@pytest.mark.parametrize(("name", "query", "data", "expected"), result_tests("json-res"))
def test_json_results(url: str, name: str, query: Path, data: Path, expected: Path) -> None:
    response = httpx.post(url + "/sparql", params={"default-graph-uri": data_graph(data)},
                          content=query.read_bytes(), headers={"Content-Type": "application/sparql-query",
                                                               "Accept": "application/sparql-results+json"})
    got, want = response.json(), json.loads(expected.read_text(encoding="utf-8"))
    if "boolean" in want:
        assert got["boolean"] == want["boolean"]
        return
    assert sorted(got["head"]["vars"]) == sorted(want["head"]["vars"])
    assert _terms_json(got) == _terms_json(want)


@pytest.mark.parametrize(("name", "query", "data", "expected"), result_tests("csv-tsv-res"))
def test_csv_tsv_results(url: str, name: str, query: Path, data: Path, expected: Path) -> None:
    kind = expected.suffix.lstrip(".")
    media = {"csv": "text/csv", "tsv": "text/tab-separated-values"}[kind]
    response = httpx.post(url + "/sparql", params={"default-graph-uri": data_graph(data)},
                          content=query.read_bytes(), headers={"Content-Type": "application/sparql-query", "Accept": media})
    assert response.headers["content-type"].startswith(media)
    delimiter = "," if kind == "csv" else "\t"

    def table(text: str) -> list[list[tuple[str, str]]]:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter,
                                          quotechar='"' if kind == "csv" else "\x00") if row]
        header = rows[0]
        # Columns may come in any order; blank node labels are arbitrary.
        return sorted(sorted((name, _cell(cell)) for name, cell in zip(header, row)) for row in rows[1:])

    assert table(response.text) == table(expected.read_text(encoding="utf-8"))
