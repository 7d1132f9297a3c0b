"""What a running service holds: loaded once in the app's lifespan, kept on ``app.state``."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from api.catalog import Catalog
from api.sparql_runner import RemoteEndpoint, WorkerPool
from kg.errors import PolicyKGError
from kg.store.backend import RemoteBackend
from policykg.services import GraphService, SearchService
from policykg.settings import Settings

_log = logging.getLogger("policykg.api")


@dataclass
class Artifacts:
    settings: Settings
    graph: GraphService
    catalog: Catalog
    search: SearchService | None  # None when the build has no index (e.g. a graph loaded by tests)
    runner: WorkerPool | RemoteEndpoint
    search_problem: str | None = None

    @classmethod
    def open(cls, settings: Settings) -> Artifacts:
        backend = RemoteBackend(settings.store_url, timeout_s=settings.query_timeout_s) if settings.store_url else None
        graph = GraphService.open(settings, backend=backend)
        search, problem = None, None
        try:
            search = SearchService.open(settings, build=graph.build)
            search.engine.warm_up()
        except (PolicyKGError, OSError) as error:
            # A build without an index, an index of another build or model, an unreadable file: the
            # graph is still served and /api/search answers 503 with this reason. Anything else is
            # a bug and stops the server with its traceback.
            problem = f"the search index in {graph.build.path / 'index'} could not be loaded: {error}"
            _log.warning("%s", problem)
        runner: Any
        if settings.store_url:
            runner = RemoteEndpoint(settings.store_url, timeout_s=settings.query_timeout_s)
        else:
            runner = WorkerPool(str(graph.build.store_path), workers=settings.sparql_workers,
                                timeout_s=settings.query_timeout_s)
        return cls(settings=settings, graph=graph, catalog=Catalog(graph), search=search, runner=runner,
                   search_problem=problem)
