"""Units (牵头单位/配合单位) resolved in the plan's own jurisdiction.

A printed unit is relative: 省科技厅 in a Sichuan plan is 四川省科学技术厅, in a Jiangsu plan
江苏省科学技术厅. The jurisdiction comes from the issuer(s) and title; the department TYPES and
their abbreviations come from data/departments.tsv, so every province and city is covered
without per-issuer lists. The same body gets one key in every plan (unit/<full name>, or the
curated key when the vocabulary knows the full name). Printed forms naming the same body in one
plan are aliases of the first one printed (省卫健委 = 省卫生健康委). A label with no jurisdiction
in it (高新技术处, 办公室) is an internal division of the issuer and hangs under it only. Well-known
state-owned groups (北大荒集团, 国家电网) come from data/enterprises.tsv: national, no prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.extract.lexicon import Lexicon
from kg.model import Entity, Plan

_DATA = Path(__file__).resolve().parent / "data" / "departments.tsv"
_ENTERPRISES = _DATA.with_name("enterprises.tsv")
_LEVEL = re.compile(r"^(省|市|区|县|自治区|州)(?=\S{2})")
_COLLECTIVE = re.compile(r"^(各有关|各相关|各|相关|有关)")  # 各有关州、市: each level is 各有关
# a collective naming bodies of the lower jurisdictions: 各区(县、市)科技局, 各市（地）、县（市）政府
_LOWER = re.compile(r"^(各|相关|有关)(市|地|区|县|州|盟|旗|乡|镇|街道)")
_GOVERNMENT = re.compile(r"(人民)?政府(（行政公署）)?$")
_TOP_LEVEL_COMMA = re.compile(r"、(?![^（]*）)")  # 、 outside brackets: 县（市、区） stays one level
# levels whose government is an agency of the province, the 行政公署, not a 人民政府
_OFFICE_LEVELS = frozenset({"地区", "盟"})
_SUFFIXES = (("管委会", "管理委员会"), ("执委会", "执行委员会"))
_ZONE_ABBREVIATIONS = (("经开区", "经济技术开发区"), ("高新区", "高新技术产业开发区"))
_NATIONAL_PATTERNS = (  # vertically managed bodies named after a place: 哈尔滨海关, 黑龙江银保监局
    (re.compile(r"^(?P<p>.+?)海关$"), "中华人民共和国{p}海关"),
    (re.compile(r"^(?P<p>.+?)银保监局$"), "中国银行保险监督管理委员会{p}监管局"),
    (re.compile(r"^(?P<p>.+?)证监局$"), "中国证券监督管理委员会{p}监管局"),
    (re.compile(r"^人民银行(?P<p>.+)$"), "中国人民银行{p}"),
)
_EXTERNAL_SUFFIXES = ("大学", "学院", "集团", "公司", "银行", "研究院", "科学院", "医院")
_AUTONOMOUS = ("自治州", "自治县", "自治旗")
_PROVINCE_KINDS = frozenset({"Province", "Municipality"})
_CITY_KINDS = frozenset({"PrefectureCity", "Municipality"})


@lru_cache(maxsize=1)
def departments() -> dict[tuple[str, str], str]:
    """(printed type, level) → official type; level is 省, 市 or *."""
    table: dict[tuple[str, str], str] = {}
    for line in _DATA.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            printed, official, level = line.split("\t")
            table[(printed, level)] = official
    return table


@lru_cache(maxsize=1)
def enterprises() -> dict[str, str]:
    """Printed short name (or the registered name itself) → registered name of a state-owned group."""
    table: dict[str, str] = {}
    for line in _ENTERPRISES.read_text("utf-8").splitlines()[1:]:  # the first line names the columns
        if line and not line.startswith("#"):
            registered, shorts = line.split("\t")
            for printed in (registered, *shorts.split("|")):
                table[printed] = registered
    return table


@dataclass(frozen=True)
class Jurisdiction:
    province: str | None  # 四川省, 北京市
    city: str | None  # 武汉市; for a municipality the municipality itself
    city_short: str | None  # 武汉, for zones: 宁波前湾新区


def plan_jurisdiction(plan: Plan, lexicon: Lexicon) -> Jurisdiction:
    """The province and city the plan's issuers belong to (the first one named in issuers, title)."""
    issuers = list(getattr(plan, "issuers", None) or ()) or [plan.issuer or ""]
    province = city = None
    for text in [*issuers, plan.title or "", plan.title_raw or ""]:
        for _, entity in _places_in(text, lexicon):
            if entity.subkind in _PROVINCE_KINDS and province is None:
                province = entity
            if entity.subkind in _CITY_KINDS and city is None:
                city = entity
        if province or city:
            break
    if city is not None and province is None:
        province = next((lexicon.entities[a] for a in lexicon.ancestors.get(city.key, ())
                         if lexicon.entities.get(a) and lexicon.entities[a].subkind in _PROVINCE_KINDS), None)
    city_name = city.name if city else None
    short = re.sub(r"市$", "", city_name) if city_name else None
    return Jurisdiction(province.name if province else None, city_name, short)


