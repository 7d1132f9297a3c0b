"""The search service over the current build: loads the engine once, answers questions,
evaluates question sets. The CLI and the HTTP API both call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.settings import Settings
from kg.store import Build, current_build
from search.encoder import make_encoder
from search.engine import LEGS, SearchEngine, SearchResponse
from search.evaluate import evaluate, load_questions
from search.facets import Filters


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
        questions = load_questions(questions_file)
        plan = plan or self.build.manifest["plans"][0]["id"]

        def system(legs: tuple[str, ...]):  # type: ignore[no-untyped-def]
            def run(question: str) -> list[str]:
                response = self.engine.search(question, k=10, filters=Filters(plan=plan), legs=legs)
                return [hit["number"] for hit in response.results]
            return run

        systems = {"full": system(LEGS)} | {leg: system((leg,)) for leg in LEGS}
        return evaluate(questions, systems)
