"""The /sparql probes of the hardening issue, kept as tests: no query text makes the service (or
its workers) open a connection; FROM is honoured; answers, memory and depth are bounded; one
client's runaway queries leave a worker for everybody else."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.store.queries import load_queries
from kg.store.sparql_guard import QueryRefused, QueryTooComplex, SparqlError, analyze, check_size
from tests.server import ROOT, running_server

PLAN = "jiangsu-kjt-2021-sanfuwu"
BASE = "https://policykg.example/id/"
TIMEOUT_S = 2
ANSWER_CAP = 1_000_000
JSON = {"Accept": "application/sparql-results+json"}


class Listener:
    """A loopback TCP listener that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def target(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self.stop:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    probe = Listener()
    yield probe
    probe.close()


@pytest.fixture(scope="module")
def url(built_data: Path) -> Iterator[str]:
    with running_server(built_data, POLICYKG_QUERY_TIMEOUT=str(TIMEOUT_S), POLICYKG_MAX_ANSWER_BYTES=str(ANSWER_CAP),
                        POLICYKG_WORKER_MEMORY_MB="1024") as base:
        yield base


def ssrf_variants(target: str) -> list[str]:
    return [
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ VALUES ?z {{ ex:a\\# }} SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # comment }}\n SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p 'SERVICE <{target}> {{ }}' . SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{target}> }} SERVICE SILENT ?e {{ ?s ?p ?o }} }}",
        f"LOAD <{target}>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ]


def deep_queries() -> dict[str, str]:
    return {
        "5000 nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 5000 + "}" * 5000 + " }",
        "20000 nested parentheses": "SELECT * WHERE { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }",
        "20000-branch UNION": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + " }",
        "3000 flat BINDs": "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?x{i})" for i in range(3000)) + " }",
        "brackets hidden in an IRI-looking span": "SELECT * WHERE { FILTER(?a<" + "(" * 5000 + "1>?b) }",
    }


def concat_bomb(doublings: int) -> str:
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(doublings))
    return f'SELECT ?x{doublings} WHERE {{ BIND("a" AS ?x0) {binds} }}'


# -- the checks themselves, without a server ---------------------------------------------------

@pytest.mark.parametrize("name", list(deep_queries()))
def test_deep_queries_are_refused_before_any_parser(name: str) -> None:
    with pytest.raises(QueryTooComplex):
        check_size(deep_queries()[name])
    with pytest.raises(QueryTooComplex):
        analyze(deep_queries()[name])


def test_ssrf_variants_are_refused_on_the_parse() -> None:
    for text in ssrf_variants("http://127.0.0.1:9/x"):
        with pytest.raises(SparqlError) as refused:  # refused, or not parsable by rdflib: never run
            analyze(text)
        if "LOAD" in text or "INSERT" in text:
            assert isinstance(refused.value, QueryRefused) and refused.value.update


def test_canned_queries_and_dataset_clauses_pass() -> None:
    for query in load_queries().values():
        check_size(query.text)
        assert not analyze(query.text).has_dataset
    analysis = analyze("SELECT * FROM <http://a/> FROM NAMED <http://b/> WHERE { ?s ?p ?o }")
    assert analysis.default_graphs == ("http://a/",) and analysis.named_graphs == ("http://b/",)
    assert analyze("SELECT ?o WHERE { ?s ?p 'SERVICE FROM \\\\' }").default_graphs == ()


