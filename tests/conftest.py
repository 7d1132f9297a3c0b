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
