"""Reading the W3C SPARQL 1.1 protocol manifest (tests/data/w3c) into plain request records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

W3C = Path(__file__).resolve().parent / "data" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
# The graphs the protocol tests name: loaded from the local files, never fetched.
PROTOCOL_GRAPHS = {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf": W3C / "protocol" / f"data{n}.nt" for n in (1, 2, 3)}


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx"
    boolean: bool | None = None
    result_format: str | None = None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return self.name.startswith("update_") or self.name.startswith("bad_update")


def protocol_tests() -> list[ProtocolTest]:
    manifest_path = W3C / "protocol" / "manifest.ttl"
    graph = Graph().parse(manifest_path, format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest")
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        test = ProtocolTest(name=str(entry).rsplit("#", 1)[-1], title=str(graph.value(entry, MF.name)))
        action = graph.value(entry, MF.action)
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            header_list = graph.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body = None
            body_node = graph.value(request, HT.body)
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
            response = graph.value(request, HT.resp)
            statuses = {str(s).rsplit("StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus)}
            expected_boolean = graph.value(response, MF.expectedBoolean)
            expected_format = graph.value(response, MF.expectedFormat)
            test.requests.append(ProtocolRequest(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                headers=headers, body=body, statuses=statuses,
                boolean=None if expected_boolean is None else expected_boolean.toPython(),
                result_format=None if expected_format is None else str(expected_format),
            ))
        tests.append(test)
    return tests


def result_tests(suite: str) -> list[tuple[str, Path, Path, Path]]:
    """(name, query, data, expected result) of the json-res or csv-tsv-res manifest."""
    folder = W3C / suite
    graph = Graph().parse(folder / "manifest.ttl", format="turtle", publicID=folder.as_uri() + "/")
    found = []
    for test in graph.subjects(MF.result, None):
        action = graph.value(test, MF.action)
        query, data, result = graph.value(action, QT.query), graph.value(action, QT.data), graph.value(test, MF.result)
        found.append((str(test).rsplit("#", 1)[-1], _path(query), _path(data), _path(result)))
    return sorted(found)


def _path(node: URIRef | None) -> Path:
    assert node is not None
    return Path(str(node).removeprefix("file://"))
