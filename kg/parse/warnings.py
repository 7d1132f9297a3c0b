"""Doubtful spots in a parsed plan, for a person checking a new plan before building it."""

from __future__ import annotations

from bisect import bisect_right

from kg.model import Plan
from kg.parse.layout import LABEL_LINE, Line

LONG_MEASURE = 400  # characters; longer measures usually swallowed a heading or a closing block


def plan_warnings(plan: Plan, body: list[Line]) -> tuple[str, ...]:
    found: list[str] = []
    for task in plan.tasks:
        has_units = bool(task.lead_units) or any(plan.measures[s - 1].lead_units for s in task.measures)
        if not has_units:
            found.append(f"task {task.id} {task.title}: no responsible units")
        has_deadline = task.deadline.raw is not None or any(
            (d := plan.measures[s - 1].deadline) is not None and d.raw is not None for s in task.measures)
        if not has_deadline:
            found.append(f"task {task.id} {task.title}: no deadline")
        elif task.deadline.raw is not None and task.deadline.type == "none":
            found.append(f"task {task.id}: deadline {task.deadline.raw!r} not understood")
        if not task.measures:
            found.append(f"task {task.id} {task.title}: no measures")
    for measure in plan.measures:
        if len(measure.text) > LONG_MEASURE:
            found.append(f"measure {measure.seq} (task {measure.task}) is {len(measure.text)} characters long: "
                         f"{measure.text[:30]}…")
    ordered = sorted((section.start, section.end) for section in plan.sections)
    section_starts = [start for start, _ in ordered]
    first_task: dict[int, int] = {}  # section position → start of its first task
    for task in plan.tasks:
        at = bisect_right(section_starts, task.title_start) - 1
        if at >= 0:
            first_task[at] = min(first_task.get(at, task.title_start), task.title_start)
    sections = [(start, end, first_task.get(i)) for i, (start, end) in enumerate(ordered)]
    for line in body:
        if not line.text or not LABEL_LINE.match(line.text):
            continue
        at = bisect_right(section_starts, line.start) - 1
        if sections and at >= 0:
            _, end, first = sections[at]
            attached = first is not None and first < line.start <= end
        else:
            attached = bool(plan.tasks) and line.start > plan.tasks[0].title_start and not plan.sections
        if not attached:
            found.append(f"label line not attached to a task: {line.text[:40]}")
    return tuple(found)
