"""The curated vocabularies (ontology/vocab/*.ttl) as a lookup table for entity linking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from kg.model import Entity

PKO = "https://w3id.org/policykg/ontology#"
LOOKUP_BASE = "https://key.invalid/"  # vocabulary IRIs are relative; parse them under this to get keys
_KIND_BY_CLASS = {"Field": "field", "Partner": "partner", "Place": "place", "Unit": "unit", "Instrument": "instrument"}


@dataclass
class Lexicon:
    entities: dict[str, Entity] = field(default_factory=dict)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unitOf / subOrganizationOf
    by_label: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_first_char: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, entity: Entity, parents: tuple[str, ...] = ()) -> None:
        self.entities[entity.key] = entity
        self.parents[entity.key] = parents
        for label in entity.labels:
            if entity.key not in self.by_label[label]:
                self.by_label[label].append(entity.key)
            if label not in self.by_first_char[label[0]]:
                self.by_first_char[label[0]].append(label)
                self.by_first_char[label[0]].sort(key=len, reverse=True)

    def longest_at(self, text: str, index: int, kinds: frozenset[str]) -> tuple[str, Entity] | None:
        """The longest label of an entity of ``kinds`` starting at text[index]."""
        for label in self.by_first_char.get(text[index], ()):
            if text.startswith(label, index):
                for key in self.by_label[label]:
                    entity = self.entities[key]
                    if entity.kind in kinds:
                        return label, entity
        return None

    def find(self, label: str, kind: str) -> list[Entity]:
        return [self.entities[k] for k in self.by_label.get(label, ()) if self.entities[k].kind == kind]


def load_lexicon(vocabulary_dir: Path, *, hidden_labels: bool = False) -> Lexicon:
    """Entities with their zh and en labels. Hidden labels (everyday words such as 芯片 for 集成电路)
    are for matching questions, not plan text, so they are left out unless asked for."""
    graph = Graph()
    for path in sorted(vocabulary_dir.glob("*.ttl")):
        graph.parse(path, format="turtle", publicID=LOOKUP_BASE)
    return lexicon_from_graph(graph, LOOKUP_BASE, hidden_labels=hidden_labels)


def lexicon_from_graph(graph: Graph, base: str, *, hidden_labels: bool = False) -> Lexicon:
    """The lexicon of a vocabulary graph already parsed under ``base`` (so a build parses the
    vocabulary files once)."""
    lexicon = Lexicon()
    for subject in sorted(set(graph.subjects(RDF.type, None))):
        if not isinstance(subject, URIRef) or not str(subject).startswith(base):
            continue
        kind = next((k for c, k in _KIND_BY_CLASS.items() if (subject, RDF.type, URIRef(PKO + c)) in graph), None)
        if kind is None:
            continue
        predicates = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) if hidden_labels else (SKOS.prefLabel, SKOS.altLabel)
        labels = [o for p in predicates for o in graph.objects(subject, p)]
        zh = [str(o) for o in graph.objects(subject, SKOS.prefLabel) if isinstance(o, Literal) and o.language == "zh"]
        subkind = next((str(o)[len(PKO):] for p in ("partnerKind", "placeKind", "unitKind")
                        for o in graph.objects(subject, URIRef(PKO + p))), None)
        foreign = any(o.toPython() is True for o in graph.objects(subject, URIRef(PKO + "foreign")))
        key = str(subject)[len(base):]
        surface = tuple(dict.fromkeys(str(o) for o in labels if isinstance(o, Literal) and len(str(o)) >= 2))
        parents = tuple(str(o)[len(base):] for p in (ORG.unitOf, ORG.subOrganizationOf)
                        for o in graph.objects(subject, p) if str(o).startswith(base))
        lexicon.add(Entity(key=key, kind=kind, name=zh[0] if zh else key, labels=surface,
                           subkind=subkind, foreign=foreign), parents)
    return lexicon
