"""Plan text → ``Plan``: title, issuer, sections, tasks, measures, deadlines and units.

Handles the layouts this genre comes in: PDF page breaks inside sentences, page-number lines,
full- and half-width punctuation, tasks numbered ``1.`` or ``（一）``, measures numbered ``（N）``,
``①`` or ``1.`` (straight through or per task), with or without a 主要举措 header, unit and
deadline labels on their own lines or in one bracketed line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import Measure, Plan, Section, Task
from kg.parse.chinese import chinese_number, join_wrapped
from kg.parse.deadline import parse_deadline
from kg.parse.layout import (
    DEADLINE_LABELS,
    LABEL_LINE,
    LEAD_LABELS,
    MEASURE_HEADER,
    SECTION,
    SUPPORT_LABELS,
    TASK_ARABIC,
    TASK_CNPAREN,
    Line,
    bracketed_label_groups,
    label_values,
    split_lines,
    split_units,
)
from kg.parse.measures import CIRCLED, PAREN, RawMeasure, Stream, split_measures
from kg.parse.source import PlanError, SourceText, read_source
from kg.parse.tail import Tail, find_tail, split_title

_SALUTATION = re.compile(r"^[^。]{2,80}[：:]$")


@dataclass
class _RawTask:
    section: str | None
    number: str
    number_raw: str
    title: Line
    header: str | None = None
    labels: list[tuple[str, str]] = field(default_factory=list)
    content: list[list[Line]] = field(default_factory=list)


def parse_file(path: Path, *, plan_id: str | None = None) -> Plan:
    source = read_source(path)
    return parse_source(source, plan_id=plan_id or plan_id_for(path))


def parse_text(text: str, *, file: str = "<text>", plan_id: str = "plan") -> Plan:
    return parse_source(SourceText(file=file, text=text, encoding="utf-8"), plan_id=plan_id)


def plan_id_for(path: Path) -> str:
    """A readable slug from the file name.

    >>> plan_id_for(Path("seeds/Jiangsu KJT 2021.txt"))
    'jiangsu-kjt-2021'
    """
    slug = re.sub(r"[^0-9a-z\u3400-\u9fff]+", "-", path.stem.lower()).strip("-")
    return slug or "plan"


def parse_source(source: SourceText, *, plan_id: str) -> Plan:
    lines, page_numbers = split_lines(source.text)
    head = split_title(lines)
    if head is None:
        raise PlanError(source.file, "no title found: the text has no non-blank lines")
    tail = find_tail(lines, head.body_start)
    body = lines[head.body_start : tail.body_end]
    section_starts = [i for i, line in enumerate(body) if SECTION.match(line.text)]
    preamble_end = section_starts[0] if section_starts else len(body)
    raw_sections: list[tuple[str | None, int, str, list[Line], int, int]] = []
    for order, begin in enumerate(section_starts):
        end = section_starts[order + 1] if order + 1 < len(section_starts) else len(body)
        match = SECTION.match(body[begin].text)
        assert match is not None
        title = match.group(2).split("。")[0].strip()
        section_end = body[end - 1].end if end > begin else body[begin].end
        raw_sections.append((match.group(1), order + 1, title, body[begin + 1 : end], body[begin].start, section_end))
    if not raw_sections:
        raw_sections.append((None, 0, "", body, body[0].start if body else 0, 0))
    raw_tasks = _tasks(raw_sections, strict=True) or _tasks(raw_sections, strict=False)
    if not raw_tasks:
        raise PlanError(source.file, "no tasks found: expected numbered tasks (1. or （一）) with "
                        "measures, 完成时限 or 牵头单位 lines")
    tasks, measures = _build(raw_tasks)
    sections = tuple(
        Section(number=number, index=index, title=title,
                tasks=tuple(t.id for t in tasks if t.section == number), start=start, end=end)
        for number, index, title, _, start, end in raw_sections if number is not None
    )
    preamble_lines = [line for line in body[:preamble_end] if line.text and not _SALUTATION.match(line.text)]
    return Plan(
        id=plan_id, file=Path(source.file).name, text=source.text, encoding=source.encoding,
        header=head.header, title=join_wrapped("".join(l.text for l in head.title)),
        title_raw="\n".join(l.text for l in head.title), subtitle=head.subtitle,
        issuer=tail.issuer, issuer_short=tail.issuer_short, issuing_office=tail.issuing_office,
        issue_date=tail.issue_date, issue_date_raw=tail.issue_date_raw, signed_date=tail.signed_date,
        preamble=_paragraphs(preamble_lines) or None, cc_raw=tail.cc_raw, cc=tail.cc,
        sections=sections, tasks=tasks, measures=measures,
        page_breaks=page_numbers + sum(m.page_break_repaired for m in measures),
    )


def _tasks(raw_sections: list, *, strict: bool) -> list[_RawTask]:
    found: list[_RawTask] = []
    for number, _, _, lines, _, _ in raw_sections:
        found.extend(_section_tasks(number, lines, strict=strict))
    return found


def _section_tasks(section: str | None, lines: list[Line], *, strict: bool) -> list[_RawTask]:
    style, outer = _task_style(lines)
    if style is None:
        return []
    tasks: list[_RawTask] = []
    current: _RawTask | None = None
    block: list[Line] = []
    previous: int | None = None

    def close() -> None:
        if current is not None and _fill(current, block, strict=strict):
            tasks.append(current)

    for line in lines:
        match = style.match(line.text)
        number = chinese_number(match.group(2) if style is TASK_CNPAREN else match.group(1)) if match else None
        if match and number is not None and (previous is None or number in (previous + 1, 1)):
            close()
            current, block, previous = _start_task(section, style, match, line), [], number
        elif outer is not None and outer.match(line.text):
            close()
            current, block = None, []
        else:
            block.append(line)
    close()
    return tasks


def _task_style(lines: list[Line]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Which numbering marks tasks here: the level that carries the 完成时限/牵头单位 labels."""
    scores = {}
    first = {}
    for style in (TASK_ARABIC, TASK_CNPAREN):
        starts = [i for i, line in enumerate(lines) if style.match(line.text)]
        if not starts:
            continue
        first[style] = starts[0]
        bounds = starts + [len(lines)]
        scores[style] = sum(
            any(LABEL_LINE.match(l.text) or bracketed_label_groups(l.text) for l in lines[a:b])
            for a, b in zip(bounds, bounds[1:])
        )
    if not scores:
        return None, None
    if len(scores) == 1:
        return next(iter(scores)), None
    if scores[TASK_ARABIC] > scores[TASK_CNPAREN]:
        return TASK_ARABIC, TASK_CNPAREN if first[TASK_CNPAREN] < first[TASK_ARABIC] else None
    outer_first = min(first, key=lambda style: first[style])
    return outer_first, None


