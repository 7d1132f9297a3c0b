"""Numeric targets in measure text: 组织实施10项左右 → 10 项, approximate; 最高不超过200万元 → max."""

from __future__ import annotations

import re
from collections.abc import Iterator

_UNITS = ("个工作日", "工作日", "家次", "人次", "场次", "平方米", "万平方米", "公里", "亿元", "万元", "元",
          "家", "项", "个", "名", "场", "期", "支", "次", "人", "所", "座", "批", "件", "篇", "台", "套",
          "条", "份", "天", "户", "位", "倍", "亩", "吨", "只", "门", "类", "例", "万", "亿", "%", "％")
_UNIT = "|".join(sorted({u for u in _UNITS} | {m + u for m in ("万", "亿") for u in _UNITS if u[0] not in "万亿%％"},
                        key=len, reverse=True))
_BEFORE = ("最高不超过", "最高可达", "不少于", "不低于", "不超过", "最高", "至少", "突破", "超过", "约", "近")
_AFTER = ("以上", "左右", "以内", "以下", "余", "多", "内")
_TARGET = re.compile(
    rf"(?:(?P<before>{'|'.join(_BEFORE)})(?P<gap>[\u3400-\u9fff]{{0,8}}?))?(?<![A-Za-z0-9.\d])(?P<number>\d+(?:\.\d+)?)(?P<unit>{_UNIT})"
    rf"(?P<after>{'|'.join(_AFTER)})?(?![A-Za-z])"
)
_APPROX = {"左右", "约", "近", "余", "多"}
_MIN = {"以上", "不少于", "不低于", "突破", "至少", "超过"}
_MAX = {"不超过", "最高", "最高可达", "最高不超过", "以内", "内", "以下"}
_BASELINE = re.compile(r"由\s*$")


def find_targets(text: str) -> Iterator[tuple[int, int, float | int, str, str | None, bool, str | None, str]]:
    """(start, end, quantity, unit, qualifier, approx, bound, role) for each quantity; start/end
    cover number + unit as printed."""
    for match in _TARGET.finditer(text):
        number, unit = match.group("number"), match.group("unit").replace("％", "%")
        start, end = match.start("number"), match.end("unit")
        if _is_year_or_name(text, start, end, unit):
            continue
        quantity: float | int = float(number) if "." in number else int(number)
        before, after = match.group("before"), match.group("after")
        if before and match.group("gap") and before not in _MIN | _MAX:
            before = None  # 约/近 only hedge the number right after them
        if after == "内" and unit not in ("个工作日", "工作日", "天"):
            after = None
        qualifier = before or after
        if before and after:
            qualifier = before if before in _MAX | _MIN else after
        bound = "min" if qualifier in _MIN else "max" if qualifier in _MAX else None
        role = "baseline" if _BASELINE.search(text[max(0, start - 3) : start]) else "target"
        yield start, end, quantity, unit, qualifier, qualifier in _APPROX, bound, role


def _is_year_or_name(text: str, start: int, end: int, unit: str) -> bool:
    after = text[end : end + 1]
    if unit in ("万", "亿") and after and not after.isspace() and after not in "，。、；":
        return True  # "5000万级" and similar are names, not counts
    before = text[start - 1 : start]
    return before in ("第", "“", '"') or (before.isascii() and before.isalpha())
