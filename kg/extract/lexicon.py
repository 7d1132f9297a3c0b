"""The curated vocabularies (ontology/vocab/*.ttl) as a lookup table for entity linking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.extract.vocabulary import vocabulary_entries
from kg.model import Entity

LOOKUP_BASE = "https://key.invalid/"  # vocabulary IRIs are relative; parse them under this to get keys
# Concepts of this scheme (disease areas, resources such as 算力 or 数据要素, programmes such as
# 网络安全等级保护) are what questions ask about, not what a plan's measures are recorded under:
# their names claim their span of plan text (so 网络安全 is not found inside 网络安全等级保护) but
# make no mention.
SILENT_SCHEME = "scheme/topics"


@dataclass
class Lexicon:
    entities: dict[str, Entity] = field(default_factory=dict)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unitOf / subOrganizationOf
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # broader, containedInPlace …
    by_label: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_first_char: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    silent: set[str] = field(default_factory=set)  # keys of concepts that claim text but make no mention

    def add(self, entity: Entity, parents: tuple[str, ...] = (), ancestors: tuple[str, ...] = (),
            silent: bool = False) -> None:
        self.entities[entity.key] = entity
        if silent:
            self.silent.add(entity.key)
        self.parents[entity.key] = parents
        self.ancestors[entity.key] = ancestors
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


def load_lexicon(vocabulary_dir: Path) -> Lexicon:
    """The lexicon of the vocabulary files in ``vocabulary_dir``."""
    graph = Graph()
    for path in sorted(vocabulary_dir.glob("*.ttl")):
        graph.parse(path, format="ox-turtle", publicID=LOOKUP_BASE)  # oxigraph parser: 2-3x rdflib's
    return lexicon_from_graph(graph, LOOKUP_BASE)


def lexicon_from_graph(graph: Graph, base: str) -> Lexicon:
    """The lexicon of a vocabulary graph already parsed under ``base`` (so a build parses the
    vocabulary files once). Hidden labels (everyday words such as 芯片 for 集成电路) are for
    matching questions, not plan text, so they are left out."""
    lexicon = Lexicon()
    for entry in vocabulary_entries(graph, base):
        surface = tuple(dict.fromkeys(label.text for label in entry.labels
                                      if not label.hidden and len(label.text) >= 2))
        lexicon.add(Entity(key=entry.key, kind=entry.kind, name=entry.pref.get("zh", entry.key), labels=surface,
                           subkind=entry.subkind, foreign=entry.foreign), entry.parents, entry.ancestors,
                    silent=SILENT_SCHEME in entry.schemes)
    return lexicon
