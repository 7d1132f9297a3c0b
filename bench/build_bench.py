"""Build benchmark: seed parse/build, a 1,000-plan generated corpus, canned queries on Oxigraph
and on rdflib's in-memory store. Prints tables and writes bench/results/build.json.

    .venv/bin/python bench/build_bench.py [--plans 1000] [--seed 42] [--reps 5] [--skip-rdflib]
    .venv/bin/python bench/build_bench.py --plans 20          # smoke run → bench/out/build-20.json

See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import plangen
from procs import child, oxigraph_query
from tables import print_report

from kg.parse.plan import parse_file
from kg.store.queries import load_queries
from policykg.build import build
from policykg.settings import Settings

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
SEED = ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt"
VALIDATION_SAMPLE = 10
PHASES = ("seed", "corpus", "build-noindex", "build", "oxigraph", "rdflib")


def machine_info() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else None
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None) if Path("/proc/meminfo").exists() else None
    packages = {}
    for name in ("policykg", "pyoxigraph", "rdflib", "pyshacl", "owlrl"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {"cpu_count": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)), "cpu_model": model,
            "memory_mb": memory, "python": platform.python_version(), "platform": platform.platform(),
            "packages": packages}


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def seed_bench(reps: int) -> dict[str, Any]:
    """Parse of the seed alone and the full build(settings) of it, in-process after a warm-up.

    "warm" builds share one data dir, so the embedding cache (data_dir/cache) is filled, as on
    any rebuild; "cold" builds each get a fresh data dir, as on the very first build; "noindex"
    builds leave the search index out (Settings.index=False): the graph build alone."""
    def one_build(data_dir: Path, validate: bool, index: bool = True) -> tuple[float, dict[str, float], int]:
        time.sleep(1.05 - time.time() % 1)  # build folders are named by the second: never reuse one
        clock = time.perf_counter()
        result = build(Settings(seeds_dir=SEED.parent, data_dir=data_dir, validate=validate, index=index))
        return time.perf_counter() - clock, result.manifest["timings"], result.manifest["quads"]

    def summary(runs: list[tuple[float, dict[str, float], int]]) -> dict[str, Any]:
        stages = {key: _median([timings.get(key, 0.0) for _, timings, _ in runs]) for key in runs[0][1]}
        return {"median_s": _median([wall for wall, _, _ in runs]), "min_s": round(min(w for w, _, _ in runs), 4),
                "stages_median_s": stages, "quads": runs[0][2], "runs": len(runs)}

    parse_file(SEED)
    parse_times = []
    for _ in range(reps):
        clock = time.perf_counter()
        plan = parse_file(SEED)
        parse_times.append(time.perf_counter() - clock)
    out: dict[str, Any] = {"file": SEED.name, "tasks": len(plan.tasks), "measures": len(plan.measures),
                           "parse_s": {"median": _median(parse_times), "min": round(min(parse_times), 4)}}
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        warm = Path(tmp) / "warm"
        one_build(warm, True)  # warm-up: imports, model load paths, embedding cache
        out["build_validated_warm"] = summary([one_build(warm, True) for _ in range(reps)])
        out["build_unvalidated_warm"] = summary([one_build(warm, False) for _ in range(reps)])
        out["build_validated_noindex"] = summary([one_build(warm, True, False) for _ in range(reps)])
        out["build_unvalidated_noindex"] = summary([one_build(warm, False, False) for _ in range(reps)])
        out["build_validated_cold"] = summary([one_build(Path(tmp) / f"cold{i}", True) for i in range(reps)])
    return out


def import_time() -> float:
    """Cold start-up: a fresh interpreter importing policykg.build (what precedes any build)."""
    code = "import time; t = time.perf_counter(); import policykg.build; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return round(float(done.stdout.strip().splitlines()[-1]), 3)


def corpus_bench(plans: int, seed: int, plans_dir: Path) -> tuple[dict[str, Any], list[plangen.GeneratedPlan]]:
    clock = time.perf_counter()
    vocab = plangen.load_vocab(ROOT / "ontology")
    corpus = plangen.generate_corpus(vocab, plans, seed)
    generate_s = time.perf_counter() - clock
    plangen.write_corpus(corpus, plans_dir)
    clock = time.perf_counter()
    problems = [problem for plan in corpus for problem in plangen.check_plan(plan)]
    check_s = time.perf_counter() - clock
    measures = [plan.measures for plan in corpus]
    return {"plans": plans, "seed": seed, "generate_s": round(generate_s, 2), "check_parse_s": round(check_s, 2),
            "tasks": sum(len(p.tasks) for p in corpus), "measures": sum(measures),
            "measures_per_plan": {"mean": round(statistics.mean(measures), 1), "min": min(measures), "max": max(measures)},
            "page_breaks": sum(p.page_breaks for p in corpus), "chars": sum(len(p.text) for p in corpus),
            "issuers": len({p.issuer for p in corpus}), "parse_mismatches": len(problems),
            "mismatch_examples": problems[:20]}, corpus


def validation_sample(plans_dir: Path, count: int) -> dict[str, Any]:
    """SHACL validation (pyshacl) of the first ``count`` generated plans, through build()."""
    files = sorted(plans_dir.glob("*.txt"))[:count]
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        sample = Path(tmp) / "plans"
        sample.mkdir()
        for path in files:
            shutil.copy(path, sample / path.name)
        clock = time.perf_counter()
        try:
            result = build(Settings(seeds_dir=sample, data_dir=Path(tmp) / "data", validate=True))
        except Exception as error:  # a non-conforming graph is a finding, not a crash
            return {"plans": len(files), "conforms": False, "error": str(error)[:2000],
                    "wall_s": round(time.perf_counter() - clock, 2)}
        manifest = result.manifest
    return {"plans": len(files), "conforms": True, "wall_s": round(time.perf_counter() - clock, 2),
            "validate_s": manifest["timings"].get("validate_s"), "timings": manifest["timings"],
            "quads": manifest["quads"], "plan_triples": sum(p["triples"] for p in manifest["plans"])}


def bound_queries() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Every canned query, its parameters bound to the query's own example values."""
    texts, values = {}, {}
    for name, query in load_queries().items():
        values[name] = {param.name: param.example for param in query.params}
        texts[name] = query.bind(values[name])
    return texts, values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=1000, help="generated plans to build (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per measurement (default 5)")
    parser.add_argument("--skip-rdflib", action="store_true", help="skip the rdflib comparison (slow at 1M quads)")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated subset of {','.join(PHASES)}; a subset updates the existing --out file "
                             "(build and queries reuse bench/out/plans, queries reuse bench/out/data)")
    parser.add_argument("--work", type=Path, default=OUT, help="scratch folder for plans/, data/ … (default bench/out)")
    parser.add_argument("--out", type=Path, help="result file (default bench/results/build.json for 1000 plans, "
                                                 "bench/out/build-N.json otherwise)")
    args = parser.parse_args(argv)
    if args.out is None:
        args.out = BENCH / "results" / "build.json" if args.plans == 1000 else args.work / f"build-{args.plans}.json"
    args.phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(sorted(unknown))}; choose from {', '.join(PHASES)}")
    return args


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _save(results: dict[str, Any], out: Path, *, complete: bool) -> None:
    """Written after every phase, so a run killed half-way still leaves what it measured."""
    results["complete"] = complete
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    work = args.work.resolve()
    plans_dir, data_dir = work / "plans", work / "data"
    partial = set(args.phases) != set(PHASES)
    results: dict[str, Any] = json.loads(args.out.read_text("utf-8")) if partial and args.out.is_file() else {}
    results.update({"benchmark": "policykg build", "machine": machine_info()})
    results.setdefault("load_average", {})["start"] = os.getloadavg()
    if not isinstance(results.get("run_at", {}), dict):  # a result file written before phases existed
        results["run_at"] = {",".join(PHASES): results["run_at"]}
    results.setdefault("run_at", {})[",".join(args.phases)] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["parameters"] = {"plans": args.plans, "seed": args.seed, "reps": args.reps, "skip_rdflib": args.skip_rdflib,
                             "validation_sample": VALIDATION_SAMPLE, "plans_dir": _shown(plans_dir),
                             "data_dir": _shown(data_dir)}
    if "seed" in args.phases:
        print(f"seed: {args.reps} runs each …", flush=True)
        results["seed"] = seed_bench(args.reps)
        results["seed"]["import_kg_build_s"] = import_time()
    if "corpus" in args.phases:
        print(f"generating {args.plans} plans …", flush=True)
        results["corpus"], _ = corpus_bench(args.plans, args.seed, plans_dir)
        print(f"SHACL validation of {VALIDATION_SAMPLE} plans …", flush=True)
        results["validation_sample"] = validation_sample(plans_dir, VALIDATION_SAMPLE)
    _save(results, args.out, complete=False)
    for phase, key, target, index in (("build-noindex", "build_noindex", work / "data-noindex", False),
                                      ("build", "build", data_dir, True)):
        if phase in args.phases:
            print(f"building {args.plans} plans in a subprocess (validation off, index {'on' if index else 'off'}) …",
                  flush=True)
            shutil.rmtree(target, ignore_errors=True)
            results[key] = child("build", {"seeds_dir": str(plans_dir), "data_dir": str(target), "index": index})
            results["load_average"][f"after_{phase}"] = os.getloadavg()
            _save(results, args.out, complete=False)
    texts, values = bound_queries()
    if results.get("build", {}).get("failed"):
        print(f"build worker failed ({results['build']['returncode']}); queries skipped", flush=True)
    elif "oxigraph" in args.phases:
        results["query_params"] = {name: bound for name, bound in values.items() if bound}
        print("queries on Oxigraph (read-only store), one worker per query …", flush=True)
        results["oxigraph"] = {"queries": {}}
        for name, text in texts.items():
            outcome = oxigraph_query({"data_dir": str(data_dir), "query": text, "reps": args.reps})
            results["oxigraph"]["queries"][name] = outcome
            print(f"  {name}: {outcome.get('median_ms') or outcome.get('note')} ms, {outcome['rows']} rows", flush=True)
        results["load_average"]["after_oxigraph"] = os.getloadavg()
        _save(results, args.out, complete=False)
    if "rdflib" in args.phases and not args.skip_rdflib and not results.get("build", {}).get("failed"):
        print("queries on rdflib Dataset (in memory) — slow …", flush=True)
        job = {"data_dir": str(data_dir), "queries": texts, "reps": args.reps, "dump_path": str(work / "dump.nq")}
        results["rdflib"] = child("rdflib", job)
        results["load_average"]["after_rdflib"] = os.getloadavg()
    results.setdefault("bench_s", {})[",".join(args.phases)] = round(time.perf_counter() - started, 1)
    _save(results, args.out, complete=all(key in results for key in ("seed", "corpus", "build", "oxigraph")))
    print_report(results)
    print(f"\nwrote {_shown(args.out.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
