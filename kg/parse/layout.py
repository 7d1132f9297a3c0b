"""Line-level layout of a plan text: lines with offsets, labels, markers and bracket scanning.

Everything here keeps source offsets so measures and mentions can point back to the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAGE_NUMBER = re.compile(r"^(?:[-—–－―─·•]{1,2}\s*\d{1,4}\s*[-—–－―─·•]{1,2}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$")
APPENDIX_HEADING = re.compile(r"^附件\s*\d*\s*[:：]?\s*$")  # 附件, 附件2：
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*(.*)$")
TASK_ARABIC = re.compile(r"^(\d{1,2})\s*([\.．、])\s*(?!\d)(.*)$")
TASK_CNPAREN = re.compile(r"^([（(])\s*([一二三四五六七八九十]{1,3})\s*([）)])\s*(.*)$")
MEASURE_HEADER = re.compile(
    r"^(主要举措|主要措施|具体措施|具体举措|重点举措|工作举措|工作措施|主要内容|重点工作)\s*(?:[:：]\s*|$)"
)
LEAD_LABELS = ("牵头单位", "责任单位", "牵头部门", "责任部门", "牵头处室", "责任处室", "主责单位")
SUPPORT_LABELS = ("配合单位", "配合部门", "协办单位", "参与单位", "配合处室")
DEADLINE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限要求")
_LABEL_WORDS = "|".join(LEAD_LABELS + SUPPORT_LABELS + DEADLINE_LABELS)
LABEL = re.compile(rf"({_LABEL_WORDS})\s*[:：]")
LABEL_LINE = re.compile(rf"^[（(【\[〔]?\s*(?:{_LABEL_WORDS})\s*[:：]")
# 【牵头单位】A【完成时限】B: labels in lenticular brackets instead of before a colon
_BRACKET_LABEL = re.compile(rf"【\s*({_LABEL_WORDS})\s*】")
OPEN, CLOSE = "（(【[〔", "）)】]〕"
SENTENCE_END = "。！？!?；;：:…"


@dataclass(frozen=True)
class Line:
    text: str  # the line without surrounding whitespace; "" for a blank line
    start: int  # source offset of text[0]

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def tail(self, offset: int) -> Line:
        """The rest of the line from ``offset``, stripped on the left."""
        rest = self.text[offset:]
        stripped = rest.lstrip()
        return Line(stripped, self.start + offset + len(rest) - len(stripped))


def split_lines(text: str) -> tuple[list[Line], int]:
    """Physical lines with offsets; page-number lines become blank. Returns (lines, page numbers)."""
    lines: list[Line] = []
    page_numbers = 0
    position = 0
    for physical in text.splitlines(keepends=True):
        stripped = physical.strip()
        start = position + (physical.find(stripped) if stripped else 0)
        position += len(physical)
        if stripped and PAGE_NUMBER.match(stripped):
            page_numbers += 1
            stripped = ""
        elif stripped.startswith("【") and _BRACKET_LABEL.match(stripped):
            labelled = _colon_labels(stripped)
            start += len(labelled) - len(labelled.lstrip())
            stripped = labelled.strip()
        lines.append(Line(stripped, start))
    return lines, page_numbers


def _colon_labels(text: str) -> str:
    """【牵头单位】A → "牵头单位：A" padded to the same length, so offsets into the line stay
    those of the source (the label itself never becomes measure text)."""
    def colon(match: re.Match[str]) -> str:
        return " " * (len(match.group(0)) - len(match.group(1)) - 1) + match.group(1) + "："
    return _BRACKET_LABEL.sub(colon, text)


def unit_roles(labels: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(lead labels, supporting labels) of one task or bracket. 责任单位 alone names the units
    responsible (they lead); printed beside 牵头单位 it names the others responsible, who support."""
    leads = set(LEAD_LABELS)
    if any(label.startswith("牵头") for label in labels):
        leads = {label for label in LEAD_LABELS if label.startswith("牵头")}
    return frozenset(leads), frozenset(SUPPORT_LABELS) | (frozenset(LEAD_LABELS) - leads)


def depth0_split(text: str, separators: str) -> list[tuple[int, str]]:
    """Split on separators outside brackets: 各区(县、市)科技局 stays whole.

    >>> [part for _, part in depth0_split("产学研合作处、各区(县、市)科技局", "、，,")]
    ['产学研合作处', '各区(县、市)科技局']
    """
    parts: list[tuple[int, str]] = []
    depth, begin = 0, 0
    for index, char in enumerate(text):
        if char in OPEN:
            depth += 1
        elif char in CLOSE and depth:
            depth -= 1
        elif char in separators and depth == 0:
            parts.append((begin, text[begin:index]))
            begin = index + 1
    parts.append((begin, text[begin:]))
    return parts


def matching_close(text: str, open_index: int) -> int | None:
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] in OPEN:
            depth += 1
        elif text[index] in CLOSE:
            depth -= 1
            if depth == 0:
                return index
    return None


def bracketed_label_groups(text: str) -> list[tuple[int, int]]:
    """Spans of bracketed label groups such as （牵头单位：…；完成时限：…）, brackets included."""
    groups = []
    for match in re.finditer(rf"[（(【\[〔]\s*(?:{_LABEL_WORDS})\s*[:：]", text):
        close = matching_close(text, match.start())
        if close is not None:
            groups.append((match.start(), close + 1))
    return groups


def label_values(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs in a label line or bracketed group, values cleaned of separators."""
    matches = list(LABEL.finditer(text))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip().rstrip("；;，,。. ").strip()
        pairs.append((match.group(1), value))
    return pairs


def split_units(value: str) -> tuple[str, ...]:
    units = []
    for _, part in depth0_split(value, "、，,；;"):
        name = part.strip().rstrip("。.等").strip()
        if name:
            units.append(name)
    return tuple(units)