def _start_task(section: str | None, style: re.Pattern[str], match: re.Match[str], line: Line) -> _RawTask:
    if style is TASK_CNPAREN:
        number, raw, title_at = match.group(2), match.group(1) + match.group(2) + match.group(3), match.start(4)
    else:
        number, raw, title_at = str(int(match.group(1))), match.group(1) + match.group(2), match.start(3)
    return _RawTask(section=section, number=number, number_raw=raw, title=line.tail(title_at))


def _fill(task: _RawTask, block: list[Line], *, strict: bool) -> bool:
    """Read labels, header and measure text of one task; False when it is not a task."""
    title = task.title
    cut = _title_cut(title.text)
    lines = list(block)
    if cut is not None:
        lines.insert(0, title.tail(cut))
        title = Line(title.text[:cut].rstrip(), title.start)
    title_pieces, title_labels = _without_label_groups(title)
    task.labels.extend(title_labels)
    text = "".join(piece.text for piece in title_pieces).strip()
    task.title = Line(text[:-1] if text.endswith("。") else text, title.start)
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.text:
            continue
        if LABEL_LINE.match(line.text):
            text = line.text
            while re.search(r"[、，,]$", text) and index < len(lines) and lines[index].text \
                    and not LABEL_LINE.match(lines[index].text):
                text += lines[index].text
                index += 1
            inner = text[1:-1] if text[0] in "（(" and text[-1] in "）)" else text
            task.labels.extend(label_values(inner))
            continue
        header = MEASURE_HEADER.match(line.text)
        if header and task.header is None and not task.content:
            task.header = header.group(1)
            line = line.tail(header.end())
            if not line.text:
                continue
        if task.labels and task.content:
            break  # text after the labels that close a task belongs to the section, not the task
        pieces, inline_labels = _without_label_groups(line)
        task.labels.extend(inline_labels)
        task.content.append(pieces)
    has_text = any(seg.text.strip() for segments in task.content for seg in segments)
    if strict:
        return bool(task.labels or task.header) and (has_text or bool(task.labels))
    return has_text


