"""Extraction time per plan (issue 11): the seed and every sample, median of several runs after a
warm-up (the LAC model and lexicon load once, as in a build). Target: at most 1 s per plan.

    .venv/bin/python bench/extract_bench.py            # writes bench/results/extract.json
    .venv/bin/python bench/extract_bench.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.lexicon import load_lexicon  # noqa: E402
from kg.extract.linking import extract  # noqa: E402
from kg.parse.plan import parse_file  # noqa: E402

TARGET_S = 1.0


def plans() -> list[Path]:
    return [ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt", *sorted((ROOT / "tests" / "data" / "samples").glob("*.txt"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extract.json")
    args = parser.parse_args()
    started = time.perf_counter()
    lexicon = load_lexicon(ROOT / "ontology" / "vocab")
    load_s = time.perf_counter() - started
    rows = []
    for path in plans():
        plan = parse_file(path)
        extract(plan, lexicon)  # warm-up: model sessions, caches
        times = []
        for _ in range(args.runs):
            begin = time.perf_counter()
            extract(plan, lexicon)
            times.append(time.perf_counter() - begin)
        rows.append({"plan": path.stem, "chars": len(plan.text), "median_s": round(statistics.median(times), 3),
                     "min_s": round(min(times), 3), "runs": args.runs})
    print(f"lexicon load: {load_s:.2f} s")
    print("| plan | chars | median s | min s |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['plan']} | {row['chars']} | {row['median_s']:.3f} | {row['min_s']:.3f} |")
    worst = max(row["median_s"] for row in rows)
    print(f"worst median {worst:.3f} s (target ≤ {TARGET_S} s): {'ok' if worst <= TARGET_S else 'OVER'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"target_s": TARGET_S, "lexicon_load_s": round(load_s, 2), "plans": rows},
                                   ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
