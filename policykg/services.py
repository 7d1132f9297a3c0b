"""The application services: one object over the current build for the graph, one for search.
The CLI and the HTTP API both call these; nothing above them talks to the store or the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import BNode

from kg.extract import extract, load_lexicon
from kg.parse import parse_file
from kg.rdf.export import export_graph
from kg.rdf.iri import measure_iri, plan_graph_iri, plan_iri
from kg.rdf.validate import ValidationReport, validate
from kg.report import plan_document
from kg.store.analytics import MeasureNetwork, RelatedMeasure
from kg.store.backend import EmbeddedBackend, GraphBackend
from kg.store.builds import Build, StoreError, current_build, open_store
from kg.store.queries import get_query
from kg.store.sparql import execute, render
from kg.store.terms import Row
from policykg.settings import Settings
from search.encoder import make_encoder
from search.engine import LEGS, MAX_K, SearchEngine, SearchResponse
from search.evaluate import evaluate, load_questions
from search.facets import Filters


@dataclass
class GraphService:
    build: Build
    store: ox.Store
    settings: Settings
    backend: GraphBackend = field(default=None, repr=False)  # type: ignore[assignment]
    _network: MeasureNetwork | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.backend is None:
            self.backend = EmbeddedBackend(self.store)

    @classmethod
    def open(cls, settings: Settings, backend: GraphBackend | None = None) -> GraphService:
        """The current build; queries go to ``backend`` when given (a remote store), else the
        build's own store."""
        build = current_build(settings.data_dir)
        return cls(build=build, store=open_store(build), settings=settings, backend=backend)  # type: ignore[arg-type]

    def select(self, query: str) -> list[Row]:
        return self.backend.select(query)

    @property
    def base(self) -> str:
        return str(self.build.manifest["base"])

    @property
    def plan_ids(self) -> list[str]:
        return [plan["id"] for plan in self.build.manifest["plans"]]

    def sparql(self, query: str, output: str = "table") -> str:
        return render(execute(self.store, query), output)

    def canned(self, name: str, values: dict[str, str], output: str = "table") -> str:
        return self.sparql(get_query(name).bind(values), output)

    def export(self, rdf_format: str, plan: str | None = None) -> bytes:
        graph_iri = None
        if plan is not None:
            self._check_plan(plan)
            graph_iri = str(plan_graph_iri(self.base, plan))
        return export_graph(self.store, rdf_format, graph_iri=graph_iri)

    def network(self) -> MeasureNetwork:
        if self._network is None:
            self._network = MeasureNetwork.from_backend(self.backend)
        return self._network

    def related(self, plan: str, seq: int, k: int = 10) -> list[RelatedMeasure]:
        self._check_plan(plan)
        iri = str(measure_iri(plan_iri(self.base, plan), seq))
        try:
            return self.network().related(iri, k)
        except KeyError:
            raise StoreError(f"plan {plan!r} has no measure {seq}") from None

    def validate(self) -> ValidationReport:
        graph = Graph()
        for quad in self.store.quads_for_pattern(None, None, None, None):
            graph.add((_rdflib(quad.subject), _rdflib(quad.predicate), _rdflib(quad.object)))
        return validate(graph, self.settings.ontology_dir / "shapes.ttl")

    def _check_plan(self, plan: str) -> None:
        if plan not in self.plan_ids:
            raise StoreError(f"no plan {plan!r}; plans: {', '.join(self.plan_ids)}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # rdflib tells "a" and "a"^^xsd:string apart; RDF 1.1 does not
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


@dataclass
class SearchService:
    engine: SearchEngine
    build: Build

    @classmethod
    def open(cls, settings: Settings, build: Build | None = None, **options: Any) -> SearchService:
        build = build or current_build(settings.data_dir)
        engine = SearchEngine.load(build.path / "index", make_encoder(settings.model),
                                   graph_built_at=build.manifest["built_at"], **options)
        return cls(engine=engine, build=build)

    def search(self, question: str, k: int = 10, filters: Filters | None = None,
               legs: tuple[str, ...] = LEGS) -> SearchResponse:
        return self.engine.search(question, k=k, filters=filters, legs=legs)

    def evaluate(self, questions_file: Path, *, plan: str | None = None) -> dict[str, Any]:
        """Each question is searched over every plan; hits outside its ``scope`` are not scored.
        ``plan``: the plan that {number: grade} questions (dev.json) refer to (default: the only
        plan of a one-plan build)."""
        plans = [p["id"] for p in self.build.manifest["plans"]]
        default = plan or (plans[0] if len(plans) == 1 else None)
        questions = load_questions(questions_file, default_plan=default, number_to_id=self.engine.measure_id)

        def system(legs: tuple[str, ...]):  # type: ignore[no-untyped-def]
            def run(question: str) -> list[str]:
                response = self.engine.search(question, k=MAX_K, legs=legs)
                return [f"{hit['plan']}/{hit['id']}" for hit in response.results + response.weaker]
            return run

        systems = {"full": system(LEGS)} | {leg: system((leg,)) for leg in LEGS}
        return evaluate(questions, systems)


def parse_plan_document(path: Path, settings: Settings) -> dict[str, Any]:
    """One plan file parsed and linked, as the document of samples/*.expected.json."""
    plan = parse_file(path)
    lexicon = load_lexicon(settings.ontology_dir / "vocab")
    return plan_document(plan, extract(plan, lexicon), lexicon.entities)


__all__ = ["GraphService", "SearchService", "parse_plan_document"]
