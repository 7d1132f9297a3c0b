"""Soak: a real `policykg serve` on loopback under N clients × T seconds of mixed traffic
(search, measure lists and details, canned queries, SPARQL, pages), sampling the server's memory.

    python bench/soak.py --data-dir data --clients 100 --seconds 60

Prints a summary and writes bench/results/soak.json: requests, errors, p50/p95/p99 latency,
throughput, and the server's RSS (main process, and with its SPARQL workers) at start, max, end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "soak.json"
QUESTIONS = ["科技成果转化", "高新技术企业培育", "知识产权保护", "人才引进", "科技金融", "集成电路",
             "南京", "产学研合作", "创新券", "国际合作"]
SPARQL = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 50",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kb(pid: int) -> int:
    """Resident memory of one process, from /proc (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return found


class Server:
    """`policykg serve` started on a free loopback port and stopped by its own pid."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policykg.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env={**os.environ, "POLICYKG_DATA_DIR": str(data_dir), **(env or {})},
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log.read().decode()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not become ready in 120 s")
            time.sleep(0.2)

    def memory_mb(self) -> tuple[float, float]:
        """(main process, main + workers) resident memory in MB."""
        main = rss_kb(self.process.pid)
        return main / 1024, (main + sum(rss_kb(c) for c in children(self.process.pid))) / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()


def _requests(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The traffic mix: (method, path, options), drawn at random by each client."""
    with httpx.Client(base_url=url, timeout=30) as client:
        measures = client.get("/api/measures", params={"limit": 200}).json()
        plans = [p["id"] for p in client.get("/api/plans").json()]
        units = [u["id"] for u in client.get("/api/units").json()][:20]
        queries = client.get("/api/queries").json()
    mix: list[tuple[str, str, dict[str, Any]]] = []
    for question in QUESTIONS:
        mix += [("GET", "/api/search", {"params": {"q": question}})] * 2
    for measure in measures[:50]:
        mix.append(("GET", f"/api/measures/{measure['plan']}/{measure['id']}", {}))
        mix.append(("GET", f"/m/{measure['plan']}/{measure['id']}", {}))
    for measure in measures[:10]:
        mix.append(("GET", f"/api/measures/{measure['plan']}/{measure['id']}/related", {}))
    for plan in plans:
        mix += [("GET", "/api/measures", {"params": {"plan": plan, "limit": 50}}), ("GET", f"/api/tasks/{plan}", {}),
                ("GET", f"/p/{plan}", {})]
    for unit in units:
        mix.append(("GET", f"/api/units/{unit}", {}))
    for query in queries:
        params = {p["name"]: p["example"] for p in query["params"] if p.get("example")}
        mix.append(("GET", f"/api/queries/{query['name']}", {"params": params}))
    for text in SPARQL:
        mix += [("POST", "/sparql", {"data": {"query": text},
                                     "headers": {"Accept": "application/sparql-results+json"}})] * 4
    mix += [("GET", "/", {}), ("GET", "/health", {}), ("GET", "/api/plans", {})]
    return mix


async def _client(url: str, mix: list[tuple[str, str, dict[str, Any]]], until: float, seed: int,
                  latencies: list[float], errors: Counter[str]) -> None:
    chooser = random.Random(seed)
    # Each client connects from its own loopback address (all of 127/8 is local on Linux), so the
    # server sees N clients, as its per-client SPARQL fairness would in real use, not one.
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.{1 + seed // 250}.{1 + seed % 250}")
    async with httpx.AsyncClient(base_url=url, timeout=60, transport=transport) as client:
        while time.monotonic() < until:
            method, path, options = chooser.choice(mix)
            clock = time.perf_counter()
            try:
                answer = await client.request(method, path, **options)
                if answer.status_code != 200:
                    errors[f"{answer.status_code} {path}: {answer.text[:120]}"] += 1
            except httpx.HTTPError as error:
                errors[f"{type(error).__name__} {path}"] += 1
            latencies.append(time.perf_counter() - clock)


async def _sample(server: Server, until: float, samples: list[dict[str, float]]) -> None:
    start = time.monotonic()
    while time.monotonic() < until:
        main, total = server.memory_mb()
        samples.append({"t_s": round(time.monotonic() - start, 1), "rss_mb": round(main, 1),
                        "rss_with_workers_mb": round(total, 1)})
        await asyncio.sleep(1.0)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def run_soak(data_dir: Path, *, clients: int = 100, seconds: float = 60.0,
             env: dict[str, str] | None = None) -> dict[str, Any]:
    server = Server(data_dir, env)
    try:
        mix = _requests(server.url)
        latencies: list[float] = []
        errors: Counter[str] = Counter()
        samples: list[dict[str, float]] = []
        start_main, start_total = server.memory_mb()

        async def soak() -> None:
            until = time.monotonic() + seconds
            await asyncio.gather(_sample(server, until, samples),
                                 *(_client(server.url, mix, until, seed, latencies, errors) for seed in range(clients)))

        clock = time.monotonic()
        asyncio.run(soak())
        elapsed = time.monotonic() - clock
        end_main, end_total = server.memory_mb()
        alive = server.process.poll() is None
    finally:
        server.stop()
    return {
        "command": f"python bench/soak.py --clients {clients} --seconds {seconds:g}",
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1), "errors": sum(errors.values()),
        "error_kinds": dict(errors.most_common(20)), "server_alive_at_end": alive,
        "latency_ms": {"p50": round(_percentile(latencies, 0.5) * 1000, 1),
                       "p95": round(_percentile(latencies, 0.95) * 1000, 1),
                       "p99": round(_percentile(latencies, 0.99) * 1000, 1),
                       "max": round(max(latencies, default=0) * 1000, 1)},
        "rss_mb": {"start": round(start_main, 1), "max": max((s["rss_mb"] for s in samples), default=0),
                   "end": round(end_main, 1)},
        "rss_with_workers_mb": {"start": round(start_total, 1),
                                "max": max((s["rss_with_workers_mb"] for s in samples), default=0),
                                "end": round(end_total, 1)},
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("POLICYKG_DATA_DIR", ROOT / "data")),
                        help="a built data folder (run `policykg build` first)")
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    result = run_soak(args.data_dir.resolve(), clients=args.clients, seconds=args.seconds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
