"""Entity linking and numeric targets over a parsed plan.

Mentions are found by longest match against the curated vocabularies (so 宁波 inside 宁波大学
is not a separate place), then by name patterns for bodies and places never seen before.
Units printed in 牵头单位/配合单位 lines are resolved by kg.extract.units (issuer's divisions, then
full names in the plan's jurisdiction).
"""

from __future__ import annotations

import re

from kg.extract.enumerations import enumerated_fields
from kg.extract.lexicon import Lexicon
from kg.extract.ner import entity_spans, entity_spans_many
from kg.extract.patterns import (
    CAMPUS,
    GENERIC_AFTER_FIELD,
    NATIONAL_PREFIXES,
    ORG_KIND_SUFFIXES,
    boundaries,
    is_organisation,
    is_zone,
    listed_enterprises,
    organisation_names,
    partner_kind,
    place_names,
    proper_facility,
    quoted_platforms,
    registered_companies,
    relative_bodies,
    trim_organisation,
)
from kg.extract.targets import find_targets
from kg.extract.units import Jurisdiction, link_units, plan_jurisdiction
from kg.model import Entity, Extraction, Mention, NumericTarget, Plan

_TEXT_KINDS = frozenset({"field", "partner", "place", "instrument"})
_GAZETTEER = "place/cn-"  # keys of divisions generated from the national gazetteer


def extract(plan: Plan, lexicon: Lexicon) -> Extraction:
    mentions: list[Mention] = []
    new: dict[str, Entity] = {}
    jurisdiction = plan_jurisdiction(plan, lexicon)
    where = _home(jurisdiction, lexicon)
    relative = {"省": jurisdiction.province, "市": jurisdiction.city}
    # LAC tags every title and measure of the plan in one batched call
    texts = [task.title for task in plan.tasks] + [measure.text for measure in plan.measures]
    spans = iter(entity_spans_many(texts))
    # Items of 聚焦A、B等重点产业 lists the vocabulary lacks: fields wherever the plan names them.
    listed = enumerated_fields(texts, lexicon)
    for task in plan.tasks:
        for start, label, entity in _link(task.title, lexicon, new, where, next(spans), relative, listed):
            offset = task.title_start + start
            mentions.append(Mention(entity.kind, entity.key, entity.name, label, task.id, None, offset, offset + len(label)))
    for measure in plan.measures:
        for start, label, entity in _link(measure.text, lexicon, new, where, next(spans), relative, listed):
            begin = measure.source_offset(start)
            end = measure.source_offset(start + len(label) - 1) + 1
            mentions.append(Mention(entity.kind, entity.key, entity.name, label, measure.task, measure.seq, begin, end))
    mentions, new = _abbreviations_merged(mentions, new)
    units = link_units(plan, lexicon)
    return Extraction(
        mentions=tuple(mentions),
        targets=tuple(_measure_targets(plan)),
        overall_targets=tuple(_overall_targets(plan)),
        new_entities=(*new.values(), *units.new),
        unit_keys=tuple(units.keys.items()),
        issuer_key=units.issuer_key,
        unit_full_names=tuple(units.full_names.items()),
        unit_aliases=tuple(units.aliases.items()),
    )


def _home(where: Jurisdiction, lexicon: Lexicon) -> frozenset[str]:
    """Keys of the plan's province and city: a county's short form (克山, 西昌) or an ambiguous
    name (朝阳区) is read as a place there, not in another province."""
    names = {n for n in (where.province, where.city) if n}
    return frozenset(k for n in names for k in lexicon.by_label.get(n, ()) if lexicon.entities[k].kind == "place")


def _choose(label: str, keys: list[str], lexicon: Lexicon, home: frozenset[str]) -> Entity | None:
    entities = [lexicon.entities[k] for k in keys if lexicon.entities[k].kind in _TEXT_KINDS]
    if not entities:
        return None
    local = [e for e in entities if e.key in home or home & set(lexicon.ancestors.get(e.key, ()))]
    if local:
        return local[0]
    # A generated division elsewhere counts only under its official name (平原县, not 平原 in 松嫩平原).
    kept = [e for e in entities if not (e.key.startswith(_GAZETTEER) and label != e.name)]
    return kept[0] if kept else None


