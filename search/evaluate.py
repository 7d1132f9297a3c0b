"""Retrieval metrics on graded questions (the format of ../shared/queries/dev.json): MRR@10,
Recall@5, Recall@10 and nDCG@10 (gain 2^grade − 1), overall, per kind and per language, for the
full system and for each leg alone."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import InputError

METRICS = ("nDCG@10", "MRR@10", "R@5", "R@10")


def load_questions(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        questions = data["queries"] if isinstance(data, dict) else data
        for question in questions:
            question["q"], question["relevant"] = str(question["q"]), dict(question["relevant"])
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


def evaluate(questions: list[dict[str, Any]], systems: dict[str, Callable[[str], list[str]]]) -> dict[str, Any]:
    """``systems`` maps a name (full, bm25, dense, knowledge) to question → ranked measure keys."""
    report: dict[str, Any] = {}
    for name, run in systems.items():
        groups: dict[str, list[dict[str, float]]] = defaultdict(list)
        per_question = []
        for question in questions:
            scores = score_ranking(run(question["q"]), question["relevant"])
            per_question.append({"q": question["q"], **{k: round(v, 4) for k, v in scores.items()}})
            groups["all"].append(scores)
            groups[f"kind:{question.get('kind', '-')}"].append(scores)
            groups[f"lang:{question.get('lang', '-')}"].append(scores)
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
        lines.append(f"{metric:<14}" + "".join(f"{s:>11}" for s in systems))
        for group in groups:
            n = report[systems[0]]["groups"][group]["n"]
            lines.append(f"  {group:<12}" + "".join(f"{report[s]['groups'][group][metric]:>11.3f}" for s in systems)
                         + f"   (n={n})")
        lines.append("")
    return "\n".join(lines).rstrip()
