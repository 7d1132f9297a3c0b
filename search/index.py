"""Building and loading the search index that sits next to the graph in each build."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kg.errors import PolicyKGError
from search.bm25 import BM25
from search.cache import encode_with_cache
from search.documents import SearchDocument
from search.encoder import CombinedEncoder, Encoder
from search.knowledge import KnowledgeBase
from search.tokenize import Tokenizer
from search.vectors import VectorIndex

INDEX_FORMAT = 2  # 2: per-measure units and deadlines, deadline_start, plan short title and issuers


class StaleIndexError(PolicyKGError, RuntimeError):
    """The index is missing, built by another model or for another graph: rebuild it."""


def tokenizer_for(knowledge: KnowledgeBase) -> Tokenizer:
    return Tokenizer(label for info in knowledge.entities.values() for label in info.zh_labels)


def build_index(folder: Path, documents: list[SearchDocument], knowledge: KnowledgeBase, encoder: Encoder,
                *, graph_built_at: str, cache: Path | None = None) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    tokenizer = tokenizer_for(knowledge)
    bm25 = BM25.build([tokenizer.tokens(d.lexical_text(knowledge)) for d in documents])
    bm25.save(folder)
    timings["bm25_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if not documents:
        raise StaleIndexError("nothing to index: the plans have no measures")
    texts = [d.dense_text() for d in documents]
    if isinstance(encoder, CombinedEncoder):  # cached per model, so changing the mix re-encodes nothing known
        vectors = encoder.join([encode_with_cache(part, texts, cache) for part in encoder.parts])
    else:
        vectors = encode_with_cache(encoder, texts, cache)
    timings["encode_s"] = time.perf_counter() - clock
    clock = time.perf_counter()
    index = VectorIndex.build(vectors)
    index.save(folder / "vectors.faiss")
    timings["vectors_s"] = time.perf_counter() - clock
    (folder / "documents.json").write_text(json.dumps([asdict(d) for d in documents], ensure_ascii=False), "utf-8")
    knowledge.save(folder / "knowledge.json")
    manifest = {"format": INDEX_FORMAT, "model": encoder.name, "dimension": int(vectors.shape[1]),
                "documents": len(documents), "vector_index": index.kind, "graph_built_at": graph_built_at,
                "timings": {k: round(v, 4) for k, v in timings.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
    return manifest


def read_manifest(folder: Path, *, model: str, graph_built_at: str) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise StaleIndexError(f"no search index in {folder}: run `policykg build`")
    manifest = json.loads(path.read_text("utf-8"))
    if manifest.get("format") != INDEX_FORMAT:
        raise StaleIndexError(f"the search index has format {manifest.get('format')}, this version reads {INDEX_FORMAT}: "
                          "run `policykg build`")
    if manifest["model"] != model:
        raise StaleIndexError(f"the search index was built with model {manifest['model']!r} but the settings ask for "
                          f"{model!r}: run `policykg build` (or set POLICYKG_MODEL={manifest['model']})")
    if manifest["graph_built_at"] != graph_built_at:
        raise StaleIndexError("the search index belongs to another build of the graph: run `policykg build`")
    return manifest


def load_documents(folder: Path) -> list[SearchDocument]:
    rows = json.loads((folder / "documents.json").read_text("utf-8"))
    return [SearchDocument(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}) for row in rows]
