"""Who may talk to the service from a browser: a Host allow-list (DNS rebinding makes a foreign
name resolve to 127.0.0.1, but the browser still sends that foreign name as Host) and, for
POST /sparql, an Origin check (a cross-origin form POST needs no CORS preflight)."""

from __future__ import annotations

import json
from typing import Any

LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def allowed_hosts(bind_host: str, extra: str) -> frozenset[str] | None:
    """The host names served (lower case, no port); None when any host is accepted (`*`)."""
    names = {name.strip().lower() for name in extra.split(",") if name.strip()}
    if "*" in names:
        return None
    if bind_host and bind_host not in ("0.0.0.0", "::"):
        names.add(bind_host.lower())
    return frozenset(LOOPBACK | names)


def host_name(host: str) -> str:
    """`example.org:8000` -> `example.org`, `[::1]:8000` -> `[::1]`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class HostGuard:
    """Plain ASGI middleware: 400 for a Host not served; 403 for POST /sparql from a foreign Origin."""

    def __init__(self, app: Any, hosts: frozenset[str] | None, cors_origins: str) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = {o.strip().rstrip("/") for o in cors_origins.split(",") if o.strip()}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if host and self.hosts is not None and host_name(host) not in self.hosts:
            await _refuse(send, 400, f"this server does not answer to the host name {host_name(host)!r} "
                                     "(POLICYKG_ALLOWED_HOSTS lists the names it serves)")
            return
        origin = headers.get(b"origin")
        if origin is not None and scope.get("method") == "POST" and scope.get("path", "").rstrip("/") == "/sparql":
            claimed = origin.decode("latin-1").strip().rstrip("/")
            own = {f"http://{host}".lower(), f"https://{host}".lower()}
            if claimed.lower() not in own and claimed not in self.origins:
                await _refuse(send, 403, f"POST /sparql from the origin {claimed!r} is not allowed "
                                         "(POLICYKG_CORS_ORIGINS lists the origins allowed)")
                return
        await self.app(scope, receive, send)


async def _refuse(send: Any, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
