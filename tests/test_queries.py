"""Canned queries, SPARQL output formats, export and related measures on the built seed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from typer.testing import CliRunner

from kg.store.queries import QueryError, get_query, load_queries
from kg.store.sparql import SparqlError
from policykg.cli import app
from policykg.services import GraphService
from policykg.settings import Settings

PLAN = "jiangsu-kjt-2021-sanfuwu"


@pytest.fixture(scope="module")
def service(built_data: Path) -> GraphService:
    return GraphService.open(Settings.from_env({}, data_dir=built_data))


def rows(service: GraphService, name: str, **values: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(service.canned(name, values, "csv"))))


def numbers(found: list[dict[str, str]]) -> set[int]:
    return {int(row["measure"].rsplit("/", 1)[-1]) for row in found}


def test_every_canned_query_runs_and_answers(service: GraphService) -> None:
    for name, canned in load_queries().items():
        values = {p.name: p.example for p in canned.params}
        assert rows(service, name, **values), name


def test_measures_due_by(service: GraphService) -> None:
    assert numbers(rows(service, "measures-due-by", month="2021-10")) == {55, 56, 57}
    assert len(numbers(rows(service, "measures-due-by", month="2021-11"))) == 3 + 3 + 2


def test_ongoing_tasks(service: GraphService) -> None:
    found = rows(service, "ongoing-tasks")
    assert [row["number"] for row in found] == ["15"]
    assert found[0]["lead_units"] == "社会发展与基础研究处"


def test_measures_per_lead_unit(service: GraphService) -> None:
    found = rows(service, "measures-per-lead-unit")
    assert len(found) == 21
    # Tasks 2 and 8 have two lead units each, two measures each: 58 + 4.
    assert sum(int(row["measures"]) for row in found) == 62


def test_measures_of_unit_by_abbreviation_free_name(service: GraphService) -> None:
    assert numbers(rows(service, "measures-of-unit", unit="政策法规处")) == {33, 34, 47, 48, 49}


def test_field_query_reaches_narrower_concepts(service: GraphService) -> None:
    assert 1 in numbers(rows(service, "measures-in-field", field="集成电路"))  # 第三代半导体


def test_parameters_are_literals_not_query_text(service: GraphService) -> None:
    hostile = '" } } DELETE WHERE { ?s ?p ?o } #'
    assert rows(service, "measures-of-unit", unit=hostile) == []


def test_missing_and_unknown_parameters() -> None:
    with pytest.raises(QueryError, match="needs parameter 'month'"):
        get_query("measures-due-by").bind({})
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        get_query("measures-due-by").bind({"month": "2021-10", "colour": "red"})
    with pytest.raises(QueryError, match="no canned query named"):
        get_query("../etc/passwd")


def test_sparql_outputs(service: GraphService) -> None:
    query = "SELECT ?t ?title WHERE { ?t a pko:Task ; dcterms:title ?title } ORDER BY ?t"
    parsed = json.loads(service.sparql(query, "json"))
    assert len(parsed["results"]["bindings"]) == 25
    assert service.sparql(query, "tsv").startswith("?t\t?title")
    assert "(25 rows)" in service.sparql(query, "table")
    assert service.sparql("ASK { ?m a pko:Measure }") == "true"
    assert "<results>" in service.sparql(query, "xml").replace(" ", "")


def test_malformed_and_update_queries_are_refused(service: GraphService) -> None:
    with pytest.raises(SparqlError, match="malformed SPARQL"):
        service.sparql("SELEC ?x WHERE { ?x ?y ?z }")
    with pytest.raises(SparqlError):
        service.sparql("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert service.sparql("ASK { <urn:a> <urn:b> <urn:c> }") == "false"


@pytest.mark.parametrize(("rdf_format", "parser"), [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")])
def test_export_round_trips(service: GraphService, rdf_format: str, parser: str) -> None:
    graph = rdflib.Graph().parse(data=service.export(rdf_format, PLAN), format=parser)
    assert len(graph) == service.build.manifest["plans"][0]["triples"]


def test_export_json_ld_round_trips(service: GraphService) -> None:
    # Parsed with Oxigraph: rdflib's JSON-LD parser raises a DeprecationWarning of its own.
    triples = list(pyoxigraph.parse(service.export("jsonld", PLAN), format=pyoxigraph.RdfFormat.JSON_LD))
    assert len(triples) == service.build.manifest["plans"][0]["triples"]


def test_export_whole_dataset_as_nquads(service: GraphService) -> None:
    lines = [line for line in service.export("nquads").decode().splitlines() if line.strip()]
    assert len(lines) == service.build.manifest["quads"]


def test_related_measures_share_explained_nodes(service: GraphService) -> None:
    related = service.related(PLAN, 52, k=5)
    assert {int(r.iri.rsplit("/", 1)[-1]) for r in related[:2]} == {53, 54}
    assert all(r.shared for r in related)
    assert {s.kind for s in related[0].shared} >= {"task", "unit"}


def test_cli_sparql_and_query(service: GraphService) -> None:
    runner = CliRunner()
    data_dir = str(service.settings.data_dir)
    result = runner.invoke(app, ["query", "measures-due-by", "-p", "month=2021-10", "--data-dir", data_dir, "-f", "csv"])
    assert result.exit_code == 0 and result.output.count("measure/5") == 3
    result = runner.invoke(app, ["sparql", "SELECT ?x WHERE {", "--data-dir", data_dir])
    assert result.exit_code == 2 and "malformed SPARQL" in result.output
    result = runner.invoke(app, ["related", PLAN, "999", "--data-dir", data_dir])
    assert result.exit_code == 2 and "no measure 999" in result.output
    result = runner.invoke(app, ["queries"])
    assert "measures-per-lead-unit" in result.output