def test_workers_cannot_open_network_sockets(built_data: Path, listener: Listener) -> None:
    """The OS-level block, with pyoxigraph itself asked for SERVICE (no parse check in front)."""
    script = (
        "import socket, pyoxigraph as ox\n"
        "from api.sandbox import block_network\n"
        "block_network()\n"
        "try:\n    socket.socket(socket.AF_INET6)\n    print('open')\nexcept PermissionError:\n    print('blocked')\n"
        "a, b = socket.socketpair(); print('unix ok')\n"
        f"q = 'SELECT * WHERE {{ SERVICE <{listener.target}> {{ ?s ?p ?o }} }}'\n"
        "try:\n    print(list(ox.Store().query(q)))\nexcept Exception as error:\n    print('service failed')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split("\n")[:3] == ["blocked", "unix ok", "service failed"], done.stdout + done.stderr
    assert listener.connections == 0


def test_the_real_workers_run_under_seccomp(built_data: Path) -> None:
    from api.sparql_runner import _Worker
    from kg.store.builds import current_build

    worker = _Worker(str(current_build(built_data).store_path), 1024)
    try:
        status = Path(f"/proc/{worker.process.pid}/status").read_text()
        assert "Seccomp:\t2" in status  # mode 2: a filter is installed
    finally:
        worker.stop()


# -- over HTTP -----------------------------------------------------------------------------

def test_no_query_text_connects_out(url: str, listener: Listener) -> None:
    for text in ssrf_variants(listener.target):
        for response in (httpx.get(url + "/sparql", params={"query": text}, timeout=30),
                         httpx.post(url + "/sparql", content=text.encode(), timeout=30,
                                    headers={"Content-Type": "application/sparql-query"})):
            assert response.status_code in (400, 403), (text, response.status_code, response.text)
            assert "Traceback" not in response.text
    for text in (f"SELECT * FROM <{listener.target}> WHERE {{ ?s ?p ?o }} LIMIT 1",
                 f"SELECT * FROM NAMED <{listener.target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
                 f"ASK FROM <{listener.target}> {{ ?s ?p ?o }}"):
        assert httpx.get(url + "/sparql", params={"query": text}, headers=JSON, timeout=30).status_code == 200
    time.sleep(0.5)
    assert listener.connections == 0


def count(url: str, query: str, **params: str) -> int:
    response = httpx.get(url + "/sparql", params={"query": query, **params}, headers=JSON, timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_from_defines_the_default_graph(url: str) -> None:
    graph = f"{BASE}graph/{PLAN}"
    in_graph = count(url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    union = count(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert 0 < in_graph < union
    assert count(url, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == in_graph
    assert count(url, "SELECT (COUNT(*) AS ?n) FROM <http://nowhere.example/g> WHERE { ?s ?p ?o }") == 0
    # FROM NAMED alone: the default graph is empty, the named graph is there
    assert count(url, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ ?s ?p ?o }}") == 0
    assert count(url, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == in_graph
    # protocol parameters replace the query's dataset
    assert count(url, "SELECT (COUNT(*) AS ?n) FROM <http://nowhere.example/g> WHERE { ?s ?p ?o }",
                 **{"default-graph-uri": graph}) == in_graph


def test_the_concat_bomb_comes_back_capped(url: str) -> None:
    query = concat_bomb(26)  # 64 MB strings from a ~1,000-byte query
    response = httpx.get(url + "/sparql", params={"query": query}, headers=JSON, timeout=30)
    if response.status_code == 200:
        assert len(response.content) <= ANSWER_CAP
        assert response.headers["x-policykg-truncated"].startswith("true")
        assert response.json()["results"]["bindings"] == []
    else:
        assert response.status_code in (413, 503) and "detail" in response.json()
    assert httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30).json()["boolean"]


def test_byte_cap_cuts_rows_and_keeps_the_format_valid(url: str) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv"):
        response = httpx.get(url + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30)
        assert response.status_code == 200 and len(response.content) <= ANSWER_CAP
        assert response.headers["x-policykg-truncated"].startswith("true")
    json_rows = httpx.get(url + "/sparql", params={"query": query}, headers=JSON, timeout=30).json()
    assert len(json_rows["results"]["bindings"]) > 1000


def test_memory_blow_up_is_a_clean_503_and_the_worker_is_replaced(built_data: Path) -> None:
    # 100 MB above the open store: strings of 1+2+...+64 MB (and their copies) do not fit. A time
    # limit well past the blow-up, so a slow machine still sees the memory error.
    with running_server(built_data, POLICYKG_WORKER_MEMORY_MB="100", POLICYKG_QUERY_TIMEOUT="20") as base:
        response = httpx.get(base + "/sparql", params={"query": concat_bomb(27)}, headers=JSON, timeout=60)
        assert response.status_code == 503 and "memory" in response.json()["detail"], response.text
        assert response.headers.get("retry-after")
        for _ in range(3):  # a fresh worker took its place
            assert httpx.get(base + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=60).status_code == 200


@pytest.mark.parametrize("name", list(deep_queries()))
def test_deep_queries_get_400_over_http(url: str, name: str) -> None:
    response = httpx.post(url + "/sparql", content=deep_queries()[name].encode(), timeout=30,
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "query" in response.json()["detail"], response.text[:300]
    assert httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers=JSON, timeout=30).status_code == 200


def test_host_allow_list_and_foreign_origin(url: str) -> None:
    ask = {"query": "ASK {}"}
    assert httpx.get(url + "/health", headers={"Host": "evil.example"}, timeout=30).status_code == 400
    assert httpx.get(url + "/health", headers={"Host": f"localhost:{url.rsplit(':', 1)[1]}"}, timeout=30).status_code == 200
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    foreign = httpx.post(url + "/sparql", data=ask, headers={**form, "Origin": "http://evil.example"}, timeout=30)
    assert foreign.status_code == 403
    own = httpx.post(url + "/sparql", data=ask, headers={**form, "Origin": url, **JSON}, timeout=30)
    assert own.status_code == 200


def test_one_clients_runaway_queries_leave_a_worker_for_others(url: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30) as greedy, \
            httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.3"), timeout=30) as other:
        answers: list[httpx.Response] = []

        def run_away() -> None:
            answers.append(greedy.get(url + "/sparql", params={"query": runaway}))

        threads = [threading.Thread(target=run_away) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        start = time.monotonic()
        assert other.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=JSON).json()["boolean"]
        assert httpx.get(url + "/api/queries/plans", timeout=30).status_code == 200
        assert time.monotonic() - start < 3 * TIMEOUT_S  # loose: a fresh worker starts slowly on a busy machine
        for thread in threads:
            thread.join(30)
        # one stopped to make room for the other client (not left to the time limit), one at the limit
        assert [a.status_code for a in answers] == [503, 503]
        assert any("another client" in a.json()["detail"] for a in answers), [a.text for a in answers]
        assert all(a.headers.get("retry-after") for a in answers)


def test_cli_refuses_deep_queries_with_one_line_and_honours_from(built_data: Path, tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "policykg.cli", "sparql"]
    env = {"POLICYKG_DATA_DIR": str(built_data), "PATH": "/usr/bin:/bin"}
    deep = tmp_path / "deep.rq"
    deep.write_text(deep_queries()["20000 nested parentheses"], encoding="utf-8")
    refused = subprocess.run([*cli, "--file", str(deep)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "nested too deeply" in refused.stderr

    def cli_count(query: str) -> int:
        done = subprocess.run([*cli, query, "-f", "csv"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return int(done.stdout.split()[-1])

    graph = f"{BASE}graph/{PLAN}"
    in_graph = cli_count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert cli_count(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s ?p ?o }}") == in_graph
    assert cli_count("SELECT (COUNT(*) AS ?n) FROM <http://nowhere.example/g> WHERE { ?s ?p ?o }") == 0
    assert cli_count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") > in_graph
