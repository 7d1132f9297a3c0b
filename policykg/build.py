"""`policykg build`: every plan in seeds/ → parsed, linked, validated graph in a new store.

Nothing is written where the current build lives: the new build goes to its own folder and
becomes current only when complete, so bad input or a killed build leaves the old graph served.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rdflib import Graph

from kg.errors import PolicyKGError
from kg.extract.lexicon import lexicon_from_graph
from kg.extract.linking import extract
from kg.model import Extraction, Plan
from kg.parse.plan import parse_file
from kg.parse.source import PlanError
from kg.rdf.graph import load_vocabulary, plan_graph
from kg.rdf.iri import normalise_base, plan_graph_iri, vocabulary_graph_iri
from kg.rdf.validate import format_report, validate
from kg.report import plan_document
from kg.store.builds import StoreWriter, new_build_dir, publish
from policykg import __version__
from policykg.settings import Settings
from search.documents import SearchDocument, documents_for
from search.encoder import make_encoder
from search.index import build_index
from search.knowledge import KnowledgeBase


class BuildError(PolicyKGError, RuntimeError):
    """The build was refused; the previous build stays current."""


@dataclass(frozen=True)
class BuildResult:
    path: Path
    manifest: dict[str, Any]


def parse_plans(seeds_dir: Path) -> list[Plan]:
    files = sorted(seeds_dir.glob("*.txt"))
    if not files:
        raise BuildError(f"{seeds_dir}: no plan files (*.txt) to build from")
    plans = [parse_file(path) for path in files]
    seen: dict[str, str] = {}
    for plan in plans:
        if plan.id in seen:
            raise BuildError(f"{plan.file}: plan id {plan.id!r} is already used by {seen[plan.id]}")
        seen[plan.id] = plan.file
    return plans


def build(settings: Settings, *, plans: list[Plan] | None = None) -> BuildResult:
    """Each plan is linked, turned into its graph, written to the new store and indexed one at a
    time, so memory holds one plan's graph, not the whole corpus (unless validation needs it)."""
    timings: dict[str, float] = {"extract_s": 0.0, "graph_s": 0.0, "store_s": 0.0}
    clock = time.perf_counter()
    base = normalise_base(settings.base)
    plans = plans if plans is not None else parse_plans(settings.seeds_dir)
    timings["parse_s"] = time.perf_counter() - clock

    clock = time.perf_counter()
    vocabulary = load_vocabulary(settings.ontology_dir, base=base)
    lexicon = lexicon_from_graph(vocabulary, base)
    knowledge = KnowledgeBase.from_graph(vocabulary, base)
    timings["vocabulary_s"] = time.perf_counter() - clock

    generated_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    build_dir = new_build_dir(settings.data_dir)
    try:
        writer = StoreWriter(build_dir)
        writer.add(vocabulary_graph_iri(base), vocabulary)
        to_validate = _copy(vocabulary) if settings.validate else None
        documents: list[SearchDocument] = []
        summaries = []
        (build_dir / "plans").mkdir()
        for plan in plans:
            clock = time.perf_counter()
            extraction = extract(plan, lexicon)
            timings["extract_s"] += time.perf_counter() - clock
            clock = time.perf_counter()
            graph = plan_graph(plan, extraction, base=base, generated_at=generated_at)
            timings["graph_s"] += time.perf_counter() - clock
            clock = time.perf_counter()
            writer.add(plan_graph_iri(base, plan.id), graph)
            timings["store_s"] += time.perf_counter() - clock
            if to_validate is not None:
                to_validate += graph
            knowledge.add_entities(extraction.new_entities)
            documents += documents_for(plan, extraction, knowledge, base, first_row=len(documents))
            document = plan_document(plan, extraction, lexicon.entities)
            (build_dir / "plans" / f"{plan.id}.json").write_text(json.dumps(document, ensure_ascii=False, indent=1),
                                                                  "utf-8")
            summaries.append(_summary(plan, extraction, graph))
        clock = time.perf_counter()
        quads = writer.close()
        timings["store_s"] += time.perf_counter() - clock
        if to_validate is not None:
            clock = time.perf_counter()
            report = validate(to_validate, settings.ontology_dir / "shapes.ttl")
            if not report.conforms:
                raise BuildError("the built graph does not conform to ontology/shapes.ttl:\n" + format_report(report))
            timings["validate_s"] = time.perf_counter() - clock
        index_manifest: dict[str, Any] | None = None
        if settings.index:
            clock = time.perf_counter()
            index_manifest = _build_index(build_dir / "index", documents, knowledge, settings=settings,
                                          built_at=generated_at)
            timings["index_s"] = time.perf_counter() - clock
        manifest = {
            "policykg": __version__,
            "built_at": generated_at,
            "base": base,
            "quads": quads,
            "vocabulary_triples": len(vocabulary),
            "validated": settings.validate,
            "index": index_manifest,
            "timings": {k: round(v, 4) for k, v in timings.items()},
            "plans": summaries,
        }
        final = publish(build_dir, manifest, settings.data_dir)
    except BaseException as error:
        shutil.rmtree(build_dir, ignore_errors=True)
        if _disk_full(error):
            raise BuildError(f"no space left on the device holding {settings.data_dir}: free some space and "
                             "build again (the previous build stays current)") from None
        raise
    return BuildResult(path=final, manifest=manifest)


def _disk_full(error: BaseException) -> bool:
    """A full disk (or quota) is the operator's to fix, not a bug: one line, not a traceback.
    The store reports it as an OSError whose message carries the system's text."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(error, OSError) and "No space left on device" in str(error)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _build_index(folder: Path, documents: list[SearchDocument], knowledge: KnowledgeBase, *, settings: Settings,
                 built_at: str) -> dict[str, Any]:
    return build_index(folder, documents, knowledge, make_encoder(settings.model), graph_built_at=built_at,
                       cache=settings.data_dir / "cache")


def _summary(plan: Plan, extraction: Extraction, graph: Graph) -> dict[str, Any]:
    return {
        "id": plan.id,
        "file": plan.file,
        "sha256": hashlib.sha256(plan.text.encode("utf-8")).hexdigest(),
        "title": plan.title,
        "issuer": plan.issuer,
        "issue_date": plan.issue_date,
        "sections": len(plan.sections),
        "tasks": len(plan.tasks),
        "measures": len(plan.measures),
        "mentions": len(extraction.mentions),
        "targets": len(extraction.targets),
        "triples": len(graph),
        "warnings": list(plan.warnings),
    }


__all__ = ["BuildError", "BuildResult", "PlanError", "build", "parse_plans"]
