"""The one table of namespaces: the pko: namespace and every prefix the project binds in graphs it
writes and predeclares in SPARQL. Plain strings, so the query workers need no rdflib."""

from collections.abc import Mapping
from types import MappingProxyType

PKO_NS = "https://w3id.org/policykg/ontology#"

PREFIXES: Mapping[str, str] = MappingProxyType({
    "pko": PKO_NS,
    "eli": "http://data.europa.eu/eli/ontology#",
    # http, not https: schema.org's own RDF and most published data use the http namespace.
    "schema": "http://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
})

__all__ = ["PKO_NS", "PREFIXES"]
