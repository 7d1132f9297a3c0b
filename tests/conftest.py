"""Shared fixtures: paths to the real seed and sample, and a session-wide built store."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


def sample_paths() -> tuple[Path, Path]:
    """The second plan and its expected parse; kept in tests/data so CI does not need ../shared."""
    return DATA / "ningbo-kjj-2022.txt", DATA / "ningbo-kjj-2022.expected.json"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def built_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed built once (graph, validation, search index) for every test that only reads it."""
    from policykg.build import build
    from policykg.settings import Settings

    data = tmp_path_factory.mktemp("built")
    build(Settings.from_env({}, data_dir=data, seeds_dir=ROOT / "seeds"))
    return data
