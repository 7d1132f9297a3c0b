"""The one reader of the vocabulary graph: every typed entity (field, partner, place, unit,
instrument) with its labels by language, kind, parents and ancestors. Entity linking
(``kg.extract.lexicon``) and search's knowledge base both build on these entries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

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
    schemes: tuple[str, ...] = ()  # keys of its skos:inScheme concept schemes


def vocabulary_entries(graph: Graph, base: str) -> list[VocabularyEntry]:
    """Entries for the typed subjects under ``base``, in IRI order. One pass over the triples
    (the national gazetteer makes the graph ~35k triples; a lookup per subject and property was
    the slowest part of a build)."""
    facts: dict[URIRef, dict[URIRef, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for subject, predicate, obj in graph:
        if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
            facts[subject][predicate].append(obj)
    classes = {URIRef(PKO_NS + c): k for c, k in KIND_BY_CLASS.items()}
    up: dict[URIRef, list[URIRef]] = {s: [o for p in _UP_PROPERTIES for o in props.get(p, ()) if isinstance(o, URIRef)]
                                      for s, props in facts.items()}
    memo: dict[URIRef, frozenset[URIRef]] = {}
    entries = []
    for subject in sorted(facts):
        props = facts[subject]
        if not str(subject).startswith(base):
            continue
        kind = next((classes[c] for c in props.get(RDF.type, ()) if c in classes), None)
        if kind is None:
            continue
        labels = tuple(Label(str(o), o.language, predicate == SKOS.hiddenLabel)
                       for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                       for o in props.get(predicate, ()) if isinstance(o, Literal))
        pref: dict[str, str] = {}
        for o in props.get(SKOS.prefLabel, ()):
            if isinstance(o, Literal):
                pref.setdefault(o.language or "", str(o))
        subkind = next((str(o)[len(PKO_NS):] for p in _SUBKIND_PROPERTIES for o in props.get(p, ())), None)
        entries.append(VocabularyEntry(
            key=str(subject)[len(base):], kind=kind, pref=pref, labels=labels, subkind=subkind,
            foreign=any(o.toPython() is True for o in props.get(URIRef(PKO_NS + "foreign"), ())),
            parents=tuple(str(o)[len(base):] for p in _PARENT_PROPERTIES for o in props.get(p, ())
                          if str(o).startswith(base)),
            ancestors=tuple(sorted(str(a)[len(base):] for a in _ancestors(subject, up, memo) if str(a).startswith(base))),
            schemes=tuple(sorted(str(o)[len(base):] for o in props.get(SKOS.inScheme, ()) if str(o).startswith(base))),
        ))
    return entries


def _ancestors(subject: URIRef, up: dict[URIRef, list[URIRef]], memo: dict[URIRef, frozenset[URIRef]],
               visiting: frozenset[URIRef] = frozenset()) -> frozenset[URIRef]:
    """Everything reached by chains of broader links; memoised, since 3,000 counties share a few
    dozen provinces."""
    if subject in memo:
        return memo[subject]
    found: set[URIRef] = set()
    for parent in up.get(subject, ()):
        if parent in visiting or parent == subject:
            continue
        found.add(parent)
        found |= _ancestors(parent, up, memo, visiting | {subject})
    memo[subject] = frozenset(found)
    return memo[subject]


__all__ = ["KIND_BY_CLASS", "Label", "VocabularyEntry", "vocabulary_entries"]
