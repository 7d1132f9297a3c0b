"""Passage embeddings cached by model and text, so a rebuild encodes only new or changed measures."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from search.encoder import Encoder


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def encode_with_cache(encoder: Encoder, texts: list[str], folder: Path | None, batch: int = 64) -> np.ndarray:
    if folder is None:
        return encoder.encode_passages(texts)
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / hashlib.sha1(encoder.name.encode()).hexdigest()[:16]
    keys_path, vectors_path = stem.with_suffix(".json"), stem.with_suffix(".npy")
    known: dict[str, int] = {}
    stored = None
    if keys_path.is_file() and vectors_path.is_file():
        try:
            known = json.loads(keys_path.read_text("utf-8"))
            stored = np.load(vectors_path)
        except (ValueError, OSError):
            known, stored = {}, None  # a damaged cache is rebuilt, never trusted
    digests = [_digest(t) for t in texts]
    missing = sorted({d: t for d, t in zip(digests, texts) if d not in known}.items())
    fresh = [encoder.encode_passages([t for _, t in missing[i : i + batch]]) for i in range(0, len(missing), batch)]
    if fresh:
        start = 0 if stored is None else len(stored)
        new_vectors = np.vstack(fresh)
        stored = new_vectors if stored is None else np.vstack([stored, new_vectors])
        for offset, (digest, _) in enumerate(missing):
            known[digest] = start + offset
        _save(keys_path, vectors_path, known, stored)
    assert stored is not None or not texts
    return np.asarray(stored[[known[d] for d in digests]], dtype=np.float32) if texts else np.zeros((0, 0), np.float32)


def _save(keys_path: Path, vectors_path: Path, known: dict[str, int], vectors: np.ndarray) -> None:
    # Written to temporary names and renamed, so a killed build leaves a consistent cache.
    temporary = vectors_path.with_name(f".{vectors_path.name}.{os.getpid()}.npy")
    np.save(temporary, vectors)
    keys_temporary = keys_path.with_name(f".{keys_path.name}.{os.getpid()}")
    keys_temporary.write_text(json.dumps(known), "utf-8")
    os.replace(temporary, vectors_path)
    os.replace(keys_temporary, keys_path)
