"""A bounded soak (20 clients × 5 s of mixed traffic on loopback): no errors, server alive.
The full one (100 × 60 s) is `python bench/soak.py`; its figures are in bench/results/soak.json."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.server import ROOT


def test_a_short_soak_has_no_errors(built_data: Path) -> None:
    spec = importlib.util.spec_from_file_location("soak", ROOT / "bench" / "soak.py")
    assert spec is not None and spec.loader is not None
    soak = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(soak)
    result = soak.run_soak(built_data, clients=20, seconds=5)
    assert result["errors"] == 0, result["error_kinds"]
    assert result["server_alive_at_end"]
    assert result["requests"] > 20
    assert result["rss_mb"]["max"] > 0
