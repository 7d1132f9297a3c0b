"""API benchmark: `policykg serve` (one uvicorn worker) under load from Debian `wrk` in its own
process — measure detail, hybrid search, canned queries over /sparql (seed, ~1M quads, 1,000 plans)
and service start. Prints tables and writes bench/results/api.json.

    .venv/bin/python bench/api_bench.py [--duration 10] [--skip-1m]

Targets are reported, never asserted. Scratch files (builds, server log) go to bench/out/api/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "api"
SEED_DATA = OUT / "seed"
OTHER_1000 = BENCH / "out" / "data"  # the build benchmark's 1,000-plan build, when it is there
LARGE = {"1m": 160, "1000": 1000}  # graph → generated plans (~6,200 quads a plan: 160 plans ≈ 1M quads)
QUESTIONS = ROOT / "tests" / "data" / "dev-questions.json"
LUA = """local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(s, latency, requests)
  io.write(string.format('WRKJSON {"requests":%%d,"duration_us":%%d,"errors":%%d,"non2xx":%%d,"timeouts":%%d,'
    .. '"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,"max_us":%%d}\\n', s.requests, s.duration,
    s.errors.connect + s.errors.read + s.errors.write, s.errors.status, s.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def machine() -> dict[str, Any]:
    packages: dict[str, str | None] = {}
    for name in ("policykg", "fastapi", "starlette", "uvicorn", "uvloop", "httptools", "pyoxigraph", "httpx", "torch"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False).stdout.strip().splitlines()
    return {"cpu_count": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "platform": platform.platform(), "wrk": wrk[0] if wrk else None, "packages": packages}


def busy() -> list[str]:
    """The processes using the most CPU (this machine may be shared with other work)."""
    lines = subprocess.run(["ps", "-eo", "pcpu,etime,args", "--sort=-pcpu"], capture_output=True, text=True,
                           check=False).stdout
    return [line.strip()[:140] for line in lines.splitlines()[1:7]]


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (the query workers)."""
    total, stack, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


@contextmanager
def server(data_dir: Path, **env: str) -> Iterator[tuple[str, float, int]]:
    """`python -m policykg.cli serve` on a free loopback port, as tests/server.py does; yields (url, seconds
    from process start to the first 200 on /health, pid) and stops it by its pid."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = (OUT / "server.log").open("wb")  # the last server's output
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env={**os.environ, "POLICYKG_DATA_DIR": str(data_dir), **env},
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}; see {log.name}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > 600:
                raise RuntimeError("server not ready in 600 s")
            time.sleep(0.02)
        yield url, time.perf_counter() - started, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


def wrk(url: str, pid: int, paths: list[str], connections: int, duration: float) -> dict[str, Any]:
    """`wrk -t1` rotating over ``paths`` (one client thread leaves the most CPU to the server)."""
    script = OUT / "rotate.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    load, cpu = os.getloadavg()[0], cpu_s(pid)
    done = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", "--timeout", "30s", "--latency",
                           "-s", str(script), url], capture_output=True, text=True, check=True)
    raw = json.loads(next(l for l in done.stdout.splitlines() if l.startswith("WRKJSON ")).removeprefix("WRKJSON "))
    cpu, seconds = cpu_s(pid) - cpu, raw["duration_us"] / 1e6
    return {"connections": connections, "duration_s": round(seconds, 2), "requests": raw["requests"],
            "rps": round(raw["requests"] / seconds, 1), "errors": raw["errors"], "non2xx": raw["non2xx"],
            "timeouts": raw["timeouts"],
            **{k[:-3] + "_ms": round(raw[k] / 1000, 2) for k in ("p50_us", "p90_us", "p99_us", "max_us")},
            "server_cpu_ms_per_request": round(cpu * 1000 / max(1, raw["requests"]), 2),
            "server_cores_busy": round(cpu / seconds, 2), "loadavg_1m_before": round(load, 2)}


def check(client: httpx.Client, url: str, paths: list[str]) -> list[float]:
    """Each path once, in turn; every answer must be 200. Returns the latencies (s)."""
    times = []
    for path in paths:
        clock = time.perf_counter()
        response = client.get(url + path)
        times.append(time.perf_counter() - clock)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return times


