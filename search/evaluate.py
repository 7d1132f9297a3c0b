"""Retrieval metrics on graded questions: MRR@10, Recall@5, Recall@10 and nDCG@10 (gain
2^grade − 1), overall, per kind and per language, for the full system and for each leg alone.

Two question formats are read (../shared/queries): ``relevant`` as {printed number: grade} about
one plan (dev.json), or as [[plan, id, grade], …] with ``scope``, the plans the question was
judged over (dev-multi.json). Every measure is keyed ``plan/id``; a ranking is scored on the hits
from its scope only (the others were never judged), so a question is searched over all plans and
its hits outside the scope are dropped before the cut at 10.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError

METRICS = ("nDCG@10", "MRR@10", "R@5", "R@10")


@dataclass(frozen=True)
class Question:
    q: str
    relevant: dict[str, int]  # "plan/id" → grade
    scope: tuple[str, ...]  # plans judged; hits of other plans are not scored
    kind: str = "-"
    lang: str = "-"
    id: str = ""


def load_questions(path: Path, *, default_plan: str | None = None,
                   number_to_id: Callable[[str, str], str] | None = None) -> list[Question]:
    """Questions of either format. A {number: grade} question names measures by their printed
    number in ``default_plan``; ``number_to_id(plan, number)`` maps it to the measure id."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data["queries"] if isinstance(data, dict) else data
        questions = []
        for row in rows:
            relevant: dict[str, int] = {}
            if isinstance(row["relevant"], dict):
                if default_plan is None:
                    raise ValueError("measures are named by number but no plan is given")
                for number, grade in row["relevant"].items():
                    measure = number_to_id(default_plan, str(number)) if number_to_id else str(number)
                    relevant[f"{default_plan}/{measure}"] = int(grade)
                scope = tuple(row.get("scope") or (default_plan,))
            else:
                for plan, measure, grade in row["relevant"]:
                    relevant[f"{plan}/{measure}"] = int(grade)
                scope = tuple(row.get("scope") or sorted({key.split("/")[0] for key in relevant}))
            questions.append(Question(q=str(row["q"]), relevant=relevant, scope=scope, kind=str(row.get("kind", "-")),
                                      lang=str(row.get("lang", "-")), id=str(row.get("id", ""))))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: not a questions file with queries[].q and .relevant ({error})") from None
    return questions


def score_ranking(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    top = ranked[:10]
    gains = [2 ** relevant.get(key, 0) - 1 for key in top]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2**g - 1 for g in relevant.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    wanted = {k for k, g in relevant.items() if g >= 1}
    first = next((i for i, key in enumerate(top) if key in wanted), None)
    return {
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "MRR@10": 1 / (first + 1) if first is not None else 0.0,
        "R@5": len(wanted & set(ranked[:5])) / len(wanted) if wanted else 0.0,
        "R@10": len(wanted & set(top)) / len(wanted) if wanted else 0.0,
    }


def in_scope(ranked: list[str], scope: tuple[str, ...]) -> list[str]:
    return [key for key in ranked if key.split("/", 1)[0] in scope]


def evaluate(questions: list[Question], systems: dict[str, Callable[[str], list[str]]]) -> dict[str, Any]:
    """``systems`` maps a name (full, bm25, dense, knowledge) to question → ranked ``plan/id`` keys."""
    report: dict[str, Any] = {}
    for name, run in systems.items():
        groups: dict[str, list[dict[str, float]]] = defaultdict(list)
        per_question = []
        for question in questions:
            ranked = in_scope(run(question.q), question.scope)
            scores = score_ranking(ranked, question.relevant)
            per_question.append({"id": question.id, "q": question.q, "kind": question.kind,
                                 **{k: round(v, 4) for k, v in scores.items()}, "top": ranked[:10]})
            groups["all"].append(scores)
            groups[f"kind:{question.kind}"].append(scores)
            groups[f"lang:{question.lang}"].append(scores)
        report[name] = {
            "groups": {g: {m: round(sum(s[m] for s in rows) / len(rows), 4) for m in METRICS} | {"n": len(rows)}
                       for g, rows in sorted(groups.items())},
            "questions": per_question,
        }
    return report


def format_report(report: dict[str, Any]) -> str:
    lines = []
    systems = list(report)
    groups = list(next(iter(report.values()))["groups"]) if report else []
    for metric in METRICS:
        lines.append(f"{metric:<18}" + "".join(f"{s:>11}" for s in systems))
        for group in groups:
            n = report[systems[0]]["groups"][group]["n"]
            lines.append(f"  {group:<16}" + "".join(f"{report[s]['groups'][group][metric]:>11.3f}" for s in systems)
                         + f"   (n={n})")
        lines.append("")
    return "\n".join(lines).rstrip()
