"""`--store URL`: the same service over a real SPARQL 1.1 server (PyPI `oxigraph serve`) on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from policykg.services import GraphService
from policykg.settings import Settings
from tests.server import free_port, running_server

PLAN = "jiangsu-kjt-2021-sanfuwu"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@pytest.fixture(scope="module")
def remote_store(built_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not OXIGRAPH.exists():
        pytest.fail("the `oxigraph` server (PyPI package oxigraph, a dev dependency) is not installed")
    folder = tmp_path_factory.mktemp("remote")
    dump = folder / "graph.nq"
    dump.write_bytes(GraphService.open(Settings.from_env({}, data_dir=built_data)).export("nquads"))
    subprocess.run([str(OXIGRAPH), "load", "--location", str(folder / "db"), "--file", str(dump)], check=True,
                   capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve-read-only", "--location", str(folder / "db"), "--bind",
                                f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                httpx.post(url, content="ASK {}", headers={"Content-Type": "application/sparql-query"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def url(built_data: Path, remote_store: str) -> Iterator[str]:
    with running_server(built_data, POLICYKG_STORE_URL=remote_store) as base:
        yield base


def test_json_api_over_the_remote_store(url: str) -> None:
    measure = httpx.get(f"{url}/api/measures/{PLAN}/9", timeout=30).json()
    assert measure["task"]["title"] == "企业创新国际化能力提升行动"
    assert {p["label"] for p in measure["partners"]} >= {"俄罗斯"}
    assert len(httpx.get(f"{url}/api/units", timeout=30).json()) == 21
    related = httpx.get(f"{url}/api/measures/{PLAN}/52/related", timeout=30).json()["related"]
    assert {r["number"] for r in related[:2]} == {"53", "54"}


def test_sparql_endpoint_forwards_to_the_remote_store(url: str) -> None:
    response = httpx.get(f"{url}/sparql", params={"query": "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/policykg/ontology#Measure> }"},
                         headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "58"
    refused = httpx.get(f"{url}/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"}, timeout=30)
    assert refused.status_code == 403


def test_search_still_served_from_the_local_index(url: str) -> None:
    body = httpx.get(f"{url}/api/search", params={"q": "哪些措施涉及外国人才", "k": 3}, timeout=30).json()
    assert {r["number"] for r in body["results"]} == {"52", "53", "54"}
