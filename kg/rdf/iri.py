"""Minting stable, readable IRIs for instance data below a configurable base.

Every helper takes the base (or an IRI minted from it) as a parameter, so the same plan built
under two bases yields two disjoint sets of IRIs. Unicode characters stay as they are (IRIs
allow them, and 高新技术处 reads better than its percent-encoding); only characters that may not
appear in an IRI path are percent-encoded, as UTF-8 with upper-case hex.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rdflib import URIRef

from kg.errors import InputError

# RFC 3987 ucschar: the non-ASCII code points allowed unescaped in an IRI.
_UCSCHAR = (
    (0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF),
    (0x10000, 0x1FFFD), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD), (0x40000, 0x4FFFD),
    (0x50000, 0x5FFFD), (0x60000, 0x6FFFD), (0x70000, 0x7FFFD), (0x80000, 0x8FFFD),
    (0x90000, 0x9FFFD), (0xA0000, 0xAFFFD), (0xB0000, 0xBFFFD), (0xC0000, 0xCFFFD),
    (0xD0000, 0xDFFFD), (0xE1000, 0xEFFFD),
)
# ipchar's ASCII part (unreserved, sub-delims, ":" and "@") plus "/", which separates key segments.
_ASCII_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")


def _allowed(char: str) -> bool:
    if char in _ASCII_SAFE:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _UCSCHAR)


def encode_path(text: str) -> str:
    """Percent-encode what may not appear in an IRI path; keep Unicode and ``/``.

    ``%`` itself is always encoded, so a key is taken literally and never decoded twice.

    >>> encode_path("unit/jiangsu-kjt/高新技术处")
    'unit/jiangsu-kjt/高新技术处'
    >>> encode_path('partner/a b<c>"{d}|e\\\\^`%[x]#?')
    'partner/a%20b%3Cc%3E%22%7Bd%7D%7Ce%5C%5E%60%25%5Bx%5D%23%3F'
    >>> encode_path("place/江苏（省）")
    'place/江苏（省）'
    >>> encode_path("field/a\\u3000b")  # ideographic space is in ucschar but kept out of IRIs
    'field/a%E3%80%80b'
    """
    parts: list[str] = []
    for char in text:
        # Unicode white space is legal in IRIs but invisible and easily confused: encode it.
        if _allowed(char) and not (char.isspace() or char == "\u3000"):
            parts.append(char)
        else:
            parts.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
    return "".join(parts)


def normalise_base(base: str) -> str:
    """Check that ``base`` is an absolute http(s) IRI ending in ``/`` and return it.

    >>> normalise_base("https://policykg.example/id/")
    'https://policykg.example/id/'
    >>> normalise_base("policykg/id/")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: base IRI 'policykg/id/' must be an absolute http(s) IRI such as https://policykg.example/id/
    >>> normalise_base("https://policykg.example/id")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: base IRI 'https://policykg.example/id' must end with '/' so that paths can be appended
    """
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"base IRI {base!r} must be an absolute http(s) IRI such as https://policykg.example/id/")
    if parts.query or parts.fragment or "#" in base or "?" in base:
        raise InputError(f"base IRI {base!r} must not have a query or fragment")
    if encode_path(base.replace("%", "")) != base.replace("%", ""):  # %XX escapes may stay
        raise InputError(f"base IRI {base!r} contains characters not allowed in an IRI")
    if not base.endswith("/"):
        raise InputError(f"base IRI {base!r} must end with '/' so that paths can be appended")
    return base


def _segment(value: str | int, what: str) -> str:
    text = str(value)
    if not text or "/" in text or text in (".", ".."):
        raise ValueError(f"{what} {text!r} cannot be one IRI path segment")
    return encode_path(text)


def plan_iri(base: str, plan_id: str) -> URIRef:
    """
    >>> str(plan_iri("https://policykg.example/id/", "jiangsu-kjt-2021-sanfuwu"))
    'https://policykg.example/id/plan/jiangsu-kjt-2021-sanfuwu'
    """
    return URIRef(f"{normalise_base(base)}plan/{_segment(plan_id, 'plan id')}")


def plan_graph_iri(base: str, plan_id: str) -> URIRef:
    """The named graph holding one plan's triples.

    >>> str(plan_graph_iri("https://policykg.example/id/", "p1"))
    'https://policykg.example/id/graph/p1'
    """
    return URIRef(f"{normalise_base(base)}graph/{_segment(plan_id, 'plan id')}")


def vocabulary_graph_iri(base: str) -> URIRef:
    """The named graph holding the ontology and the curated vocabularies.

    >>> str(vocabulary_graph_iri("https://policykg.example/id/"))
    'https://policykg.example/id/graph/vocabulary'
    """
    return URIRef(f"{normalise_base(base)}graph/vocabulary")


def section_iri(plan: str, index: int) -> URIRef:
    """
    >>> str(section_iri("https://policykg.example/id/plan/p1", 2))
    'https://policykg.example/id/plan/p1/section/2'
    """
    return URIRef(f"{plan}/section/{_segment(index, 'section index')}")


def task_iri(plan: str, index: int) -> URIRef:
    """Tasks are numbered by their 1-based index in the document (``Task.index``).

    >>> str(task_iri("https://policykg.example/id/plan/p1", 5))
    'https://policykg.example/id/plan/p1/task/5'
    """
    return URIRef(f"{plan}/task/{_segment(index, 'task index')}")


def measure_iri(plan: str, seq: int) -> URIRef:
    """Measures are numbered by ``Measure.seq``, not their printed number, which may restart.

    >>> str(measure_iri("https://policykg.example/id/plan/p1", 13))
    'https://policykg.example/id/plan/p1/measure/13'
    """
    return URIRef(f"{plan}/measure/{_segment(seq, 'measure seq')}")


def source_iri(plan: str) -> URIRef:
    """
    >>> str(source_iri("https://policykg.example/id/plan/p1"))
    'https://policykg.example/id/plan/p1/source'
    """
    return URIRef(f"{plan}/source")


def entity_iri(base: str, key: str) -> URIRef:
    """A vocabulary entity's IRI: the base followed by its key (its path below the base).

    Vocabulary files write the same keys as relative IRIs, so parsing them with the base as
    public ID yields these IRIs; keys must therefore not start with ``/`` or use dot segments.

    >>> str(entity_iri("https://policykg.example/id/", "field/quantum-technology"))
    'https://policykg.example/id/field/quantum-technology'
    >>> str(entity_iri("https://policykg.example/id/", "unit/jiangsu-kjt/高新技术处"))
    'https://policykg.example/id/unit/jiangsu-kjt/高新技术处'
    >>> str(entity_iri("https://policykg.example/id/", "partner/Business Finland"))
    'https://policykg.example/id/partner/Business%20Finland'
    """
    segments = key.split("/")
    if not key or key.startswith("/") or any(s in ("", ".", "..") for s in segments):
        raise ValueError(f"entity key {key!r} must be a relative path like 'field/quantum-technology'")
    return URIRef(normalise_base(base) + encode_path(key))
