"""Which plan a question is about. A question can name a plan by its title words ("健康乡村方案里…"),
or by the province or city it belongs to ("四川的方案里…", "in the Anhui plan", "How will Beijing …").
Each plan's profile is read from its own title, issuer(s) and their places in the gazetteer —
never from a list of plans. Naming a plan together with a word for the document (方案, 计划, plan)
scopes the search to it; naming only its place boosts its measures."""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.documents import SearchDocument
from search.knowledge import KnowledgeBase
from search.linking import LinkedEntity
from search.tokenize import bigrams, english_words

_CUE = re.compile(r"(方案|计划|规划|文件|通知|plan|programme|program)", re.IGNORECASE)
_FILLER = re.compile(r"^(在|从|据|按|关于|根据)|(的|里|中|内|上|这个|那个|这份|那份)+$")
_GENERIC = frozenset(bigrams("实施方案行动计划工作方案推动促进加快开展关于印发深入"))
_PROVINCIAL = frozenset({"Province", "Municipality", "AutonomousRegion", "SAR"})


@dataclass(frozen=True)
class PlanProfile:
    id: str
    title: str
    short: str
    places: frozenset[str]  # the plan's jurisdiction: place keys named by its issuers or title
    grams: frozenset[str]  # distinctive bigrams of title, issuers and place names
    english: frozenset[str]  # English words of its places (Anhui, Beijing)


@dataclass(frozen=True)
class ScopeHint:
    plans: tuple[str, ...]
    surface: str  # the words that named it
    hard: bool  # scoped (only its measures) rather than boosted


def profiles(documents: list[SearchDocument], knowledge: KnowledgeBase) -> dict[str, PlanProfile]:
    found: dict[str, PlanProfile] = {}
    for document in documents:
        if document.plan in found:
            continue
        named = " ".join(document.plan_issuers) + " " + document.plan_title
        places = knowledge.places_in(named)
        top = [p for p in places if p.subkind in _PROVINCIAL] or places
        jurisdiction = top[:1] + [p for p in places if p not in top[:1] and top and top[0].key in p.ancestors][:1]
        labels = [label for p in jurisdiction for label in p.zh_labels]
        grams = {g for g in bigrams(named + " " + " ".join(labels)) if g not in _GENERIC}
        english = {w for p in jurisdiction for label in p.en_labels for w in english_words(label)} - {"province",
                                                                                                     "provinc"}
        found[document.plan] = PlanProfile(document.plan, document.plan_title, document.plan_short,
                                           frozenset(p.key for p in jurisdiction), frozenset(grams), frozenset(english))
    return found


def plan_hint(question: str, linked: list[LinkedEntity], plans: dict[str, PlanProfile],
              knowledge: KnowledgeBase) -> ScopeHint | None:
    if len(plans) < 2:
        return None
    cue = _CUE.search(question)
    if cue is not None:
        named = _named_before(question, cue.start(), plans)
        if named is not None:
            return named
    places = [e for e in linked if e.kind == "place"]
    for entity in places:
        info = knowledge.entities.get(entity.key)
        # the plan's own place, or a place containing it (四川 for a plan of 成都)
        hit = tuple(sorted(p.id for p in plans.values()
                           if entity.key in p.places or any(entity.key in _ancestors(k, knowledge) for k in p.places)))
        if hit and len(hit) < len(plans) and info is not None:
            return ScopeHint(hit, entity.surface, hard=cue is not None)
    return None


def _named_before(question: str, cue: int, plans: dict[str, PlanProfile]) -> ScopeHint | None:
    before = _FILLER.sub("", re.split(r"[，。？！,.?!：:；;]", question[:cue])[-1].strip())
    latin = re.findall(r"[A-Za-z][A-Za-z\-']+", before)
    if latin:
        named = [w for w in latin[-3:] if set(english_words(w)) & set().union(*(p.english for p in plans.values()))]
        words = set(english_words(" ".join(named)))
        hit = tuple(sorted(p.id for p in plans.values() if words & p.english))
        return ScopeHint(hit, " ".join(named), hard=True) if hit and len(hit) < len(plans) else None
    text = before[-10:]
    grams = [g for g in bigrams(text) if g not in _GENERIC]
    if not grams:
        return None
    scores = {p.id: sum(g in p.grams for g in grams) / len(grams) for p in plans.values()}
    best = max(scores.values())
    if best < 0.6:
        return None
    hit = tuple(sorted(plan for plan, score in scores.items() if score == best))
    return ScopeHint(hit, text, hard=True) if len(hit) < len(plans) else None


def _ancestors(key: str, knowledge: KnowledgeBase) -> tuple[str, ...]:
    info = knowledge.entities.get(key)
    return info.ancestors if info else ()
