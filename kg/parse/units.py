"""Unit lists and who leads: splitting 、-lists, shared suffixes, merged bodies, the unit rule a
plan prints ("列第一位的为牵头单位"), and per-measure brackets such as
（A、B牵头，C，D按职责分工负责）."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.layout import LABEL, depth0_split, label_values, unit_roles

# "各项任务的责任单位中，列第一位的为牵头单位" and its variants.
FIRST_LEADS = re.compile(r"(?:列|排|排列|位列|列在|排在|排名)\s*(?:第一位|第一|首位)[^，。；]{0,6}?(?:为|是)\s*牵头")
_PLACE = re.compile(r"^[\u3400-\u9fff]{1,10}?(?:省|市|区|县|州|旗|盟|镇|乡|街道)(?:[（(][^）)]{1,6}[）)])?$")
_GOVERNMENT = re.compile(r"^(.*?(?:省|市|区|县|州|旗|盟|镇|乡)(?:[（(][^）)]{1,6}[）)])?)(人民政府|政府|管委会|党委)$")
_ROLE_LEAD = re.compile(r"^(.*?)(?:牵头|负总责|为牵头单位)$")
_ROLE_ANY = re.compile(r"^(.*?)(?:按职责分工负责|按职责负责|分工负责|共同负责|配合|参与|负责|落实)$")
_UNIT_BRACKET_WORDS = re.compile(r"牵头|负责|配合|参与|落实|责任单位|牵头单位|责任部门|牵头部门")


@dataclass(frozen=True)
class Units:
    label: str | None  # the printed label (责任单位 …), None for a bare "X牵头" bracket
    lead: tuple[str, ...]
    supporting: tuple[str, ...]


def split_units(value: str, merged: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Unit names of a printed list: 、，; separate; brackets, merged bodies and collectives stay whole;
    a shared suffix is given to each name (广州市、深圳市人民政府 → two governments).

    >>> split_units("江夏区、东西湖区人民政府，市科技局")
    ('江夏区人民政府', '东西湖区人民政府', '市科技局')
    >>> split_units("省水利厅、各市（地）、县（市）政府")
    ('省水利厅', '各市（地）、县（市）政府')
    """
    value = re.sub(r"\s+", "", value)
    for name in merged:  # protect merged bodies (市科委、中关村管委会) from the split
        value = value.replace(name, name.replace("、", "\x00"))
    parts = [p.strip().rstrip("。.").strip().replace("\x00", "、") for _, p in depth0_split(value, "、，,；;")]
    parts = [re.sub(r"等$", "", p) if len(p) > 3 else p for p in parts if p]
    units: list[str] = []
    pending: list[str] = []  # bare place names waiting for the suffix they share
    for part in parts:
        government = _GOVERNMENT.match(part)
        if pending and government:
            if pending[0].startswith("各"):  # 各市（地）、县（市）政府: one collective unit
                units.append("、".join(pending + [part]))
            else:
                units.extend(place + government.group(2) for place in pending)
                units.append(part)
            pending = []
        elif _PLACE.match(part) and not part.endswith(("办", "局", "厅", "委")):
            pending.append(part)
        else:
            units.extend(pending)
            pending = []
            units.append(part)
    units.extend(pending)
    return tuple(u for u in units if u)


def is_unit_bracket(inner: str) -> bool:
    """Whether a bracket's content names responsible units (not 首台(套) or （2024年版）)."""
    inner = inner.strip()
    if LABEL.search(inner):
        return True
    return bool(_UNIT_BRACKET_WORDS.search(inner)) and len(inner) <= 200 and not re.search(r"[。！？]", inner)