def _link(text: str, lexicon: Lexicon, new: dict[str, Entity], home: frozenset[str] = frozenset(),
          spans: list[tuple[int, int, str]] | None = None,
          relative: dict[str, str | None] | None = None,
          listed: dict[str, Entity] | None = None) -> list[tuple[int, str, Entity]]:
    """Leftmost-longest over every candidate name: vocabulary labels, LAC's organisation and
    zone spans, name patterns (so 安徽医科大学 is one partner, not the place 安徽)."""
    candidates: dict[int, list[tuple[str, Entity]]] = {}
    for index in range(len(text)):
        for label in lexicon.by_first_char.get(text[index], ()):
            if text.startswith(label, index) and _whole_word(text, index, label):
                entity = _choose(label, lexicon.by_label[label], lexicon, home)
                if entity is not None and entity.kind == "field" and text.startswith("机构", index + len(label)):
                    continue  # 金融机构, 医疗机构: a class of bodies, not the field
                if entity is not None:
                    candidates.setdefault(index, []).append((label, entity))
                    break
    for start, end, tag in entity_spans(text) if spans is None else spans:
        name = trim_organisation(text[start:end]) if tag == "ORG" else text[start:end]
        start = end - len(name)
        kind = "partner" if tag == "ORG" and is_organisation(name) else "place" if tag == "LOC" and is_zone(name) else None
        if kind == "partner" and _field_and_generic_body(name, lexicon):
            continue
        if kind and not lexicon.by_label.get(name):
            candidates.setdefault(start, []).append((name, new.get(f"{kind}/{name}") or _new_entity(kind, name)))
    for name, entity in (listed or {}).items():
        for start in _occurrences(text, name):
            if _whole_word(text, start, name):
                candidates.setdefault(start, []).append((name, new.get(entity.key) or entity))
    starts = boundaries(text)
    for start, label, name in relative_bodies(text, relative or {}, starts):
        known = lexicon.find(name, "partner")
        entity = known[0] if known else new.get(f"partner/{name}") or _new_entity("partner", name)
        candidates.setdefault(start, []).append((label, entity))
    # Facilities named after a place, 国家 or 中国: 韶关数据中心集群, 国家作物种质库.
    prefixes = [(index, label) for index, options in candidates.items() for label, entity in options
                if entity.kind == "place"]
    prefixes += [(index, word) for word in NATIONAL_PREFIXES for index in _occurrences(text, word)]
    facilities = ((index, name) for index, prefix in prefixes if (name := proper_facility(text, index, prefix)))
    for kind, names, subkind in (
            ("partner", organisation_names(text, starts), None), ("place", place_names(text, starts), None),
            ("partner", facilities, None), ("partner", listed_enterprises(text, starts), "Enterprise"),
            ("partner", registered_companies(text, starts), "Enterprise"), ("partner", quoted_platforms(text), None)):
        for start, name in names:
            if lexicon.by_label.get(name) or (kind == "partner" and _field_and_generic_body(name, lexicon)):
                continue
            candidates.setdefault(start, []).append(
                (name, new.get(f"{kind}/{name}") or _new_entity(kind, name, subkind)))
    found: list[tuple[int, str, Entity]] = []
    index = 0
    while index < len(text):
        options = candidates.get(index)
        if not options:
            index += 1
            continue
        label, entity = max(options, key=lambda option: len(option[0]))
        if entity.kind == "partner" and entity.subkind in _CAMPUS_KINDS:
            label, entity = _with_campus(text, index, label, entity, lexicon, new)
        if entity.key in lexicon.silent:
            pass  # a topic's name: claims its span, no mention
        elif not (entity.subkind == "CountryPartner" and not entity.foreign):  # 中国 in 健康中国 is home, not a partner
            if entity.key not in lexicon.entities:
                entity = new.setdefault(entity.key, entity)
            found.append((index, label, entity))
        index += len(label)
    return found


