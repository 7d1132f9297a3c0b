"""Split a task's measure block into measures: （N） (N) ① or 1. markers, numbered straight
through the document or restarting per task, several per line or one unnumbered measure."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kg.parse.chinese import chinese_number
from kg.parse.layout import Line

PAREN = re.compile(r"[（(]\s*(\d{1,3})\s*[）)]")
CIRCLED = re.compile(r"[\u2460-\u2473]")
ITEM = re.compile(r"(?:^|(?<=[\n。；;]))[ \t\u3000]*((\d{1,2})\s*[\.．、])(?!\d)")
# "一是……；二是……": an inline enumeration after a sentence or clause break
SHI = re.compile(r"(?:^|(?<=[。；;，,：:\n]))[ \t\u3000]*([一二三四五六七八九十]{1,2})\n*是(?=\n*[\u3400-\u9fff“《])")
BREAK = "\n"  # stands for a line boundary in the stream; it maps to no source offset


@dataclass(frozen=True)
class RawMeasure:
    number: str | None
    number_raw: str | None
    text: str
    start: int
    end: int
    pieces: tuple[tuple[int, int], ...]
    page_break_repaired: bool


@dataclass(frozen=True)
class _Marker:
    start: int  # in the stream
    end: int
    number: int
    raw: str
    family: str


class Stream:
    """The measure block as one string; ``runs`` map stream ranges back to source offsets."""

    def __init__(self, segments: list[list[Line]]) -> None:
        parts: list[str] = []
        self.runs: list[tuple[int, int, int]] = []  # (stream start, stream end, source start)
        length = 0
        for line_segments in segments:
            if parts:
                parts.append(BREAK)  # a line boundary: no source offset
                length += 1
            for segment in line_segments:
                if segment.text:
                    self.runs.append((length, length + len(segment.text), segment.start))
                    parts.append(segment.text)
                    length += len(segment.text)
        self.text = "".join(parts)
        self._run_starts = [run[0] for run in self.runs]

    def measure(self, begin: int, end: int, number: str | None, raw: str | None) -> RawMeasure | None:
        while begin < end and self.text[begin].isspace():
            begin += 1
        while end > begin and self.text[end - 1].isspace():
            end -= 1
        if begin >= end:
            return None
        pieces: list[tuple[int, int]] = []
        kept: list[str] = []
        index = max(0, bisect_right(self._run_starts, begin) - 1)
        while index < len(self.runs) and self.runs[index][0] < end:
            run_start, run_end, source = self.runs[index]
            a, b = max(begin, run_start), min(end, run_end)
            if a < b:
                kept.append(self.text[a:b])
                first, last = source + a - run_start, source + b - run_start
                if pieces and pieces[-1][1] == first:
                    pieces[-1] = (pieces[-1][0], last)
                else:
                    pieces.append((first, last))
            index += 1
        repaired = BREAK in self.text[begin:end]
        return RawMeasure(number, raw, "".join(kept), pieces[0][0], pieces[-1][1], tuple(pieces), repaired)


def _candidates(text: str, items: bool) -> list[_Marker]:
    found = [_Marker(m.start(), m.end(), int(m.group(1)), m.group(0), "paren") for m in PAREN.finditer(text)]
    found += [_Marker(m.start(), m.end(), ord(m.group(0)) - 0x245F, m.group(0), "circled") for m in CIRCLED.finditer(text)]
    found += [_Marker(m.start(1), m.end(), chinese_number(m.group(1)), _printed(m.group(0)), "shi")
              for m in SHI.finditer(text)]
    if items:
        found += [_Marker(m.start(1), m.end(1), int(m.group(2)), m.group(1).replace(" ", ""), "item")
                  for m in ITEM.finditer(text)]
    return sorted(found, key=lambda marker: marker.start)


def split_measures(stream: Stream, *, last_number: int, items: bool) -> list[RawMeasure]:
    """Measures of one block. ``last_number`` is the document's last measure number so far,
    so both running numbering (…, 7, 8) and per-task numbering (1, 2, …) are recognised."""
    text = stream.text
    accepted: list[_Marker] = []
    for marker in _candidates(text, items):
        if accepted:
            if marker.family == accepted[-1].family and marker.number == accepted[-1].number + 1:
                accepted.append(marker)
        elif marker.family == "shi":
            if marker.number == 1:
                accepted.append(marker)
        elif marker.number in (1, last_number + 1) or not text[: marker.start].strip():
            accepted.append(marker)
    if accepted and accepted[0].family == "shi" and len(accepted) < 2:
        accepted = []  # a lone 一是 is prose, not an enumeration
    if not accepted:
        paragraphs = [stream.measure(a, b, None, None) for a, b in paragraph_spans(text)]
        return [p for p in paragraphs if p]
    measures: list[RawMeasure] = []
    lead = text[: accepted[0].start].strip()
    if lead and not (is_intro(lead) or accepted[0].family == "shi" and lead.endswith(("，", ","))):
        intro = stream.measure(0, accepted[0].start, None, None)
        if intro:
            measures.append(intro)
    for index, marker in enumerate(accepted):
        end = accepted[index + 1].start if index + 1 < len(accepted) else len(text)
        number = str(marker.number)
        measure = stream.measure(marker.end, end, number, _printed(marker.raw))
        if measure:
            measures.append(measure)
    return measures


def is_intro(text: str) -> bool:
    """A sentence that announces the measures (…如下：) rather than being one."""
    return text.endswith(("：", ":")) or bool(re.search(r"(以下|如下|下列)[^。]{0,12}[。：:]?$", text))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Unnumbered measures: a line that ends a sentence (。！？ or a closing bracket after one)
    ends a paragraph; other line and page breaks fall inside a paragraph."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in re.finditer(rf"{BREAK}+", text):
        before = text[begin : match.start()].rstrip()
        if before and _ends_paragraph(before):
            spans.append((begin, match.start()))
            begin = match.end()
    spans.append((begin, len(text)))
    return spans


def _ends_paragraph(text: str) -> bool:
    if text[-1] in "。！？!?":
        return True
    if text[-1] in "）)":
        opening = max(text.rfind("（"), text.rfind("("))
        return opening > 0 and text[opening - 1] in "。！？；;"
    return False


def cut_trailing(measure: RawMeasure, index: int) -> RawMeasure:
    """The measure with its text cut at ``index`` (a trailing unit bracket removed)."""
    text = measure.text[:index].rstrip()
    pieces: list[tuple[int, int]] = []
    remaining = len(text)
    for start, end in measure.pieces:
        if remaining <= 0:
            break
        take = min(end - start, remaining)
        pieces.append((start, start + take))
        remaining -= take
    return RawMeasure(measure.number, measure.number_raw, text, pieces[0][0], pieces[-1][1], tuple(pieces),
                      measure.page_break_repaired)


def _printed(raw: str) -> str:
    return re.sub(r"\s+", "", raw)
