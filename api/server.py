"""Running the app under uvicorn with bounded connections: keep-alive and header timeouts, a
header size cap, a graceful-shutdown limit, and as many open files as the system allows."""

from __future__ import annotations

import resource
from typing import Any

import uvicorn

from policykg.settings import Settings

MAX_HEADER_BYTES = 64 * 1024  # h11: a request line + headers larger than this get 400


def raise_open_files_limit() -> int:
    """Raise the soft limit on open files to the hard limit: every connection is a descriptor,
    and the usual soft default (1,024) is reached by a thousand idle clients. Returns the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass  # keep what we have; the server still runs
    return soft


def guarded_protocol(header_timeout_s: float) -> type:
    """uvicorn's HTTP protocol with a header deadline: a connection that has not sent a complete
    request head ``header_timeout_s`` after connecting (or after its last answer) is closed.
    uvicorn itself only times out connections idle after an answer, so a client that connects
    and sends nothing, or a byte a minute, would otherwise hold its descriptor for ever."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # httptools is optional; h11 has the same hooks
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base  # type: ignore[assignment]

    class Guarded(Base):  # type: ignore[misc, valid-type]
        _header_deadline: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._arm_header_deadline()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm_header_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._header_deadline is not None:
                self._header_deadline.cancel()
            super().connection_lost(exc)

        def _arm_header_deadline(self) -> None:
            if self._header_deadline is not None:
                self._header_deadline.cancel()
            self._header_deadline = self.loop.call_later(header_timeout_s, self._header_deadline_passed)

        def _header_deadline_passed(self) -> None:
            self._header_deadline = None
            waiting_for_head = self.cycle is None or self.cycle.response_complete
            if waiting_for_head and not self.transport.is_closing():
                self.transport.close()

    return Guarded


def serve(app: Any, settings: Settings) -> None:
    raise_open_files_limit()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning",
                http=guarded_protocol(settings.header_timeout_s),
                timeout_keep_alive=settings.keep_alive_s,  # type: ignore[arg-type] - a float works
                h11_max_incomplete_event_size=MAX_HEADER_BYTES,
                # A stop waits for running queries (bounded by their own limit), not for ever.
                timeout_graceful_shutdown=max(1, round(settings.query_timeout_s + 5)))
