"""Raw tasks → ``Task`` and ``Measure``: measure splitting, units and deadlines from the task's
labels, from each measure's trailing bracket, or from an appendix table row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.model import Deadline, Measure, Task
from kg.parse.deadline import find_deadline, parse_deadline
from kg.parse.layout import CLOSE, DEADLINE_LABELS, OPEN, label_values
from kg.parse.measures import RawMeasure, Stream, cut_trailing, split_measures
from kg.parse.table import Row, match_rows
from kg.parse.tasks import RawTask
from kg.parse.units import (
    Units,
    assign,
    bracket_units,
    canonical_units,
    is_unit_bracket,
    labelled_units,
    split_units,
)


@dataclass(frozen=True)
class Rules:
    first_leads: bool  # the plan prints "列第一位的为牵头单位"
    merged: frozenset[str]  # unit names with an inner 、 that stay whole


@dataclass
class _Piece:
    raw: RawMeasure
    bracket: str | None  # the trailing unit bracket as printed
    units: Units | None


def build(raw_tasks: list[RawTask], rows: tuple[Row, ...], rules: Rules
          ) -> tuple[tuple[Task, ...], tuple[Measure, ...], dict[str, str], list[str]]:
    """Tasks, measures, the plan's unit aliases and the notes (warnings) found on the way."""
    numbers = [t.number for t in raw_tasks]
    unique = len(set(numbers)) == len(numbers)
    notes: list[str] = []
    split: list[list[_Piece]] = []
    last_number = 0
    for raw in raw_tasks:
        items = raw.number_raw.startswith(("（", "("))
        found = split_measures(Stream(raw.content), last_number=last_number, items=items)
        split.append([_bracketed(m, rules) for m in found])
        numbered = [m.number for m in found if m.number is not None]
        if numbered:
            last_number = int(numbered[-1])
    # Units follow each measure when some task has two or more measures with their own bracket;
    # otherwise a bracket after the last measure belongs to the whole task.
    per_measure = any(sum(p.units is not None for p in pieces) >= 2 for pieces in split)
    matched = match_rows(rows, [t.title.text for t in raw_tasks]) if rows else {}
    printed = [u for pieces in split for p in pieces if p.units for u in p.units.lead + p.units.supporting]
    aliases = canonical_units(printed) if per_measure else {}
    tasks: list[Task] = []
    measures: list[Measure] = []
    for index, (raw, pieces) in enumerate(zip(raw_tasks, split, strict=True), start=1):
        # a （N） heading is a paragraph of its section (the samples' 三（二）), even where N does not restart
        bracketed = raw.number_raw.lstrip()[:1] in "（(" and raw.section is not None
        task_id = raw.number if unique and not bracketed else \
            f"{raw.section or ''}{raw.group or ''}{_full_width(raw.number_raw)}"
        labels = list(raw.labels)
        if not per_measure:
            for piece in pieces:
                if piece.bracket is not None:
                    labels.extend(_as_labels(piece))
                    piece.raw, piece.bracket, piece.units = piece.raw, None, None
        seqs = []
        for piece in pieces:
            seq = len(measures) + 1
            measures.append(_measure(seq, task_id, piece))
            seqs.append(seq)
        units = labelled_units(labels, rules.merged, first_leads=rules.first_leads)
        deadline_raw = next((v for label, v in labels if label in DEADLINE_LABELS), None)
        source, row_number = None, None
        if index - 1 in matched and not units.lead:
            row = matched[index - 1]
            source, row_number = "appendix", row.number
            units = assign(row.lead_label, split_units(row.lead, rules.merged), split_units(row.supporting, rules.merged),
                           first_leads=rules.first_leads)
            deadline_raw = deadline_raw or row.deadline
        lead, support, unit_label = units.lead, units.supporting, units.label
        if per_measure and not labels and any(p.units for p in pieces):
            source = "measures"
            lead = _union(aliases.get(u, u) for p in pieces if p.units for u in p.units.lead)
            support = _union(aliases.get(u, u) for p in pieces if p.units for u in p.units.supporting)
        tasks.append(Task(
            id=task_id, index=index, number=raw.number, number_raw=raw.number_raw, title=raw.title.text,
            section=raw.section, measure_header=raw.header, deadline=parse_deadline(deadline_raw),
            unit_label=unit_label, lead_units=lead, supporting_units=support, measures=tuple(seqs),
            title_start=raw.title.start, title_end=raw.title.end, units_source=source, appendix_row=row_number,
        ))
    used = {id(row) for row in matched.values()}
    notes += [f"appendix row {row.number} ({row.task}) matches no task" for row in rows if id(row) not in used]
    return tuple(tasks), tuple(measures), aliases, notes


def _bracketed(measure: RawMeasure, rules: Rules) -> _Piece:
    """Split a trailing unit bracket (（A牵头，B按职责分工负责）) off a measure's text."""
    text = measure.text.rstrip("。；; ")
    if not text or text[-1] not in CLOSE:
        return _Piece(measure, None, None)
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] in CLOSE:
            depth += 1
        elif text[index] in OPEN:
            depth -= 1
            if depth == 0:
                inner = text[index + 1 : -1]
                if index == 0 or not is_unit_bracket(inner):
                    return _Piece(measure, None, None)
                units = bracket_units(inner, rules.merged, first_leads=rules.first_leads)
                return _Piece(cut_trailing(measure, index), text[index:], units)
    return _Piece(measure, None, None)


def _as_labels(piece: _Piece) -> list[tuple[str, str]]:
    assert piece.bracket is not None and piece.units is not None
    inner = piece.bracket[1:-1]
    if re.search(r"[:：]", inner) and label_values(inner):
        return label_values(inner)
    labels = [("牵头单位", "、".join(piece.units.lead))] if piece.units.lead else []
    return labels + ([("配合单位", "、".join(piece.units.supporting))] if piece.units.supporting else [])


def _measure(seq: int, task_id: str, piece: _Piece) -> Measure:
    m = piece.raw
    deadline: Deadline | None = None
    if piece.units is not None:
        labelled = next((v for label, v in label_values(piece.bracket[1:-1] if piece.bracket else "")
                         if label in DEADLINE_LABELS), None)
        span = find_deadline(m.text) if labelled is None else None
        deadline = parse_deadline(labelled if labelled is not None else (m.text[span[0]:span[1]] if span else None))
    return Measure(
        seq=seq, number=m.number if m.number is not None else str(seq), number_raw=m.number_raw, task=task_id,
        text=m.text, start=m.start, end=m.end, pieces=m.pieces, page_break_repaired=m.page_break_repaired,
        units_raw=piece.bracket, unit_label=piece.units.label if piece.units else None,
        lead_units=piece.units.lead if piece.units else (), supporting_units=piece.units.supporting if piece.units else (),
        deadline=deadline,
    )


def _full_width(number_raw: str) -> str:
    return re.sub(r"\s+", "", number_raw).replace("(", "（").replace(")", "）").rstrip(".．、")


def _union(names: object) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))  # type: ignore[arg-type]
