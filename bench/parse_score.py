"""F1 of the parser against each sample's expected parse (the table of issue 10).

    .venv/bin/python bench/parse_score.py [SAMPLES_DIR ...]

Each sample ``X.txt`` with ``X.expected.json`` is parsed (no entity linking) and compared as sets:
tasks (id, title), measures (task, text), deadlines (task or measure, normalised deadline),
lead units and supporting units (task or measure, unit). The seed has no expected JSON and is not scored.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.parse import parse_file  # noqa: E402
from kg.report import plan_document  # noqa: E402

METRICS = ("tasks", "measures", "deadlines", "lead units", "supporting")


def facts(document: dict[str, Any]) -> dict[str, Counter]:
    measures = document["measures"]
    where = {m["seq"]: (m["task"], m["text"]) for m in measures}
    found: dict[str, Counter] = {name: Counter() for name in METRICS}
    for task in document["tasks"]:
        found["tasks"][(task["id"], task["title"])] += 1
        deadline = task.get("deadline")
        if deadline and deadline.get("raw") is not None:
            found["deadlines"][(task["id"], *_deadline(deadline))] += 1
        for unit in task.get("lead_units", []):
            found["lead units"][(task["id"], unit)] += 1
        for unit in task.get("supporting_units", []):
            found["supporting"][(task["id"], unit)] += 1
    for measure in measures:
        key = where[measure["seq"]]
        found["measures"][key] += 1
        deadline = measure.get("deadline")
        if deadline and deadline.get("raw") is not None:
            found["deadlines"][(key, *_deadline(deadline))] += 1
        for unit in measure.get("lead_units") or []:
            found["lead units"][(key, unit)] += 1
        for unit in measure.get("supporting_units") or []:
            found["supporting"][(key, unit)] += 1
    return found


def _deadline(deadline: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(deadline.get(k) for k in ("raw", "type", "value", "start", "end"))


def f1(expected: Counter, got: Counter) -> float:
    if not expected and not got:
        return 1.0
    hits = sum((expected & got).values())
    if not hits:
        return 0.0
    precision, recall = hits / sum(got.values()), hits / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


def score(text_path: Path) -> dict[str, float]:
    expected_path = text_path.with_name(text_path.name[: -len(".txt")] + ".expected.json")
    expected = facts(json.loads(expected_path.read_text(encoding="utf-8")))
    got = facts(plan_document(parse_file(text_path)))
    return {name: f1(expected[name], got[name]) for name in METRICS}


def main(folders: list[str]) -> None:
    paths = sorted(p for folder in folders for p in Path(folder).glob("*.txt")
                   if p.with_name(p.name[:-4] + ".expected.json").exists())
    print("| plan | " + " | ".join(METRICS) + " |")
    print("|---" * (len(METRICS) + 1) + "|")
    for path in paths:
        row = score(path)
        print(f"| {path.stem} | " + " | ".join(f"{row[name]:.2f}" for name in METRICS) + " |")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT.parent / "shared" / "samples")])
