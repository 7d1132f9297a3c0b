"""Markdown tables of a bench/build_bench.py result (the same tables go into bench/README.md)."""

from __future__ import annotations

import statistics
from typing import Any


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join("" if cell is None else str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _ratio(value: float) -> str:
    return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"


def _stages(stages: dict[str, float]) -> str:
    return ", ".join(f"{key.removesuffix('_s')} {_ms(value)}" for key, value in stages.items())


def seed_table(seed: dict[str, Any]) -> str:
    rows = [["parse of the seed (parse_file)", _ms(seed["parse_s"]["median"]), f"{seed['tasks']} tasks, "
             f"{seed['measures']} measures"]]
    for key, label in (("build_validated_warm", "build(settings), SHACL on, warm embedding cache"),
                       ("build_unvalidated_warm", "build(settings), SHACL off, warm embedding cache"),
                       ("build_validated_cold", "build(settings), SHACL on, cold (fresh data dir)"),
                       ("build_validated_noindex", "build(settings), SHACL on, index off"),
                       ("build_unvalidated_noindex", "build(settings), SHACL off, index off")):
        if key not in seed:
            continue
        run = seed[key]
        rows.append([label, _ms(run["median_s"]), f"{run['quads']:,} quads; {_stages(run['stages_median_s'])}"])
    rows.append(["cold import of policykg.build (fresh interpreter)", _ms(seed["import_kg_build_s"]), "not part of the above"])
    return _table(["seed (in-process, after warm-up)", "median", "notes"], rows)


def corpus_table(corpus: dict[str, Any], sample: dict[str, Any]) -> str:
    per = corpus["measures_per_plan"]
    rows = [["plans / issuers", f"{corpus['plans']:,} / {corpus['issuers']}"],
            ["tasks / measures", f"{corpus['tasks']:,} / {corpus['measures']:,} "
                                 f"({per['mean']} per plan, {per['min']}–{per['max']})"],
            ["page breaks inside measures", f"{corpus['page_breaks']:,}"],
            ["generate / parse-check", f"{_ms(corpus['generate_s'])} / {_ms(corpus['check_parse_s'])}"],
            ["generator ≠ parser mismatches", corpus["parse_mismatches"]]]
    if sample.get("conforms"):
        rows.append([f"SHACL validation, {sample['plans']}-plan sample",
                     f"{_ms(sample['validate_s'])} for {sample['plan_triples']:,} plan triples "
                     f"(+ vocabulary), conforms"])
    else:
        rows.append([f"SHACL validation, {sample['plans']}-plan sample", f"FAILED: {sample.get('error', '')[:300]}"])
    return _table(["generated corpus", "value"], rows)


def build_table(build: dict[str, Any]) -> str:
    indexed = build.get("indexed", True)
    if build.get("failed"):
        return _table(["build (FAILED)", "value"], [
            ["return code", build["returncode"]], ["ran for", _ms(build["process_wall_s"])],
            ["sampled peak RSS before it died", f"{build['sampled_peak_rss_mb']:,} MB"],
            ["RSS timeline (s, MB)", " ".join(f"{t}:{m}" for t, m in build["rss_timeline_s_mb"][-12:])],
            ["stderr", build["stderr_tail"][-300:].replace("\n", " ") or "(empty)"]])
    totals = build["totals"]
    rows = [["build(settings) wall, in the child", _ms(build["wall_s"])],
            ["child process wall (with interpreter start + imports)", _ms(build["process_wall_s"])],
            ["CPU time of the build process (user + sys)", _ms(build["cpu_s"])],
            ["stages (manifest timings)", _stages(build["timings"])],
            ["index stage: search index of measures", f"{build['index']['documents']:,} documents, "
             f"{build['index']['model']}; {_stages(build['index']['timings'] or {})}" if indexed else "off"],
            ["quads in store (plans + vocabulary)", f"{build['quads']:,} ({totals['triples']:,} plan triples)"],
            ["tasks / measures / mentions / targets", f"{totals['tasks']:,} / {totals['measures']:,} / "
                                                      f"{totals['mentions']:,} / {totals['targets']:,}"],
            ["peak RSS of the build process (VmHWM)", f"{build['peak_rss_mb']:,.0f} MB"],
            ["RSS timeline (s: MB, sampled every 30 s)",
             " ".join(f"{t}:{m}" for t, m in build.get("rss_timeline_s_mb", [])[::4][-10:]) or "–"],
            ["store on disk", f"{build['store_mb']:,.0f} MB"],
            ["SHACL validation", "off (pyshacl over the whole graph is too slow at this size; see the sample)"]]
    return _table([f"build of {build['plans']:,} plans, index {'on' if indexed else 'off'}", "value"], rows)


def query_table(oxigraph: dict[str, Any], rdflib: dict[str, Any] | None) -> str:
    rows = []
    for name, ox in oxigraph["queries"].items():
        rd = (rdflib or {}).get("queries", {}).get(name)
        if ox["status"] != "ok":
            rows.append([name, ox["rows"] if ox["rows"] is not None else "–", "–" if rd is None else rd["rows"],
                         ox["note"], "–" if rd is None else rd.get("note") or f"{rd['median_ms']:,}", "–"])
            continue
        rd_ms = None if rd is None else rd.get("note") if rd["status"] != "ok" else rd["median_ms"]
        ratio = (_ratio(rd["median_ms"] / ox["median_ms"]) if rd and rd["status"] == "ok" and ox["median_ms"]
                 else "–")
        rd_rows = "–" if rd is None or rd["rows"] is None else rd["rows"]
        flag = "" if rd is None or rd["rows"] is None or rd["rows"] == ox["rows"] else " **≠**"
        rd_cell = "–" if rd_ms is None else f"{rd_ms:,}" if isinstance(rd_ms, float) else rd_ms
        if rd and rd["status"] == "ok" and rd["runs"] < ox["runs"]:
            rd_cell += f" ({rd['runs']} runs)"
        rows.append([name, f"{ox['rows']:,}", f"{rd_rows}{flag}", f"{ox['median_ms']:,}", rd_cell, ratio])
    return _table(["query", "rows (Oxigraph)", "rows (rdflib)", "Oxigraph median ms", "rdflib median ms",
                   "rdflib / Oxigraph"], rows)


def engines_table(oxigraph: dict[str, Any], rdflib: dict[str, Any] | None) -> str:
    queries = oxigraph["queries"].values()
    peak = max((q["peak_rss_mb"] for q in queries if "peak_rss_mb" in q), default=None)
    opens = [q["open_s"] for q in queries if "open_s" in q]
    rows = [["Oxigraph, on-disk store opened read-only (one process per query)",
             f"open {_ms(statistics.median(opens)) if opens else '–'}", f"{peak:,.0f} MB" if peak else "–"]]
    if rdflib:
        rows.append(["rdflib Dataset(default_union=True), in memory",
                     f"dump N-Quads {_ms(rdflib['dump_s'])} + parse {_ms(rdflib['load_s'])} "
                     f"({rdflib['quads_loaded']:,} quads; RSS after load {rdflib['rss_after_load_mb']:,.0f} MB)",
                     f"{rdflib['peak_rss_mb']:,.0f} MB"])
    return _table(["query engine (own subprocess)", "load", "peak RSS"], rows)


def print_report(results: dict[str, Any]) -> None:
    machine = results["machine"]
    print(f"\nmachine: {machine['cpus_usable']} of {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
          f"{machine['memory_mb']:,} MB, Python {machine['python']}, "
          + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()))
    blocks = [seed_table(results["seed"]), corpus_table(results["corpus"], results["validation_sample"])]
    blocks += [build_table(results[key]) for key in ("build_noindex", "build") if key in results]
    if "oxigraph" in results:
        rdflib = results.get("rdflib")
        if rdflib and rdflib.get("failed"):
            blocks.append(f"rdflib worker FAILED ({rdflib['returncode']}) after {_ms(rdflib['process_wall_s'])}, "
                          f"sampled peak RSS {rdflib['sampled_peak_rss_mb']:,} MB")
            rdflib = None
        blocks += [query_table(results["oxigraph"], rdflib), engines_table(results["oxigraph"], rdflib)]
    for block in blocks:
        print()
        print(block)
    mismatches = results["corpus"]["mismatch_examples"]
    if mismatches:
        print("\ngenerator/parser mismatches (first few):")
        for line in mismatches[:10]:
            print("  " + line)
