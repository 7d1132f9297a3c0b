"""The layers hold (import-linter contract), a back-import breaks them, no module reaches for
another's private names, and the CLI tells user errors from bugs."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kg", "search", "api", "policykg", "ontology")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_import_contract_is_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "back_import"), [
    ("kg/model.py", "import search.engine"),
    ("search/bm25.py", "import api.app"),
    ("api/pages.py", "import policykg.cli"),
    ("kg/parse/layout.py", "import fastapi"),
])
def test_a_back_import_breaks_the_contract(tmp_path: Path, module: str, back_import: str) -> None:
    for name in (*PACKAGES, "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        else:
            shutil.copy(source, tmp_path / name)
    target = tmp_path / module
    target.write_text(target.read_text("utf-8") + f"\n{back_import}  # a back-import\n", "utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
                    offenders += [f"{path.relative_to(ROOT)}: {node.module}.{alias.name}"
                                  for alias in node.names if alias.name.startswith("_") and alias.name != "__version__"]
    assert offenders == []


def test_a_user_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    result = CliRunner().invoke(cli.app, ["parse", str(empty)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def test_a_bug_keeps_its_traceback_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import policykg.services

    def broken(*_: object) -> None:
        raise ValueError("an internal bug")

    monkeypatch.setattr(policykg.services, "parse_plan_document", broken)
    result = CliRunner().invoke(cli.app, ["parse", str(tmp_path / "any.txt")])
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)  # not turned into "error: …" and exit 2


def test_version_comes_from_package_metadata() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(cli.app, ["version"])
    assert result.output.strip() == version("policykg")
