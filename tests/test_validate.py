"""kg.rdf.validate with ontology/shapes.ttl: the sample plan conforms; broken graphs say what is wrong."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from test_rdf import BASE, ONTOLOGY_DIR, PLAN, build

from kg.rdf.graph import load_vocabulary
from kg.rdf.validate import ValidationReport, format_report, validate
from kg.rdf.vocab import PKO

SHAPES = ONTOLOGY_DIR / "shapes.ttl"

# Just enough vocabulary for the sample plan: its units, fields and partner (relative IRIs, as in
# ontology/vocab/*.ttl).
MINIMAL_VOCABULARY = """
@prefix pko: <https://w3id.org/policykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .

<unit/demo-kjt> a pko:Unit, org:Organization ; skos:prefLabel "示例科技厅"@zh ; pko:unitKind pko:Department .
<unit/demo-kjt/高新技术处> a pko:Unit ; skos:prefLabel "高新技术处"@zh ; org:unitOf <unit/demo-kjt> .
<unit/demo-kjt/农村科技处> a pko:Unit ; skos:prefLabel "农村科技处"@zh ; org:unitOf <unit/demo-kjt> .
<unit/demo-kjt/示例促进会> a pko:Unit ; skos:prefLabel "示例促进会"@zh ; pko:unitKind pko:AffiliatedBody .
<field/quantum-technology> a pko:Field, skos:Concept ; skos:prefLabel "量子科技"@zh, "quantum technology"@en .
<field/agriculture> a pko:Field, skos:Concept ; skos:prefLabel "农业"@zh, "agriculture"@en .
<partner/norway> a pko:Partner, schema:Country ; skos:prefLabel "挪威"@zh ; pko:partnerKind pko:CountryPartner ;
    pko:foreign true .
"""


def minimal_vocabulary() -> Graph:
    graph = Graph().parse(ONTOLOGY_DIR / "policykg.ttl", format="turtle")
    return graph.parse(data=MINIMAL_VOCABULARY, format="turtle", publicID=BASE)


def union(*graphs: Graph) -> Graph:
    result = Graph()
    for graph in graphs:
        for triple in graph:
            result.add(triple)
    return result


def check(data: Graph) -> ValidationReport:
    return validate(union(minimal_vocabulary(), data), SHAPES)


def test_the_sample_plan_conforms() -> None:
    report = check(build())
    assert report.conforms, format_report(report)
    assert report.violations == ()
    assert format_report(report) == "conforms"


def test_shapes_may_be_given_as_a_graph() -> None:
    shapes = Graph().parse(SHAPES, format="turtle")
    assert validate(union(minimal_vocabulary(), build()), shapes).conforms


def test_a_measure_without_text_is_named_with_its_path() -> None:
    data = build()
    measure = URIRef(f"{PLAN}/measure/3")
    data.remove((measure, PKO.text, None))
    report = check(data)
    assert not report.conforms
    [violation] = report.violations
    assert violation.focus_node == measure and violation.path == PKO.text and violation.found == 0
    lines = format_report(report).splitlines()
    assert lines[0] == f"Measure <{measure}>: pko:text — Each measure needs exactly one Chinese text (found 0)"
    assert lines[-1] == "does not conform: 1 result"


def test_a_bad_target_bound_is_reported_with_its_value() -> None:
    data = build()
    target = URIRef(f"{PLAN}/measure/1/target/1")
    data.add((target, PKO.bound, Literal("around")))
    report = check(data)
    assert not report.conforms
    [violation] = report.violations
    assert violation.focus_node == target and violation.value == Literal("around")
    line = format_report(report).splitlines()[0]
    assert line.startswith(f"NumericTarget <{target}>: pko:bound — ")
    assert '"min" or "max"' in line and '(value "around")' in line


def test_class_constraints_need_the_vocabulary() -> None:
    report = validate(build(), SHAPES)  # the plan graph alone: units and fields are untyped
    assert not report.conforms
    failing = {(v.focus_class, str(v.path)) for v in report.violations}
    assert ("Task", str(PKO.leadUnit)) in failing and ("Measure", str(PKO.field)) in failing


def test_a_reversed_span_and_a_missing_deadline_are_violations() -> None:
    data = build()
    position = URIRef(f"{PLAN}/measure/2/span/position")
    start = data.value(position, URIRef("http://www.w3.org/ns/oa#start"))
    data.set((position, URIRef("http://www.w3.org/ns/oa#end"), Literal(start.toPython() - 1, datatype=start.datatype)))
    data.remove((URIRef(f"{PLAN}/task/1"), PKO.deadline, None))
    messages = format_report(check(data))
    assert "start must not lie after its end" in messages
    assert f"Task <{PLAN}/task/1>: pko:deadline — Each task needs exactly one deadline" in messages


@pytest.mark.skipif(not list((ONTOLOGY_DIR / "vocab").glob("*.ttl")), reason="no ontology/vocab/*.ttl yet")
def test_the_real_vocabulary_parses_and_conforms() -> None:
    vocabulary = load_vocabulary(ONTOLOGY_DIR, base=BASE)
    assert len(vocabulary) > 100
    report = validate(vocabulary, SHAPES)
    assert report.conforms, format_report(report)
