"""Deadlines as intervals. A question asks for a window — "到2024年" (due by the end of 2024),
"2024年内完成" / "due in 2025" (due within that year), "2024年6月底前", "从2023年开始、到2024年完成"
(started no earlier than 2023, due by 2024), "持续推进的" (ongoing) — and a measure's deadline
(the task's, or its own where the plan prints one per measure) is an interval [start, end].
A deadline fits when its interval lies inside the window; one due in the asked period itself
fits best, an earlier one a little less (it is also done "by 2024")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.chinese import chinese_number

_MONTH_NAMES = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_ONGOING = re.compile(r"持续|长期|没有固定期限|无固定期限|不设期限|常态化|每年|ongoing|continuous|no fixed deadline|"
                      r"without (?:a )?deadline|long[- ]term|every year|annual", re.IGNORECASE)
_YEAR = r"(20\d\d)\s*年?"
_ZH_RANGE = re.compile(r"(?:从|自)?\s*" + _YEAR + r"\s*(?:开始|起)?\s*[、，,]?\s*(?:到|至|—|–|-|~)\s*" + _YEAR +
                       r"(?!\s*\d{1,2}\s*月)")
_EN_RANGE = re.compile(r"(?:from|between)\s+(20\d\d)\s+(?:to|and|until|through)\s+(20\d\d)", re.IGNORECASE)
_ZH_MONTH = re.compile(r"(?:(20\d\d)\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:底|末)?\s*(前|之前|以前|完成|到期)?")
_ZH_YEAR_END = re.compile(r"(?:(20\d\d)\s*年?\s*)?年(?:底|末)")
_ZH_YEAR_WITHIN = re.compile(r"(?:在|于)?\s*(20\d\d)\s*年\s*(内|之内|当年|完成|到期|截止)")
_ZH_YEAR_BY = re.compile(r"(?:到|至|截至|截止到?)\s*(20\d\d)\s*年|(20\d\d)\s*年\s*(?:前|之前|以前)")
_EN_MONTH = re.compile(r"(?:by|before|until|due|in|end of)\s+(?:the\s+end\s+of\s+)?(" + "|".join(_MONTH_NAMES) +
                       r")(?:\s+(\d{4}))?", re.IGNORECASE)
_EN_YEAR_IN = re.compile(r"(?:due|completed?|finished|done)\s+(?:in|during|within)\s+(20\d\d)|(?:in|during)\s+(20\d\d)",
                         re.IGNORECASE)
_EN_YEAR_BY = re.compile(r"(?:by|before|until|end of)\s+(?:the\s+end\s+of\s+)?(20\d\d)", re.IGNORECASE)
_ZH_BARE_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass(frozen=True)
class DeadlineAsk:
    ongoing: bool = False
    earliest: str | None = None  # YYYY-MM: the work may not start before this
    due_from: str | None = None  # YYYY-MM: due no earlier than this ("in 2025")
    due_by: str | None = None  # YYYY-MM, or --MM when the question names no year
    surface: str = ""
    label: str = ""  # how the explanation names the window: "by 2024", "in 2025", "ongoing"


def deadline_ask(question: str) -> DeadlineAsk | None:
    if match := _ONGOING.search(question):
        return DeadlineAsk(ongoing=True, surface=match.group(0), label="ongoing")
    if match := _ZH_RANGE.search(question) or _EN_RANGE.search(question):
        first, last = sorted((match.group(1), match.group(2)))
        return DeadlineAsk(earliest=f"{first}-01", due_by=f"{last}-12", surface=match.group(0),
                           label=f"{first}–{last}")
    if match := _ZH_YEAR_END.search(question):
        year = match.group(1)
        return DeadlineAsk(due_by=f"{year}-12" if year else "--12", surface=match.group(0),
                           label=f"by end of {year}" if year else "by year end")
    if (match := _ZH_MONTH.search(question)) and (match.group(1) or match.group(3)):
        month = chinese_number(match.group(2))
        if 1 <= month <= 12:
            due = f"{match.group(1)}-{month:02d}" if match.group(1) else f"--{month:02d}"
            return DeadlineAsk(due_by=due, surface=match.group(0), label=f"by {due.lstrip('-')}")
    if match := _ZH_YEAR_WITHIN.search(question):
        year = match.group(1)
        return DeadlineAsk(due_from=f"{year}-01", due_by=f"{year}-12", surface=match.group(0), label=f"in {year}")
    if match := _ZH_YEAR_BY.search(question):
        year = match.group(1) or match.group(2)
        return DeadlineAsk(due_by=f"{year}-12", surface=match.group(0), label=f"by {year}")
    if match := _EN_MONTH.search(question):
        month = _MONTH_NAMES[match.group(1).lower()]
        due = f"{match.group(2)}-{month:02d}" if match.group(2) else f"--{month:02d}"
        return DeadlineAsk(due_by=due, surface=match.group(0), label=f"by {due.lstrip('-')}")
    if match := _EN_YEAR_BY.search(question):
        return DeadlineAsk(due_by=f"{match.group(1)}-12", surface=match.group(0), label=f"by {match.group(1)}")
    if match := _EN_YEAR_IN.search(question):
        year = match.group(1) or match.group(2)
        return DeadlineAsk(due_from=f"{year}-01", due_by=f"{year}-12", surface=match.group(0), label=f"in {year}")
    if (match := _ZH_BARE_YEAR.search(question)) and re.search(r"完成|到期|期限|时限|截止", question):
        year = match.group(1)  # "2025年完成的任务": due that year
        return DeadlineAsk(due_from=f"{year}-01", due_by=f"{year}-12", surface=match.group(0), label=f"in {year}")
    return None


def fit(ask: DeadlineAsk, deadline_type: str, start: str | None, end: str | None) -> float:
    """How well a deadline fits the asked window: 1 inside the asked period, 0.6 due earlier
    (done by then as well), 0 outside."""
    if ask.ongoing:
        return 1.0 if deadline_type == "ongoing" else 0.0
    if ask.due_by is None or end is None:
        return 0.0
    if ask.due_by.startswith("--"):  # a month of any year
        month = ask.due_by[2:]
        return 1.0 if end[5:] == month else 0.6 if end[5:] < month else 0.0
    if end > ask.due_by:
        return 0.0
    if ask.earliest is not None:
        return 1.0 if (start or end) >= ask.earliest else 0.0
    if ask.due_from is not None:
        return 1.0 if end >= ask.due_from else 0.0
    # due by a month or year: due in that same month (or, for a year, that year) fits best
    period = ask.due_by[:4] if ask.due_by.endswith("-12") and "end" not in ask.label else ask.due_by
    return 1.0 if end.startswith(period) else 0.6


def readable(ask: DeadlineAsk, raw: str | None, end: str | None) -> str:
    """'due 2024-12 within "by 2024"' for the explanation."""
    when = end or raw or "ongoing"
    return f"due {when} within '{ask.label}'" if not ask.ongoing else f"ongoing ({raw}) as asked"
