"""What a running service holds: loaded in the app's lifespan, kept on ``app.state``, and
replaced as a whole when ``current`` points to a new build (``BuildFollower``)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.catalog import Catalog
from api.sparql_runner import RemoteEndpoint, WorkerPool
from kg.errors import PolicyKGError
from kg.store.backend import RemoteBackend
from kg.store.builds import BuildLease, lease_current, open_store, served_path
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
    lease: BuildLease | None = None  # the served build's shared lock (None for graphs handed in by tests)

    @classmethod
    def open(cls, settings: Settings) -> Artifacts:
        # The build is locked before anything is read from it, so no clean-up deletes it under us,
        # and everything below (graph, index, query workers) opens that one build.
        lease = lease_current(settings.data_dir)
        try:
            return cls._open(settings, lease)
        except BaseException:
            lease.release()
            raise

    @classmethod
    def _open(cls, settings: Settings, lease: BuildLease) -> Artifacts:
        build = lease.build
        backend = RemoteBackend(settings.store_url, timeout_s=settings.query_timeout_s) if settings.store_url else None
        graph = GraphService(build=build, store=open_store(build), settings=settings, backend=backend)  # type: ignore[arg-type]
        search, problem = None, None
        try:
            search = SearchService.open(settings, build=build)
            search.engine.warm_up()
        except (PolicyKGError, OSError) as error:
            # A build without an index, an index of another build or model, an unreadable file: the
            # graph is still served and /api/search answers 503 with this reason. Anything else is
            # a bug and stops the server with its traceback.
            problem = f"the search index in {build.path / 'index'} could not be loaded: {error}"
            _log.warning("%s", problem)
        runner: Any
        if settings.store_url:
            runner = RemoteEndpoint(settings.store_url, timeout_s=settings.query_timeout_s)
        else:
            runner = WorkerPool(str(build.store_path), workers=settings.sparql_workers,
                                timeout_s=settings.query_timeout_s, memory_mb=settings.worker_memory_mb)
        return cls(settings=settings, graph=graph, catalog=Catalog(graph), search=search, runner=runner,
                   search_problem=problem, lease=lease)

    async def close(self) -> None:
        try:
            await self.runner.close()
        finally:
            if self.lease is not None:
                self.lease.release()


class BuildFollower:
    """Switches the app to the build ``current`` points to: checks once per ``interval_s`` (one
    readlink), opens the new build beside the old one, swaps ``state.artifacts`` in one
    assignment, and closes the old build (workers, lock) once its in-flight requests are done."""

    def __init__(self, state: Any, settings: Settings, interval_s: float = 1.0) -> None:
        self.state = state
        self.settings = settings
        self.interval_s = interval_s
        # A request holding the old artifacts may wait for a worker and then run a query: both
        # are bounded by the query time limit.
        self.grace_s = 2 * settings.query_timeout_s + 5
        self._failed: Path | None = None
        self._retiring: set[asyncio.Task[None]] = set()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.check()
            except Exception:  # noqa: BLE001 - keep serving the old build; the log says why
                _log.exception("could not switch to the new build")

    async def check(self) -> bool:
        """Switch if ``current`` moved; True when it did."""
        target = served_path(self.settings.data_dir)
        served: Artifacts = self.state.artifacts
        if target is None or target == served.graph.build.path or target == self._failed:
            return False
        try:
            fresh = await asyncio.to_thread(Artifacts.open, self.settings)
            await fresh.runner.start()
        except Exception:
            self._failed = target  # a build that cannot be served is not retried every second
            raise
        self.state.artifacts = fresh
        _log.warning("now serving %s (was %s)", fresh.graph.build.path.name, served.graph.build.path.name)
        task = asyncio.create_task(self._retire(served))
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)
        return True

    async def _retire(self, old: Artifacts) -> None:
        try:
            await asyncio.sleep(self.grace_s)
        finally:
            await old.close()

    async def close(self) -> None:
        """At shutdown: close the builds still retiring now."""
        for task in list(self._retiring):
            task.cancel()
        await asyncio.gather(*self._retiring, return_exceptions=True)
