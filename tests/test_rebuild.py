"""Rebuilds under a running server: builds in use are never deleted, and the server follows
`current` (graph, search, SPARQL workers) without a restart and without a 503."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import httpx

from kg.store.builds import MANIFEST, current_build, lease_current, new_build_dir, publish
from tests.server import ROOT, running_server

SEED = next((ROOT / "seeds").glob("*.txt"))
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def _copy_build(source: Path, data: Path) -> Path:
    """Publish a copy of a finished build as a new build of ``data`` (the real publish and clean-up)."""
    time.sleep(1.1)  # build folders are named by the second
    partial = new_build_dir(data)
    shutil.rmtree(partial)
    shutil.copytree(source, partial, ignore=shutil.ignore_patterns("in-use.lock"))
    manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    return publish(partial, manifest, data)


def test_a_leased_build_survives_clean_ups(built_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _copy_build(current_build(built_data).path, data)
    lease = lease_current(data)
    assert lease.build.path == first
    for _ in range(3):
        _copy_build(first, data)
    assert (first / MANIFEST).is_file(), "a build in use was deleted"
    lease.release()
    _copy_build(first, data)
    assert not first.exists(), "a build no longer in use is cleaned up"
    assert len(list((data / "builds").iterdir())) == 2


def test_server_follows_rebuilds_and_keeps_its_build(built_data: Path, tmp_path: Path) -> None:
    from policykg.build import build
    from policykg.settings import Settings

    data = tmp_path / "data"
    first = _copy_build(current_build(built_data).path, data)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    shutil.copy(SEED, seeds / "added-plan.txt")
    with running_server(data, POLICYKG_QUERY_TIMEOUT="3", POLICYKG_SPARQL_WORKERS="2") as url:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/health").json()["build"] == first.name
            second = build(Settings.from_env({}, data_dir=data, seeds_dir=seeds, validate=False, index=False)).path
            third = _copy_build(second, data)
            assert current_build(data).path == third
            served = client.get("/health").json()["build"]
            assert (data / "builds" / served / MANIFEST).is_file(), "the served build was deleted"

            deadline = time.monotonic() + 30
            while client.get("/health").json()["build"] != third.name:
                assert time.monotonic() < deadline, "the server did not switch to the new build"
                time.sleep(0.3)
            assert "added-plan" in client.get("/health").json()["plans"]

            assert client.post("/sparql", data={"query": RUNAWAY}).status_code == 503
            for _ in range(8):
                answer = client.post("/sparql", data={"query": GRAPHS},
                                     headers={"Accept": "application/sparql-results+json"})
                assert answer.status_code == 200, answer.text
                graphs = {b["g"]["value"] for b in answer.json()["results"]["bindings"]}
                assert any(g.endswith("added-plan") or "added-plan" in g for g in graphs), graphs
            plans = {p["id"] for p in client.get("/api/plans").json()}
            assert "added-plan" in plans
