"""Operations: connection limits, slow and vanishing clients, HEAD, parameter bounds, a full
disk, oversize and truncated plan files, and the data folder fixed at start."""

from __future__ import annotations

import asyncio
import errno
import resource
import shutil
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from api.middleware import BodyDeadline, ConcurrencyLimit
from kg.parse.source import MAX_PLAN_BYTES, PlanError, decode
from kg.store.builds import current_build, lease_current
from policykg.cli import app
from policykg.settings import Settings
from tests.server import ROOT, running_server

SEED = next((ROOT / "seeds").glob("*.txt"))


# --- connections -------------------------------------------------------------------------------

def test_a_thousand_idle_connections_do_not_starve_health(built_data: Path) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2_500:
        pytest.skip(f"the hard limit on open files ({hard}) is too low for this test")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2_500), hard))
    idle: list[socket.socket] = []
    try:
        # Started under the usual soft limit of 1,024 descriptors: serve raises it.
        with running_server(built_data, nofile=1024, POLICYKG_HEADER_TIMEOUT_S="3") as url:
            port = int(url.rsplit(":", 1)[1])
            for _ in range(1_100):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            clock = time.monotonic()
            assert httpx.get(url + "/health", timeout=5).status_code == 200
            assert time.monotonic() - clock < 5
            # Connections that never send a request head are closed after the header timeout.
            time.sleep(4)
            sample = idle[:20]
            for sock in sample:
                sock.settimeout(2)
                assert sock.recv(1) == b""
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _raw(port: int, data: bytes, *, wait_s: float = 0.0, close: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        if close:
            time.sleep(0.3)
            return b""
        time.sleep(wait_s)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"content-length" not in b"".join(chunks).lower():
                break
        return b"".join(chunks)


def test_slow_and_vanishing_clients_head_and_bounds(built_data: Path, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with running_server(built_data, log_path=log, POLICYKG_BODY_TIMEOUT_S="1") as url:
        port = int(url.rsplit(":", 1)[1])
        head = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        # A client that hangs up mid-body: no answer to give, and no traceback in the log.
        for _ in range(3):
            _raw(port, head + b"Content-Length: 1000\r\n\r\nquery=SEL", close=True)
        # A client that sends its body too slowly gets 408 and the connection is closed.
        answer = _raw(port, head + b"Content-Length: 1000\r\nConnection: keep-alive\r\n\r\nquery=SEL", wait_s=1.5)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]

        with httpx.Client(base_url=url, timeout=30) as client:
            for path in ("/health", "/api/plans", "/", "/api/queries", "/static/app.js"):
                got, headed = client.get(path), client.head(path)
                assert headed.status_code == got.status_code == 200, path
                assert headed.content == b""
                assert headed.headers.get("content-length") == got.headers.get("content-length"), path
            for path in ("/api/nothing-here", "/m/no-plan/1"):
                assert client.head(path).status_code == client.get(path).status_code != 200

            answer = client.get("/api/measures", params={"offset": 10**30})
            assert answer.status_code == 422
            assert "offset" in answer.json()["detail"]
            assert client.get("/api/measures", params={"offset": 10**9}).status_code == 200
        time.sleep(0.5)
    text = log.read_text()
    assert "Traceback" not in text and "ClientDisconnect" not in text, text[-3000:]


def test_the_concurrency_limit_answers_503_with_retry_after() -> None:
    release = asyncio.Event()

    async def slow_app(scope: Any, receive: Any, send: Any) -> None:
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    limited = ConcurrencyLimit(slow_app, limit=2, retry_after_s=1)

    async def request() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await limited({"type": "http", "method": "GET", "path": "/"}, None, send)
        return sent

    async def scenario() -> None:
        running = [asyncio.create_task(request()) for _ in range(2)]
        await asyncio.sleep(0.05)
        refused = await request()
        assert refused[0]["status"] == 503
        assert (b"retry-after", b"1") in refused[0]["headers"]
        release.set()
        for task in running:
            assert (await task)[0]["status"] == 200
        assert limited.active == 0
        assert (await request())[0]["status"] == 200

    asyncio.run(scenario())


def test_the_body_deadline_answers_408() -> None:
    async def reading_app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def trickle() -> dict[str, Any]:
        await asyncio.sleep(0.01)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def scenario() -> None:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await BodyDeadline(reading_app, timeout_s=0.2)({"type": "http"}, trickle, send)
        assert sent[0]["status"] == 408

    asyncio.run(scenario())


# --- builds and plan files -----------------------------------------------------------------------

def test_a_full_disk_gives_one_line_and_keeps_the_old_graph(built_data: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import policykg.build

    data = tmp_path / "data"
    shutil.copytree(built_data, data, symlinks=True)
    before = current_build(data).path
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(policykg.build.StoreWriter, "add", full)
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--data-dir", str(data), "--no-index",
                                      "--no-validate"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no space left"), result.output
    assert current_build(data).path == before
    assert not [p for p in (data / "builds").iterdir() if p.name.endswith(".partial")]


def test_an_oversize_plan_file_is_refused_in_one_line(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    big = seeds / "big.txt"
    big.write_bytes(SEED.read_bytes() * (MAX_PLAN_BYTES // SEED.stat().st_size + 1))
    for command in (["parse", str(big)], ["build", "--seeds", str(seeds), "--data-dir", str(tmp_path / "d")]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and "limited to 5 MB" in result.output, result.output
    with pytest.raises(PlanError, match="limited to 5 MB"):
        decode(b"x" * (MAX_PLAN_BYTES + 1), "big.txt")


def test_truncated_utf8_is_reported_at_its_own_byte_offset() -> None:
    text = "关于推进科技服务的实施方案"
    for prefix in (b"", b"\xef\xbb\xbf"):
        data = prefix + text.encode("utf-8")
        with pytest.raises(PlanError, match=f"byte offset {len(data) - 3}"):
            decode(data[:-1], "cut.txt")
    with pytest.raises(PlanError, match="offset 12"):  # a bad byte inside UTF-8: its own offset
        decode(text.encode("utf-8")[:12] + b"\xff" + text.encode("utf-8"), "bad.txt")


def test_the_data_folder_is_fixed_at_start(built_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "data").symlink_to(built_data)
    monkeypatch.chdir(tmp_path / "here")
    settings = Settings.from_env({"POLICYKG_DATA_DIR": "data"})
    assert settings.data_dir == tmp_path / "here" / "data"
    monkeypatch.chdir(tmp_path)  # a server that changes directory later serves the same builds
    lease = lease_current(settings.data_dir)
    try:
        assert lease.build.path == current_build(built_data).path
    finally:
        lease.release()


def test_a_5_mb_plan_parses_in_linear_time(tmp_path: Path) -> None:
    from kg.parse.plan import parse_file

    lines = SEED.read_text("utf-8").splitlines()
    head, body, tail = "\n".join(lines[:12]), "\n".join(lines[12:234]), "\n".join(lines[234:])
    seconds = {}
    for copies in (80, 320):  # ≈1.2 MB and ≈4.8 MB: the seed's tasks and measures repeated
        path = tmp_path / f"big{copies}.txt"
        path.write_text(head + "\n" + "\n".join([body] * copies) + "\n" + tail, "utf-8")
        assert path.stat().st_size <= MAX_PLAN_BYTES
        clock = time.perf_counter()
        plan = parse_file(path)
        seconds[copies] = time.perf_counter() - clock
        assert len(plan.measures) > 50 * copies
    assert seconds[320] < 30, seconds
    assert seconds[320] < 8 * max(seconds[80], 0.05), f"4× the text took {seconds[320] / seconds[80]:.1f}× the time"
