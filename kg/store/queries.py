"""Canned analyst queries: one ``*.rq`` file per query, the file name is the query name.

A header of ``# title:``, ``# description:`` and ``# param: name | help | example`` lines
documents each query. Each parameter appears in the query as ``VALUES ?name { "example" }``, so
the file runs as it is in any SPARQL client; binding replaces that literal with the user's value,
N-Triples-escaped by pyoxigraph, so user text can never change the query's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError

QUERY_DIR = Path(__file__).parent / "canned"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class QueryError(InputError):
    """Unknown query or bad parameters; the message names what was wrong."""


@dataclass(frozen=True)
class Param:
    name: str
    help: str
    example: str


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def bind(self, values: dict[str, str]) -> str:
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {unknown[0]!r}")
        missing = [p.name for p in self.params if not values.get(p.name, "").strip()]
        if missing:
            raise QueryError(f"query {self.name!r} needs parameter {missing[0]!r} (e.g. {missing[0]}="
                             f"{next(p.example for p in self.params if p.name == missing[0])})")
        text = self.text
        for param in self.params:
            literal = str(ox.Literal(values[param.name].strip()))
            text = _values_clause(param.name).sub(lambda _: f"VALUES ?{param.name} {{ {literal} }}", text, count=1)
        return text


def _values_clause(name: str) -> re.Pattern[str]:
    return re.compile(rf"VALUES\s+\?{re.escape(name)}\s*\{{[^}}]*\}}")


def load_queries(directory: Path = QUERY_DIR) -> dict[str, CannedQuery]:
    queries = {}
    for path in sorted(directory.glob("*.rq")):
        queries[path.stem] = _read(path)
    return queries


def get_query(name: str, directory: Path = QUERY_DIR) -> CannedQuery:
    path = directory / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        known = ", ".join(load_queries(directory))
        raise QueryError(f"no canned query named {name!r}; known queries: {known}")
    return _read(path)


def _read(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        match = re.match(r"^#\s*(title|description|param)\s*:\s*(.*)$", line)
        if not match:
            continue
        if match.group(1) == "param":
            name, help_text, example = (part.strip() for part in (match.group(2).split("|") + ["", ""])[:3])
            params.append(Param(name, help_text, example))
        else:
            meta[match.group(1)] = match.group(2).strip()
    for param in params:
        if not _values_clause(param.name).search(text):
            raise QueryError(f"{path.name}: parameter {param.name!r} needs a `VALUES ?{param.name} {{ … }}` clause")
    return CannedQuery(name=path.stem, title=meta.get("title", path.stem), description=meta.get("description", ""),
                       params=tuple(params), text=text)
