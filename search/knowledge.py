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

from rdflib import Graph

from kg.extract.vocabulary import vocabulary_entries
from kg.model import Entity
from search.tokenize import english_words


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
    hidden_labels: tuple[str, ...] = ()  # skos:hiddenLabel (zh and en): everyday words, weaker evidence


class KnowledgeBase:
    def __init__(self, entities: dict[str, EntityInfo]) -> None:
        self.entities = entities
        self._place_labels: dict[str, str] | None = None

    def places_in(self, text: str) -> list[EntityInfo]:
        """Places named in ``text``, leftmost-longest, in order (四川省成都市 → 四川省, 成都市)."""
        if self._place_labels is None:
            self._place_labels = {}
            for info in self.entities.values():
                if info.kind == "place":
                    for label in info.zh_labels:
                        if len(label) >= 2:
                            self._place_labels.setdefault(label, info.key)
        longest = max(map(len, self._place_labels), default=0)
        found, index = [], 0
        while index < len(text):
            for length in range(min(longest, len(text) - index), 1, -1):
                key = self._place_labels.get(text[index:index + length])
                if key is not None:
                    found.append(self.entities[key])
                    index += length
                    break
            else:
                index += 1
        return list({info.key: info for info in found}.values())

    @classmethod
    def from_graph(cls, graph: Graph, base: str, extra: list[Entity] = ()) -> KnowledgeBase:  # type: ignore[assignment]
        entities: dict[str, EntityInfo] = {}
        for entry in vocabulary_entries(graph, base):
            zh = [label.text for label in entry.labels if label.language == "zh"]
            en = [label.text for label in entry.labels if label.language != "zh"]
            entities[entry.key] = EntityInfo(
                key=entry.key, kind=entry.kind, name=entry.pref.get("zh", entry.key), name_en=entry.pref.get("en"),
                zh_labels=tuple(dict.fromkeys(zh)), en_labels=tuple(dict.fromkeys(en)), ancestors=entry.ancestors,
                foreign=entry.foreign, subkind=entry.subkind,
                hidden_labels=tuple(dict.fromkeys(label.text for label in entry.labels if label.hidden)),
            )
        knowledge = cls(entities)
        knowledge.add_entities(list(extra))
        return knowledge

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

    def english_index(self, *, hidden_only: bool = False) -> dict[tuple[str, ...], list[str]]:
        """English label words → entity keys; ``hidden_only``: the words only a hidden label gives."""
        index: dict[tuple[str, ...], list[str]] = {}
        for info in self.entities.values():
            labels = info.en_labels
            if hidden_only:
                shown = {tuple(english_words(label)) for label in labels if label not in info.hidden_labels}
                labels = tuple(l for l in labels if l in info.hidden_labels and tuple(english_words(l)) not in shown)
            for label in labels:
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
