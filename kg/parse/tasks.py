"""Tasks of a plan body: which numbering marks tasks (1. or （一）), each task's title, labels,
measure header and measure text. Sections such as 总体要求 and 保障措施 hold no tasks even when
their paragraphs are numbered like tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.parse.chinese import chinese_number
from kg.parse.deadline import parse_deadline
from kg.parse.layout import (
    DEADLINE_LABELS,
    LABEL,
    LABEL_LINE,
    MEASURE_HEADER,
    TASK_ARABIC,
    TASK_CNPAREN,
    Line,
    bracketed_label_groups,
    label_values,
)
from kg.parse.measures import CIRCLED, PAREN

# Section titles whose numbered paragraphs are requirements, not tasks.
NON_TASK_SECTION = re.compile(
    r"^(?:总体要求|总体思路|指导思想|基本原则|主要目标|发展目标|工作目标|总体目标|目标要求|"
    r"保障措施|保障机制|组织实施|组织保障|实施保障|工作保障|工作要求|有关要求|其他要求|实施要求|组织领导|其他事项|附则)"
)


@dataclass
class RawTask:
    section: str | None
    number: str
    number_raw: str
    title: Line
    group: str | None = None  # the （一） heading above tasks numbered 1. 2. (ids stay distinct)
    header: str | None = None
    labels: list[tuple[str, str]] = field(default_factory=list)
    content: list[list[Line]] = field(default_factory=list)


def find_tasks(raw_sections: list, *, strict: bool, skipped: list[str] | None = None) -> list[RawTask]:
    """Tasks of all sections; headings numbered like tasks but dropped go to ``skipped``."""
    found: list[RawTask] = []
    for number, _, title, lines, _, _ in raw_sections:
        if number is not None and NON_TASK_SECTION.match(title):
            continue
        found.extend(_section_tasks(number, lines, strict=strict, skipped=skipped))
    return found


def _section_tasks(section: str | None, lines: list[Line], *, strict: bool,
                   skipped: list[str] | None) -> list[RawTask]:
    style, outer = _task_style(lines)
    if style is None:
        return []
    tasks: list[RawTask] = []
    current: RawTask | None = None
    block: list[Line] = []
    previous: int | None = None

    candidates: list[tuple[RawTask, bool, bool]] = []  # (task, labelled, has text)

    def close() -> None:
        if current is not None:
            labelled = _fill(current, block, strict=True)
            candidates.append((current, labelled, _fill_text(current)))

    group: str | None = None
    for line in lines:
        match = style.match(line.text)
        number = chinese_number(match.group(2) if style is TASK_CNPAREN else match.group(1)) if match else None
        if match and number is not None and (previous is None or number in (previous + 1, 1)):
            close()
            current, block, previous = _start_task(section, style, match, line), [], number
            current.group = group
        elif outer is not None and (heading := outer.match(line.text)):
            close()
            current, block, group = None, [], f"（{heading.group(2)}）"
        else:
            block.append(line)
    close()
    # Strictly, a section's tasks carry labels; one task without them among labelled ones is
    # still a task (its units may be missing, which the warnings report).
    any_labelled = any(labelled for _, labelled, _ in candidates)
    for task, labelled, has_text in candidates:
        if labelled or has_text and (any_labelled or not strict):
            tasks.append(task)
        elif skipped is not None:
            skipped.append(f"{task.number_raw}{task.title.text[:30]}")
    return tasks


def _fill_text(task: RawTask) -> bool:
    return any(seg.text.strip() for segments in task.content for seg in segments)


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


def _start_task(section: str | None, style: re.Pattern[str], match: re.Match[str], line: Line) -> RawTask:
    if style is TASK_CNPAREN:
        number, raw, title_at = match.group(2), match.group(1) + match.group(2) + match.group(3), match.start(4)
    else:
        number, raw, title_at = str(int(match.group(1))), match.group(1) + match.group(2), match.start(3)
    return RawTask(section=section, number=number, number_raw=raw, title=line.tail(title_at))


def _fill(task: RawTask, block: list[Line], *, strict: bool) -> bool:
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
            if task.content:
                task.content.append([])  # a blank line: paragraph ends or page break, see measures
            continue
        if LABEL_LINE.match(line.text):
            text = line.text
            while (following := _continuation(lines, index, text)) is not None:
                text += lines[following].text
                index = following + 1
            inner = text[1:-1] if text[0] in "（(【[〔" and text[-1] in "）)】]〕" else text
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
        task.content.append([line])  # bracketed units after a measure are read with the measure
    has_text = any(seg.text.strip() for segments in task.content for seg in segments)
    if strict:
        return bool(task.labels or task.header) and (has_text or bool(task.labels))
    return has_text


def _title_cut(title: str) -> int | None:
    """Where measures start on the task's own line, if they do."""
    header = re.search(r"(主要举措|主要措施|具体措施)\s*[:：]", title)
    marker = PAREN.search(title) or CIRCLED.search(title)
    cuts = [m.start() for m in (header, marker) if m and m.start() > 0]
    # "（一）强化原始创新。支持……": a short title ends at its 。 and the first measure follows
    stop = re.search(r"[。；]", title)
    if stop and stop.start() <= 40 and title[stop.end() :].strip() and not _inside_brackets(title, stop.start()):
        cuts.append(stop.end())
    return min(cuts) if cuts else None


def _inside_brackets(text: str, index: int) -> bool:
    return sum(text[:index].count(c) for c in "（(【") > sum(text[:index].count(c) for c in "）)】")


_UNIT_END = re.compile(r"(厅|局|委|办|院|部|会|室|处|中心|政府|集团|公司|行|所|海关|大学|站|队)$")
_STARTS_ITEM = re.compile(r"^(?:[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[）)]|\d{1,2}\s*[.．、]|[一二三四五六七八九十]{1,3}\s*、|[\u2460-\u2473])")


def _continuation(lines: list[Line], index: int, text: str) -> int | None:
    """The line that continues a label line across a line or page break, if any: after a
    trailing 、 or ，, or a fragment that ends like a unit name (a page break mid-name)."""
    following = next((i for i in range(index, min(len(lines), index + 6)) if lines[i].text), None)
    if following is None:
        return None
    candidate = lines[following].text
    if LABEL_LINE.match(candidate) or _STARTS_ITEM.match(candidate) or MEASURE_HEADER.match(candidate):
        return None
    if re.search(r"[、，,；;]$", text) or re.match(r"^[、，,；;]", candidate) or _inside_brackets(text, len(text)):
        return following
    # a unit list continued (a page break mid-name: 中关村管委 | 会、各区政府): a short line that ends
    # like a unit name and is no sentence, heading or label
    if len(candidate) <= 60 and not re.search(r"[。；;：:！？]", candidate) and _UNIT_END.search(candidate):
        return following
    # a break inside a one-line "牵头单位：…；完成时限：…" whose last value is cut short
    pairs = label_values(text)
    if pairs and not re.search(r"[。）)】]$", text) and len(candidate) <= 120:
        label, value = pairs[-1]
        cut_short = parse_deadline(value).type == "none" if label in DEADLINE_LABELS else not _UNIT_END.search(value)
        if cut_short and LABEL.search(candidate) or (cut_short and following > index):
            return following
        if label in DEADLINE_LABELS and following > index and len(candidate) <= 12 \
                and parse_deadline(value + candidate).type != "none":
            return following  # "完成时限：2022" | page break | "年下半年"
    return None


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


