"""Runs endpoint queries with a hard time limit: a pool of worker processes over the store
(killed and replaced when a query overruns), or a remote SPARQL 1.1 endpoint over HTTP."""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

QUEUE_WAITS = 3  # a queued query waits up to this many query time limits for a worker


@dataclass(frozen=True)
class QueryOutcome:
    status: int  # HTTP status to answer with
    media: str
    body: bytes
    truncated: bool = False
    retry_after: int | None = None  # seconds, for a 503 the client may retry


def _error(status: int, message: str, retry_after: float | None = None) -> QueryOutcome:
    return QueryOutcome(status, "text/plain; charset=utf-8", message.encode("utf-8"),
                        retry_after=None if retry_after is None else max(1, math.ceil(retry_after)))


_STATUS = {"syntax": 400, "error": 400, "refused": 400, "update": 403, "memory": 503}
_log = logging.getLogger("policykg.sparql")


class _Worker:
    def __init__(self, store_path: str, memory_mb: int = 0) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        from api.sparql_worker import serve_queries

        self.process = context.Process(target=serve_queries, args=(child, store_path, memory_mb), daemon=True)
        self.process.start()
        self.started = time.monotonic()
        self.preempted = False  # killed on purpose to free it for another client
        child.close()
        # The worker says hello once it is sandboxed and has opened the store; a worker that
        # cannot do both is stopped here rather than handed a query.
        try:
            hello = self.connection.recv() if self.connection.poll(60) else None
        except (EOFError, OSError):
            hello = None
        if not hello:
            self.stop()
            raise RuntimeError(f"a SPARQL worker could not start over {store_path} (exit {self.process.exitcode})")
        if hello.get("sandbox_problem"):
            _log.error("%s", hello["sandbox_problem"])

    def stop(self) -> None:
        self.process.kill()
        self.process.join(2)
        self.connection.close()

    def death(self) -> str:
        """Why the process ended, for the client's message."""
        self.process.join(1)
        code = self.process.exitcode
        if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGBUS):
            return "the query needed more memory than a worker may use, or crashed the worker"
        return f"the query worker stopped unexpectedly (exit {code})"