def measure_bench(client: httpx.Client, url: str, pid: int, duration: float) -> dict[str, Any]:
    rows = client.get(url + "/api/measures", params={"limit": 1000}).json()
    paths = [f"/api/measures/{quote(r['plan'], safe='')}/{quote(str(r['number'] or r['seq']), safe='')}" for r in rows]
    cold = check(client, url, paths)  # first hit of each measure: its detail is not cached yet
    wrk(url, pid, paths, 32, 2)  # warm-up
    return {"measures": len(paths), "cold_first_hit_ms": {"p50": _ms(cold, .5), "max": _ms(cold, 1)},
            "c32": wrk(url, pid, paths, 32, duration), "c1": wrk(url, pid, paths, 1, max(2.0, duration / 2))}


def search_bench(client: httpx.Client, url: str, pid: int, duration: float) -> dict[str, Any]:
    questions = [q["q"] for q in json.loads(QUESTIONS.read_text(encoding="utf-8"))["queries"]]
    paths = ["/api/search?q=" + quote(q, safe="") for q in questions]
    first = check(client, url, paths)
    check(client, url, paths)  # warm-up round
    return {"questions": len(paths), "first_round_ms": {"p50": _ms(first, .5), "max": _ms(first, 1)},
            "c1": wrk(url, pid, paths, 1, duration), "c8": wrk(url, pid, paths, 8, duration)}


def sparql_bench(client: httpx.Client, url: str, pid: int, reps: int, budget_s: float) -> dict[str, Any]:
    """Each canned query bound to its example values, GET /sparql, one client: a warm-up run (two when
    fast), then ``reps`` timed runs — fewer past ``budget_s``: at least 3, or 1 when a run takes 10 s."""
    from kg.store.queries import load_queries

    results: dict[str, Any] = {}
    for name, query in load_queries().items():
        path = "/sparql?query=" + quote(query.bind({p.name: p.example for p in query.params}), safe="")

        def one(path: str = path) -> tuple[float, httpx.Response]:
            clock = time.perf_counter()
            response = client.get(url + path, headers={"Accept": "application/sparql-results+json"})
            return time.perf_counter() - clock, response

        first, response = one()
        entry: dict[str, Any] = {"status": response.status_code, "first_ms": round(first * 1000, 1)}
        results[name] = entry
        if response.status_code != 200:
            entry["detail"] = response.text[:300]
            print(f"  {name}: {response.status_code} after {first:.1f} s", flush=True)
            continue
        entry.update(rows=len(response.json()["results"]["bindings"]), truncated="x-policykg-truncated" in response.headers)
        if first < 2:
            one()
        times: list[float] = []
        clock, cpu, least = time.perf_counter(), cpu_s(pid), 3 if first < 10 else 1
        while len(times) < reps and (len(times) < least or time.perf_counter() - clock < budget_s):
            times.append(one()[0])
        entry.update(runs=len(times), p50_ms=_ms(times, .5), p90_ms=_ms(times, .9), min_ms=_ms(times, 0),
                     max_ms=_ms(times, 1), server_cpu_ms=round((cpu_s(pid) - cpu) * 1000 / len(times), 1))
        print(f"  {name}: p50 {entry['p50_ms']} ms ({entry['rows']} rows)", flush=True)
    return results


def large_graph(plans: int) -> Path:
    """A build of the first ``plans`` generated plans (seed 42): the build benchmark's own when it has
    finished 1,000 plans, else a graph-only build of ours in bench/out/api/data{plans}."""
    for data_dir in ([OTHER_1000] if plans == 1000 else []) + [OUT / f"data{plans}"]:
        manifest = data_dir / "current" / "manifest.json"
        if manifest.is_file() and len(json.loads(manifest.read_text(encoding="utf-8"))["plans"]) == plans:
            return data_dir
    print(f"generating {plans} plans, building the graph only (no search index) …", flush=True)
    subprocess.run([sys.executable, __file__, "--build-graph-only", str(plans)], check=True, cwd=ROOT)
    return OUT / f"data{plans}"


