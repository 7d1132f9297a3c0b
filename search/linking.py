"""The knowledge leg's first step: find the entities a question names — fields (with synonyms and
everyday words), partners by zh or en name, units by their labels, places, instruments. Deadlines
are read by search/deadlines.py, department types (经信厅, 市药监局) by search/units.py."""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.knowledge import KnowledgeBase
from search.tokenize import english_words


@dataclass(frozen=True)
class LinkedEntity:
    key: str
    kind: str
    name: str
    surface: str
    hidden: bool = False  # named only by a hidden label (an everyday word), not the plan's own terms


class Linker:
    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self._zh: dict[str, list[str]] = {}
        for info in knowledge.entities.values():
            if info.kind == "partner" and info.subkind == "CountryPartner" and not info.foreign:
                continue  # 中国 is the home country, not something a question filters on
            for label in info.zh_labels + tuple(l for l in info.en_labels if re.search(r"[A-Z]{2,}", l)):
                if len(label) >= 2:
                    self._zh.setdefault(label, []).append(info.key)
        self._by_first: dict[str, list[str]] = {}
        for label in sorted(self._zh, key=len, reverse=True):
            self._by_first.setdefault(label[0], []).append(label)
        self._en = knowledge.english_index()
        self._en_hidden = knowledge.english_index(hidden_only=True)

    def entities(self, question: str) -> list[LinkedEntity]:
        found: list[LinkedEntity] = []
        index = 0
        while index < len(question):
            label = next((l for l in self._by_first.get(question[index], ()) if question.startswith(l, index)), None)
            if label is None:
                index += 1
                continue
            for key in self._zh[label]:
                info = self.knowledge.entities[key]
                found.append(LinkedEntity(key, info.kind, info.name, label, label in info.hidden_labels))
            index += len(label)
        words = english_words(question)
        position = 0
        while position < len(words):
            for length in range(min(6, len(words) - position), 0, -1):
                keys = self._en.get(tuple(words[position : position + length]))
                if keys:
                    span = tuple(words[position : position + length])
                    for key in keys:
                        info = self.knowledge.entities[key]
                        found.append(LinkedEntity(key, info.kind, info.name, " ".join(span),
                                                  key in self._en_hidden.get(span, ())))
                    position += length
                    break
            else:
                position += 1
        # an entity named both ways counts as named by its own terms
        named: dict[str, LinkedEntity] = {}
        for entity in found:
            if entity.key not in named or named[entity.key].hidden and not entity.hidden:
                named[entity.key] = entity
        return list(named.values())
