"""Choosing a response format from an Accept header (with q-values) or a ``format`` parameter."""

from __future__ import annotations

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
RDF_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/ld+json": "jsonld",
    "application/n-triples": "ntriples", "text/plain": "ntriples", "application/rdf+xml": "rdfxml",
    "application/json": "jsonld",
}
RDF_MEDIA = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples",
             "rdfxml": "application/rdf+xml", "trig": "application/trig", "nquads": "application/n-quads"}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    quality = float(field[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality))
    return sorted(ranges, key=lambda r: -r[1])


def choose(header: str | None, offered: dict[str, str], default: str) -> str | None:
    """The offered format the client prefers; ``default`` for */* or no header; None if nothing fits."""
    ranges = parse_accept(header)
    if not ranges:
        return default
    for media, quality in ranges:
        if quality <= 0:
            continue
        if media in offered:
            return offered[media]
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None
