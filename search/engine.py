"""Hybrid search over measures: BM25 + dense vectors + knowledge graph, fused, split into
confident and weaker matches, explained. Deadlines (search/deadlines.py), department types
(search/units.py), the plan a question names (search/scope.py) and the explanations
(search/explain.py) live in their own modules."""

from __future__ import annotations

import threading
import time
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import InputError
from search.bm25 import BM25
from search.deadlines import DeadlineAsk, deadline_ask, fit
from search.dense import DenseScores, dense_scores
from search.documents import SearchDocument
from search.encoder import Encoder, encoder_blocks
from search.explain import build_hit
from search.facets import FilterError, Filters, facet_counts, filter_mask
from search.floor import confident
from search.fusion import RRF_K, blend, ranks, reciprocal_rank_fusion
from search.index import load_documents, read_manifest, tokenizer_for
from search.knowledge import KnowledgeBase
from search.linking import LinkedEntity, Linker
from search.scope import ScopeHint, plan_hint, profiles
from search.tokenize import share_named
from search.units import UnitAsk, family, unit_asks, unit_type
from search.vectors import VectorIndex

MAX_QUESTION_CHARS = 256  # longer questions are cut here (and the response says so)
MAX_K = 100
LEGS = ("bm25", "dense", "knowledge")
DEFAULT_WEIGHTS = {"bm25": 1.0, "dense": 1.3, "knowledge": 1.5}
KIND_WEIGHTS = {"place": 1.0, "field": 1.0, "partner": 1.2, "unit": 1.2, "instrument": 0.8}
ROLE_WEIGHTS = {"lead": {"lead": 1.2, "support": 0.5}, "support": {"lead": 0.6, "support": 1.2},
                "any": {"lead": 1.2, "support": 0.8}}
PLAN_BOOST = 0.5  # a plan named only by its place: its measures gain half a first-rank vote
DENSE_CANDIDATES = 200
QUERY_VECTORS = 1024  # recent questions whose vectors are kept
FAMILY_SHARE = 0.7
SPECIFIC_SHARE = 0.02  # an entity on at most 2% of the measures counts in full; commoner ones less
TEXT_SHARE = 0.6  # a measure printing an entity's label the extraction did not link gets this share
HIDDEN_SHARE = 0.5  # an entity named only by an everyday word (hidden label) gets this share of its vote
FULL_NAMED = 0.3  # the knowledge leg votes in full when the question's linked names make up this share of it…
MIN_NAMED = 0.25  # …and with this share of its vote when they are a small part (编程 in a question about training)
FULL_COVERAGE = 0.6  # a BM25 match holding this share of the question's IDF mass gets a full vote


class SearchError(InputError):
    """A bad question or parameter; the message says what was wrong."""


@dataclass
class SearchResponse:
    query: str
    results: list[dict[str, Any]]  # confident matches
    facets: dict[str, list[dict[str, Any]]]  # counted over the hits shown (results and weaker)
    linked: list[dict[str, str]]
    truncated: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    weaker: list[dict[str, Any]] = field(default_factory=list)  # below the relevance floor, shown apart
    scope: dict[str, Any] | None = None  # the plan(s) the question named