def build_graph_only(count: int) -> None:
    """kg.build.build less the search index (encoding 60k measures takes hours on 2 cores)."""
    sys.path.insert(0, str(BENCH))
    import plangen

    from kg.extract.lexicon import load_lexicon
    from kg.extract.linking import extract
    from kg.rdf.graph import load_vocabulary, plan_graph
    from kg.rdf.iri import normalise_base, plan_graph_iri, vocabulary_graph_iri
    from kg.store.builds import new_build_dir, publish, write_store
    from policykg.build import VERSION, _summary, parse_plans
    from policykg.settings import Settings

    plans_dir, data_dir = OUT / f"plans{count}", OUT / f"data{count}"
    plangen.write_corpus(plangen.generate_corpus(plangen.load_vocab(ROOT / "ontology"), count, 42), plans_dir)
    settings = Settings(seeds_dir=plans_dir, data_dir=data_dir, validate=False)
    base, plans = normalise_base(settings.base), parse_plans(plans_dir)
    lexicon, vocabulary = load_lexicon(settings.ontology_dir / "vocab"), load_vocabulary(settings.ontology_dir, base=base)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    linked = [(p, e, plan_graph(p, e, base=base, generated_at=at)) for p in plans for e in [extract(p, lexicon)]]
    build_dir = new_build_dir(data_dir)
    quads = write_store(build_dir, [(vocabulary_graph_iri(base), vocabulary)] +
                        [(plan_graph_iri(base, p.id), g) for p, _, g in linked])
    publish(build_dir, {"policykg": VERSION, "built_at": at, "base": base, "quads": quads, "index": None,
                        "vocabulary_triples": len(vocabulary), "validated": False, "note": "graph only, api_bench",
                        "plans": [_summary(p, e, g) for p, e, g in linked]}, data_dir)


TARGETS = [  # (label, keys into the results, comparison, limit)
    ("measure detail, 32 clients: req/s", ("measures", "c32", "rps"), ">=", 1000),
    ("measure detail, 32 clients: p99 ms", ("measures", "c32", "p99_ms"), "<=", 20),
    ("search, 1 client: p50 ms", ("search", "c1", "p50_ms"), "<=", 35),
    ("search, 8 clients: questions/s", ("search", "c8", "rps"), ">=", 50),
    ("search, 8 clients: p99 ms", ("search", "c8", "p99_ms"), "<=", 300),
    ("service start (seed): median s", ("startup", "median_s"), "<=", 10),
]
SPARQL_LIMIT_MS = {"seed": 10, "1m": 300, "1000": 300}


