"""/api/search latency with every plan built (seeds/, tests/data/samples/*.txt and, to reach nine
plans, ``--generated`` plans from bench/plangen.py): a real `policykg serve` on loopback, one
client, the dev and dev-multi questions in turn; p50/p95 of the end-to-end request and of each
stage (the response's timings_ms), and apart the first request of each question (its query
vector not yet cached; repeats are what facet clicks, pages and permalinks send). The baseline,
measured in the same run on the same server, is GET /health: what HTTP alone costs. Writes
bench/results/multi-search.json.

    .venv/bin/python bench/multi_search_bench.py [--reps 5] [--generated 4] [--data-dir DIR (reuse a build)]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.server import running_server  # noqa: E402


def questions() -> list[str]:
    dev = json.loads((ROOT / "tests" / "data" / "dev-questions.json").read_text("utf-8"))["queries"]
    multi = json.loads((ROOT / "tests" / "data" / "dev-multi.json").read_text("utf-8"))
    return [q["q"] for q in dev] + [q["q"] for q in multi]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--generated", type=int, default=4, help="generated plans added to the real five")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "multi-search.json")
    args = parser.parse_args()
    from policykg.build import build
    from policykg.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="multi-search-"))
    data = args.data_dir
    build_s = None
    if data is None:
        seeds = work / "seeds"
        seeds.mkdir()
        for plan in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "data" / "samples").glob("*.txt")]:
            shutil.copy(plan, seeds / plan.name)
        if args.generated:
            sys.path.insert(0, str(ROOT / "bench"))
            from plangen import generate_corpus, load_vocab, write_corpus

            write_corpus(generate_corpus(load_vocab(ROOT / "ontology"), args.generated, seed=7), work / "generated")
            for plan in (work / "generated").glob("*.txt"):  # write_corpus empties its folder first
                shutil.copy(plan, seeds / plan.name)
        data = work / "data"
        clock = time.perf_counter()
        build(Settings.from_env({}, data_dir=data, seeds_dir=seeds))
        build_s = round(time.perf_counter() - clock, 2)
    manifest = json.loads((data / "current" / "manifest.json").read_text("utf-8"))
    asked = questions()
    e2e: list[float] = []
    first: list[float] = []  # each question's first request: its vector is not cached yet
    stages: dict[str, list[float]] = {}
    health: list[float] = []
    with running_server(data) as base, httpx.Client(base_url=base, timeout=30) as client:
        for question in asked[:3]:  # warm-up: model, jieba, first requests
            client.get("/api/search", params={"q": question})
        for _ in range(len(asked) * args.reps):
            clock = time.perf_counter()
            client.get("/health").raise_for_status()
            health.append((time.perf_counter() - clock) * 1000)
        for rep in range(args.reps):
            for question in asked:
                clock = time.perf_counter()
                response = client.get("/api/search", params={"q": question, "k": 10})
                e2e.append((time.perf_counter() - clock) * 1000)
                if rep == 0:
                    first.append(e2e[-1])
                response.raise_for_status()
                for stage, ms in response.json()["timings_ms"].items():
                    stages.setdefault(stage, []).append(ms)
    shutil.rmtree(work, ignore_errors=True)
    result = {
        "benchmark": "GET /api/search, all plans, one client",
        "run_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpu_count": os.cpu_count(), "python": platform.python_version(),
                    "loadavg": list(os.getloadavg())},
        "plans": len(manifest["plans"]), "measures": sum(p["measures"] for p in manifest["plans"]),
        "build_s": build_s, "questions": len(asked), "reps": args.reps,
        "e2e_ms": {"n": len(e2e), "p50": percentile(e2e, 0.5), "p95": percentile(e2e, 0.95),
                   "mean": round(statistics.fmean(e2e), 2)},
        "first_ask_ms": {"n": len(first), "p50": percentile(first, 0.5), "p95": percentile(first, 0.95)},
        "baseline_health_ms": {"n": len(health), "p50": percentile(health, 0.5)},
        "e2e_p50_over_health_p50": round(percentile(e2e, 0.5) / max(percentile(health, 0.5), 0.01), 1),
        "stages_p50_ms": {stage: percentile(values, 0.5) for stage, values in stages.items()},
        "goal": "p50 <= 35 ms",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
