"""A non-editable install carries its own data: built as a wheel, installed into a bare folder and
run from outside the checkout, `policykg parse`, `build`, `queries` and `validate` work with only that
folder and the virtualenv's dependencies on the path."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    # No build isolation: the build backend (setuptools) is already in the virtualenv, so the test
    # needs no network.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("policykg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("ontology/policykg.ttl", "ontology/shapes.ttl", "ontology/vocab/fields.ttl",
                 "kg/store/canned/plans.rq", "api/static/index.html"):
        assert data in names, f"{data} is not in the wheel"
    target = work / "target"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    return target


def run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages processing, so the checkout's editable install is not on the path;
    # the virtualenv's site-packages is added by hand, after the installed folder.
    path = f"{target}:{sysconfig.get_paths()['purelib']}:{sysconfig.get_paths()['platlib']}"
    code = "import sys; from policykg.cli import app; sys.argv[0] = 'policykg'; app()"
    return subprocess.run([sys.executable, "-S", "-c", code, *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin", "HOME": str(cwd)}, timeout=300)


def test_installed_package_parses_and_builds_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "settings")
    assert where.returncode == 0, where.stderr
    located = subprocess.run([sys.executable, "-S", "-c", "import kg, ontology; print(kg.__file__, ontology.__file__)"],
                             cwd=tmp_path, capture_output=True, text=True,
                             env={"PYTHONPATH": f"{installed}:{sysconfig.get_paths()['purelib']}"})
    assert all(path.startswith(str(installed)) for path in located.stdout.split()), located.stdout

    parsed = run(installed, tmp_path, "parse", str(SEED), "--json")
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["counts"]["measures"] == 58

    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    built = run(installed, tmp_path, "build", "--no-index")  # seeds from ./seeds, data into ./data
    assert built.returncode == 0, built.stderr
    assert "25 tasks, 58 measures" in built.stdout
    assert (tmp_path / "data" / "current").exists()

    queries = run(installed, tmp_path, "query", "ongoing-tasks", "-f", "csv")
    assert queries.returncode == 0, queries.stderr
    assert len(queries.stdout.splitlines()) > 1
    assert run(installed, tmp_path, "validate").returncode == 0


def test_without_a_seeds_folder_build_says_so(installed: Path, tmp_path: Path) -> None:
    result = run(installed, tmp_path, "build", "--no-index")
    assert result.returncode == 2
    assert "seeds" in result.stderr and "Traceback" not in result.stderr
