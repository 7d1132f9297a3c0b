"""The HTTP service on loopback: JSON API, SPARQL protocol, safety limits, linked data, real clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.server import free_port, running_server

PLAN = "jiangsu-kjt-2021-sanfuwu"
TIMEOUT_S = 2


@pytest.fixture(scope="module")
def url(built_data: Path) -> Iterator[str]:
    with running_server(built_data, POLICYKG_QUERY_TIMEOUT=str(TIMEOUT_S), POLICYKG_ROW_CAP="100",
                        POLICYKG_MAX_BODY="100000") as base:
        yield base


def get(url: str, path: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.get(url + path, timeout=30, **kwargs)


def test_plans_and_measure_detail(url: str) -> None:
    plans = get(url, "/api/plans").json()
    assert [p["id"] for p in plans] == [PLAN] and plans[0]["measures"] == 58
    measure = get(url, f"/api/measures/{PLAN}/9").json()
    assert measure["task"]["title"] == "企业创新国际化能力提升行动"
    assert measure["deadline"] == {"raw": "2021年12月", "type": "month", "value": "2021-12", "due_by": "2021-12"}
    assert {p["label"] for p in measure["partners"]} >= {"俄罗斯"}
    assert [u["label"] for u in measure["lead_units"]] == ["对外合作处"]
    assert measure["source_span"]["end"] > measure["source_span"]["start"]


def test_unknown_things_are_404_json(url: str) -> None:
    for path in (f"/api/measures/{PLAN}/999", "/api/measures/nope/1", "/api/units/nope", f"/api/tasks/{PLAN}/99",
                 "/api/queries/nope", "/id/nothing/here"):
        response = get(url, path)
        assert response.status_code == 404, path
        assert "detail" in response.json()


def test_bad_parameters_are_422_naming_the_field(url: str) -> None:
    response = get(url, "/api/search", params={"q": "人才", "k": 0})
    assert response.status_code == 422 and "k" in response.json()["detail"]
    response = get(url, "/api/search", params={"q": "人才", "due_before": "2021-13"})
    assert response.status_code == 422 and "due_before" in response.json()["detail"]
    assert get(url, "/api/search", params={"q": "   "}).status_code == 400
    assert get(url, "/api/queries/measures-due-by").status_code == 422


def test_search_and_related(url: str) -> None:
    body = get(url, "/api/search", params={"q": "哪些措施涉及外国人才", "k": 5}).json()
    assert {r["number"] for r in body["results"][:3]} == {"52", "53", "54"}
    assert all({"iri", "plan", "number", "task", "text", "score", "why"} <= set(r) for r in body["results"])
    assert body["facets"]["unit"]
    related = get(url, f"/api/measures/{PLAN}/52/related", params={"k": 3}).json()["related"]
    assert {r["number"] for r in related[:2]} == {"53", "54"}
    assert related[0]["why"]["shared"] and related[0]["why"]["similarity"] is not None


def test_entities_and_hierarchies(url: str) -> None:
    units = get(url, "/api/units").json()
    assert len(units) == 21
    unit = get(url, f"/api/units/{units[0]['id']}").json()
    assert unit["measures"] and unit["label"] == units[0]["label"]
    fields = {f["label"]: f for f in get(url, "/api/fields").json()}
    chips = get(url, f"/api/fields/{fields['集成电路']['id']}").json()
    assert "第三代半导体" in {n["label"] for n in chips["narrower"]}
    assert "1" in {m["number"] for m in chips["measures_within"]}
    nanjing = get(url, "/api/places/nanjing").json()
    assert "16" in {m["number"] for m in nanjing["measures_within"]}  # 南京江宁
    assert get(url, f"/api/tasks/{PLAN}/15").json()["deadline"] == "持续推进"


def test_canned_queries(url: str) -> None:
    names = {q["name"] for q in get(url, "/api/queries").json()}
    assert "measures-per-lead-unit" in names
    rows = get(url, "/api/queries/measures-due-by", params={"month": "2021-10"}).json()["results"]["bindings"]
    assert len(rows) == 3


SELECT = "SELECT ?t ?title WHERE { ?t a pko:Task ; dcterms:title ?title } ORDER BY ?t"


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_sparql_select_formats(url: str, accept: str, media: str) -> None:
    response = get(url, "/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)


def test_sparql_post_forms_and_graph_results(url: str) -> None:
    form = httpx.post(url + "/sparql", data={"query": "ASK { ?m a pko:Measure }"}, timeout=30)
    assert form.json()["boolean"] is True
    direct = httpx.post(url + "/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"})
    assert len(direct.json()["results"]["bindings"]) == 25
    for accept, parser in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml")):
        response = get(url, "/sparql", params={"query": "CONSTRUCT { ?t ?p ?o } WHERE { ?t a pko:Task ; ?p ?o }"},
                       headers={"Accept": accept})
        assert len(rdflib.Graph().parse(data=response.text, format=parser)) == 100  # the row cap applies to triples
        assert "x-policykg-truncated" in response.headers
    described = get(url, "/sparql", params={"query": f"DESCRIBE <https://policykg.example/id/plan/{PLAN}>",
                                            "format": "jsonld"})
    assert described.headers["content-type"].startswith("application/ld+json")
    assert "sparql-service-description" in get(url, "/sparql").text


def test_updates_are_refused_and_change_nothing(url: str) -> None:
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    assert httpx.post(url + "/sparql", content=insert, headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert httpx.post(url + "/sparql", data={"update": insert}).status_code == 403
    assert get(url, "/sparql", params={"update": insert}).status_code == 403
    assert get(url, "/sparql", params={"query": insert}).status_code == 403
    assert get(url, "/sparql", params={"query": "CLEAR ALL"}).status_code == 403
    assert get(url, "/sparql", params={"query": "ASK { <urn:x> <urn:y> <urn:z> }"}).json()["boolean"] is False


class Listener:
    """A loopback socket that records any connection made to it."""

    def __init__(self) -> None:
        self.port = free_port()
        self.connections = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", self.port))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.stop = True
        time.sleep(0.3)
        self.sock.close()

    def _accept(self) -> None:
        while not self.stop:
            try:
                connection, _ = self.sock.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue


def test_service_and_from_never_connect_out(url: str) -> None:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    refused = get(url, "/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"})
    assert refused.status_code == 400 and "SERVICE" in refused.json()["detail"]
    lower = get(url, "/sparql", params={"query": f"select * where {{ service silent <{target}> {{ ?s ?p ?o }} }}"})
    assert lower.status_code == 400
    from_query = get(url, "/sparql", params={"query": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }} LIMIT 1"})
    assert from_query.status_code == 200
    time.sleep(1)
    listener.close()
    assert listener.connections == 0


def test_runaway_query_is_stopped_and_server_stays_responsive(url: str) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    outcome: dict[str, object] = {}

    def run() -> None:
        start = time.monotonic()
        response = get(url, "/sparql", params={"query": runaway})
        outcome.update(status=response.status_code, elapsed=time.monotonic() - start)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    assert get(url, "/api/plans").status_code == 200
    assert get(url, "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert time.monotonic() - start < 1.5
    thread.join(30)
    assert outcome["status"] == 503
    assert outcome["elapsed"] < TIMEOUT_S + 1  # type: ignore[operator]
    assert get(url, "/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200  # a fresh worker


def test_row_cap_is_reported(url: str) -> None:
    response = get(url, "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 100
    assert response.headers["x-policykg-truncated"].startswith("true")


def test_malformed_query_and_bad_bodies(url: str) -> None:
    response = get(url, "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400 and "malformed SPARQL" in response.json()["detail"]
    assert httpx.post(url + "/sparql", content=b"\xff\xfe query", headers={"Content-Type": "application/sparql-query"}).status_code == 400
    assert httpx.post(url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}).status_code == 415
    assert httpx.post(url + "/sparql", content=b"ASK {}").status_code == 400
    big = b"ASK { " + b" " * 200_000 + b"}"
    assert httpx.post(url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413


def test_cors_is_off_by_default(url: str) -> None:
    response = get(url, "/api/plans", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_linked_data_dereferences(url: str) -> None:
    path = f"/id/plan/{PLAN}/measure/9"
    turtle = get(url, path, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(f"https://policykg.example/id/plan/{PLAN}/measure/9"), None, None) in graph
    page = get(url, path, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html") and "<title>" in page.text
    assert get(url, path, headers={"Accept": "application/ld+json"}).json()
    dump = get(url, "/graph")
    assert dump.status_code == 200 and dump.headers["content-type"].startswith("application/trig")


def test_real_clients_sparqlwrapper_and_rdflib_store(url: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(url + "/sparql")
    client.setQuery("PREFIX pko: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?m) AS ?n) WHERE { ?m a pko:Measure }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "58"
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query("SELECT ?title WHERE { ?t <http://purl.org/dc/terms/title> ?title } LIMIT 3"))
    assert len(rows) == 3
