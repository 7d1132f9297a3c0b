"""kg.vocab.PKO and ontology/policykg.ttl declare the same terms, and no file uses an undeclared one."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.model import DEADLINE_TYPES as DEADLINE_TYPE_NAMES
from kg.namespaces import PKO_NS
from kg.rdf.vocab import DEADLINE_TYPES, ONTOLOGY_IRI, PARTNER_KINDS, PKO, PLACE_KINDS, UNIT_KINDS

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
BASE = "https://policykg.example/id/"


def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "policykg.ttl", format="turtle")


def _pko_terms(graph: Graph, *, subjects_only: bool) -> set[URIRef]:
    nodes = graph.subjects() if subjects_only else (n for triple in graph for n in triple)
    return {n for n in nodes if isinstance(n, URIRef) and str(n).startswith(PKO_NS)}


def test_declared_terms_equal_vocab_module() -> None:
    declared = _pko_terms(_ontology(), subjects_only=True) - {ONTOLOGY_IRI}
    annotated = set(dir(PKO))
    assert sorted(declared - annotated) == [], "declared in policykg.ttl but missing from kg.vocab.PKO"
    assert sorted(annotated - declared) == [], "in kg.vocab.PKO but not declared in policykg.ttl"


def test_every_term_is_labelled_in_both_languages_and_commented() -> None:
    graph = _ontology()
    for term in _pko_terms(graph, subjects_only=True):
        languages = {label.language for label in graph.objects(term, RDFS.label)}
        assert {"en", "zh"} <= languages, f"{term} needs rdfs:label @en and @zh"
        assert graph.value(term, RDFS.comment) is not None, f"{term} needs an rdfs:comment"


def test_kind_individuals_are_concepts_with_notations() -> None:
    graph = _ontology()
    for kind_class in (PKO.DeadlineType, PKO.PartnerKind, PKO.PlaceKind, PKO.UnitKind):
        individuals = set(graph.subjects(RDF.type, kind_class))
        assert individuals, kind_class
        for individual in individuals:
            assert (individual, RDF.type, SKOS.Concept) in graph
            assert graph.value(individual, SKOS.notation) is not None
            assert graph.value(individual, SKOS.inScheme) is not None
            assert {l.language for l in graph.objects(individual, SKOS.prefLabel)} == {"en", "zh"}


def test_every_used_pko_term_is_declared() -> None:
    declared = _pko_terms(_ontology(), subjects_only=True)
    files = sorted(ONTOLOGY_DIR.glob("*.ttl")) + sorted((ONTOLOGY_DIR / "vocab").glob("*.ttl"))
    assert files
    for path in files:
        used = _pko_terms(Graph().parse(path, format="turtle", publicID=BASE), subjects_only=False)
        assert sorted(used - declared - {ONTOLOGY_IRI}) == [], f"{path.name} uses undeclared pko: terms"


def test_kind_tables_match_notations() -> None:
    graph = _ontology()
    for kind_class, table in ((PKO.DeadlineType, DEADLINE_TYPES), (PKO.PartnerKind, PARTNER_KINDS),
                              (PKO.PlaceKind, PLACE_KINDS), (PKO.UnitKind, UNIT_KINDS)):
        declared = {str(graph.value(i, SKOS.notation)): i for i in graph.subjects(RDF.type, kind_class)}
        assert declared == dict(table), kind_class
    assert tuple(DEADLINE_TYPES) == DEADLINE_TYPE_NAMES
