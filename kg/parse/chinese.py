"""Small helpers for Chinese numerals and punctuation."""

from __future__ import annotations

import re

_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CJK = r"\u3400-\u9fff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}“”《》（）、，。：])\s+(?=[{CJK}“”《》（）、，。：])")


def chinese_number(text: str) -> int:
    """Value of a Chinese or Arabic numeral.

    >>> [chinese_number(t) for t in ("十", "十二", "二十一", "二〇二一", "7")]
    [10, 12, 21, 2021, 7]
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:
        value = 0
        for char in text:
            value = value * 10 + _DIGITS[char]
        return value
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[char]
    return total + current


_PRINTED_DATE = re.compile(
    r"^(\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*(印发|发布|印)?$"
)


def printed_date(text: str, *, imprint: bool = False) -> str | None:
    """A date line as ISO 8601, or None when the text is no date. ``imprint`` also takes the
    issuing office's trailing 印发/发布/印.

    >>> printed_date("二〇二二年四月八日"), printed_date("2023年9月20日印发"), printed_date("2023年9月20日印发", imprint=True)
    ('2022-04-08', None, '2023-09-20')
    """
    match = _PRINTED_DATE.match(text.replace(" ", ""))
    if match is None or (match.group(4) and not imprint):
        return None
    year, month, day = (chinese_number(match.group(i)) for i in (1, 2, 3))
    return f"{year:04d}-{month:02d}-{day:02d}"


def join_wrapped(text: str) -> str:
    """Drop whitespace left between Chinese characters by line wrapping.

    >>> join_wrapped("深入开展 科技“三服务”行动")
    '深入开展科技“三服务”行动'
    """
    return _SPACE_BETWEEN_CJK.sub("", text)