def _places_in(text: str, lexicon: Lexicon) -> list[tuple[int, Entity]]:
    found, index = [], 0
    while index < len(text):
        hit = lexicon.longest_at(text, index, frozenset({"place"}))
        if hit:
            found.append((index, hit[1]))
            index += len(hit[0])
        else:
            index += 1
    return found


def full_name(label: str, where: Jurisdiction, lexicon: Lexicon) -> str | None:
    """The body's full official name, or None for an internal division of the issuer. Official
    names bracket with full-width （）, whichever the plan printed."""
    name = _full_name(label, where, lexicon)
    return _full_width(name) if name else None


def _full_name(label: str, where: Jurisdiction, lexicon: Lexicon) -> str | None:
    collective = _COLLECTIVE.match(label)
    if collective:  # 各市（地）、县（市）政府 is one collective unit, never split
        return _collective(label, collective.group(1), where)
    if "、" in label and not re.search(r"[（(][^）)]*、", label):
        parts = [full_name(part, where, lexicon) for part in label.split("、")]
        return "、".join(p or "" for p in parts) if all(parts) else None
    name = _body_name(label, where, lexicon)
    # the vocabulary's name wins where it knows the body (市金融办 → its official name)
    known = [e for e in lexicon.find(name, "unit") if not lexicon.parents.get(e.key)] if name else []
    return known[0].name if known else name


def _collective(label: str, word: str, where: Jurisdiction) -> str | None:
    """A collective of governments keeps the jurisdiction (北京市各区人民政府) and names each listed
    level's government; one of lower jurisdictions' departments (各区（县、市）科技局) names their
    bodies, not the plan's, so it takes no prefix (its key does: see ``key_name``)."""
    top = _collective_top(label, where)
    if top is None:  # without a jurisdiction the collective is no body we can name
        return None
    text = _full_width(label)
    if _GOVERNMENT.search(text):
        return top + "、".join(_government(part, word) for part in _TOP_LEVEL_COMMA.split(text))
    return _expand_suffixes(text) if _lower_departments(text) else top + _expand_suffixes(text)


def _collective_top(label: str, where: Jurisdiction) -> str | None:
    """各区政府 belongs to the city, 各市（地）/各地级以上市 to the province."""
    city_level = where.city and not re.match(r"^(各|相关|有关)(市|地)", label)
    return where.city if city_level else where.province or where.city


def _government(part: str, word: str) -> str:
    """各市（地） → 各市（地）人民政府（行政公署）: one level of a collective of governments. A level
    listing 地 beside another (市（地）), or 地区/盟, includes prefectures, governed by 行政公署;
    a bare 各地 is "every locality"."""
    level = _GOVERNMENT.sub("", _COLLECTIVE.sub("", part))
    kinds = {k for k in re.split(r"[（）、]", level) if k}
    office = bool(kinds & _OFFICE_LEVELS) or ("地" in kinds and len(kinds) > 1)
    return f"{word}{level}人民政府" + ("（行政公署）" if office else "")


def key_name(label: str, name: str, where: Jurisdiction) -> str:
    """The name a body is keyed by: its full name, but for a collective of lower jurisdictions'
    departments the plan's jurisdiction too, as 宁波's 各区（县、市）科技局 are not 杭州's."""
    top = _collective_top(label, where)
    return top + name if _lower_departments(label) and top and not name.startswith(top) else name


def _lower_departments(label: str) -> bool:
    return bool(_LOWER.match(label)) and not _GOVERNMENT.search(_full_width(label))


def _full_width(name: str) -> str:
    return name.replace("(", "（").replace(")", "）")


def _body_name(label: str, where: Jurisdiction, lexicon: Lexicon) -> str | None:
    """The full name a printed label stands for in ``where`` (before the vocabulary is consulted)."""
    known = [e for e in lexicon.find(label, "unit") if not lexicon.parents.get(e.key) and not _LEVEL.match(label)]
    if known:
        return known[0].name
    if label in enterprises():  # before places: 中国移动 is no body of the place 中国
        return enterprises()[label]
    level = _LEVEL.match(label)
    if level:
        place = where.province if level.group(1) in ("省", "自治区") else where.city or where.province
        return _expand(label[level.end():], place, "省" if level.group(1) in ("省", "自治区") else "市") if place else None
    for pattern, template in _NATIONAL_PATTERNS:
        match = pattern.match(label)
        if match:
            return template.format(p=match.group("p"))
    places = _places_in(label, lexicon)
    if places and places[0][0] == 0:
        place = places[0][1]
        rest = label[len(max((lb for lb in place.labels if label.startswith(lb)), key=len)):]  # 凉山州, not 凉山
        printed = label[: len(label) - len(rest)]
        # the body bears the place's official name where the plan printed a short form of a zone or an
        # autonomous area: 西双版纳州人民政府 → 西双版纳傣族自治州人民政府, 东湖高新区管委会 → 武汉东湖新技术开发区管理委员会
        official = place.name if printed != place.name and (place.subkind == "Zone" or place.name.endswith(_AUTONOMOUS)) \
            else None
        if departments().get((rest, "*")):
            name = _expand(rest, official or printed, "市")
        else:
            name = official + _expand_suffixes(rest) if official else _expand_suffixes(label)
        parents = [lexicon.entities[a].name for a in lexicon.ancestors.get(place.key, ()) if a in lexicon.entities]
        if place.subkind in ("District", "County") and where.city in parents and not label.startswith(where.city or ""):
            return where.city + name  # 昌平区政府 → 北京市昌平区人民政府
        return name
    partner = lexicon.find(label, "partner")
    if partner:
        return partner[0].name
    if label.endswith(_EXTERNAL_SUFFIXES):
        return label
    if label.endswith(tuple(s for s, _ in _SUFFIXES)):  # a zone's committee: 横琴粤澳深度合作区执委会
        name = _expand_suffixes(label)
        short = where.city_short
        return short + name if short and not name.startswith(short) else name
    return None


