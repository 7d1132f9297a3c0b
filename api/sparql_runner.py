"""Runs endpoint queries with a hard time limit: a pool of worker processes over the store
(killed and replaced when a query overruns), or a remote SPARQL 1.1 endpoint over HTTP."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class QueryOutcome:
    status: int  # HTTP status to answer with
    media: str
    body: bytes
    truncated: bool = False


def _error(status: int, message: str) -> QueryOutcome:
    return QueryOutcome(status, "text/plain; charset=utf-8", message.encode("utf-8"))


class _Worker:
    def __init__(self, store_path: str) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        from api.sparql_worker import serve_queries

        self.process = context.Process(target=serve_queries, args=(child, store_path), daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        self.process.kill()
        self.process.join(2)
        self.connection.close()


class WorkerPool:
    """``workers`` processes; a query that overruns ``timeout_s`` gets its worker killed, so the
    work really stops, and a fresh worker takes its place."""

    def __init__(self, store_path: str, *, workers: int = 2, timeout_s: float = 10.0) -> None:
        self.store_path = store_path
        self.timeout_s = timeout_s
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=workers * 2 + 2, thread_name_prefix="sparql")
        self._size = workers
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, _Worker, self.store_path)
                                         for _ in range(self._size)))
        for worker in workers:
            self._workers.append(worker)
            self._idle.put_nowait(worker)

    async def run(self, request: dict[str, Any]) -> QueryOutcome:
        assert self._idle is not None, "start() the pool first"
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=self.timeout_s)
        except TimeoutError:
            return _error(503, f"all query workers are busy; try again (time limit {self.timeout_s:g} s)")
        try:
            worker.connection.send(request)
            ready = await loop.run_in_executor(self._threads, worker.connection.poll, self.timeout_s)
            if not ready:
                self._replace(worker)
                worker = None  # type: ignore[assignment]
                return _error(503, f"the query ran past the time limit of {self.timeout_s:g} s and was stopped")
            reply = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            worker = None  # type: ignore[assignment]
            return _error(503, "the query worker stopped unexpectedly; try again")
        finally:
            if worker is not None:
                self._idle.put_nowait(worker)
        if reply["status"] == "ok":
            return QueryOutcome(200, reply["media"], reply["body"], reply["truncated"])
        return _error(400, reply["message"])  # syntax and evaluation errors are both the query's

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        loop = asyncio.get_running_loop()
        idle = self._idle
        assert idle is not None

        def restart() -> None:
            fresh = _Worker(self.store_path)
            with self._lock:
                self._workers = [w for w in self._workers if w is not worker] + [fresh]
            loop.call_soon_threadsafe(idle.put_nowait, fresh)

        self._threads.submit(restart)

    async def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)


class RemoteEndpoint:
    """Forwards queries to a SPARQL 1.1 endpoint (e.g. `oxigraph serve`, Virtuoso)."""

    def __init__(self, query_url: str, *, timeout_s: float = 10.0) -> None:
        self.query_url = query_url
        self.timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False)

    async def run(self, request: dict[str, Any], accept: str) -> QueryOutcome:
        assert self._client is not None
        try:
            response = await self._client.post(self.query_url, content=request["query"].encode("utf-8"),
                                               headers={"Content-Type": "application/sparql-query", "Accept": accept})
        except httpx.TimeoutException:
            return _error(503, f"the store did not answer within the time limit of {self.timeout_s:g} s")
        except httpx.HTTPError as error:
            return _error(502, f"the store at {self.query_url} could not be reached: {error}")
        media = response.headers.get("content-type", "application/octet-stream")
        if response.status_code >= 400:
            return _error(400 if response.status_code < 500 else 502, response.text[:2000])
        return QueryOutcome(200, media, response.content)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