def report(results: dict[str, Any]) -> None:
    print("\n| endpoint (wrk -t1) | clients | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | "
          "server CPU ms/req | server cores busy | load 1m |\n" + "|---" * 12 + "|")
    for group, key in (("measures", "c32"), ("measures", "c1"), ("search", "c1"), ("search", "c8")):
        r = results[group][key]
        label = "/api/measures/{plan}/{n} (seed)" if group == "measures" else "/api/search (24 dev questions)"
        print(f"| {label} | {r['connections']} | {r['requests']:,} | {r['rps']:,.1f} | {r['p50_ms']} | {r['p90_ms']} | "
              f"{r['p99_ms']} | {r['max_ms']} | {r['errors'] + r['non2xx'] + r['timeouts']} | "
              f"{r['server_cpu_ms_per_request']} | {r['server_cores_busy']} | {r['loadavg_1m_before']} |")
    graphs = [g for g in SPARQL_LIMIT_MS if f"sparql_{g}" in results]
    heads = [f"{g} ({results[f'graph_{g}']['quads']:,} quads)" if f"graph_{g}" in results else g for g in graphs]
    print("\n| canned query, GET /sparql, 1 client: p50 ms (p90; runs; rows; server CPU ms/run) | " + " | ".join(heads)
          + " |\n" + "|---" * (1 + len(graphs)) + "|")
    for name in results["sparql_seed"]:
        cells = [(f"{e['p50_ms']} ({e['p90_ms']}; {e['runs']}; {e['rows']}{'+' if e['truncated'] else ''}; {e['server_cpu_ms']})"
                  if "p50_ms" in e else f"{e.get('status')} after {e.get('first_ms')} ms")
                 for e in (results[f"sparql_{g}"].get(name, {}) for g in graphs)]
        print(f"| {name} | " + " | ".join(cells) + " |")
    s = results["startup"]
    print(f"\nservice start to first 200 on /health (seed, 3 starts): {s['runs_s']} s, median {s['median_s']} s; server CPU "
          f"{s['server_cpu_s']} s" + "".join(f"; {g}: {results[f'graph_{g}']['startup_s']} s" for g in graphs if g != "seed"))
    checks = TARGETS + [(f"/sparql {name} ({g}): p50 ms", (f"sparql_{g}", name, "p50_ms"), "<=", SPARQL_LIMIT_MS[g])
                        for g in graphs for name in results[f"sparql_{g}"]]
    print("\n| target | measured | limit | met |\n|---|---|---|---|")
    results["targets"] = []
    for label, keys, op, limit in checks:
        value: Any = results
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        met = value is not None and (value >= limit if op == ">=" else value <= limit)
        results["targets"].append({"target": label, "value": value, "limit": f"{op} {limit}", "met": met})
        print(f"| {label} | {value if value is not None else 'no answer'} | {op} {limit} | {'yes' if met else 'NO'} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--reps", type=int, default=30, help="timed runs per canned query (default 30)")
    parser.add_argument("--skip-1m", action="store_true", help="skip /sparql over the ~1M-quad and 1,000-plan graphs")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "api.json", help="result file")
    parser.add_argument("--build-graph-only", type=int, metavar="PLANS", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.build_graph_only:
        build_graph_only(args.build_graph_only)
        return 0
    if not (SEED_DATA / "current" / "manifest.json").is_file():
        print("building the seed into bench/out/api/seed …", flush=True)
        subprocess.run([str(Path(sys.executable).with_name("policykg")), "build"], cwd=ROOT, check=True,
                       env={**os.environ, "POLICYKG_DATA_DIR": str(SEED_DATA)})
    results: dict[str, Any] = {"benchmark": "policykg serve (1 uvicorn worker), load from wrk -t1",
                               "run_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
                               "parameters": {"duration_s": args.duration, "reps": args.reps},
                               "loadavg": {"start": os.getloadavg()}, "busy_at_start": busy()}
    print("service start, 3 times …", flush=True)
    starts, cpus = [], []
    for _ in range(3):
        with server(SEED_DATA) as (_, ready, pid):
            starts.append(round(ready, 2))
            cpus.append(round(cpu_s(pid), 2))
    results["startup"] = {"runs_s": starts, "median_s": statistics.median(starts), "server_cpu_s": cpus}
    with server(SEED_DATA) as (url, _, pid), httpx.Client(timeout=60) as client:
        print("measure detail …", flush=True)
        results["measures"] = measure_bench(client, url, pid, args.duration)
        print("search …", flush=True)
        results["search"] = search_bench(client, url, pid, args.duration)
        print("canned queries on the seed …", flush=True)
        results["sparql_seed"] = sparql_bench(client, url, pid, args.reps, 30)
    results["loadavg"]["after_seed"] = os.getloadavg()
    for name, plans in ({} if args.skip_1m else LARGE).items():
        data_dir = large_graph(plans)
        manifest = json.loads((data_dir / "current" / "manifest.json").read_text(encoding="utf-8"))
        graph = results[f"graph_{name}"] = {"data_dir": str(data_dir.relative_to(ROOT)), "plans": plans,
                                            "quads": manifest["quads"], "search_index": bool(manifest.get("index"))}
        print(f"canned queries on {graph['data_dir']} ({graph['quads']:,} quads; query time limit 30 s) …", flush=True)
        with server(data_dir, POLICYKG_QUERY_TIMEOUT="30") as (url, ready, pid), httpx.Client(timeout=60) as client:
            graph.update(startup_s=round(ready, 2), startup_server_cpu_s=round(cpu_s(pid), 2))
            results[f"sparql_{name}"] = sparql_bench(client, url, pid, args.reps, 30)
        results["loadavg"][f"after_{name}"] = os.getloadavg()
    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
