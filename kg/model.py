"""The typed model of a parsed plan: plain frozen dataclasses, no RDF, no I/O.

Data flows one way: text → ``kg.parse.plan`` → this model → ``kg.extract.linking`` (entity mentions,
numeric targets) → ``kg.rdf.graph`` (graph) → store and index.
Character offsets (``start``/``end``) always index the decoded source text of the plan
(``Plan.text``), end exclusive, so every fact can point back to its passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEADLINE_TYPES = ("month", "quarter", "year", "range", "ongoing", "none")


@dataclass(frozen=True)
class Deadline:
    """A 完成时限, normalised; ``raw`` keeps the printed text (None when the line is missing)."""

    raw: str | None
    type: str  # one of DEADLINE_TYPES
    value: str | None  # ISO 8601: YYYY-MM, YYYY, YYYY-MM/YYYY-MM or YYYY/YYYY
    start: str | None  # YYYY-MM
    end: str | None  # YYYY-MM: the latest month by which the work is due


@dataclass(frozen=True)
class Measure:
    seq: int  # 1-based order in the document
    number: str | None  # printed number without brackets or dot; None when unnumbered
    number_raw: str | None  # the marker exactly as printed, e.g. （1）, (13), ①, 1.
    task: str  # Task.id
    text: str  # page breaks repaired, whitespace-trimmed
    start: int  # span of the measure text in Plan.text
    end: int
    pieces: tuple[tuple[int, int], ...]  # source ranges whose concatenation is ``text``
    page_break_repaired: bool = False
    # Per-measure responsibility, where the plan prints it after the measure
    # (（A牵头，B按职责分工负责）); ``units_raw`` is that bracket (None: the task's units apply).
    units_raw: str | None = None
    unit_label: str | None = None
    lead_units: tuple[str, ...] = ()
    supporting_units: tuple[str, ...] = ()
    deadline: Deadline | None = None  # the time phrase in the text, where units are per measure

    def source_offset(self, index: int) -> int:
        """Map an offset inside ``text`` to an offset in the plan's source text."""
        for piece_start, piece_end in self.pieces:
            length = piece_end - piece_start
            if index < length:
                return piece_start + index
            index -= length
        return self.end


@dataclass(frozen=True)
class Task:
    id: str  # unique in the document
    index: int  # 1-based order in the document
    number: str
    number_raw: str
    title: str
    section: str | None  # Section.number
    measure_header: str | None  # 主要举措 / 主要措施 … as printed
    deadline: Deadline
    unit_label: str | None  # 牵头单位 / 责任单位 as printed
    lead_units: tuple[str, ...]
    supporting_units: tuple[str, ...]
    measures: tuple[int, ...]  # Measure.seq
    title_start: int
    title_end: int
    # Where units and deadline came from: None (lines under the task), "measures" (the union of
    # its measures' brackets; then the task has no deadline of its own) or "appendix" (a table row).
    units_source: str | None = None
    appendix_row: int | None = None  # 序号 of that row


@dataclass(frozen=True)
class Section:
    number: str  # 一, 二 …
    index: int
    title: str
    tasks: tuple[str, ...]  # Task.id
    start: int
    end: int


@dataclass(frozen=True)
class Plan:
    id: str  # readable slug, used in IRIs and API paths
    file: str
    text: str  # the decoded source text; all offsets index into it
    encoding: str
    header: str | None  # 附件 …
    title: str
    title_raw: str
    subtitle: str | None
    issuer: str | None
    issuer_short: str | None
    issuing_office: str | None
    issue_date: str | None  # YYYY-MM-DD
    issue_date_raw: str | None
    signed_date: str | None
    preamble: str | None
    cc_raw: str | None
    cc: tuple[str, ...]
    sections: tuple[Section, ...]
    tasks: tuple[Task, ...]
    measures: tuple[Measure, ...]
    page_breaks: int = 0
    issuers: tuple[str, ...] = ()  # joint issuers in printed order (``issuer`` is the first)
    doc_number: str | None = None  # 文号, e.g. 京卫规划〔2023〕21号
    notice_title: str | None = None  # a cover notice 关于印发《…》的通知 before the plan
    notice_title_raw: str | None = None
    unit_aliases: tuple[tuple[str, str], ...] = ()  # (printed abbreviation, full name printed in the plan)
    warnings: tuple[str, ...] = ()  # doubtful spots a person should check (kg.parse.warnings)

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)


@dataclass(frozen=True)
class Mention:
    """One occurrence of a vocabulary entity in a task title or measure text."""

    kind: str  # field | partner | place | unit | instrument
    entity: str  # the entity's key (its IRI path below the base, e.g. field/quantum)
    name: str  # canonical name (zh prefLabel)
    surface: str  # the text as printed
    task: str  # Task.id
    measure: int | None  # Measure.seq, or None for a task title
    start: int  # span in Plan.text
    end: int


@dataclass(frozen=True)
class NumericTarget:
    measure: int | None  # Measure.seq; None for an overall target
    task: str | None
    section: str | None
    quantity: float | int
    unit: str
    approx: bool
    bound: str | None  # min | max | None
    qualifier: str | None
    raw: str  # number + unit as printed
    role: str  # target | baseline
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """A vocabulary entry (field, partner, place, unit, instrument) as extraction sees it."""

    key: str  # IRI path below the base, e.g. place/nanjing
    kind: str
    name: str
    labels: tuple[str, ...]  # every zh/en surface form that denotes it
    subkind: str | None = None  # partner kind, place kind …
    foreign: bool = False


@dataclass(frozen=True)
class Extraction:
    mentions: tuple[Mention, ...] = ()
    targets: tuple[NumericTarget, ...] = ()
    overall_targets: tuple[NumericTarget, ...] = ()
    new_entities: tuple[Entity, ...] = field(default=())  # found by pattern, not in the vocabulary
    unit_keys: tuple[tuple[str, str], ...] = ()  # (unit name as printed, entity key)
    issuer_key: str | None = None  # entity key of the issuing department
    # (printed label, full official name in the plan's jurisdiction); divisions of the issuer have none
    unit_full_names: tuple[tuple[str, str], ...] = ()
    unit_aliases: tuple[tuple[str, str], ...] = ()  # (printed variant, label first printed for that body)

    def unit_key(self, name: str) -> str:
        for printed, key in self.unit_keys:
            if printed == name:
                return key
        raise KeyError(name)
