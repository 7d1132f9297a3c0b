"""What a SPARQL text is allowed to be before an engine sees it.

Two checks, both shared by the HTTP endpoint and ``policykg sparql``:

* ``check_size``: a small tokenizer (no recursion) bounds nesting depth, token count, UNION
  branches and OPTIONALs, because both parsers recurse: pyoxigraph overflows its stack (a
  segfault) on a few thousand nested groups, and rdflib's parser hits RecursionError far sooner.
* ``analyze``: a real parse (rdflib's SPARQL grammar) decides on SERVICE, updates and the query's
  own dataset (FROM / FROM NAMED). A text rdflib cannot parse is refused rather than passed on:
  refusing a valid query is a nuisance, running one we misread is a hole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError

MAX_DEPTH = 64  # brackets ( { [ open at once; real queries stay below 10
MAX_TOKENS = 20_000  # a 1,000-row VALUES block is ~1,000 tokens
MAX_UNIONS = 500
MAX_OPTIONALS = 500
# Each of these adds a level to the engine's algebra or expression tree even when written flat
# (`BIND(..) BIND(..)` nests Extend in Extend); pyoxigraph crashed at 3,000 flat BINDs.
MAX_CLAUSES = 1_000
MAX_OPERATORS = 2_000
_CLAUSES = frozenset({"BIND", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "VALUES", "EXISTS"})


class SparqlError(InputError):
    """A query that does not parse (message carries the parser's position) or is not allowed."""


class QueryRefused(SparqlError):
    """Valid SPARQL that this service will not run (updates, SERVICE)."""

    def __init__(self, message: str, *, update: bool = False) -> None:
        super().__init__(message)
        self.update = update  # updates are 403 (read-only endpoint), the rest 400


class QueryTooComplex(SparqlError):
    """Nesting or size past the limits that keep the parsers from crashing."""


# Strings, IRIs and comments are skipped whole; everything else is a token. A backslash takes
# the next character with it, so an escaped local name (`ex:a\#`) never starts a comment here.
_SCAN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|(?P<iri><[^<>\"{}|^`\\\s]*>)|\\.|#[^\n]*|(?P<word>[A-Za-z_][\w-]*)|(?P<open>[({\[])|(?P<close>[)}\]])"
    r"|(?P<op>\|\||&&|[=<>!+*/-])|\S",
)


def check_size(text: str, *, max_depth: int = MAX_DEPTH, max_tokens: int = MAX_TOKENS) -> None:
    """Raise QueryTooComplex when the text nests or counts past the limits.

    Brackets inside an IRI-looking span (`<...>`) count as opening and never as closing: the
    engine may read such a span as an IRI or as `<` ... `>` operators, and counting this way is
    an upper bound on the depth under either reading.
    """
    depth = deepest = tokens = unions = optionals = clauses = operators = 0
    for match in _SCAN.finditer(text):
        tokens += 1
        if tokens > max_tokens:
            raise QueryTooComplex(f"query too large: more than {max_tokens} tokens")
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            clauses += match.group(0) == "{"
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "iri":
            depth += sum(match.group(0).count(c) for c in "([")
        elif kind == "word":
            word = match.group(0).upper()
            unions += word == "UNION"
            optionals += word == "OPTIONAL"
            clauses += word in _CLAUSES
        elif kind == "op":
            operators += 1
        if depth > deepest:
            deepest = depth
            if deepest > max_depth:
                raise QueryTooComplex(f"query nested too deeply: more than {max_depth} brackets ( {{ [ open at once")
    if unions > MAX_UNIONS:
        raise QueryTooComplex(f"query too large: {unions} UNION branches (at most {MAX_UNIONS})")
    if optionals > MAX_OPTIONALS:
        raise QueryTooComplex(f"query too large: {optionals} OPTIONALs (at most {MAX_OPTIONALS})")
    if clauses > MAX_CLAUSES:
        raise QueryTooComplex(f"query too large: {clauses} groups and clauses ({{ }}, BIND, FILTER, OPTIONAL, "
                              f"UNION, MINUS, GRAPH, VALUES; at most {MAX_CLAUSES})")
    if operators > MAX_OPERATORS:
        raise QueryTooComplex(f"query too large: {operators} operators (at most {MAX_OPERATORS})")


@dataclass(frozen=True)
class Analysis:
    default_graphs: tuple[str, ...] = ()  # FROM
    named_graphs: tuple[str, ...] = ()  # FROM NAMED

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


# Without one of these byte sequences no SPARQL text can name SERVICE, a dataset or an update
# (keywords are ASCII, case-insensitive; the only escapes start with a backslash), so the slow
# parse is skipped for them. Anything containing one of them gets the full parse.
_NEEDS_PARSE = re.compile(r"(?i)service|from|insert|delete|load|clear|create|drop|copy|move|add|with|\\")


def analyze(text: str) -> Analysis:
    """Refuse SERVICE and updates, decided on rdflib's parse tree; return the query's dataset."""
    check_size(text)
    if not _NEEDS_PARSE.search(text):
        return Analysis()
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # slow import: only when needed

    try:
        tree = parseQuery(text)
    except RecursionError:
        raise QueryTooComplex("query nested too deeply for the SPARQL parser") from None
    except Exception as error:  # noqa: BLE001 - pyparsing raises several types for bad input
        if _is_update(text, parseUpdate):
            raise QueryRefused("this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) "
                               "is not accepted", update=True) from None
        raise SparqlError(f"malformed or unsupported SPARQL query: {_first_line(error)}") from None
    names: set[str] = set()
    defaults: list[str] = []
    named: list[str] = []
    stack: list[Any] = [list(tree)]
    while stack:  # iterative walk: the tree can be deep
        node = stack.pop()
        name = getattr(node, "name", None)
        if isinstance(name, str) and hasattr(node, "values"):
            names.add(name)
            if name == "DatasetClause":
                default = dict.get(node, "default")  # CompValue.get answers the key's name when absent
                (defaults if default is not None else named).append(str(default or dict.get(node, "named")))
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(node)
    if "ServiceGraphPattern" in names:
        raise QueryRefused("SERVICE (federated query) is not allowed: this endpoint never queries other servers")
    return Analysis(tuple(defaults), tuple(named))


def _is_update(text: str, parse_update: Any) -> bool:
    try:
        parse_update(text)
    except RecursionError:
        raise QueryTooComplex("query nested too deeply for the SPARQL parser") from None
    except Exception:  # noqa: BLE001 - not an update either
        return False
    return True


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:300]
