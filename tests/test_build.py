"""Building the seed into a real Oxigraph store: conformance, atomic swap, failed and killed builds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.parse.source import PlanError
from kg.store.builds import current_build
from policykg.build import BuildError, build
from policykg.services import GraphService
from policykg.settings import Settings
from tests.conftest import ROOT, SEED

PLAN = "jiangsu-kjt-2021-sanfuwu"


@pytest.fixture(scope="module")
def built(built_data: Path) -> GraphService:
    return GraphService.open(Settings.from_env({}, data_dir=built_data))


def test_manifest_and_named_graphs(built: GraphService) -> None:
    manifest = built.build.manifest
    assert manifest["validated"] is True
    assert [(p["id"], p["tasks"], p["measures"]) for p in manifest["plans"]] == [(PLAN, 25, 58)]
    graphs = {g.value for g in built.store.named_graphs()}
    assert f"{built.base}graph/{PLAN}" in graphs and f"{built.base}graph/vocabulary" in graphs


def test_built_graph_conforms_to_shapes(built: GraphService) -> None:
    assert built.validate().conforms


def test_failed_build_leaves_previous_graph(tmp_path: Path) -> None:
    data, seeds = tmp_path / "data", tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    settings = Settings.from_env({}, data_dir=data, seeds_dir=seeds, validate=False)
    first = build(settings).path
    (seeds / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(PlanError, match="broken.txt: this is a binary file"):
        build(settings)
    (seeds / "broken.txt").write_text("关于某事的通知\n\n请各单位认真学习。\n", encoding="utf-8")
    with pytest.raises(PlanError, match="no tasks found"):
        build(settings)
    assert current_build(data).path == first
    assert "58" in GraphService.open(settings).sparql("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pko:Measure }")


def test_empty_seeds_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no plan files"):
        build(Settings.from_env({}, data_dir=tmp_path / "data", seeds_dir=tmp_path))


_KILLER = """
import os, sys
import kg.store.builds as store
original = store.StoreWriter.add
def killed_half_way(self, graph_iri, graph):
    if self.count:  # the vocabulary is in; die before the first plan
        os.kill(os.getpid(), 9)
    original(self, graph_iri, graph)
store.StoreWriter.add = killed_half_way
import policykg.build as build_module
from policykg.settings import Settings
from pathlib import Path
build_module.build(Settings.from_env({}, data_dir=Path(sys.argv[1]), validate=False))
"""


def test_build_killed_half_way_leaves_previous_graph_readable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = Settings.from_env({}, data_dir=data, validate=False)
    first = build(settings).path
    result = subprocess.run([sys.executable, "-c", _KILLER, str(data)], cwd=ROOT, capture_output=True, timeout=120)
    assert result.returncode == -9
    assert any(p.name.endswith(".partial") for p in (data / "builds").iterdir())
    assert current_build(data).path == first
    service = GraphService.open(settings)
    assert "58" in service.sparql("SELECT (COUNT(?m) AS ?n) WHERE { ?m a pko:Measure }")
    build(settings)  # the next build succeeds and clears the dead build's leftovers
    assert not any(p.name.endswith(".partial") for p in (data / "builds").iterdir())


def test_plan_json_written_next_to_store(built: GraphService) -> None:
    document = json.loads((built.build.path / "plans" / f"{PLAN}.json").read_text(encoding="utf-8"))
    assert document["counts"]["measures"] == 58
