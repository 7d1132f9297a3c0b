"""Child processes of bench/build_bench.py, one engine or build per process so that peak RSS
(``ru_maxrss`` of the child itself) belongs to that job alone.

    python bench/worker.py build    JOB.json  → the 1,000-plan build, validation off
    python bench/worker.py oxigraph JOB.json  → canned queries on the built store, read-only
    python bench/worker.py rdflib   JOB.json  → the same queries on rdflib's in-memory Dataset

JOB.json holds the paths and the bound queries; the result is one JSON object on stdout's last line.
"""

from __future__ import annotations

import json
import resource
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SINGLE_CAP_S = 30.0  # one rdflib run longer than this is recorded as ">30 s", further reps skipped
TOTAL_CAP_S = 60.0  # warm-up + timed runs of one rdflib query stop once they would pass this


class _Timeout(Exception):
    pass


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def run_build(job: dict[str, Any]) -> dict[str, Any]:
    from kg.build import build
    from kg.settings import Settings

    settings = Settings(seeds_dir=Path(job["seeds_dir"]), data_dir=Path(job["data_dir"]), validate=False)
    clock = time.perf_counter()
    result = build(settings)
    wall = time.perf_counter() - clock
    manifest = result.manifest
    totals = {key: sum(plan[key] for plan in manifest["plans"])
              for key in ("sections", "tasks", "measures", "mentions", "targets", "triples")}
    return {"wall_s": round(wall, 2), "timings": manifest["timings"], "quads": manifest["quads"],
            "vocabulary_triples": manifest["vocabulary_triples"], "plans": len(manifest["plans"]),
            "validated": manifest["validated"], "totals": totals, "store_path": str(result.path / "store"),
            "store_mb": round(sum(p.stat().st_size for p in (result.path / "store").rglob("*") if p.is_file()) / 2**20, 1),
            "peak_rss_mb": peak_rss_mb()}


def time_query(run: Callable[[], list[Any]], reps: int, capped: bool) -> dict[str, Any]:
    """1 warm-up + ``reps`` timed runs; rdflib (capped) stops early as SINGLE_CAP_S/TOTAL_CAP_S say."""
    times: list[float] = []
    rows = None
    started = time.perf_counter()
    for rep in range(reps + 1):
        elapsed = time.perf_counter() - started
        if capped and times and elapsed + times[-1] > TOTAL_CAP_S:
            break
        if capped:
            signal.setitimer(signal.ITIMER_REAL, SINGLE_CAP_S)
        clock = time.perf_counter()
        try:
            rows = len(run())
        except _Timeout:
            return {"status": "timeout", "rows": None, "median_ms": None, "runs": len(times),
                    "note": f">{SINGLE_CAP_S:.0f} s"}
        finally:
            if capped:
                signal.setitimer(signal.ITIMER_REAL, 0)
        duration = time.perf_counter() - clock
        if rep == 0:
            warmup = duration
        else:
            times.append(duration)
    return {"status": "ok", "rows": rows, "median_ms": round(statistics.median(times) * 1000, 1),
            "min_ms": round(min(times) * 1000, 1), "warmup_ms": round(warmup * 1000, 1), "runs": len(times)}


def run_oxigraph(job: dict[str, Any]) -> dict[str, Any]:
    from kg.sparql import execute, to_table
    from kg.store import current_build, open_store

    clock = time.perf_counter()
    store = open_store(current_build(Path(job["data_dir"])))
    open_s = time.perf_counter() - clock
    results = {}
    for name, text in job["queries"].items():
        results[name] = time_query(lambda text=text: to_table(execute(store, text)).rows, job["reps"], capped=False)
    return {"open_s": round(open_s, 3), "queries": results, "peak_rss_mb": peak_rss_mb()}


def run_rdflib(job: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.sparql import PREFIXES
    from kg.store import current_build, open_store

    dump = Path(job["dump_path"])
    clock = time.perf_counter()
    store = open_store(current_build(Path(job["data_dir"])))
    store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    del store
    dump_s = time.perf_counter() - clock
    clock = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(str(dump), format="nquads")
    load_s = time.perf_counter() - clock
    loaded, rss_after_load = len(dataset), peak_rss_mb()

    def handler(signum: int, frame: Any) -> None:
        raise _Timeout()

    signal.signal(signal.SIGALRM, handler)

    def run(text: str) -> list[Any]:
        return [[None if value is None else str(value) for value in row] for row in dataset.query(text, initNs=PREFIXES)]

    results = {name: time_query(lambda text=text: run(text), job["reps"], capped=True)
               for name, text in job["queries"].items()}
    dump.unlink(missing_ok=True)
    return {"dump_s": round(dump_s, 2), "load_s": round(load_s, 2), "quads_loaded": loaded,
            "rss_after_load_mb": rss_after_load, "queries": results, "peak_rss_mb": peak_rss_mb(),
            "caps": {"single_run_s": SINGLE_CAP_S, "per_query_total_s": TOTAL_CAP_S}}


def main(argv: list[str]) -> int:
    mode, job_path = argv
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    runner = {"build": run_build, "oxigraph": run_oxigraph, "rdflib": run_rdflib}[mode]
    print(json.dumps(runner(job), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