def bracket_units(inner: str, merged: frozenset[str] = frozenset(), *, first_leads: bool = False) -> Units:
    """Units of one bracket: labelled (责任单位：…；配合单位：…) or by role words
    (A、B牵头，C，D按职责分工负责 — units before 牵头 lead, the rest support)."""
    if LABEL.search(inner):
        return labelled_units(label_values(inner), merged, first_leads=first_leads)
    lead: list[str] = []
    other: list[str] = []
    saw_lead = False
    for clause in re.split(r"[，,；;]\s*(?=[^、]*?(?:牵头|负责|配合|参与|落实))|(?<=牵头)[，,；;]", inner):
        clause = clause.strip().rstrip("。")
        if not clause:
            continue
        if match := _ROLE_LEAD.match(clause):
            lead += split_units(match.group(1), merged)
            saw_lead = True
        elif match := _ROLE_ANY.match(clause):
            other += split_units(match.group(1), merged)
        else:
            other += split_units(clause, merged)
    if not saw_lead:  # nobody is named to lead: all listed units are jointly responsible
        return Units(None, tuple(other), ())
    return Units(None, tuple(lead), tuple(other))


_LEAD_MARK = re.compile(r"[（(]\s*牵头\s*[）)]$")  # 责任单位：省卫健委（牵头）、省财政厅
_ROLE_WORDS = re.compile(r"牵头|配合|参与")  # 责任单位：省农业农村厅牵头，省林业局配合


def labelled_units(pairs: list[tuple[str, str]], merged: frozenset[str] = frozenset(), *,
                   first_leads: bool = False) -> Units:
    """Units of labelled values (责任单位：…；配合单位：…). A value may itself say who leads —
    "A（牵头）、B" or "A牵头，B配合" — and then the plan's first-listed rule is not needed."""
    leads, supports = unit_roles([label for label, _ in pairs])
    label = next((name for name, _ in pairs if name in leads), None)
    lead: list[str] = []
    support: list[str] = []
    marked = False
    for name, value in pairs:
        if name in supports:
            support += split_units(value, merged)
        elif name not in leads:
            continue
        elif _ROLE_WORDS.search(re.sub(r"[（(]\s*牵头\s*[）)]", "", value)):
            roles = bracket_units(value, merged)
            lead, support, marked = lead + list(roles.lead), support + list(roles.supporting), True
        else:
            units = split_units(value, merged)
            flagged = [u for u in units if _LEAD_MARK.search(u)]
            marked = marked or bool(flagged)
            lead += [_LEAD_MARK.sub("", u) for u in flagged] if flagged else units
            support += [u for u in units if flagged and u not in flagged]
    if marked:
        return Units(label, tuple(lead), tuple(support))
    return assign(label, tuple(lead), tuple(support), first_leads=first_leads)


def assign(label: str | None, lead: tuple[str, ...], support: tuple[str, ...], *, first_leads: bool) -> Units:
    """Apply the plan's printed rule to a 责任单位 list: the first listed leads, the rest support."""
    if first_leads and label is not None and label not in ("牵头单位", "牵头部门", "牵头处室") and not support \
            and len(lead) > 1:
        return Units(label, lead[:1], lead[1:])
    return Units(label, lead, support)


def merged_bodies(cc: str | None) -> frozenset[str]:
    """Bodies printed as one name with an inner 、 (市科委、中关村管委会): where a list of bodies
    separates them with ，, a 、 inside one item joins two names of the same body."""
    if not cc or "，" not in cc and "," not in cc:
        return frozenset()
    body = re.sub(r"^抄送\s*[:：]?", "", cc)
    items = [p.strip("。 ") for p in re.split(r"[，,。；;]", body)]
    commas = len(items)
    if commas < 4:
        return frozenset()
    return frozenset(item for item in items if item.count("、") == 1 and all(2 <= len(p) <= 12 for p in item.split("、")))


def canonical_units(names: list[str]) -> dict[str, str]:
    """Abbreviations printed beside the full name in one plan (省工信厅 / 省工业和信息化厅): each
    maps to the longer name. An abbreviation keeps the first and last character and the order
    of the others."""
    distinct = sorted(dict.fromkeys(names), key=len, reverse=True)
    aliases: dict[str, str] = {}
    for index, short in enumerate(distinct):
        if len(short) < 3:
            continue
        for long in distinct[:index]:
            if len(long) > len(short) and long[0] == short[0] and long[-1] == short[-1] and _subsequence(short, long) \
                    and long not in aliases:
                aliases[short] = long
                break
    return aliases


def _subsequence(short: str, long: str) -> bool:
    position = 0
    for char in short:
        position = long.find(char, position) + 1
        if position == 0:
            return False
    return True
