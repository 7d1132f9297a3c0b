"""Search documents: one per measure, carrying what every leg and facet needs — the measure
text with its task, section, units and deadline, and the entities it names (with those named
in its task's title, so 常熟市 in a task title reaches the task's measures)."""

from __future__ import annotations

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
    for measure in plan.measures:
        task = plan.task(measure.task)
        keys = measure_entities.get(measure.seq, set()) | title_entities.get(task.id, set())
        unit_keys = tuple(units[u] for u in task.lead_units + task.supporting_units if u in units)
        documents.append(SearchDocument(
            row=first_row + len(documents), plan=plan.id, plan_title=plan.title, seq=measure.seq,
            number=measure.number, iri=str(measure_iri(plan_node, measure.seq)), task=task.id,
            task_title=task.title, section=task.section, section_title=sections.get(task.section or ""),
            text=measure.text, lead_units=task.lead_units, supporting_units=task.supporting_units,
            unit_keys=unit_keys, deadline_raw=task.deadline.raw, deadline_type=task.deadline.type,
            deadline_end=task.deadline.end, entities=tuple(sorted(keys)),
            closure=tuple(sorted(knowledge.closure(keys | set(unit_keys)))),
        ))
    return documents
