"""完成时限 text → a normalised ``Deadline`` (type, ISO value, start and end month)."""

from __future__ import annotations

import re

from kg.model import Deadline
from kg.parse.chinese import chinese_number

_NUM = r"\d+|[〇零○一二三四五六七八九十]+"
_YEAR = r"(\d{4}|[〇零○一二三四五六七八九]{4})\s*年?"
_DASH = r"\s*(?:—|－|-|–|―|~|～|〜|至|到)+\s*"
_MONTH = re.compile(rf"^{_YEAR}\s*({_NUM})\s*月(?:份)?(?:上旬|中旬|下旬|底|末|中|初)?(?:\s*\d+\s*日)?\s*(?:前|以前|之前)?$")
_QUARTER = re.compile(rf"^{_YEAR}\s*第?\s*([一二三四1-4])\s*季度(?:末|底)?\s*(?:前|以前|之前)?$")
_HALF = re.compile(rf"^{_YEAR}\s*(上半年|下半年|年中|年初)\s*(?:前)?$")
_YEAR_END = re.compile(rf"^{_YEAR}(?:年)?\s*(?:底|末|年底|年末)\s*(?:前|以前|之前)?$")
_YEAR_ONLY = re.compile(rf"^{_YEAR}\s*(?:内|全年|前)?$")
_YEAR_RANGE = re.compile(rf"^{_YEAR}{_DASH}{_YEAR}(?:年)?\s*(?:底|末)?$")
_MONTH_RANGE = re.compile(rf"^{_YEAR}\s*({_NUM})\s*月{_DASH}(?:{_YEAR})?\s*({_NUM})\s*月(?:底|末)?$")
_ONGOING = re.compile(r"持续|长期|常态|每年|逐年|定期|滚动|经常性|不定期")
_SINCE = re.compile(rf"^{_YEAR}\s*(?:({_NUM})\s*月)?\s*(?:起|开始|以来)")
# "十四五"期间: the Nth five-year plan; regular five-year periods since the sixth (1981-1985).
_FIVE_YEAR = re.compile(r"^[“\"]?(十[一二三四五六七八九]|[二]十)五[”\"]?(?:期间|时期|末|内)?(?:前)?$")
_BY = re.compile(r"^(?:到|至|截至|截止到|截止|力争到|力争)")
# A time phrase inside a measure's text ("到2025年，…", "2024年6月底前出台…").
_IN_TEXT = re.compile(
    rf"(?:到|至|截至)?(?:\d{{4}}\s*(?:{_DASH})\s*)?\d{{4}}\s*年"
    rf"(?:第?[一二三四1-4]季度|\d{{1,2}}\s*月(?:份)?(?:上旬|中旬|下旬|底|末)?|上半年|下半年|年底|年末|底|末)?(?:前|以前|之前)?"
)
_NOT_DEADLINE_BEFORE = re.compile(r"(?:由|从|自|比|较|同比|与|和|及|截至目前)$")
_NOT_DEADLINE_AFTER = re.compile(r"^(?:的|版|度|[）)]|相比|水平|基础)")


def parse_deadline(raw: str | None) -> Deadline:
    """Normalise a printed deadline; unknown wording keeps ``raw`` with type ``none``.

    >>> parse_deadline("2022年第三季度").value
    '2022-07/2022-09'
    >>> parse_deadline("2023年底前").end
    '2023-12'
    >>> parse_deadline("持续推进").type
    'ongoing'
    """
    if raw is None:
        return Deadline(raw=None, type="none", value=None, start=None, end=None)
    try:
        return _parse(raw)
    except (ValueError, KeyError):  # a month 13, an odd numeral: keep the raw text
        return Deadline(raw, "none", None, None, None)