class SearchEngine:
    def __init__(self, documents: list[SearchDocument], bm25: BM25, vectors: VectorIndex, knowledge: KnowledgeBase,
                 encoder: Encoder, *, weights: dict[str, float] | None = None, fusion: str = "rrf") -> None:
        self.documents = documents
        self.bm25 = bm25
        self.vectors = vectors
        self.knowledge = knowledge
        self.encoder = encoder
        self._blocks = encoder_blocks(encoder)
        self.tokenizer = tokenizer_for(knowledge)
        self.linker = Linker(knowledge)
        self.weights = weights or dict(DEFAULT_WEIGHTS)
        self.fusion = fusion
        self.plans = profiles(documents, knowledge)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._vector_lock = threading.Lock()
        self._closures = [set(d.closure) for d in documents]
        self._direct = [set(d.entities) | set(d.unit_keys) for d in documents]
        self._rows_naming: dict[str, list[int]] = {}
        self._rows_within: dict[str, list[int]] = {}
        for row, (direct, closure) in enumerate(zip(self._direct, self._closures)):
            for key in direct:
                self._rows_naming.setdefault(key, []).append(row)
            for key in closure - direct:
                self._rows_within.setdefault(key, []).append(row)
        # department type → rows where a unit of that type leads / supports (printed or full name)
        self._unit_rows: dict[tuple[str, str], list[int]] = {}
        for row, document in enumerate(documents):
            for role, names in (("lead", document.lead_units), ("support", document.supporting_units)):
                for kind in {unit_type(name) for name in names} - {None}:
                    self._unit_rows.setdefault((str(kind), role), []).append(row)
                    self._unit_rows.setdefault((f"family:{family(str(kind))}", role), []).append(row)
        self._printing: dict[str, list[int]] = {}
        self._rows_by_iri = {d.iri: d.row for d in documents}
        self._ids = {(d.plan, d.number or str(d.seq)): str(d.seq) for d in documents}
        plan_numbers = {plan: number for number, plan in enumerate(self.plans)}
        self._plan_of = np.array([plan_numbers[d.plan] for d in documents], dtype=np.int32)
        self._plan_numbers = plan_numbers

    @classmethod
    def load(cls, folder: Path, encoder: Encoder, *, graph_built_at: str, **options: Any) -> SearchEngine:
        read_manifest(folder, model=encoder.name, graph_built_at=graph_built_at)
        return cls(load_documents(folder), BM25.load(folder), VectorIndex.load(folder / "vectors.faiss"),
                   KnowledgeBase.load(folder / "knowledge.json"), encoder, **options)

    def measure_id(self, plan: str, number: str) -> str:
        """The id of the measure printed with ``number`` in ``plan`` (questions naming numbers)."""
        return self._ids.get((plan, number), number)

    def similar(self, iri: str, k: int = 10) -> list[tuple[str, float]]:
        """Measures whose passages lie nearest to this one's in the embedding space."""
        row = self._rows_by_iri.get(iri)
        if row is None:
            raise KeyError(iri)
        vector = self.vectors.index.reconstruct(row)
        scores, ids = self.vectors.search(vector, min(k + 1, len(self.documents)))
        return [(self.documents[i].iri, float(s)) for s, i in zip(scores, ids) if i >= 0 and i != row][:k]

    def warm_up(self) -> None:
        self.search("科技创新", k=1)

    def search(self, question: str, k: int = 10, filters: Filters | None = None,
               legs: tuple[str, ...] = LEGS) -> SearchResponse:
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise SearchError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
        question = unicodedata.normalize("NFKC", question or "").strip()
        if not question:
            raise SearchError("the question is empty")
        truncated = len(question) > MAX_QUESTION_CHARS
        question = question[:MAX_QUESTION_CHARS]
        timings: dict[str, float] = {}
        n = len(self.documents)
        if filters and filters.plan and filters.plan not in self.plans:
            raise FilterError(f"plan={filters.plan!r} names no plan; plans: {', '.join(self.plans)}")
        mask = filter_mask(self.documents, self._closures, filters, self.knowledge) if filters else np.ones(n, dtype=bool)
        clock = time.perf_counter()
        linked = self.linker.entities(question)
        ask = deadline_ask(question)
        units = unit_asks(question)
        hint = None if filters and filters.plan else plan_hint(question, linked, self.plans, self.knowledge)
        if hint is not None and hint.hard:
            mask = mask & self._in_plans(hint.plans)
        timings["linking"] = _ms(clock)
        scores: dict[str, np.ndarray] = {}
        found: dict[str, np.ndarray] = {}
        clock = time.perf_counter()
        terms = self.tokenizer.query_tokens(question)
        coverage = self.bm25.coverage(terms)
        if "bm25" in legs:
            scores["bm25"] = self.bm25.scores(terms).astype(np.float64)
            found["bm25"] = (scores["bm25"] > 0) & mask
        timings["bm25"] = _ms(clock)
        clock = time.perf_counter()
        dense = self._dense(question, mask) if "dense" in legs else None
        if dense is not None:
            scores["dense"], found["dense"] = dense.scores, dense.found & mask
        timings["dense"] = _ms(clock)
        clock = time.perf_counter()
        knowledge = self._knowledge(linked, units, ask)
        if "knowledge" in legs:
            scores["knowledge"] = knowledge
            found["knowledge"] = (knowledge > 0) & mask
        timings["knowledge"] = _ms(clock)
        clock = time.perf_counter()
        leg_ranks = {leg: ranks(scores[leg], found[leg]) for leg in scores}
        named = share_named(question, self._named_spans(question, linked) + [u.surface for u in units]
                            + ([ask.surface] if ask else []))
        strength = {"bm25": np.clip(coverage / FULL_COVERAGE, 0.0, 1.0),
                    "knowledge": np.clip(knowledge, 0.0, 1.0) * min(1.0, max(MIN_NAMED, named / FULL_NAMED))}
        fused = blend(scores, found, self.weights) if self.fusion == "blend" else \
            reciprocal_rank_fusion(leg_ranks, self.weights, strength=strength)
        anything = np.any(list(found.values()), axis=0) & mask
        if hint is not None and not hint.hard:
            boost = self._in_plans(hint.plans)
            fused = fused + np.where(boost, PLAN_BOOST / (RRF_K + 1), 0.0)
        fused = np.where(anything, fused, -np.inf)
        order = [int(i) for i in np.argsort(-fused, kind="stable")[:k] if np.isfinite(fused[i])]
        sure = confident(order, fused, coverage, dense, knowledge, legs, named)
        shown = [self._hit(i, float(fused[i]), leg_ranks, terms, linked, units, ask, hint) for i in order]
        results = [hit for hit, ok in zip(shown, sure) if ok]
        weaker = [hit for hit, ok in zip(shown, sure) if not ok]
        facets = facet_counts(self.documents, order, self.knowledge)
        timings["fusion"] = _ms(clock)
        return SearchResponse(
            query=question, results=results, weaker=weaker, facets=facets, truncated=truncated,
            linked=[{"key": e.key, "kind": e.kind, "name": e.name, "surface": e.surface} for e in linked]
            + [{"kind": "unit-type", "name": u.kind, "surface": u.surface, "role": u.role} for u in units]
            + ([{"kind": "deadline", "surface": ask.surface, "window": ask.label, "ongoing": str(ask.ongoing).lower(),
                 "due_by": ask.due_by or ""}] if ask else []),
            scope=None if hint is None else {"plans": list(hint.plans), "named": hint.surface, "scoped": hint.hard,
                                             "titles": [self.plans[p].short for p in hint.plans]},
            timings_ms=timings)

    def _in_plans(self, plans: tuple[str, ...]) -> np.ndarray:
        return np.isin(self._plan_of, [self._plan_numbers[p] for p in plans])

    def _query_vector(self, question: str) -> np.ndarray:
        """Encoding is most of a query's time; the page asks the same question again for every facet
        click, page and permalink, so recent questions keep their vectors."""
        with self._vector_lock:
            vector = self._vectors.get(question)
            if vector is not None:
                self._vectors.move_to_end(question)
                return vector
        vector = self.encoder.encode_queries([question])[0]
        with self._vector_lock:
            self._vectors[question] = vector
            while len(self._vectors) > QUERY_VECTORS:
                self._vectors.popitem(last=False)
        return vector

    def _dense(self, question: str, mask: np.ndarray) -> DenseScores:
        n = len(self.documents)
        # a filter leaves fewer of an approximate search's candidates: ask for more
        limit = n if self.vectors.kind == "exact" else min(n, DENSE_CANDIDATES if mask.all() else DENSE_CANDIDATES * 5)
        return dense_scores(self.vectors, self._query_vector(question), self._blocks, limit)

    def _knowledge(self, linked: list[LinkedEntity], units: list[UnitAsk], ask: DeadlineAsk | None) -> np.ndarray:
        scores = np.zeros(len(self.documents))
        n = len(self.documents)
        for entity in linked:
            # an entity most measures carry (试点, a plan's own field) says little about any one of them
            carriers = len(self._rows_naming.get(entity.key, ())) + len(self._rows_within.get(entity.key, ()))
            specific = float(np.log1p(n / max(carriers, 1)) / np.log1p(1 / SPECIFIC_SHARE)) if n else 1.0
            weight = KIND_WEIGHTS.get(entity.kind, 1.0) * min(1.0, specific) * (HIDDEN_SHARE if entity.hidden else 1.0)
            scores[self._rows_naming.get(entity.key, [])] += weight
            scores[self._rows_within.get(entity.key, [])] += 0.8 * weight
            scores[self._rows_printing(entity.key)] += TEXT_SHARE * weight
        for unit in units:
            hit = np.zeros(len(self.documents))
            for role, weight in ROLE_WEIGHTS[unit.role].items():
                rows = self._unit_rows.get((unit.kind, role), [])
                hit[rows] = np.maximum(hit[rows], weight)
                # the same body at another level (经信厅 asked, a city's 经信局 printed) counts less
                rows = self._unit_rows.get((f"family:{family(unit.kind)}", role), [])
                hit[rows] = np.maximum(hit[rows], FAMILY_SHARE * weight)
            scores += hit
        if ask is not None:
            scores += np.array([fit(ask, d.deadline_type, d.deadline_start, d.deadline_end) for d in self.documents])
        return scores

    def _named_spans(self, question: str, linked: list[LinkedEntity]) -> list[str]:
        """Every label of a linked entity the question prints (智能手环 and 智能手表 both name wearables)."""
        lowered = question.lower()
        spans = [e.surface for e in linked]
        for entity in linked:
            info = self.knowledge.entities.get(entity.key)
            if info is not None:
                spans += [label for label in info.zh_labels + info.en_labels + info.hidden_labels
                          if len(label) >= 2 and label.lower() in lowered]
        return spans

    def _rows_printing(self, key: str) -> list[int]:
        """Measures whose text prints one of the entity's own labels (not a hidden one) though the
        extraction did not link them (算力资源 in a measure about a supercomputing centre)."""
        rows = self._printing.get(key)
        if rows is None:
            info = self.knowledge.entities.get(key)
            labels = [l for l in (info.zh_labels if info else ()) if len(l) >= 2 and l not in info.hidden_labels]
            carried = set(self._rows_naming.get(key, ())) | set(self._rows_within.get(key, ()))
            rows = [row for row, document in enumerate(self.documents)
                    if row not in carried and any(label in document.text for label in labels)]
            with self._vector_lock:
                self._printing[key] = rows
        return rows

    def _hit(self, row: int, score: float, leg_ranks: dict[str, np.ndarray], terms: list[str],
             linked: list[LinkedEntity], units: list[UnitAsk], ask: DeadlineAsk | None,
             hint: ScopeHint | None) -> dict[str, Any]:
        legs = {leg: int(round(rank[row])) for leg, rank in leg_ranks.items() if rank[row] > 0}
        return build_hit(self.documents[row], score, legs, terms, linked, self._closures[row], self._direct[row],
                         units, ask, hint, self.knowledge)


def _ms(clock: float) -> float:
    return round((time.perf_counter() - clock) * 1000, 3)


__all__ = ["SearchEngine", "SearchError", "SearchResponse"]
