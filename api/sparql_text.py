"""Cheap checks on SPARQL text in the server process, before a worker gets it: the size and
nesting limits (kg.store.sparql_guard.check_size) and which form the query is, to pick the
answer's media type. Comments, strings and IRIs are blanked first, so a keyword inside a literal
or an IRI never counts.

Nothing here is a security decision: SERVICE, updates and FROM are decided on a real parse
(kg.store.sparql_guard.analyze) in the worker, and the worker cannot open network sockets.
The text scan below only refuses the plain cases early."""

from __future__ import annotations

import re

from kg.store.sparql_guard import QueryRefused, QueryTooComplex, check_size

__all__ = ["QueryRefused", "QueryTooComplex", "check_query", "query_form"]

_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_KEYWORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)(?![\w:])")


def blank(text: str) -> str:
    """The text with comments, strings and IRIs replaced by spaces (same length)."""
    return _TOKENS.sub(lambda m: " " * len(m.group(0)), text)


def keywords(text: str) -> list[str]:
    return [m.group(1).upper() for m in _KEYWORD.finditer(blank(text))]


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; UPDATE for an update; None when none is found.

    >>> query_form('PREFIX a: <http://x/SELECT> # DELETE\\nASK { ?s a:p "INSERT" }')
    'ASK'
    """
    for word in keywords(text):
        if word in _FORMS:
            return word
        if word in _UPDATES:
            return "UPDATE"
    return None


def check_query(text: str) -> str:
    """Refuse texts past the size limits, and plain updates and SERVICE; return the query form."""
    check_size(text)
    form = query_form(text)
    if form == "UPDATE":
        raise QueryRefused("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) is not accepted",
                           update=True)
    if "SERVICE" in keywords(text):
        raise QueryRefused("SERVICE (federated query) is not allowed: this endpoint never queries other servers")
    return form or "SELECT"