def find_deadline(text: str) -> tuple[int, int] | None:
    """Span of the first deadline phrase in a measure's text; a baseline year (由2022年的40%) or an
    edition label (（2024年版）) is none.

    >>> text = "由2022年的40%提高到70%，到2025年建成"
    >>> start, end = find_deadline(text); text[start:end]
    '到2025年'
    """
    for match in _IN_TEXT.finditer(text):
        phrase = match.group(0)
        bare = re.fullmatch(r"\d{4}\s*年", phrase) is not None
        if _NOT_DEADLINE_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            continue
        if _NOT_DEADLINE_AFTER.match(text[match.end() :]) and (bare or text[match.end() :].startswith(("的", "版"))):
            continue
        if parse_deadline(phrase).type != "none":
            return match.start(), match.end()
    return None


def _parse(raw: str) -> Deadline:
    text = raw.strip().rstrip("。；;，,").replace(" ", "").replace("\u3000", "")
    by = _BY.match(text)
    if by:
        text = text[by.end() :]
    deadline = _parse_plain(raw, text)
    if by and deadline.type == "year":  # "by 2025": due by the end, no start
        return Deadline(raw, "year", deadline.value, None, deadline.end)
    return deadline


def _parse_plain(raw: str, text: str) -> Deadline:
    if match := _FIVE_YEAR.match(text):
        first = 1981 + (chinese_number(match.group(1)) - 6) * 5
        return Deadline(raw, "range", f"{first}/{first + 4}", f"{first}-01", f"{first + 4}-12")
    if re.match(rf"^{_YEAR}\s*(?:前|以前|之前)$", text):
        year = _year(re.match(r"^(\d{4}|[〇零○一二三四五六七八九]{4})", text).group(1))  # type: ignore[union-attr]
        return Deadline(raw, "year", str(year), None, f"{year}-12")
    if match := _SINCE.match(text):
        start = _ym(match.group(1), match.group(2)) if match.group(2) else f"{_year(match.group(1))}-01"
        return Deadline(raw, "ongoing", None, start, None)
    if match := _MONTH.match(text):
        month = _ym(match.group(1), match.group(2))
        return Deadline(raw, "month", month, None, month)
    if match := _QUARTER.match(text):
        year, quarter = _year(match.group(1)), chinese_number(match.group(2))
        start, end = f"{year}-{quarter * 3 - 2:02d}", f"{year}-{quarter * 3:02d}"
        return Deadline(raw, "quarter", f"{start}/{end}", start, end)
    if match := _YEAR_END.match(text):
        month = f"{_year(match.group(1))}-12"
        return Deadline(raw, "month", month, None, month)
    if match := _HALF.match(text):
        year, half = _year(match.group(1)), match.group(2)
        if half in ("上半年", "年中"):
            return Deadline(raw, "range", f"{year}-01/{year}-06", f"{year}-01", f"{year}-06")
        if half == "年初":
            return Deadline(raw, "month", f"{year}-03", None, f"{year}-03")
        return Deadline(raw, "range", f"{year}-07/{year}-12", f"{year}-07", f"{year}-12")
    if match := _YEAR_ONLY.match(text):
        year = _year(match.group(1))
        return Deadline(raw, "year", str(year), f"{year}-01", f"{year}-12")
    if match := _YEAR_RANGE.match(text):
        first, last = _year(match.group(1)), _year(match.group(2))
        return Deadline(raw, "range", f"{first}/{last}", f"{first}-01", f"{last}-12")
    if match := _MONTH_RANGE.match(text):
        start = _ym(match.group(1), match.group(2))
        end = _ym(match.group(3) or match.group(1), match.group(4))
        return Deadline(raw, "range", f"{start}/{end}", start, end)
    if _ONGOING.search(text):
        return Deadline(raw, "ongoing", None, None, None)
    return Deadline(raw, "none", None, None, None)


def _year(text: str) -> int:
    return chinese_number(text)


def _ym(year: str, month: str) -> str:
    value = chinese_number(month)
    if not 1 <= value <= 12:
        raise ValueError(f"month out of range: {month}")
    return f"{_year(year)}-{value:02d}"