def _title_cut(title: str) -> int | None:
    """Where measures start on the task's own line, if they do."""
    header = re.search(r"(主要举措|主要措施|具体措施)\s*[:：]", title)
    marker = PAREN.search(title) or CIRCLED.search(title)
    cuts = [m.start() for m in (header, marker) if m and m.start() > 0]
    return min(cuts) if cuts else None


def _without_label_groups(line: Line) -> tuple[list[Line], list[tuple[str, str]]]:
    """The line's pieces outside bracketed label groups, and the labels inside them."""
    groups = bracketed_label_groups(line.text)
    if not groups:
        return [line], []
    labels: list[tuple[str, str]] = []
    pieces: list[Line] = []
    position = 0
    for begin, end in groups + [(len(line.text), len(line.text))]:
        if line.text[position:begin]:
            pieces.append(Line(line.text[position:begin], line.start + position))
        labels.extend(label_values(line.text[begin + 1 : end - 1]))
        position = end
    return pieces, labels


def _build(raw_tasks: list[_RawTask]) -> tuple[tuple[Task, ...], tuple[Measure, ...]]:
    numbers = [t.number for t in raw_tasks]
    unique = len(set(numbers)) == len(numbers)
    tasks: list[Task] = []
    measures: list[Measure] = []
    last_number = 0
    for index, raw in enumerate(raw_tasks, start=1):
        task_id = raw.number if unique else f"{raw.section or ''}{raw.number_raw.rstrip('.．、 ')}"
        items = raw.number_raw.startswith(("（", "("))
        found: list[RawMeasure] = split_measures(Stream(raw.content), last_number=last_number, items=items)
        seqs = []
        for measure in found:
            seq = len(measures) + 1
            measures.append(Measure(seq=seq, number=measure.number, number_raw=measure.number_raw,
                                    task=task_id, text=measure.text, start=measure.start, end=measure.end,
                                    pieces=measure.pieces, page_break_repaired=measure.page_break_repaired))
            seqs.append(seq)
            if measure.number is not None:
                last_number = int(measure.number)
        lead = [v for label, v in raw.labels if label in LEAD_LABELS]
        support = [v for label, v in raw.labels if label in SUPPORT_LABELS]
        deadline = next((v for label, v in raw.labels if label in DEADLINE_LABELS), None)
        tasks.append(Task(
            id=task_id, index=index, number=raw.number, number_raw=raw.number_raw, title=raw.title.text,
            section=raw.section, measure_header=raw.header, deadline=parse_deadline(deadline),
            unit_label=next((label for label, _ in raw.labels if label in LEAD_LABELS), None),
            lead_units=tuple(u for value in lead for u in split_units(value)),
            supporting_units=tuple(u for value in support for u in split_units(value)),
            measures=tuple(seqs), title_start=raw.title.start, title_end=raw.title.end,
        ))
    return tuple(tasks), tuple(measures)


def _paragraphs(lines: list[Line]) -> str:
    return "".join(line.text for line in lines)


__all__ = ["PlanError", "Tail", "parse_file", "parse_source", "parse_text", "plan_id_for"]
