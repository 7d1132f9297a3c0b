"""The one reader of the vocabulary graph: every typed entity (field, partner, place, unit,
instrument) with its labels by language, kind, parents and ancestors. Entity linking
(``kg.extract.lexicon``) and search's knowledge base both build on these entries."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from kg.namespaces import PKO_NS, PREFIXES

KIND_BY_CLASS = {"Field": "field", "Partner": "partner", "Place": "place", "Unit": "unit", "Instrument": "instrument"}
_SUBKIND_PROPERTIES = tuple(URIRef(PKO_NS + p) for p in ("partnerKind", "placeKind", "unitKind"))
_PARENT_PROPERTIES = (ORG.unitOf, ORG.subOrganizationOf)
# Links that lead to something broader: a broader field, the place containing a place, the body
# a unit belongs to, a partner's country.
_UP_PROPERTIES = (SKOS.broader, URIRef(PREFIXES["schema"] + "containedInPlace"), *_PARENT_PROPERTIES,
                  URIRef(PKO_NS + "country"))


@dataclass(frozen=True)
class Label:
    text: str
    language: str | None
    hidden: bool  # skos:hiddenLabel: an everyday word for matching questions, not plan text


@dataclass(frozen=True)
class VocabularyEntry:
    key: str  # IRI path below the base
    kind: str
    pref: dict[str, str]  # language → skos:prefLabel
    labels: tuple[Label, ...]  # prefLabel, altLabel, hiddenLabel in that order
    subkind: str | None
    foreign: bool
    parents: tuple[str, ...]  # keys of org:unitOf / org:subOrganizationOf
    ancestors: tuple[str, ...]  # keys reached by any chain of broader links, sorted


def vocabulary_entries(graph: Graph, base: str) -> list[VocabularyEntry]:
    """Entries for the typed subjects under ``base``, in IRI order."""
    entries = []
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        if not isinstance(subject, URIRef) or not str(subject).startswith(base):
            continue
        kind = next((k for c, k in KIND_BY_CLASS.items() if (subject, RDF.type, URIRef(PKO_NS + c)) in graph), None)
        if kind is None:
            continue
        labels = tuple(Label(str(o), o.language, predicate == SKOS.hiddenLabel)
                       for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                       for o in graph.objects(subject, predicate) if isinstance(o, Literal))
        pref = {}
        for o in graph.objects(subject, SKOS.prefLabel):
            if isinstance(o, Literal):
                pref.setdefault(o.language or "", str(o))
        subkind = next((str(o)[len(PKO_NS):] for p in _SUBKIND_PROPERTIES for o in graph.objects(subject, p)), None)
        entries.append(VocabularyEntry(
            key=str(subject)[len(base):], kind=kind, pref=pref, labels=labels, subkind=subkind,
            foreign=any(o.toPython() is True for o in graph.objects(subject, URIRef(PKO_NS + "foreign"))),
            parents=tuple(str(o)[len(base):] for p in _PARENT_PROPERTIES for o in graph.objects(subject, p)
                          if str(o).startswith(base)),
            ancestors=_ancestors(graph, subject, base),
        ))
    return entries


def _ancestors(graph: Graph, subject: URIRef, base: str) -> tuple[str, ...]:
    found: set[URIRef] = set()
    frontier = {subject}
    while frontier:
        frontier = {o for s in frontier for p in _UP_PROPERTIES for o in graph.objects(s, p)
                    if isinstance(o, URIRef)} - found
        found |= frontier
    return tuple(sorted(str(a)[len(base):] for a in found if str(a).startswith(base)))


__all__ = ["KIND_BY_CLASS", "Label", "VocabularyEntry", "vocabulary_entries"]
