"""Entity linking and numeric targets over a parsed plan.

Mentions are found by longest match against the curated vocabularies (so 宁波 inside 宁波大学
is not a separate place), then by name patterns for bodies and places never seen before.
Units printed in 牵头单位/配合单位 lines are resolved within the issuing department.
"""

from __future__ import annotations

import re

from kg.extract.lexicon import Lexicon
from kg.extract.patterns import boundaries, organisation_names, place_names
from kg.extract.targets import find_targets
from kg.model import Entity, Extraction, Mention, NumericTarget, Plan

_TEXT_KINDS = frozenset({"field", "partner", "place", "instrument"})
_PARTNER_KIND = {"大学": "University", "学院": "University", "医院": "Hospital", "集团": "Enterprise",
                 "有限公司": "Enterprise", "公司": "Enterprise"}


def extract(plan: Plan, lexicon: Lexicon) -> Extraction:
    mentions: list[Mention] = []
    new: dict[str, Entity] = {}
    for task in plan.tasks:
        for start, label, entity in _link(task.title, lexicon, new):
            offset = task.title_start + start
            mentions.append(Mention(entity.kind, entity.key, entity.name, label, task.id, None, offset, offset + len(label)))
    for measure in plan.measures:
        for start, label, entity in _link(measure.text, lexicon, new):
            begin = measure.source_offset(start)
            end = measure.source_offset(start + len(label) - 1) + 1
            mentions.append(Mention(entity.kind, entity.key, entity.name, label, measure.task, measure.seq, begin, end))
    issuer_key, unit_keys = _units(plan, lexicon, new)
    return Extraction(
        mentions=tuple(mentions),
        targets=tuple(_measure_targets(plan)),
        overall_targets=tuple(_overall_targets(plan)),
        new_entities=tuple(new.values()),
        unit_keys=tuple(unit_keys.items()),
        issuer_key=issuer_key,
    )


def _link(text: str, lexicon: Lexicon, new: dict[str, Entity]) -> list[tuple[int, str, Entity]]:
    found: list[tuple[int, str, Entity]] = []
    covered = [False] * len(text)
    index = 0
    while index < len(text):
        hit = lexicon.longest_at(text, index, _TEXT_KINDS)
        if hit and hit[1].subkind == "CountryPartner" and not hit[1].foreign:
            index += len(hit[0])  # 中国 (健康中国, 中国创新挑战赛 …) is the home country, not a partner
            continue
        if hit:
            label, entity = hit
            found.append((index, label, entity))
            covered[index : index + len(label)] = [True] * len(label)
            index += len(label)
        else:
            index += 1
    starts = boundaries(text)
    for kind, names in (("partner", organisation_names(text, starts)), ("place", place_names(text, starts))):
        for start, name in names:
            if any(covered[start : start + len(name)]):
                continue
            entity = new.setdefault(f"{kind}/{name}", _new_entity(kind, name))
            found.append((start, name, entity))
            covered[start : start + len(name)] = [True] * len(name)
    return sorted(found, key=lambda hit: hit[0])


def _new_entity(kind: str, name: str) -> Entity:
    if kind == "place":
        subkind = "County" if name.endswith("县") else "PrefectureCity"
        return Entity(key=f"place/{name}", kind="place", name=name, labels=(name,), subkind=subkind)
    suffix = next((s for s in _PARTNER_KIND if name.endswith(s)), None)
    subkind = _PARTNER_KIND[suffix] if suffix else "ResearchInstitute"
    return Entity(key=f"partner/{name}", kind="partner", name=name, labels=(name,), subkind=subkind)


def _units(plan: Plan, lexicon: Lexicon, new: dict[str, Entity]) -> tuple[str | None, dict[str, str]]:
    issuer_key = None
    names = [n for n in (plan.issuer, plan.issuer_short) if n]
    for name in names:
        departments = lexicon.find(name, "unit")
        if departments:
            issuer_key = departments[0].key
            break
    scope = issuer_key.split("/", 1)[1] if issuer_key else plan.id
    if issuer_key is None and plan.issuer:
        issuer_key = f"unit/{scope}"
        new[issuer_key] = Entity(key=issuer_key, kind="unit", name=plan.issuer, labels=tuple(names),
                                 subkind="Department")
    keys: dict[str, str] = {}
    for task in plan.tasks:
        for name in task.lead_units + task.supporting_units:
            if name in keys:
                continue
            candidates = lexicon.find(name, "unit")
            inside = [e for e in candidates if issuer_key in lexicon.parents.get(e.key, ())]
            unscoped = [e for e in candidates if not lexicon.parents.get(e.key)]
            chosen = inside or (unscoped if len(unscoped) == 1 else [])
            if chosen:
                keys[name] = chosen[0].key
            else:
                key = f"unit/{scope}/{name}"
                new.setdefault(key, Entity(key=key, kind="unit", name=name, labels=(name,), subkind="InternalDivision"))
                keys[name] = key
    return issuer_key, keys


def _measure_targets(plan: Plan) -> list[NumericTarget]:
    targets = []
    for measure in plan.measures:
        for start, end, quantity, unit, qualifier, approx, bound, role in find_targets(measure.text):
            targets.append(NumericTarget(
                measure=measure.seq, task=measure.task, section=plan.task(measure.task).section,
                quantity=quantity, unit=unit, approx=approx, bound=bound, qualifier=qualifier,
                raw=measure.text[start:end], role=role, start=measure.source_offset(start),
                end=measure.source_offset(end - 1) + 1,
            ))
    return targets


def _overall_targets(plan: Plan) -> list[NumericTarget]:
    targets = []
    for section in plan.sections:
        if section.tasks or not re.search(r"总体要求|目标|总体思路|指导思想", section.title):
            continue
        text = plan.text[section.start : section.end]
        for start, end, quantity, unit, qualifier, approx, bound, role in find_targets(text):
            targets.append(NumericTarget(
                measure=None, task=None, section=section.number, quantity=quantity, unit=unit, approx=approx,
                bound=bound, qualifier=qualifier, raw=text[start:end], role=role,
                start=section.start + start, end=section.start + end,
            ))
    return targets
