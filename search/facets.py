"""Facet filters (section, lead unit, field, place, partner, deadline, plan) and facet counts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from kg.errors import InputError
from search.documents import SearchDocument
from search.knowledge import KnowledgeBase

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class FilterError(InputError):
    """A filter value that is malformed or names nothing known; the message names the filter."""


@dataclass(frozen=True)
class Filters:
    plan: str | None = None
    section: str | None = None  # section title or number (一, 二 …)
    unit: str | None = None  # unit name as printed, or entity key
    field: str | None = None  # field name, synonym or key; narrower fields match too
    place: str | None = None  # place name or key; places inside it match too
    partner: str | None = None
    due_before: str | None = None  # YYYY-MM: due by the end of that month
    due_after: str | None = None  # YYYY-MM
    deadline_type: str | None = None  # month, quarter, year, range, ongoing, none

    def __post_init__(self) -> None:
        for name in ("due_before", "due_after"):
            value = getattr(self, name)
            if value is not None and not _MONTH.match(value):
                raise FilterError(f"{name} must be a month written YYYY-MM, got {value!r}")


def resolve(knowledge: KnowledgeBase, value: str, kind: str, name: str) -> set[str]:
    if value in knowledge.entities and knowledge.entities[value].kind == kind:
        return {value}
    keys = {info.key for info in knowledge.entities.values()
            if info.kind == kind and (value in info.zh_labels or value.lower() in (l.lower() for l in info.en_labels))}
    if not keys:
        raise FilterError(f"{name}={value!r} names no known {kind}")
    return keys


def filter_mask(documents: list[SearchDocument], closures: list[set[str]], filters: Filters,
                knowledge: KnowledgeBase | None = None) -> np.ndarray:
    mask = np.ones(len(documents), dtype=bool)
    checks = []
    if filters.plan:
        checks.append(lambda d, c: d.plan == filters.plan)
    if filters.section:
        checks.append(lambda d, c: filters.section in (d.section, d.section_title))
    if filters.unit:
        checks.append(lambda d, c: filters.unit in d.lead_units or filters.unit in d.supporting_units
                      or filters.unit in d.unit_keys)
    for kind in ("field", "place", "partner"):
        value = getattr(filters, kind)
        if value and knowledge is not None:
            keys = resolve(knowledge, value, kind, kind)
            checks.append(lambda d, c, keys=keys: bool(keys & c))
    if filters.due_before:
        checks.append(lambda d, c: d.deadline_end is not None and d.deadline_end <= filters.due_before)
    if filters.due_after:
        checks.append(lambda d, c: d.deadline_end is not None and d.deadline_end >= filters.due_after)
    if filters.deadline_type:
        checks.append(lambda d, c: d.deadline_type == filters.deadline_type)
    for row, (document, closure) in enumerate(zip(documents, closures)):
        mask[row] = all(check(document, closure) for check in checks)
    return mask


def facet_counts(documents: list[SearchDocument], rows: list[int], knowledge: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    """Counts over ``rows``, the hits shown, so a facet never promises more than the list holds."""
    counters: dict[str, Counter[str]] = {k: Counter() for k in
                                         ("plan", "section", "unit", "field", "place", "partner", "deadline")}
    plan_titles = {}
    for row in rows:
        document = documents[row]
        counters["plan"][document.plan] += 1
        plan_titles[document.plan] = document.plan_short
        if document.section_title:
            counters["section"][document.section_title] += 1
        counters["unit"].update(set(document.lead_units))
        counters["deadline"][document.deadline_end[:7] if document.deadline_end else document.deadline_type] += 1
        for key in document.entities:
            info = knowledge.entities.get(key)
            if info is not None and info.kind in ("field", "place", "partner"):
                counters[info.kind][key] += 1
    facets: dict[str, list[dict[str, Any]]] = {}
    for name, counter in counters.items():
        entries = []
        for value, count in counter.most_common(20):
            info = knowledge.entities.get(value) if name in ("field", "place", "partner") else None
            label = info.name if info else plan_titles.get(value, value) if name == "plan" else value
            entries.append({"value": value, "label": label, "count": count})
        facets[name] = entries
    return facets