_CAMPUS_KINDS = frozenset({"University", "ResearchInstitute", "Hospital"})


def _with_campus(text: str, index: int, label: str, entity: Entity, lexicon: Lexicon,
                 new: dict[str, Entity]) -> tuple[str, Entity]:
    """香港科技大学（广州）: a body followed by a place in brackets is that body's campus, one
    partner whichever width its brackets are printed in."""
    campus = CAMPUS.match(text, index + len(label))
    if not campus or not lexicon.find(campus.group(1), "place"):
        return label, entity
    name = f"{entity.name}（{campus.group(1)}）"
    key = f"partner/{name}"
    if key in lexicon.entities:
        return label + campus.group(0), lexicon.entities[key]
    found = new.get(key) or Entity(key=key, kind="partner", name=name,
                                   labels=(name, f"{entity.name}({campus.group(1)})"), subkind=entity.subkind,
                                   foreign=entity.foreign)
    return label + campus.group(0), found


def _abbreviations_merged(mentions: list[Mention], new: dict[str, Entity]) -> tuple[list[Mention], dict[str, Entity]]:
    """垦丰种业 after 北大荒垦丰种业股份有限公司 in the same plan: a new partner whose name lies
    inside another partner's name mentioned in the plan is that partner."""
    longer = {m.entity: m.name for m in mentions if m.kind == "partner"}
    merged: dict[str, tuple[str, str]] = {}
    for key, entity in new.items():
        if entity.kind != "partner" or len(entity.name) < 4:
            continue
        # 西南医科大学 before 西南医科大学附属医院 is the parent body, not an abbreviation of it
        parent = entity.name.endswith(tuple(s for s, _ in ORG_KIND_SUFFIXES))
        owner = [(k, n) for k, n in longer.items() if k != key and entity.name in n and len(n) > len(entity.name)
                 and not (parent and n.startswith(entity.name))]
        if len(owner) == 1:
            merged[key] = owner[0]
    if not merged:
        return mentions, new
    mentions = [m if m.entity not in merged else
                Mention(m.kind, merged[m.entity][0], merged[m.entity][1], m.surface, m.task, m.measure, m.start, m.end)
                for m in mentions]
    return mentions, {k: e for k, e in new.items() if k not in merged}


def _occurrences(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def _field_and_generic_body(name: str, lexicon: Lexicon) -> bool:
    """人工智能联合实验室: a field's name and a generic body is no one's name."""
    field = lexicon.longest_at(name, 0, frozenset({"field"}))
    return field is not None and GENERIC_AFTER_FIELD.fullmatch(name, len(field[0])) is not None


# A label's last character that opens a common word with the next one: 儿科/内科/眼科 end in 科,
# which 少儿科普, 省内科研, 国外科技 read as 科普, 科研, 科技.
_WORD_OPENERS = {"科": "技学普研创"}


def _whole_word(text: str, index: int, label: str) -> bool:
    """A Latin label (IC, 5G, EDA) matches whole words only: not IC in ICD-11; nor does a label end
    inside a word the text goes on with (儿科 in 少儿科普)."""
    end = index + len(label)
    if label[0].isascii() and label[0].isalnum() and index > 0 and text[index - 1].isascii() and text[index - 1].isalnum():
        return False
    if end < len(text) and text[end] in _WORD_OPENERS.get(label[-1], ""):
        return False
    return not (label[-1].isascii() and label[-1].isalnum() and end < len(text) and text[end].isascii()
                and text[end].isalnum())


def _new_entity(kind: str, name: str, subkind: str | None = None) -> Entity:
    """A body or place the vocabulary does not know; ``subkind`` where the pattern that found it
    tells (an enterprise listed before 等…企业), else from the name's suffix."""
    if kind == "place":
        subkind = "County" if name.endswith("县") else "Zone" if is_zone(name) else "PrefectureCity"
        return Entity(key=f"place/{name}", kind="place", name=name, labels=(name,), subkind=subkind)
    return Entity(key=f"partner/{name}", kind="partner", name=name, labels=(name,),
                  subkind=subkind or partner_kind(name))


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
