"""The persistent graph store: one embedded Oxigraph (RocksDB) database per build.

Builds write a new store and then swap a ``current`` link, so a failed or killed build never
touches the graph being served. Readers open the store read-only.

A server marks the build it serves with a shared ``flock`` on the build's lock file; clean-up
deletes only builds whose lock it can take exclusively. A lock dies with its process, so a
killed server never pins a build for ever.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from kg.errors import PolicyKGError

CURRENT = "current"
MANIFEST = "manifest.json"
LOCK = "in-use.lock"
_KEEP_BUILDS = 2


class StoreError(PolicyKGError, RuntimeError):
    """No usable build: the message tells the user what to run."""


@dataclass(frozen=True)
class Build:
    path: Path  # the build folder: store/, manifest.json …
    manifest: dict[str, Any]

    @property
    def store_path(self) -> Path:
        return self.path / "store"


def _term(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def quads(graph: Graph, graph_iri: str) -> Iterator[ox.Quad]:
    name = ox.NamedNode(graph_iri)
    for subject, predicate, obj in graph:
        yield ox.Quad(_term(subject), _term(predicate), _term(obj), name)


def new_build_dir(data_dir: Path) -> Path:
    builds = data_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = builds / f"{stamp}-{os.getpid()}.partial"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    return path


class StoreWriter:
    """Writes named graphs into a build's fresh store, one graph at a time."""

    BATCH = 250_000  # quads per bulk load: each bulk load has a fixed cost, so small plans are batched

    def __init__(self, build_dir: Path) -> None:
        self.store: ox.Store | None = ox.Store(str(build_dir / "store"))
        self.count = 0
        self._pending: list[ox.Quad] = []

    def add(self, graph_iri: str, graph: Graph) -> None:
        assert self.store is not None, "the writer is closed"
        self._pending.extend(quads(graph, graph_iri))
        self.count += len(graph)
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.store is not None and self._pending:
            self.store.bulk_extend(self._pending)
            self._pending = []

    def close(self) -> int:
        """Flush and release the store (its RocksDB lock) so readers can open it; the quad count."""
        if self.store is not None:
            self._flush()
            self.store.flush()
            self.store.optimize()
            self.store = None
        return self.count


def write_store(build_dir: Path, graphs: Iterable[tuple[str, Graph]]) -> int:
    """Bulk-load named graphs into a fresh store; returns the number of quads."""
    writer = StoreWriter(build_dir)
    for graph_iri, graph in graphs:
        writer.add(graph_iri, graph)
    return writer.close()


def publish(build_dir: Path, manifest: dict[str, Any], data_dir: Path) -> Path:
    """Finish a build and make it current with an atomic link swap."""
    (build_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    final = build_dir.with_suffix("")
    build_dir.rename(final)
    link = data_dir / f".{CURRENT}.{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(final.relative_to(data_dir))
    os.replace(link, data_dir / CURRENT)
    _prune(data_dir, keep=final)
    return final


def _prune(data_dir: Path, keep: Path) -> None:
    builds = sorted(p for p in (data_dir / "builds").iterdir() if p.is_dir())
    finished = [p for p in builds if not p.name.endswith(".partial")]
    for old in finished[:-_KEEP_BUILDS]:
        if old != keep:
            _remove_unless_in_use(old)
    for partial in (p for p in builds if p.name.endswith(".partial")):
        pid = partial.stem.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)


def _remove_unless_in_use(build_dir: Path) -> None:
    """Delete a build only while holding its lock exclusively: a server holding it shared keeps it."""
    try:
        fd = os.open(build_dir / LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        return  # not ours to delete (or gone already)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # served right now: the next build's clean-up tries again
        # Deleted under the lock: a server waiting for it finds the manifest gone and looks again.
        shutil.rmtree(build_dir, ignore_errors=True)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def current_build(data_dir: Path) -> Build:
    link = data_dir / CURRENT
    manifest_path = link / MANIFEST
    if not manifest_path.is_file():
        raise StoreError(f"no graph built in {data_dir}: run `policykg build` first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return Build(path=link.resolve(), manifest=manifest)


class BuildLease:
    """A shared lock on a build's lock file: while held, no clean-up deletes the build."""

    def __init__(self, build: Build, fd: int) -> None:
        self.build = build
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def lease_current(data_dir: Path, attempts: int = 5) -> BuildLease:
    """The current build, locked shared. Between reading ``current`` and taking the lock a
    clean-up may delete the build (if two builds ran meanwhile): then the manifest is gone and
    ``current`` is read again."""
    for _ in range(attempts):
        build = current_build(data_dir)
        try:
            fd = os.open(build.path / LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a clean-up holds it, i.e. is deleting the build
        if (build.path / MANIFEST).is_file():
            return BuildLease(build, fd)
        os.close(fd)
    raise StoreError(f"{data_dir / CURRENT} kept changing under a clean-up; try again")


def served_path(data_dir: Path) -> Path | None:
    """Where ``current`` points now (cheap: one readlink), or None without a build."""
    try:
        return (data_dir / CURRENT).resolve(strict=True)
    except OSError:
        return None


def open_store(build: Build) -> ox.Store:
    """Open a build's store read-only (any number of readers may do so at once)."""
    return ox.Store.read_only(str(build.store_path))
