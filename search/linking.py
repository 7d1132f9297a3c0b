"""The knowledge leg's first step: find what a question names — fields (with synonyms and
everyday words), partners by zh or en name, units and their abbreviations, places, instruments —
and what deadline it asks about ("持续推进", "10月前", "年底", "due by October 2021")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.chinese import chinese_number
from search.knowledge import KnowledgeBase
from search.tokenize import english_words

_MONTH_NAMES = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_ONGOING = re.compile(r"持续|长期|没有固定期限|无固定期限|不设期限|常态化|ongoing|continuous|no fixed deadline|"
                      r"without (?:a )?deadline|long[- ]term", re.IGNORECASE)
_ZH_MONTH = re.compile(r"(?:(\d{4})\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:底|末)?\s*(前|之前|以前|完成|到期)?")
_ZH_YEAR_END = re.compile(r"(?:(\d{4})\s*年?\s*)?年(?:底|末)")
_EN_MONTH = re.compile(r"(?:by|before|until|due|in|end of)\s+(?:the\s+end\s+of\s+)?(" + "|".join(_MONTH_NAMES) +
                       r")(?:\s+(\d{4}))?", re.IGNORECASE)
_EN_YEAR_END = re.compile(r"(?:by|before|end of)\s+(?:the\s+end\s+of\s+)?(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class LinkedEntity:
    key: str
    kind: str
    name: str
    surface: str


@dataclass(frozen=True)
class DeadlineAsk:
    ongoing: bool = False
    due_by: str | None = None  # YYYY-MM, or --MM when the question names no year
    surface: str = ""


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
                found.append(LinkedEntity(key, info.kind, info.name, label))
            index += len(label)
        words = english_words(question)
        position = 0
        while position < len(words):
            for length in range(min(6, len(words) - position), 0, -1):
                keys = self._en.get(tuple(words[position : position + length]))
                if keys:
                    for key in keys:
                        info = self.knowledge.entities[key]
                        found.append(LinkedEntity(key, info.kind, info.name, " ".join(words[position : position + length])))
                    position += length
                    break
            else:
                position += 1
        return list({entity.key: entity for entity in found}.values())


def deadline_ask(question: str) -> DeadlineAsk | None:
    if match := _ONGOING.search(question):
        return DeadlineAsk(ongoing=True, surface=match.group(0))
    if match := _ZH_YEAR_END.search(question):
        return DeadlineAsk(due_by=f"{match.group(1)}-12" if match.group(1) else "--12", surface=match.group(0))
    if match := _ZH_MONTH.search(question):
        if match.group(1) or match.group(3):
            month = chinese_number(match.group(2))
            if 1 <= month <= 12:
                due = f"{match.group(1)}-{month:02d}" if match.group(1) else f"--{month:02d}"
                return DeadlineAsk(due_by=due, surface=match.group(0))
    if match := _EN_MONTH.search(question):
        month = _MONTH_NAMES[match.group(1).lower()]
        return DeadlineAsk(due_by=f"{match.group(2)}-{month:02d}" if match.group(2) else f"--{month:02d}",
                           surface=match.group(0))
    if match := _EN_YEAR_END.search(question):
        return DeadlineAsk(due_by=f"{match.group(1)}-12", surface=match.group(0))
    return None


def meets(ask: DeadlineAsk, deadline_type: str, end: str | None) -> bool:
    if ask.ongoing:
        return deadline_type == "ongoing"
    if ask.due_by is None or end is None:
        return False
    if ask.due_by.startswith("--"):
        return end[5:] <= ask.due_by[2:]
    return end <= ask.due_by
