"""One hit as the page and the JSON show it: the measure with its plan, id and task, the
highlighted snippet, and why it matched — for people a sentence ("matched words: 外国人才;
entity: 以色列 (partner); lead unit: 省卫生健康委 (via 省卫健委); due 2024-12 within 'by 2024'"),
for analysts the legs' ranks and the structured reasons."""

from __future__ import annotations

import html
import re
from typing import Any

from search.deadlines import DeadlineAsk, fit, readable
from search.documents import SearchDocument
from search.knowledge import KnowledgeBase
from search.linking import LinkedEntity
from search.scope import ScopeHint
from search.units import UnitAsk, family, unit_type


def unit_matches(document: SearchDocument, asks: list[UnitAsk]) -> list[dict[str, str]]:
    """The measure's units of an asked department type, with the role each plays."""
    found = []
    for ask in asks:
        for role, names in (("lead", document.lead_units), ("support", document.supporting_units)):
            for name in names:
                kind = unit_type(name)
                if kind is not None and (kind == ask.kind or family(kind) == family(ask.kind)):
                    found.append({"unit": name, "role": role, "asked": ask.surface})
    return found


def build_hit(document: SearchDocument, score: float, legs: dict[str, int], terms: list[str],
              linked: list[LinkedEntity], closure: set[str], direct: set[str], units: list[UnitAsk],
              ask: DeadlineAsk | None, hint: ScopeHint | None, knowledge: KnowledgeBase) -> dict[str, Any]:
    words = sorted({t[2:] for t in terms if t.startswith("w:") and t[2:] in document.text}, key=len, reverse=True)
    entities = []
    for entity in linked:
        if entity.key in closure:
            via = "direct" if entity.key in direct else "narrower"
            entities.append({"key": entity.key, "name": entity.name, "kind": entity.kind, "via": via,
                             "surface": entity.surface})
            info = knowledge.entities.get(entity.key)
            words += [label for label in (info.zh_labels if info else ()) if label in document.text]
    highlights = spans(document.text, words)
    why: dict[str, Any] = {
        "legs": legs,
        "matched_terms": sorted({document.text[a:b] for a, b in highlights}),
        "entities": entities,
        "units": unit_matches(document, units),
    }
    if ask is not None and fit(ask, document.deadline_type, document.deadline_start, document.deadline_end) > 0:
        why["deadline"] = {"asked": ask.surface, "window": ask.label, "deadline": document.deadline_raw,
                           "end": document.deadline_end}
    if hint is not None and document.plan in hint.plans:
        why["plan"] = {"named": hint.surface, "scoped": hint.hard}
    why["summary"] = summary(why, document, ask)
    return {
        "iri": document.iri, "plan": document.plan, "plan_title": document.plan_short,
        "plan_full_title": document.plan_title, "id": str(document.seq),
        "number": document.number or str(document.seq), "seq": document.seq, "task": document.task,
        "task_title": document.task_title, "section": document.section_title, "text": document.text,
        "lead_units": list(document.lead_units), "supporting_units": list(document.supporting_units),
        "deadline": document.deadline_raw, "score": round(score, 6), "why": why,
        "highlights": highlights, "snippet": snippet(document.text, highlights),
    }


def summary(why: dict[str, Any], document: SearchDocument, ask: DeadlineAsk | None) -> str:
    """The reasons in words, without ranks: what a reader can check against the measure."""
    parts = []
    if why["matched_terms"]:
        parts.append("matched words: " + "、".join(why["matched_terms"][:6]))
    for entity in why["entities"]:
        via = ", through a narrower one" if entity["via"] == "narrower" else ""
        cjk = any("\u3400" <= c <= "\u9fff" for c in entity["surface"])
        asked = f" (asked as {entity['surface']})" if cjk and entity["surface"] != entity["name"] else ""
        parts.append(f"entity: {entity['name']} ({entity['kind']}{via}){asked}")
    for unit in why["units"]:
        role = "lead unit" if unit["role"] == "lead" else "supporting unit"
        via = f" (via {unit['asked']})" if unit["asked"] != unit["unit"] else ""
        parts.append(f"{role}: {unit['unit']}{via}")
    if "deadline" in why and ask is not None:
        parts.append(readable(ask, document.deadline_raw, document.deadline_end))
    if "plan" in why:
        parts.append(f"{'in' if why['plan']['scoped'] else 'from'} the plan named by '{why['plan']['named']}'")
    if not parts:
        parts.append("similar in meaning")
    return "; ".join(parts)


def spans(text: str, words: list[str]) -> list[list[int]]:
    covered = [False] * len(text)
    for word in sorted(set(words), key=len, reverse=True):
        for match in re.finditer(re.escape(word), text):
            if not any(covered[match.start() : match.end()]):
                covered[match.start() : match.end()] = [True] * len(word)
    result, start = [], None
    for index, flag in enumerate(covered + [False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            result.append([start, index])
            start = None
    return result


def snippet(text: str, highlights: list[list[int]]) -> str:
    parts, position = [], 0
    for start, end in highlights:
        parts += [html.escape(text[position:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)