class WorkerPool:
    """``workers`` processes; a query that overruns ``timeout_s`` gets its worker killed, so the
    work really stops, and a fresh worker takes its place.

    Fairness: queries carry a ``client`` (the /sparql route tags each with the client address;
    the canned queries are untagged). A client may use every idle worker, but when a query finds
    no idle worker while one client holds two or more, that client's newest query is stopped
    (503 + Retry-After) and its fresh worker goes to the waiting query. So one client's runaway
    queries can hold at most one worker against anybody else, and never block the canned queries.
    """

    def __init__(self, store_path: str, *, workers: int = 2, timeout_s: float = 10.0, memory_mb: int = 1024) -> None:
        self.store_path = store_path
        self.timeout_s = timeout_s
        # A queued query may wait for a worker longer than one may run: waiting holds no worker,
        # and the server's concurrency limit bounds how many wait. Overload still ends in a 503.
        self.queue_wait_s = QUEUE_WAITS * timeout_s
        self.memory_mb = memory_mb
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=workers * 2 + 2, thread_name_prefix="sparql")
        self._size = workers
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._busy: dict[_Worker, tuple[str | None, float]] = {}  # worker -> (client, started)
        self._handoff: list[asyncio.Future[_Worker]] = []  # queries owed the next fresh worker
        self._quick_deaths = 0  # workers that crashed soon after starting, in a row: restart backoff

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, _Worker, self.store_path, self.memory_mb)
                                         for _ in range(self._size)))
        for worker in workers:
            self._workers.append(worker)
            self._idle.put_nowait(worker)

    async def run(self, request: dict[str, Any]) -> QueryOutcome:
        assert self._idle is not None, "start() the pool first"
        loop = asyncio.get_running_loop()
        client = request.get("client")
        busy = _error(503, f"all query workers stayed busy for {self.queue_wait_s:g} s; try again",
                      retry_after=self.timeout_s)
        try:
            if self._idle.empty() and self._preempt_for(client):
                owed: asyncio.Future[_Worker] = loop.create_future()
                self._handoff.append(owed)
                try:
                    worker = await asyncio.wait_for(owed, timeout=self.queue_wait_s)
                finally:
                    if owed in self._handoff:
                        self._handoff.remove(owed)
            else:
                worker = await asyncio.wait_for(self._idle.get(), timeout=self.queue_wait_s)
        except TimeoutError:
            return busy
        self._busy[worker] = (client, time.monotonic())
        job = {k: v for k, v in request.items() if k != "client"}
        try:
            worker.connection.send(job)
            ready = await loop.run_in_executor(self._threads, worker.connection.poll, self.timeout_s)
            if not ready:
                self._replace(worker)
                worker = None  # type: ignore[assignment]
                return _error(503, f"the query ran past the time limit of {self.timeout_s:g} s and was stopped",
                              retry_after=1)
            reply = worker.connection.recv()
            if reply.get("status") == "memory":  # that worker has exited: a fresh one takes its place
                self._replace(worker)
                worker = None  # type: ignore[assignment]
        except (EOFError, OSError, BrokenPipeError):
            if worker.preempted:
                message = ("the query was stopped to free a worker for another client (you had several queries "
                           "running)")
            else:
                message = worker.death()
            self._replace(worker, crashed=not worker.preempted)
            worker = None  # type: ignore[assignment]
            return _error(503, f"{message}; try again", retry_after=1)
        finally:
            if worker is not None:
                self._busy.pop(worker, None)
                self._release(worker)
        if reply["status"] == "ok":
            return QueryOutcome(200, reply["media"], reply["body"], reply["truncated"])
        if reply["status"] == "memory":
            return _error(503, reply["message"], retry_after=1)
        return _error(_STATUS.get(reply["status"], 400), reply["message"])

    def _preempt_for(self, client: str | None) -> bool:
        """Stop the newest query of the client holding the most workers (two or more, and not
        ``client``); True when one was stopped, so a fresh worker is on its way."""
        holdings: dict[str, list[tuple[float, _Worker]]] = {}
        for worker, (owner, started) in self._busy.items():
            if owner is not None and owner != client and not worker.preempted:
                holdings.setdefault(owner, []).append((started, worker))
        if not holdings:
            return False
        greedy = max(holdings.values(), key=len)
        if len(greedy) < 2:
            return False
        _, victim = max(greedy, key=lambda item: item[0])
        victim.preempted = True
        victim.process.kill()  # its query's poll wakes up with EOF and answers 503
        return True

    def _release(self, worker: _Worker) -> None:
        """Give a free worker to a query owed one, else back to the idle queue."""
        assert self._idle is not None
        while self._handoff:
            owed = self._handoff.pop(0)
            if not owed.done():
                owed.set_result(worker)
                return
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker, *, crashed: bool = False) -> None:
        lived = time.monotonic() - worker.started
        self._busy.pop(worker, None)
        worker.stop()
        loop = asyncio.get_running_loop()
        # A worker that crashes right after starting would otherwise be restarted in a tight loop.
        self._quick_deaths = self._quick_deaths + 1 if crashed and lived < 2 else 0
        delay = min(5.0, 0.25 * 2 ** self._quick_deaths) if self._quick_deaths else 0.0

        def restart() -> None:
            time.sleep(delay)
            for attempt in range(6):
                try:
                    fresh = _Worker(self.store_path, self.memory_mb)
                    break
                except RuntimeError as error:
                    _log.error("%s; retrying", error)
                    time.sleep(min(5.0, 0.5 * 2 ** attempt))
            else:
                return
            with self._lock:
                self._workers = [w for w in self._workers if w is not worker] + [fresh]
            loop.call_soon_threadsafe(self._release, fresh)

        self._threads.submit(restart)

    async def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)


_LINE_MEDIA = {"text/csv", "text/tab-separated-values", "application/n-triples"}


async def _read_capped(response: httpx.Response, cap: int | None) -> tuple[bytes, bool]:
    """The body, read no further than ``cap`` bytes (plus one chunk); whether it went past."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if cap is not None and size > cap:
            return b"".join(chunks), True
    return b"".join(chunks), False


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
        cap = int(request.get("byte_cap") or 0) or None
        try:
            async with self._client.stream("POST", self.query_url, content=request["query"].encode("utf-8"),
                                           headers={"Content-Type": "application/sparql-query",
                                                    "Accept": accept}) as response:
                body, over = await _read_capped(response, cap)
        except httpx.TimeoutException:
            return _error(503, f"the store did not answer within the time limit of {self.timeout_s:g} s")
        except httpx.HTTPError as error:
            return _error(502, f"the store at {self.query_url} could not be reached: {error}")
        media = response.headers.get("content-type", "application/octet-stream")
        if response.status_code >= 400:
            return _error(400 if response.status_code < 500 else 502, body[:2000].decode("utf-8", "replace"))
        if over:
            # Line-based syntaxes can be cut at a line end and stay valid; the others cannot.
            if cap is not None and media.split(";")[0].strip() in _LINE_MEDIA:
                return QueryOutcome(200, media, body[:body.rfind(b"\n", 0, cap) + 1], True)
            return _error(502, f"the store's answer is larger than the answer cap of {cap} bytes")
        return QueryOutcome(200, media, body)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
