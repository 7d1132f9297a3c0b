"""Score entity linking against the samples' expected entities (issue 11).

For every sample plan (tests/data/samples/*.txt with its .expected.json): fields, partners and
places as name F1 (distinct entities) and mention F1 ((entity, task, measure) triples), and units
as full names right / total. A found entity matches an expected one when a surface form, alias or
name is shared (the expected name is the form printed in the plan: 广州, not 广州市).

    .venv/bin/python bench/entity_score.py                # table for tests/data/samples
    .venv/bin/python bench/entity_score.py --json out.json
    .venv/bin/python bench/entity_score.py DIR            # samples in DIR (e.g. ../shared/samples)
    .venv/bin/python bench/entity_score.py tests/data/probes   # blind annotations (<plan>.entities.json)
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.lexicon import Lexicon, load_lexicon  # noqa: E402
from kg.extract.linking import extract  # noqa: E402
from kg.extract.units import plan_jurisdiction, resolve  # noqa: E402
from kg.parse.plan import parse_file  # noqa: E402

KINDS = ("field", "partner", "place")


@dataclass(frozen=True)
class Score:
    name_f1: float
    mention_f1: float
    missing: tuple[str, ...]
    extra: tuple[str, ...]


def _f1(found: set[Any], wanted: set[Any]) -> float:
    if not found and not wanted:
        return 1.0
    hit = len(found & wanted)
    return 0.0 if hit == 0 else 2 * hit / (len(found) + len(wanted))


def _forms(entity: dict[str, Any]) -> set[str]:
    return {entity["name"], *entity.get("surface_forms_used", ()), *entity.get("aliases", ())}


def score_kind(extraction: Any, expected: list[dict[str, Any]], kind: str, lexicon: Lexicon) -> Score:
    """Name and mention F1 of one kind; found entities are named by the expected entity they match.
    A found entity matches through its own name and labels (the printed surface only where it is
    one of them), so a mention linked to the wrong entity counts as wrong even if printed right."""
    owner = {form: entry["name"] for entry in expected for form in _forms(entry)}
    entities = {**lexicon.entities, **{e.key: e for e in extraction.new_entities}}
    found_names: dict[str, str] = {}  # entity key → the name it is scored under
    found_mentions: set[tuple[str, str, int | None]] = set()
    for mention in extraction.mentions:
        if mention.kind != kind:
            continue
        name = found_names.get(mention.entity)
        if name is None or name not in owner.values():
            labels = entities[mention.entity].labels if mention.entity in entities else ()
            forms = [mention.name, *([mention.surface] if mention.surface in labels else []), *labels]
            name = next((owner[f] for f in forms if f in owner), None) or name or mention.name
            found_names[mention.entity] = name
    for mention in extraction.mentions:
        if mention.kind == kind:
            found_mentions.add((found_names[mention.entity], mention.task, mention.measure))
    wanted_names = {entry["name"] for entry in expected}
    wanted_mentions = {(entry["name"], m["task"], m["measure"]) for entry in expected for m in entry["mentions"]}
    names = set(found_names.values())
    return Score(_f1(names, wanted_names), _f1(found_mentions, wanted_mentions),
                 tuple(sorted(wanted_names - names)), tuple(sorted(names - wanted_names)))


def score_units(plan: Any, extraction: Any, lexicon: Lexicon, expected: dict[str, Any]) -> tuple[int, int, list[str]]:
    wanted = expected.get("units", {}).get("full_names", {})
    # The expected labels, resolved in the jurisdiction read from the parsed plan (so the score
    # does not depend on how the parser splits unit lists).
    got, _ = resolve(list(wanted), plan_jurisdiction(plan, lexicon), lexicon)
    wrong = [f"{label}: {got.get(label)} ≠ {name}" for label, name in wanted.items() if got.get(label) != name]
    return len(wanted) - len(wrong), len(wanted), wrong


def expected_file(text: Path) -> Path | None:
    """A sample's whole expected parse, or an annotation of its entities only."""
    for suffix in (".expected.json", ".entities.json"):
        if (path := text.with_name(text.stem + suffix)).exists():
            return path
    return None


def score_sample(text: Path, lexicon: Lexicon) -> dict[str, Any]:
    expected = json.loads(expected_file(text).read_text("utf-8"))  # type: ignore[union-attr]
    plan = parse_file(text)
    extraction = extract(plan, lexicon)
    row: dict[str, Any] = {"sample": text.stem}
    for kind in KINDS:
        score = score_kind(extraction, expected[kind + "s"], kind, lexicon)
        row[kind] = {"name_f1": round(score.name_f1, 3), "mention_f1": round(score.mention_f1, 3),
                     "missing": list(score.missing), "extra": list(score.extra)}
    right, total, wrong = score_units(plan, extraction, lexicon, expected)
    row["units"] = {"right": right, "total": total, "wrong": wrong}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "tests" / "data" / "samples")
    parser.add_argument("--json", type=Path, help="also write the rows (with misses) as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missing and extra names")
    args = parser.parse_args()
    lexicon = load_lexicon(ROOT / "ontology" / "vocab")
    rows = [score_sample(path, lexicon) for path in sorted(args.folder.glob("*.txt")) if expected_file(path)]
    print("| sample | fields name / mention | partners name / mention | places name / mention | units full names |")
    print("|---|---|---|---|---|")
    for row in rows:
        cells = [f"{row[k]['name_f1']:.2f} / {row[k]['mention_f1']:.2f}" for k in KINDS]
        print(f"| {row['sample']} | {' | '.join(cells)} | {row['units']['right']}/{row['units']['total']} |")
    if args.verbose:
        for row in rows:
            print(f"\n## {row['sample']}")
            for kind in KINDS:
                print(f"{kind}: missing {row[kind]['missing']} extra {row[kind]['extra']}")
            for line in row["units"]["wrong"]:
                print("unit", line)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
