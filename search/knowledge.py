"""What the graph knows, in the form search needs: every entity's zh and en labels (hidden
labels included: everyday words for official terms) and its ancestors — broader fields, the
places that contain a place, the department a unit belongs to, a partner's country.

Built from the vocabulary graph at build time and stored with the index, so a question about
南京 reaches measures naming 江宁区, and one about 集成电路 reaches 第三代半导体.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from kg.model import Entity
from search.tokenize import english_words

PKO = "https://w3id.org/policykg/ontology#"
_KINDS = {"Field": "field", "Partner": "partner", "Place": "place", "Unit": "unit", "Instrument": "instrument"}
_UP = (SKOS.broader, URIRef("http://schema.org/containedInPlace"), ORG.unitOf, ORG.subOrganizationOf,
       URIRef(PKO + "country"))


@dataclass(frozen=True)
class EntityInfo:
    key: str
    kind: str
    name: str
    name_en: str | None
    zh_labels: tuple[str, ...]
    en_labels: tuple[str, ...]
    ancestors: tuple[str, ...]
    foreign: bool = False
    subkind: str | None = None


class KnowledgeBase:
    def __init__(self, entities: dict[str, EntityInfo]) -> None:
        self.entities = entities

    @classmethod
    def from_graph(cls, graph: Graph, base: str, extra: list[Entity] = ()) -> KnowledgeBase:  # type: ignore[assignment]
        entities: dict[str, EntityInfo] = {}
        for subject in set(graph.subjects(RDF.type, None)):
            if not isinstance(subject, URIRef) or not str(subject).startswith(base):
                continue
            kind = next((k for c, k in _KINDS.items() if (subject, RDF.type, URIRef(PKO + c)) in graph), None)
            if kind is None:
                continue
            zh, en = [], []
            for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in graph.objects(subject, predicate):
                    if isinstance(label, Literal):
                        (zh if label.language == "zh" else en).append(str(label))
            pref = {label.language: str(label) for label in graph.objects(subject, SKOS.prefLabel) if isinstance(label, Literal)}
            ancestors = set()
            frontier = {subject}
            while frontier:
                frontier = {o for s in frontier for p in _UP for o in graph.objects(s, p) if isinstance(o, URIRef)} - ancestors
                ancestors |= frontier
            key = str(subject)[len(base):]
            foreign = any(o.toPython() is True for o in graph.objects(subject, URIRef(PKO + "foreign")))
            subkind = next((str(o).rsplit("#", 1)[-1] for p in ("partnerKind", "placeKind", "unitKind")
                            for o in graph.objects(subject, URIRef(PKO + p))), None)
            entities[key] = EntityInfo(
                key=key, kind=kind, name=pref.get("zh", key), name_en=pref.get("en"),
                zh_labels=tuple(dict.fromkeys(zh)), en_labels=tuple(dict.fromkeys(en)),
                ancestors=tuple(sorted(str(a)[len(base):] for a in ancestors if str(a).startswith(base))),
                foreign=foreign, subkind=subkind,
            )
        for entity in extra:
            if entity.key not in entities:
                entities[entity.key] = EntityInfo(entity.key, entity.kind, entity.name, None, tuple(entity.labels), (),
                                                  (), entity.foreign, entity.subkind)
        return cls(entities)

    def add_entities(self, extra: tuple[Entity, ...] | list[Entity]) -> None:
        """Entities a plan minted (found by pattern): labels, no ancestors."""
        for entity in extra:
            if entity.key not in self.entities:
                self.entities[entity.key] = EntityInfo(
                    key=entity.key, kind=entity.kind, name=entity.name, name_en=None, zh_labels=tuple(entity.labels),
                    en_labels=(), ancestors=(), foreign=entity.foreign, subkind=entity.subkind)

    def closure(self, keys: set[str]) -> set[str]:
        found = set(keys)
        for key in keys:
            info = self.entities.get(key)
            if info:
                found.update(info.ancestors)
        return found

    def english_index(self) -> dict[tuple[str, ...], list[str]]:
        index: dict[tuple[str, ...], list[str]] = {}
        for info in self.entities.values():
            for label in info.en_labels:
                words = tuple(english_words(label))
                if words and (len(words) > 1 or len(words[0]) >= 3):
                    index.setdefault(words, []).append(info.key)
        return index

    def save(self, path: Path) -> None:
        path.write_text(json.dumps([asdict(e) for e in self.entities.values()], ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, path: Path) -> KnowledgeBase:
        rows = json.loads(path.read_text("utf-8"))
        return cls({row["key"]: EntityInfo(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()})
                    for row in rows})
