"""Bad plan files get one clear line naming the file and the problem (CLI: exit status 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.parse.plan import parse_file
from kg.parse.source import PlanError
from policykg.cli import app


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
        ("附件\n科技方案".encode("utf-8") + b"\xff\xfe\xfd\x80\x81", "encoding"),
        (b"This is an English memo with no Chinese at all.", "no Chinese"),
        ("关于某事的通知\n\n各单位：\n请认真学习。\n".encode("utf-8"), "no tasks"),
    ],
)
def test_bad_files_raise_plan_error_naming_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(PlanError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert str(path) in message and problem in message
    assert "\n" not in message


def test_cli_parse_reports_bad_input_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = CliRunner().invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 2
    assert "empty.txt" in result.output and "empty" in result.output
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot read"):
        parse_file(tmp_path / "nope.txt")
