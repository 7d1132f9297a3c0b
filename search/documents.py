"""Search documents: one per measure, carrying what every leg and facet needs — the measure
text with its task, section, units and deadline, and the entities it names (with those named
in its task's title, so 常熟市 in a task title reaches the task's measures)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Extraction, Plan
from kg.rdf.iri import measure_iri, plan_iri
from search.knowledge import KnowledgeBase

_TYPE_WORDS = {"ongoing": "持续推进 长期 ongoing continuous no fixed deadline", "none": "",
               "quarter": "季度 quarter", "year": "年度 year", "range": "期间 period", "month": "月 month"}
_MONTHS = ("January February March April May June July August September October November December").split()


@dataclass(frozen=True)
class SearchDocument:
    row: int
    plan: str
    plan_title: str
    plan_short: str  # the title without issuer, 关于 and 实施方案, led by its place: 北京·促进医疗健康数据创新应用
    plan_issuers: tuple[str, ...]
    seq: int
    number: str | None
    iri: str
    task: str
    task_title: str
    section: str | None
    section_title: str | None
    text: str
    lead_units: tuple[str, ...]
    supporting_units: tuple[str, ...]
    unit_keys: tuple[str, ...]
    deadline_raw: str | None
    deadline_type: str
    deadline_end: str | None
    deadline_start: str | None
    entities: tuple[str, ...]  # keys named by the measure or its task title
    closure: tuple[str, ...]  # entities, their ancestors and the task's units

    def dense_text(self) -> str:
        # Units and deadlines are left to the lexical and knowledge legs: the encoder ignores dates,
        # and passage length is what encoding time grows with (measured in bench/search_bench.py).
        return f"{self.task_title}：{self.text}"

    def lexical_text(self, knowledge: KnowledgeBase) -> str:
        labels = []
        for key in self.closure:
            info = knowledge.entities.get(key)
            if info is not None:
                labels.append(info.name)
                labels.extend(info.en_labels[:2])
        deadline = _TYPE_WORDS.get(self.deadline_type, "")
        if self.deadline_end:
            year, month = self.deadline_end.split("-")
            deadline += f" {year} {_MONTHS[int(month) - 1]}"
        units = "、".join(self.lead_units + self.supporting_units)
        context = f"{self.section_title or ''} 牵头单位：{units} 完成时限：{self.deadline_raw or '未定'}"
        return " ".join([self.dense_text(), context, " ".join(labels), deadline])


def documents_for(plan: Plan, extraction: Extraction, knowledge: KnowledgeBase, base: str,
                  first_row: int = 0) -> list[SearchDocument]:
    sections = {s.number: s.title for s in plan.sections}
    title_entities: dict[str, set[str]] = {}
    measure_entities: dict[int, set[str]] = {}
    for mention in extraction.mentions:
        if mention.measure is None:
            title_entities.setdefault(mention.task, set()).add(mention.entity)
        else:
            measure_entities.setdefault(mention.measure, set()).add(mention.entity)
    units = dict(extraction.unit_keys)
    documents = []
    plan_node = plan_iri(base, plan.id)
    issuers = tuple(plan.issuers) or ((plan.issuer,) if plan.issuer else ())
    short = short_title(plan.title, issuers, knowledge)
    for measure in plan.measures:
        task = plan.task(measure.task)
        keys = measure_entities.get(measure.seq, set()) | title_entities.get(task.id, set())
        # a plan that prints units or a deadline after each measure overrides its task's
        own_units = bool(measure.units_raw or measure.lead_units or measure.supporting_units)
        lead = measure.lead_units if own_units else task.lead_units
        supporting = measure.supporting_units if own_units else task.supporting_units
        deadline = measure.deadline if measure.deadline is not None and measure.deadline.type != "none" else task.deadline
        unit_keys = tuple(units[u] for u in lead + supporting if u in units)
        documents.append(SearchDocument(
            row=first_row + len(documents), plan=plan.id, plan_title=plan.title, plan_short=short,
            plan_issuers=issuers, seq=measure.seq,
            number=measure.number, iri=str(measure_iri(plan_node, measure.seq)), task=task.id,
            task_title=task.title, section=task.section, section_title=sections.get(task.section or ""),
            text=measure.text, lead_units=lead, supporting_units=supporting,
            unit_keys=unit_keys, deadline_raw=deadline.raw, deadline_type=deadline.type,
            deadline_end=deadline.end, deadline_start=deadline.start, entities=tuple(sorted(keys)),
            closure=tuple(sorted(knowledge.closure(keys | set(unit_keys)))),
        ))
    return documents


_TITLE_FRAME = re.compile(r"^(?:关于)?(?:印发)?|(?:的)?(?:实施方案|行动方案|工作方案|方案|实施意见|行动计划)(?:的通知)?$")


def short_title(title: str, issuers: tuple[str, ...], knowledge: KnowledgeBase) -> str:
    """北京市促进医疗健康数据创新应用实施方案 → 北京·促进医疗健康数据创新应用: what a hit line has room for."""
    core = title
    for issuer in sorted(issuers, key=len, reverse=True):
        core = core.replace(issuer, "")
    core = re.sub(r"^.*?关于", "", core) if "关于" in core else core
    core = _TITLE_FRAME.sub("", core).strip("“”\"《》 ")
    place = ""
    for info in knowledge.places_in(title + " " + " ".join(issuers))[:1]:
        place = min((label for label in info.zh_labels if len(label) >= 2), key=len, default=info.name)
        core = core.removeprefix(info.name).removeprefix(place)
    return f"{place}·{core}" if place and core else core or title
