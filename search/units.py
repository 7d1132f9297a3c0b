"""Units in questions by department type. 经信厅, 省卫健委, 市药监局 are printed abbreviations of
a department type (经济和信息化厅, 卫生健康委员会, 药品监督管理局) in whatever jurisdiction the plan
has; the type table is kg/extract/units.py's (data/departments.tsv), read through its public
``departments()``. A question's unit type matches every measure whose lead or supporting unit
(as printed, or its full name in the plan's jurisdiction) is of that type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.units import departments

_LEVEL = re.compile(r"(省|市|区|县|州|自治区)$")
_ROLE_WORD = re.compile(r"牵头|负责|配合|参与|协助|lead|responsib", re.IGNORECASE)


@dataclass(frozen=True)
class UnitAsk:
    kind: str  # the department type's official name, e.g. 药品监督管理局 (a template may hold {})
    surface: str  # as the question printed it, e.g. 市药监局
    role: str  # lead | support | any: what the question asks the unit to do


@lru_cache(maxsize=1)
def _types() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    """printed or official type → official type; and a pattern per official type for full names."""
    table: dict[str, str] = {}
    for (printed, _level), official in departments().items():
        table.setdefault(printed, official)
        if "{}" not in official:
            table.setdefault(official, official)
    patterns = [(re.compile(re.escape(official).replace(r"\{\}", ".+") + "$"), official)
                for official in sorted(set(table.values()), key=len, reverse=True)]
    return table, patterns


def unit_type(name: str) -> str | None:
    """The department type of a printed or full unit name (省卫健委 → 卫生健康委员会), else None."""
    table, patterns = _types()
    for length in range(len(name), 1, -1):  # the longest printed type the name ends with
        official = table.get(name[-length:])
        if official is not None:
            return official
    return next((official for pattern, official in patterns if pattern.search(name)), None)


def family(kind: str) -> str:
    """经济和信息化厅 and 经济和信息化局 are one kind of body at province and city level."""
    return re.sub(r"(厅|局|委员会|委|办公室|办)$", "", kind)


def unit_asks(question: str) -> list[UnitAsk]:
    """Department types named in the question, leftmost-longest, with the role asked about."""
    table, _ = _types()
    longest = max((len(p) for p in table), default=0)
    found: list[UnitAsk] = []
    index = 0
    while index < len(question):
        hit = next((question[index:index + n] for n in range(min(longest, len(question) - index), 1, -1)
                    if question[index:index + n] in table), None)
        if hit is None:
            index += 1
            continue
        level = _LEVEL.search(question[max(0, index - 3):index])
        surface = (level.group(0) if level else "") + hit
        # a bare two-character type (政府) is a unit only with a level (市政府) or a role (政府牵头)
        if len(hit) >= 3 or level or _ROLE_WORD.search(question):
            found.append(UnitAsk(table[hit], surface, _role(question[index + len(hit):])))
        index += len(hit)
    return list({ask.kind: ask for ask in found}.values())


def _role(after: str) -> str:
    window = after[:8]
    if re.search(r"配合|参与|协助|支持|support|assist", window) and not re.search(r"牵头|负责", window):
        return "support" if "参与" not in window and "或" not in window else "any"
    if re.search(r"参与|或", window):
        return "any"
    return "lead"
