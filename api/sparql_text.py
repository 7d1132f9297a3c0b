"""Lexical checks on SPARQL text before anything runs it: which form it is (a query or an
update), and whether it asks for SERVICE. Comments, strings and IRIs are blanked first, so a
keyword inside a literal or an IRI never counts."""

from __future__ import annotations

import re

from kg.errors import InputError

_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*",
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_KEYWORD = re.compile(r"(?<![\w:?$])([A-Za-z]+)(?![\w:])")


class QueryRefused(InputError):
    """A request that is valid SPARQL but not allowed here (updates, SERVICE)."""


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
    """Refuse updates and SERVICE; return the query form."""
    form = query_form(text)
    if form == "UPDATE":
        raise QueryRefused("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) is not accepted")
    if "SERVICE" in keywords(text):
        raise QueryRefused("SERVICE (federated query) is not allowed: this endpoint never queries other servers")
    return form or "SELECT"
