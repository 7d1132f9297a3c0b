"""SPARQL 1.1 result serialisations (JSON, XML, CSV, TSV) written from rows of pyoxigraph terms,
one row at a time, so a row cap or a byte cap can stop a result early and report the truncation."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {XSD + "integer": r"[+-]?\d+", XSD + "decimal": r"[+-]?\d*\.\d+", XSD + "double": r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+",
         XSD + "boolean": r"true|false"}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def binding(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        entry = {"type": "literal", "value": term.value}
        if term.language:
            entry["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            entry["datatype"] = term.datatype.value
        return entry
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: binding(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    raise TypeError(f"unexpected term {term!r}")


def select(variables: list[str], rows: Iterable[list[Any]], fmt: str) -> bytes:
    return write_select(variables, rows, fmt)[0]


def write_select(variables: list[str], rows: Iterable[list[Any]], fmt: str, *, row_cap: int | None = None,
                 byte_cap: int | None = None) -> tuple[bytes, bool]:
    """The serialised result and whether it was cut. Rows are written one at a time and the
    document is closed properly, so a cut answer is still valid JSON/XML/CSV/TSV: a row that
    would take the answer past ``byte_cap`` (or past ``row_cap`` rows) is not written."""
    head, row_text, foot, separator = _WRITERS[fmt](variables)
    parts = [head.encode()]
    size = len(parts[0]) + len(foot.encode())
    count = 0
    for row in rows:
        if row_cap is not None and count >= row_cap:
            return b"".join(parts) + foot.encode(), True
        chunk = ((separator if count else "") + row_text(row)).encode()
        if byte_cap is not None and size + len(chunk) > byte_cap:
            return b"".join(parts) + foot.encode(), True
        parts.append(chunk)
        size += len(chunk)
        count += 1
    return b"".join(parts) + foot.encode(), False


def _json_writer(variables: list[str]) -> tuple[str, RowWriter, str, str]:
    head = json.dumps({"head": {"vars": variables}}, ensure_ascii=False)[:-1] + ', "results": {"bindings": ['

    def row_text(row: list[Any]) -> str:
        return json.dumps({v: binding(t) for v, t in zip(variables, row) if t is not None}, ensure_ascii=False)

    return head, row_text, "]}}", ", "


def _xml_writer(variables: list[str]) -> tuple[str, RowWriter, str, str]:
    head = "\n".join(['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>',
                      *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head>\n<results>\n"])

    def row_text(row: list[Any]) -> str:
        bindings = [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>" for v, t in zip(variables, row)
                    if t is not None]
        return "\n".join(["<result>", *bindings, "</result>\n"])

    return head, row_text, "</results>\n</sparql>\n", ""


def _csv_writer(variables: list[str]) -> tuple[str, RowWriter, str, str]:
    def line(values: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(values)
        return buffer.getvalue()

    return line(variables), lambda row: line(["" if t is None else _csv_value(t) for t in row]), "", ""


def _tsv_writer(variables: list[str]) -> tuple[str, RowWriter, str, str]:
    def row_text(row: list[Any]) -> str:
        return "\t".join("" if t is None else _tsv_term(t) for t in row) + "\n"

    return "\t".join(f"?{v}" for v in variables) + "\n", row_text, "", ""


RowWriter = Callable[[list[Any]], str]
_WRITERS: dict[str, Callable[[list[str]], tuple[str, RowWriter, str, str]]] = {
    "json": _json_writer, "xml": _xml_writer, "csv": _csv_writer, "tsv": _tsv_writer}


def boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head/>\n'
                f"<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"{'true' if value else 'false'}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_value(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _tsv_term(term: Any) -> str:
    if isinstance(term, ox.Literal) and not term.language:
        pattern = _BARE.get(term.datatype.value)
        if pattern and re.fullmatch(pattern, term.value):
            return term.value
    return str(term)  # N-Triples syntax: <iri>, _:b, "lit"@lang, "lit"^^<dt>
