"""The SPARQL 1.1 Service Description returned by GET /sparql without a query."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from api.negotiation import RDF_MEDIA, RDF_TYPES, choose

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def service_description(request: Request) -> Response:
    endpoint = URIRef(str(request.url.replace(query="")))
    artifacts = request.app.state.artifacts
    graph = Graph()
    graph.bind("sd", SD)
    service = BNode("service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))  # and deliberately not BasicFederatedQuery
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for plan in artifacts.graph.build.manifest["plans"]:
        named = BNode(f"graph-{plan['id']}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, SD.name, URIRef(f"{artifacts.graph.base}graph/{plan['id']}")))
    vocabulary = BNode("graph-vocabulary")
    graph.add((dataset, SD.namedGraph, vocabulary))
    graph.add((vocabulary, SD.name, URIRef(f"{artifacts.graph.base}graph/vocabulary")))
    graph.add((service, URIRef("http://purl.org/dc/terms/description"),
               Literal("PolicyKG read-only SPARQL endpoint: no updates, no SERVICE; "
                       f"{artifacts.settings.query_timeout_s:g} s per query, {artifacts.settings.row_cap} rows at most")))
    chosen = choose(request.headers.get("accept"), {**RDF_TYPES, "application/xml": "rdfxml"}, "turtle") or "turtle"
    syntax = {"turtle": "turtle", "jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}[chosen]
    return Response(graph.serialize(format=syntax), media_type=RDF_MEDIA[chosen])
