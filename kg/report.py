"""The ``policykg parse --json`` document: the contract of ../shared/samples/*.expected.json."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any

from kg.model import Deadline, Entity, Extraction, Measure, NumericTarget, Plan, Task
from kg.parse.tail import short_name
from kg.rdf.vocab import PARTNER_KINDS, PLACE_KINDS


def plan_document(plan: Plan, extraction: Extraction | None = None,
                  entities: dict[str, Entity] | None = None) -> dict[str, Any]:
    """The parse as JSON; ``entities`` (the lexicon's) adds each entity's kind and foreign flag."""
    extraction = extraction or Extraction()
    entities = {**(entities or {}), **{e.key: e for e in extraction.new_entities}}
    # per-measure units are counted as printed; task lists hold them alias-resolved
    lead = _distinct(u for t in plan.tasks for u in _units(plan, t, "lead_units"))
    supporting = _distinct(u for t in plan.tasks for u in _units(plan, t, "supporting_units"))
    document: dict[str, Any] = {
        "doc": plan.id,
        "file": plan.file,
        "encoding": plan.encoding,
        "header": plan.header,
        "title": plan.title,
        "title_raw": plan.title_raw,
        "subtitle": plan.subtitle,
        "issuer": plan.issuer,
        "issuer_short": plan.issuer_short,
        "issuers": list(plan.issuers) or None,
        "issuers_short": [short_name(i) for i in plan.issuers] or None,
        "doc_number": plan.doc_number,
        "notice_title": plan.notice_title,
        "notice_title_raw": plan.notice_title_raw,
        "issuing_office": plan.issuing_office,
        "issue_date": plan.issue_date,
        "issue_date_raw": plan.issue_date_raw,
        "signed_date": plan.signed_date,
        "preamble": plan.preamble,
        "sections": [
            {"number": s.number, "index": s.index, "title": s.title, "tasks": list(s.tasks)}
            for s in plan.sections
        ],
        "tasks": [_task(task, plan) for task in plan.tasks],
        "measures": [_measure(measure) for measure in plan.measures],
        "warnings": list(plan.warnings),
        "units": {
            "lead_units_distinct": lead,
            "supporting_units_distinct": supporting,
            # the parser's aliases (from the plan's own words) plus those found by full name
            "aliases": {**dict(plan.unit_aliases), **dict(extraction.unit_aliases)},
            "full_names": dict(extraction.unit_full_names),
            "keys": dict(extraction.unit_keys),
        },
        "fields": _entities(extraction, "field", entities),
        "partners": _entities(extraction, "partner", entities),
        "places": _entities(extraction, "place", entities),
        "instruments": _entities(extraction, "instrument", entities),
        "numeric_targets": [_target(plan, t) for t in extraction.targets],
        "overall_targets": [_target(plan, t) for t in extraction.overall_targets],
        # Source offsets (decoded text, end exclusive) kept apart so the entries above match the contract.
        "spans": {
            "measures": {str(m.seq): [m.start, m.end] for m in plan.measures},
            "numeric_targets": [[t.start, t.end] for t in extraction.targets],
            "overall_targets": [[t.start, t.end] for t in extraction.overall_targets],
        },
        "cc_raw": plan.cc_raw,
        "cc": list(plan.cc),
        "counts": {
            "sections": len(plan.sections),
            "sections_with_tasks": sum(1 for s in plan.sections if s.tasks),
            "tasks": len(plan.tasks),
            "measures": len(plan.measures),
            "lead_units_distinct": len(lead),
            "supporting_units_distinct": len(supporting),
            "tasks_with_supporting_units": sum(1 for t in plan.tasks if t.supporting_units),
            "tasks_without_deadline": sum(1 for t in plan.tasks if t.deadline.raw is None),
            "tasks_without_measure_header": sum(1 for t in plan.tasks if t.measure_header is None),
            "numeric_targets": len(extraction.targets),
            "overall_targets": len(extraction.overall_targets),
        },
    }
    for kind in ("fields", "partners", "places"):
        document["counts"][kind] = len(document[kind])
    return document


def parse_summary(document: dict[str, Any]) -> str:
    """A short readable report of a parse (``policykg parse`` without --json): sections, tasks
    with their measure counts, units and deadlines, then the warnings."""
    issuers = "、".join(document.get("issuers") or [document["issuer"] or "?"])
    out = [document["title"], f"{issuers} · {document['issue_date'] or 'no date'}"
           + (f" · {document['doc_number']}" if document.get("doc_number") else "")]
    tasks = {t["id"]: t for t in document["tasks"]}
    for section in document["sections"]:
        out.append(f"{section['number']}、{section['title']}" + ("" if section["tasks"] else "  (no tasks)"))
        for task_id in section["tasks"]:
            out.append(_task_line(tasks.pop(task_id)))
    out += [_task_line(task) for task in tasks.values()]
    counts = document["counts"]
    out.append(f"{counts['sections']} sections, {counts['tasks']} tasks, {counts['measures']} measures, "
               f"{counts['lead_units_distinct']} lead units, {counts['supporting_units_distinct']} supporting units")
    warnings = document.get("warnings", [])
    out += [f"WARNING {w}" for w in warnings] or ["no warnings"]
    return "\n".join(out)


def _task_line(task: dict[str, Any]) -> str:
    deadline = task["deadline"]
    when = (deadline["raw"] or "no deadline") if deadline else "; ".join(task.get("measure_deadlines", [])) or "-"
    lead = "、".join(task["lead_units"]) or "no units"
    support = f" + {'、'.join(task['supporting_units'])}" if task["supporting_units"] else ""
    return f"  {task['id']:>6}  {task['title']}  ({task['measure_count']} measures)  [{when}]  {lead}{support}"


def deadline_document(deadline: Deadline) -> dict[str, Any]:
    return asdict(deadline)


def _units(plan: Plan, task: Task, role: str) -> tuple[str, ...]:
    if task.units_source != "measures":
        return getattr(task, role)  # type: ignore[no-any-return]
    return tuple(u for s in task.measures for u in getattr(plan.measures[s - 1], role))


def _task(task: Task, plan: Plan) -> dict[str, Any]:
    document = {
        "id": task.id,
        "number": task.number,
        "number_raw": task.number_raw,
        "title": task.title,
        "section": task.section,
        "measure_header": task.measure_header,
        "deadline": deadline_document(task.deadline),
        "unit_label": task.unit_label,
        "lead_units": list(task.lead_units),
        "supporting_units": list(task.supporting_units),
        "measures": list(task.measures),
        "measure_count": len(task.measures),
    }
    if task.units_source == "measures":  # the task has no deadline of its own; its measures do
        mine = [plan.measures[s - 1] for s in task.measures]
        document["deadline"] = None if task.deadline.raw is None else document["deadline"]
        document["measure_unit_labels"] = _distinct(m.unit_label for m in mine if m.unit_label)
        document["measure_deadlines"] = [m.deadline.raw for m in mine if m.deadline and m.deadline.raw]
    elif task.units_source == "appendix":
        document.update(units_source="appendix", appendix_row=task.appendix_row)
    return document


def _measure(measure: Measure) -> dict[str, Any]:
    document: dict[str, Any] = {
        "seq": measure.seq,
        "number": measure.number,
        "number_raw": measure.number_raw,
        "task": measure.task,
        "text": measure.text,
    }
    if measure.page_break_repaired:
        document["page_break_repaired"] = True
    if measure.units_raw is not None:
        document.update(units_raw=measure.units_raw, unit_label=measure.unit_label,
                        lead_units=list(measure.lead_units), supporting_units=list(measure.supporting_units),
                        deadline=deadline_document(measure.deadline) if measure.deadline else None)
    return document


_NOTATIONS = {str(iri).rsplit("#", 1)[-1]: notation for table in (PARTNER_KINDS, PLACE_KINDS)
              for notation, iri in table.items()}


def _entities(extraction: Extraction, kind: str, entities: dict[str, Entity]) -> list[dict[str, Any]]:
    by_entity: dict[str, dict[tuple[str, int | None], int]] = defaultdict(lambda: defaultdict(int))
    info: dict[str, dict[str, Any]] = {}
    new = {e.key for e in extraction.new_entities}
    for mention in extraction.mentions:
        if mention.kind != kind:
            continue
        by_entity[mention.entity][(mention.task, mention.measure)] += 1
        entry = info.setdefault(mention.entity, {"name": mention.name, "key": mention.entity, "surface_forms_used": set()})
        entry["surface_forms_used"].add(mention.surface)
        entity = entities.get(mention.entity)
        if entity is not None and entity.subkind and kind in ("partner", "place"):
            entry["kind"] = _NOTATIONS.get(entity.subkind, entity.subkind)
        if kind == "partner" and entity is not None:
            entry["foreign"] = entity.foreign
        if mention.entity in new:
            entry["found_by"] = "pattern"
    result = []
    for key, mentions in by_entity.items():
        entry = info[key]
        forms = sorted(entry.pop("surface_forms_used"))
        if forms != [entry["name"]]:
            entry["surface_forms_used"] = forms
        entry["mentions"] = [
            {"task": task, "measure": measure, "occurrences": count}
            for (task, measure), count in mentions.items()
        ]
        result.append(entry)
    return result


def _target(plan: Plan, target: NumericTarget) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if target.measure is not None:
        measure = plan.measures[target.measure - 1]
        document.update(measure=target.measure, task=target.task, measure_number=measure.number)
    else:
        document["section"] = target.section
    document.update(quantity=target.quantity, unit=target.unit, approx=target.approx, bound=target.bound,
                    qualifier=target.qualifier, raw=target.raw, role=target.role)
    return document


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(values))
