"""Child processes of bench/build_bench.py, one engine or build per process so that peak RSS
(``ru_maxrss`` of the child itself) belongs to that job alone.

    python bench/worker.py build    JOB.json  → the 1,000-plan build, validation off (index on or off)
    python bench/worker.py oxigraph JOB.json  → ONE canned query on the built store, read-only
    python bench/worker.py rdflib   JOB.json  → all canned queries on rdflib's in-memory Dataset

JOB.json holds the paths and the bound queries; the result is one JSON object on stdout's last line.
The oxigraph worker also prints one JSON line per run as it goes, so that the parent can kill it
when a run passes SINGLE_CAP_S (a query running inside Oxigraph's Rust code cannot be interrupted).
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
    """This process's own peak RSS: VmHWM, which starts afresh at exec (ru_maxrss of a child
    forked from a big parent carries the parent's peak over on Linux)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return round(usage.ru_utime + usage.ru_stime, 1)


def run_build(job: dict[str, Any]) -> dict[str, Any]:
    from policykg.build import build
    from policykg.settings import Settings

    settings = Settings(seeds_dir=Path(job["seeds_dir"]), data_dir=Path(job["data_dir"]), validate=False,
                        index=job.get("index", True))
    clock = time.perf_counter()
    result = build(settings)
    wall = time.perf_counter() - clock
    manifest = result.manifest
    totals = {key: sum(plan[key] for plan in manifest["plans"])
              for key in ("sections", "tasks", "measures", "mentions", "targets", "triples")}
    index = manifest.get("index") or {}
    return {"wall_s": round(wall, 2), "cpu_s": cpu_s(), "timings": manifest["timings"], "quads": manifest["quads"],
            "index": {"documents": index.get("documents"), "model": index.get("model"),
                      "vector_index": index.get("vector_index"), "timings": index.get("timings")},
            "vocabulary_triples": manifest["vocabulary_triples"], "plans": len(manifest["plans"]),
            "validated": manifest["validated"], "indexed": settings.index, "totals": totals,
            "store_path": str(result.path / "store"),
            "store_mb": round(sum(p.stat().st_size for p in (result.path / "store").rglob("*") if p.is_file()) / 2**20, 1),
            "peak_rss_mb": peak_rss_mb()}


def time_query(run: Callable[[], list[Any]], reps: int, *, alarm: bool,
               report: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """1 warm-up + ``reps`` timed runs, stopping once the next run would pass TOTAL_CAP_S; with
    ``alarm`` a run longer than SINGLE_CAP_S is interrupted (works for pure-Python rdflib)."""
    times: list[float] = []
    rows = None
    started = time.perf_counter()
    for rep in range(reps + 1):
        elapsed = time.perf_counter() - started
        if times and elapsed + times[-1] > TOTAL_CAP_S:
            break
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, SINGLE_CAP_S)
        clock = time.perf_counter()
        try:
            rows = len(run())
        except _Timeout:
            return {"status": "timeout", "rows": None, "median_ms": None, "runs": len(times),
                    "note": f">{SINGLE_CAP_S:.0f} s"}
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        duration = time.perf_counter() - clock
        if report is not None:
            report({"run": rep, "s": round(duration, 4), "rows": rows})
        if rep == 0:
            warmup = duration
        else:
            times.append(duration)
    return {"status": "ok", "rows": rows, "median_ms": round(statistics.median(times) * 1000, 1),
            "min_ms": round(min(times) * 1000, 1), "warmup_ms": round(warmup * 1000, 1), "runs": len(times)}


def _emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def run_oxigraph(job: dict[str, Any]) -> dict[str, Any]:
    from kg.store.builds import current_build, open_store
    from kg.store.sparql import execute, to_table

    clock = time.perf_counter()
    store = open_store(current_build(Path(job["data_dir"])))
    open_s = time.perf_counter() - clock
    _emit({"ready": True, "open_s": round(open_s, 4)})
    text = job["query"]
    result = time_query(lambda: to_table(execute(store, text)).rows, job["reps"], alarm=False, report=_emit)
    return {**result, "open_s": round(open_s, 4), "peak_rss_mb": peak_rss_mb()}


def run_rdflib(job: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Dataset

    from kg.namespaces import PREFIXES
    from kg.store.builds import current_build, open_store

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
    loaded, rss_after_load = sum(1 for _ in dataset.quads()), peak_rss_mb()

    def handler(signum: int, frame: Any) -> None:
        raise _Timeout()

    signal.signal(signal.SIGALRM, handler)

    def run(text: str) -> list[Any]:
        return [[None if value is None else str(value) for value in row] for row in dataset.query(text, initNs=dict(PREFIXES))]

    results = {name: time_query(lambda text=text: run(text), job["reps"], alarm=True)
               for name, text in job["queries"].items()}
    dump.unlink(missing_ok=True)
    return {"dump_s": round(dump_s, 2), "load_s": round(load_s, 2), "quads_loaded": loaded,
            "rss_after_load_mb": rss_after_load, "queries": results, "peak_rss_mb": peak_rss_mb(), "cpu_s": cpu_s(),
            "caps": {"single_run_s": SINGLE_CAP_S, "per_query_total_s": TOTAL_CAP_S}}


def main(argv: list[str]) -> int:
    mode, job_path = argv
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    runner = {"build": run_build, "oxigraph": run_oxigraph, "rdflib": run_rdflib}[mode]
    print(json.dumps(runner(job), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
