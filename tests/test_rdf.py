"""kg.rdf.graph and kg.rdf.iri on a small hand-made plan: key triples, spans, determinism, the base."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import XSD

import kg.rdf.iri
import kg.rdf.vocab
from kg.model import Deadline, Entity, Extraction, Measure, Mention, NumericTarget, Plan, Section, Task
from kg.namespaces import PREFIXES
from kg.rdf.graph import load_vocabulary, plan_graph
from kg.rdf.iri import entity_iri, normalise_base, plan_graph_iri, plan_iri, vocabulary_graph_iri

BASE = "https://policykg.example/id/"
OTHER_BASE = "http://other.example/kg/"
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

TEXT = """附件

示例科技厅关于测试的实施方案

一、服务企业

1. 企业攻坚工程

主要举措：（1）聚焦量子科技，组织实施10项左右重点项目。（2）联合挪威开展合作。

完成时限：2022年第三季度

牵头单位：高新技术处

二、服务基层

2. 农业科技服务

主要措施：（3）支持宿迁市建设创新平台。

完成时限：长期坚持

牵头单位：农村科技处、示例促进会
"""


def at(fragment: str, after: int = 0) -> tuple[int, int]:
    """The span of the first occurrence of ``fragment`` in TEXT at or after ``after``."""
    start = TEXT.index(fragment, after)
    return start, start + len(fragment)


def _measure(seq: int, task: str, text: str) -> Measure:
    start, end = at(text)
    return Measure(seq, str(seq), f"（{seq}）", task, text, start, end, ((start, end),))


def sample_plan() -> Plan:
    measures = (
        _measure(1, "t1", "聚焦量子科技，组织实施10项左右重点项目。"),
        _measure(2, "t1", "联合挪威开展合作。"),
        _measure(3, "t2", "支持宿迁市建设创新平台。"),
    )
    tasks = (
        Task("t1", 1, "1", "1.", "企业攻坚工程", "一", "主要举措",
             Deadline("2022年第三季度", "quarter", "2022-07/2022-09", "2022-07", "2022-09"),
             "牵头单位", ("高新技术处",), (), (1, 2), *at("企业攻坚工程")),
        Task("t2", 2, "2", "2.", "农业科技服务", "二", "主要措施",
             Deadline("长期坚持", "ongoing", None, None, None),
             "牵头单位", ("农村科技处",), ("示例促进会",), (3,), *at("农业科技服务")),
    )
    sections = (
        Section("一", 1, "服务企业", ("t1",), at("一、服务企业")[0], at("二、服务基层")[0]),
        Section("二", 2, "服务基层", ("t2",), at("二、服务基层")[0], len(TEXT)),
    )
    return Plan(
        id="demo-plan", file="demo.txt", text=TEXT, encoding="utf-8", header="附件",
        title="示例科技厅关于测试的实施方案", title_raw="示例科技厅关于测试的实施方案", subtitle=None,
        issuer="示例科技厅", issuer_short="示例科技厅", issuing_office="示例科技厅办公室",
        issue_date="2022-03-01", issue_date_raw="2022年3月1日", signed_date=None, preamble=None,
        cc_raw=None, cc=(), sections=sections, tasks=tasks, measures=measures,
    )


def sample_extraction() -> Extraction:
    after_measures = at("（1）")[0]
    return Extraction(
        mentions=(
            Mention("field", "field/quantum-technology", "量子科技", "量子科技", "t1", 1, *at("量子科技")),
            Mention("partner", "partner/norway", "挪威", "挪威", "t1", 2, *at("挪威")),
            Mention("place", "place/宿迁市", "宿迁市", "宿迁市", "t2", 3, *at("宿迁市")),
            Mention("field", "field/agriculture", "农业", "农业", "t2", None, *at("农业", after_measures)),
        ),
        targets=(NumericTarget(1, "t1", "一", 10, "项", True, None, "左右", "10项左右", "target", *at("10项左右")),),
        new_entities=(Entity("place/宿迁市", "place", "宿迁市", ("宿迁市", "Suqian"), subkind="PrefectureCity"),),
        unit_keys=(("高新技术处", "unit/demo-kjt/高新技术处"), ("农村科技处", "unit/demo-kjt/农村科技处"),
                   ("示例促进会", "unit/demo-kjt/示例促进会")),
        issuer_key="unit/demo-kjt",
    )


def build(base: str = BASE) -> Graph:
    return plan_graph(sample_plan(), sample_extraction(), base=base, generated_at="2024-05-01T08:00:00+00:00")


def ask(graph: Graph, query: str) -> list[tuple]:
    prologue = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in PREFIXES.items())
    return [tuple(row) for row in graph.query(prologue + query)]


PLAN = URIRef(BASE + "plan/demo-plan")


def test_measure_task_lead_unit() -> None:
    rows = ask(build(), "SELECT ?unit WHERE { ?m pko:seq 3 ; pko:task ?t . ?t pko:leadUnit ?unit }")
    assert rows == [(URIRef(BASE + "unit/demo-kjt/农村科技处"),)]
    rows = ask(build(), "SELECT ?unit WHERE { ?t eli:id_local 't2' ; pko:supportingUnit ?unit }")
    assert rows == [(URIRef(BASE + "unit/demo-kjt/示例促进会"),)]


def test_structure_and_plan_metadata() -> None:
    graph = build()
    assert ask(graph, "SELECT ?p WHERE { ?p a pko:Plan, eli:LegalResource, schema:Legislation }") == [(PLAN,)]
    parts = ask(graph, f"SELECT ?s WHERE {{ <{PLAN}> eli:has_part ?s }} ORDER BY ?s")
    assert parts == [(URIRef(f"{PLAN}/section/1"),), (URIRef(f"{PLAN}/section/2"),)]
    issued = ask(graph, f"SELECT ?d ?by WHERE {{ <{PLAN}> dcterms:issued ?d ; eli:passed_by ?by }}")
    assert issued == [(Literal("2022-03-01", datatype=XSD.date), URIRef(BASE + "unit/demo-kjt"))]
    assert (PLAN, kg.rdf.vocab.SCHEMA.legislationType, Literal("实施方案", lang="zh")) in graph
    measures = ask(graph, f"SELECT ?m WHERE {{ <{PLAN}/task/1> eli:has_part ?m }} ORDER BY ?m")
    assert measures == [(URIRef(f"{PLAN}/measure/1"),), (URIRef(f"{PLAN}/measure/2"),)]
    assert ask(graph, "SELECT ?t WHERE { ?t a pko:Task ; eli:is_part_of ?s . ?s a pko:Section ; pko:index 2 }") == [
        (URIRef(f"{PLAN}/task/2"),)]
    ended = ask(graph, "SELECT ?at WHERE { ?p prov:wasGeneratedBy ?b . ?b prov:endedAtTime ?at }")
    assert ended[0][0].datatype == XSD.dateTime


def test_deadlines() -> None:
    graph = build()
    rows = ask(graph, """SELECT ?due ?type ?end WHERE { ?t eli:id_local 't1' ; pko:deadline ?d .
        ?d pko:dueBy ?due ; pko:deadlineType ?type ; time:hasEnd/time:inXSDgYearMonth ?end }""")
    assert rows == [(Literal("2022-09", datatype=XSD.gYearMonth), kg.rdf.vocab.PKO.QuarterDeadline,
                     Literal("2022-09", datatype=XSD.gYearMonth))]
    ongoing = ask(graph, """SELECT ?type (COUNT(?due) AS ?n) WHERE { ?t eli:id_local 't2' ; pko:deadline ?d .
        ?d pko:deadlineType ?type . OPTIONAL { ?d pko:dueBy ?due } } GROUP BY ?type""")
    assert ongoing == [(kg.rdf.vocab.PKO.OngoingDeadline, Literal(0))]


def test_spans_point_at_the_source_text() -> None:
    graph = build()
    rows = ask(graph, """SELECT ?start ?end ?exact ?text WHERE {
        ?x pko:sourceSpan|oa:hasTarget ?span . ?span oa:hasSource ?src ;
           oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end ] ,
                          [ a oa:TextQuoteSelector ; oa:exact ?exact ] .
        ?src pko:sourceText ?text }""")
    assert len(rows) == 2 + 3 + 4 + 1  # task titles, measures, mentions, the target
    for start, end, exact, text in rows:
        assert start.datatype == XSD.integer
        assert str(text)[start.toPython() : end.toPython()] == str(exact)
    measure = ask(graph, "SELECT ?exact WHERE { ?m pko:seq 2 ; pko:sourceSpan/oa:hasSelector/oa:exact ?exact }")
    assert measure == [(Literal("联合挪威开展合作。"),)]


def test_mentions_targets_and_new_entities() -> None:
    graph = build()
    assert ask(graph, "SELECT ?m WHERE { ?m pko:field <%sfield/quantum-technology> }" % BASE) == [
        (URIRef(f"{PLAN}/measure/1"),)]
    assert ask(graph, "SELECT ?t WHERE { ?t a pko:Task ; pko:field <%sfield/agriculture> }" % BASE) == [
        (URIRef(f"{PLAN}/task/2"),)]
    mention = ask(graph, """SELECT ?a ?body WHERE { ?a a pko:Mention, oa:Annotation ; oa:hasBody ?body ;
        oa:motivatedBy oa:identifying ; pko:inMeasure/pko:seq 2 }""")
    assert mention == [(URIRef(f"{PLAN}/measure/2/mention/1"), URIRef(BASE + "partner/norway"))]
    target = ask(graph, """SELECT ?v ?unit ?approx WHERE { ?m pko:seq 1 ; pko:target ?t .
        ?t a pko:NumericTarget ; schema:value ?v ; schema:unitText ?unit ; pko:approximate ?approx }""")
    assert target == [(Literal(10, datatype=XSD.integer), Literal("项"), Literal(True))]
    place = URIRef(BASE + "place/宿迁市")
    assert ask(graph, f"SELECT ?k WHERE {{ <{place}> a pko:Place ; pko:placeKind ?k ; pko:extractedBy 'pattern' }}") == [
        (kg.rdf.vocab.PKO.PrefectureCity,)]
    assert (place, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("Suqian", lang="en")) in graph


def test_same_input_gives_isomorphic_graphs() -> None:
    first, second = build(), build()
    assert to_isomorphic(first) == to_isomorphic(second)
    assert len(first) == len(second) > 100


def test_a_different_base_changes_every_minted_iri() -> None:
    default_iris = {n for triple in build() for n in triple if isinstance(n, URIRef) and str(n).startswith(BASE)}
    other = build(OTHER_BASE)
    other_iris = {n for triple in other for n in triple if isinstance(n, URIRef)}
    assert default_iris and not any(str(n).startswith(BASE) for n in other_iris)
    assert {URIRef(OTHER_BASE + str(n)[len(BASE):]) for n in default_iris} <= other_iris


@pytest.mark.parametrize("bad", ["", "policykg/id/", "ftp://x.example/id/", "https://x.example/id",
                                 "https://x.example/id/#", "https://x.example/a b/", "https:///id/"])
def test_a_bad_base_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="base IRI"):
        normalise_base(bad)
    with pytest.raises(ValueError, match="base IRI"):
        plan_iri(bad, "p")
    with pytest.raises(ValueError, match="base IRI"):
        build(bad)


def test_iri_helpers() -> None:
    assert plan_graph_iri(BASE, "p") == URIRef(BASE + "graph/p")
    assert vocabulary_graph_iri(BASE) == URIRef(BASE + "graph/vocabulary")
    assert entity_iri(BASE, "unit/x/a{b}") == URIRef(BASE + "unit/x/a%7Bb%7D")
    for key in ("", "/field/x", "field/../x", "field//x"):
        with pytest.raises(ValueError, match="entity key"):
            entity_iri(BASE, key)
    with pytest.raises(ValueError):
        plan_iri(BASE, "a/b")


@pytest.mark.parametrize("module", [kg.rdf.iri, kg.rdf.vocab])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.failed == 0 and result.attempted > 0


def test_bad_offsets_and_missing_unit_keys_are_errors() -> None:
    plan, extraction = sample_plan(), sample_extraction()
    far = Mention("field", "field/x", "x", "x", "t1", 1, len(TEXT), len(TEXT) + 2)
    with pytest.raises(ValueError, match="outside the text"):
        plan_graph(plan, Extraction(mentions=(far,), unit_keys=extraction.unit_keys), base=BASE)
    with pytest.raises(ValueError, match="no unit key"):
        plan_graph(plan, Extraction(), base=BASE)


def test_entity_iris_match_relative_iris_in_vocabulary_files() -> None:
    turtle = "<unit/demo-kjt/高新技术处> <urn:p> <partner/Business%20Finland> ."
    graph = Graph().parse(data=turtle, format="turtle", publicID=BASE)
    assert set(graph.subjects()) == {entity_iri(BASE, "unit/demo-kjt/高新技术处")}
    assert set(graph.objects()) == {entity_iri(BASE, "partner/Business Finland")}


@pytest.mark.skipif(not list((ONTOLOGY_DIR / "vocab").glob("*.ttl")), reason="no ontology/vocab/*.ttl yet")
def test_load_vocabulary_resolves_entities_against_the_base() -> None:
    graph = load_vocabulary(ONTOLOGY_DIR, base=OTHER_BASE)
    subjects = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    assert any(s.startswith(OTHER_BASE) for s in subjects)
    assert not any(s.startswith(BASE) for s in subjects)