def _expand(rest: str, place: str, level: str) -> str:
    table = departments()
    official = table.get((rest, level)) or table.get((rest, "*"))
    if official is None:
        return place + _expand_suffixes(rest)
    return official.format(place) if "{}" in official else place + official


def _expand_suffixes(name: str) -> str:
    for short, full in _ZONE_ABBREVIATIONS + _SUFFIXES:
        name = name.replace(short, full)
    if name.endswith("政府") and not name.endswith("人民政府"):
        name = name[:-2] + "人民政府"
    return name


def unit_labels(plan: Plan) -> list[str]:
    """Printed unit labels in order of first appearance (task by task, lead before supporting)."""
    labels: list[str] = []
    for task in plan.tasks:
        labels += [*task.lead_units, *task.supporting_units]
    for measure in plan.measures:
        labels += [*getattr(measure, "lead_units", ()), *getattr(measure, "supporting_units", ())]
    return list(dict.fromkeys(labels))


def resolve(labels: list[str], where: Jurisdiction, lexicon: Lexicon) -> tuple[dict[str, str], dict[str, str]]:
    """(full_names, aliases) for printed labels: aliases map later forms of a body to the first."""
    full_names: dict[str, str] = {}
    first: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for label in labels:
        name = full_name(label, where, lexicon)
        if name is None:
            continue
        full_names[label] = name
        if name in first and first[name] != label:
            aliases[label] = first[name]
        first.setdefault(name, label)
    return full_names, aliases


def unit_key(name: str, lexicon: Lexicon) -> str:
    """One key per body across plans: the curated one when the vocabulary knows the full name."""
    known = [e for e in lexicon.find(name, "unit") if not lexicon.parents.get(e.key)]
    return known[0].key if known else f"unit/{name}"


@dataclass(frozen=True)
class UnitLinks:
    """Every printed unit of a plan linked to a key: divisions under the issuer, bodies by full name."""
    issuer_key: str | None
    keys: dict[str, str]  # printed label → entity key
    full_names: dict[str, str]  # printed label → full official name (bodies only, not divisions)
    aliases: dict[str, str]  # printed variant → the label first printed for the same body
    new: tuple[Entity, ...]  # bodies and divisions the vocabulary does not know


def link_units(plan: Plan, lexicon: Lexicon) -> UnitLinks:
    """Keys for the issuer and every printed unit. A label is first looked up among the issuer's own
    divisions (高新技术处 of 江苏省科学技术厅), then resolved to a full name in the plan's jurisdiction
    (one key per body across plans), else minted as a division of the issuer."""
    where = plan_jurisdiction(plan, lexicon)
    new: dict[str, Entity] = {}
    issuer_key = None
    if plan.issuer:
        issuer_name = full_name(plan.issuer, where, lexicon) or plan.issuer
        issuer_key = unit_key(issuer_name, lexicon)
        if issuer_key not in lexicon.entities:
            new[issuer_key] = Entity(key=issuer_key, kind="unit", name=issuer_name,
                                     labels=tuple(dict.fromkeys((issuer_name, plan.issuer))), subkind="Department")
    scope = issuer_key.split("/", 1)[1] if issuer_key else plan.id
    labels = unit_labels(plan)
    full_names, aliases = resolve(labels, where, lexicon)
    keys: dict[str, str] = {}
    for label in labels:
        inside = [e for e in lexicon.find(label, "unit") if issuer_key and issuer_key in lexicon.parents.get(e.key, ())]
        if inside:
            keys[label] = inside[0].key
        elif label in full_names:
            name = full_names[label]
            keyed = key_name(label, name, where)
            keys[label] = key = unit_key(keyed, lexicon)
            if key not in lexicon.entities:
                new.setdefault(key, Entity(key=key, kind="unit", name=name, labels=tuple(dict.fromkeys((name, keyed))),
                                           subkind="Department"))
        else:
            keys[label] = key = f"unit/{scope}/{label}"
            new.setdefault(key, Entity(key=key, kind="unit", name=label, labels=(label,), subkind="InternalDivision"))
    # the parser's aliases come from the plan's own words (its 保障措施 or brackets), so they win
    return UnitLinks(issuer_key, keys, full_names, {**aliases, **dict(plan.unit_aliases)}, tuple(new.values()))
