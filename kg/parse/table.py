"""The appendix task table (重点任务分工): 序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限, as
pdftotext flattens it (one cell per line, a cell wrapped over lines, an empty cell printing no
line, page breaks anywhere) or with the cells of a row on one line separated by spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.deadline import parse_deadline
from kg.parse.layout import APPENDIX_HEADING, DEADLINE_LABELS, LEAD_LABELS, SUPPORT_LABELS, Line, unit_roles

_TASK_COLUMNS = ("重点任务", "主要任务", "工作任务", "任务名称", "具体任务", "任务内容", "工作内容", "重点工作", "任务")
_COLUMNS = ("序号",) + _TASK_COLUMNS + LEAD_LABELS + SUPPORT_LABELS + DEADLINE_LABELS
_ROW_NUMBER = re.compile(r"^(\d{1,3})$")
_DEADLINE_CELL = re.compile(r"(\d{4}\s*年|\d{4}\s*[—–－-]|期间|持续|长期|常态|每年|年底|季度|[“\"]十.五)")
_CLOSING = re.compile(r"^抄送|.*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")


@dataclass(frozen=True)
class Row:
    number: int
    task: str  # the 重点任务 cell, wrapped lines joined
    lead: str
    supporting: str
    deadline: str | None
    lead_label: str


@dataclass(frozen=True)
class Table:
    start: int  # index of the first line of the appendix (its 附件 / title lines included)
    end: int
    rows: tuple[Row, ...]


def find_table(lines: list[Line], begin: int, end: int, source: str) -> Table | None:
    """The last task table between ``begin`` and ``end`` (indexes into ``lines``). ``source`` gives
    back the row numbers that ``split_lines`` blanked as page numbers (a bare "7" line)."""
    texts = [line.text or _bare_number(source, line.start) for line in lines]
    for index in range(end - 1, begin - 1, -1):
        if not texts[index].startswith("序号"):
            continue
        header, after = _header(texts, index, end)
        if header is None:
            continue
        start = index
        while start - 1 > begin and (not texts[start - 1] or APPENDIX_HEADING.match(texts[start - 1])
                                     or (len(texts[start - 1]) <= 30 and "分工" in texts[start - 1])):
            start -= 1
        stop = next((i for i in range(after, end) if _CLOSING.match(texts[i])), end)
        rows = _rows(texts, header, after, stop)
        if rows:
            return Table(start=start, end=stop, rows=tuple(rows))
    return None


def _bare_number(source: str, start: int) -> str:
    end = source.find("\n", start)
    raw = source[start : end if end >= 0 else len(source)].strip()
    return raw if _ROW_NUMBER.match(raw) else ""


def _header(texts: list[str], index: int, end: int) -> tuple[list[str] | None, int]:
    inline = texts[index].split()
    if len(inline) >= 3 and all(cell in _COLUMNS for cell in inline):
        return inline, index + 1
    header = ["序号"]
    position = index + 1
    while position < end and (texts[position] in _COLUMNS or not texts[position]):
        if texts[position]:
            header.append(texts[position])
        position += 1
    lead = any(cell in LEAD_LABELS for cell in header)
    return (header if lead and any(c in _TASK_COLUMNS for c in header) else None), position


def _rows(texts: list[str], header: list[str], position: int, end: int) -> list[Row]:
    cells_per_line = len(texts[position].split()) >= 3 if position < end else False
    leads, supports = unit_roles(header)  # 牵头单位 | 责任单位 columns: the second supports
    lead_label = next(c for c in header if c in leads)
    has_support = any(c in supports for c in header)
    has_deadline = any(c in DEADLINE_LABELS for c in header)
    rows: list[Row] = []
    chunk: list[str] = []
    number: int | None = None

    def close() -> None:
        if number is not None and chunk:
            rows.append(_row(number, chunk, lead_label, has_support, has_deadline))

    for index in range(position, end):
        text = texts[index]
        if cells_per_line and re.match(r"^\d{1,3}\s", text):
            close()
            number, chunk = int(text.split()[0]), text.split()[1:]
            continue
        match = _ROW_NUMBER.match(text)
        if match and int(match.group(1)) == (number or 0) + 1:
            close()
            number, chunk = int(match.group(1)), []
        elif text and number is not None:
            chunk.append(text)
    close()
    return rows


def _row(number: int, cells: list[str], lead_label: str, has_support: bool, has_deadline: bool) -> Row:
    cells = list(cells)
    deadline = None
    if has_deadline and len(cells) > 2 and not _DEADLINE_CELL.search(cells[-1]) and _DEADLINE_CELL.search(cells[-2]) \
            and not re.search(r"[、，,]", cells[-2] + cells[-1]) and len(cells[-1]) <= 4:
        cells[-2:] = [cells[-2] + cells[-1]]  # the deadline cell wrapped: "2022年起持续推" / "进"
    if has_deadline and cells and _DEADLINE_CELL.search(cells[-1]):
        deadline = cells.pop()
        # a deadline cell wrapped over two lines: "2022年起持续" / "推进"
        if cells and _DEADLINE_CELL.search(cells[-1]) and parse_deadline(cells[-1] + deadline).type != "none" \
                and not re.search(r"[、，]", cells[-1]):
            deadline = cells.pop() + deadline
    task = cells.pop(0) if cells else ""
    # the task cell wraps while the next line does not look like a unit list
    while cells and not _looks_like_units(cells[0]) and len(cells) > 1:
        task += cells.pop(0)
    lead_lines: list[str] = []
    if cells:
        lead_lines.append(cells.pop(0))
        while cells and re.search(r"[、，,]$", lead_lines[-1]) and has_support and len(cells) > 1:
            lead_lines.append(cells.pop(0))
    if not has_support:
        lead_lines += cells
        cells = []
    return Row(number=number, task=task, lead="".join(lead_lines), supporting="".join(cells), deadline=deadline,
               lead_label=lead_label)


def _looks_like_units(text: str) -> bool:
    return bool(re.search(r"(厅|局|委|办|院|部|会|室|处|中心|政府|集团|公司|行|所|海关|大学)[、，,]?$|[、，,]", text))


def match_rows(rows: tuple[Row, ...], titles: list[str]) -> dict[int, Row]:
    """Task index → its row: by title, else by order when the table has one row per task."""
    def key(text: str) -> str:
        text = re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?\s*", "", text)
        return re.sub(r"[\s。，、；：:,.;“”\"]", "", text)

    by_title = {key(row.task): row for row in rows}
    matched: dict[int, Row] = {}
    for index, title in enumerate(titles):
        row = by_title.get(key(title))
        if row is None:
            row = next((r for r in rows if key(r.task) and (key(r.task) in key(title) or key(title) in key(r.task))),
                       None)
        if row is not None:
            matched[index] = row
    if not matched and len(rows) == len(titles):
        matched = dict(enumerate(rows))
    return matched
