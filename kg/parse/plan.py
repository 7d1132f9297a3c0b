"""Plan text → ``Plan``: title, issuer, sections, tasks, measures, deadlines and units.

Handles the layouts this genre comes in: PDF page breaks inside sentences, page-number lines,
full- and half-width punctuation, tasks numbered ``1.`` or ``（一）``, measures numbered ``（N）``,
``①`` or ``1.`` (straight through or per task), with or without a 主要举措 header, unit and
deadline labels on their own lines or in one bracketed line.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from kg.model import Plan, Section
from kg.parse.assemble import Rules, build
from kg.parse.chinese import join_wrapped
from kg.parse.layout import SECTION, Line, split_lines
from kg.parse.source import PlanError, SourceText, read_source
from kg.parse.table import find_table
from kg.parse.tail import Tail, find_tail, short_name, split_title
from kg.parse.tasks import find_tasks
from kg.parse.units import FIRST_LEADS, merged_bodies
from kg.parse.warnings import plan_warnings

_SALUTATION = re.compile(r"^[^。]{2,80}[：:]$")


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
    # An appendix table may follow the signature: find it first and read the closing block without it.
    table = find_table(lines, head.body_start, len(lines), source.text)
    rest = lines if table is None else \
        lines[: table.start] + [Line("", line.start) for line in lines[table.start : table.end]] + lines[table.end :]
    tail = find_tail(rest, head.body_start)
    body = lines[head.body_start : min(table.start, tail.body_end) if table else tail.body_end]
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
    skipped: list[str] = []
    raw_tasks = find_tasks(raw_sections, strict=True, skipped=skipped)
    if not raw_tasks:
        skipped = []
        raw_tasks = find_tasks(raw_sections, strict=False, skipped=skipped)
    if not raw_tasks:
        raise PlanError(source.file, "no tasks found: expected numbered tasks (1. or （一）) with "
                        "measures, 完成时限 or 牵头单位 lines")
    rules = Rules(first_leads=bool(FIRST_LEADS.search(source.text)), merged=merged_bodies(tail.cc_raw))
    tasks, measures, aliases, notes = build(raw_tasks, table.rows if table else (), rules)
    by_section: dict[str | None, list[str]] = {}
    for task in tasks:
        by_section.setdefault(task.section, []).append(task.id)
    sections = tuple(
        Section(number=number, index=index, title=title, tasks=tuple(by_section.get(number, ())), start=start, end=end)
        for number, index, title, _, start, end in raw_sections if number is not None
    )
    preamble_lines = [line for line in body[:preamble_end] if line.text and not _SALUTATION.match(line.text)]
    notice = head.notice
    issuers = notice.issuers if notice is not None and len(notice.issuers) > 1 else \
        tail.signers if notice is None else ()
    issuer = issuers[0] if issuers else (notice.issuers[0] if notice and notice.issuers else tail.issuer)
    plan = Plan(
        id=plan_id, file=Path(source.file).name, text=source.text, encoding=source.encoding,
        header=head.header, title=join_wrapped("".join(l.text for l in head.title)),
        title_raw="\n".join(l.text for l in head.title), subtitle=head.subtitle,
        issuer=issuer, issuer_short=short_name(issuer), issuing_office=tail.issuing_office,
        issue_date=tail.issue_date or (notice.signed_date if notice else None),
        issue_date_raw=tail.issue_date_raw or (notice.signed_raw if notice else None),
        signed_date=(notice.signed_date if notice and notice.signed_date else tail.signed_date),
        preamble=_paragraphs(preamble_lines) or None, cc_raw=tail.cc_raw, cc=tail.cc,
        sections=sections, tasks=tasks, measures=measures,
        page_breaks=page_numbers + sum(m.page_break_repaired for m in measures),
        issuers=issuers, doc_number=head.doc_number,
        notice_title=notice.title if notice else None, notice_title_raw=notice.title_raw if notice else None,
        unit_aliases=tuple(aliases.items()),
    )
    notes += [f"skipped text numbered like a task: {text}" for text in skipped]
    return replace(plan, warnings=tuple(notes) + plan_warnings(plan, body))


def _paragraphs(lines: list[Line]) -> str:
    return "".join(line.text for line in lines)


__all__ = ["PlanError", "Tail", "parse_file", "parse_source", "parse_text", "plan_id_for"]
