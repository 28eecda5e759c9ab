"""What the distributions carry: the licence the metadata names, and an sdist that holds the
test suite, the examples, the docs and the benchmarks (so whoever builds from it can run the
tests on what they built), without what a working tree collects.

Before, there was no LICENSE file though the metadata said MIT, the license was a TOML table
(deprecated; refused by setuptools from 2027-02-18), and the sdist held 4 of the test files (no
conftest), no examples and no docs.

The sdist's file list is computed as setuptools computes it, from MANIFEST.in over the files
of this working tree (with whatever caches and virtual environments lie in it); building one
would need the build backend from the registry.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: the directories the sdist carries whole (their tracked files; MANIFEST.in)
CARRIED = ("tests", "examples", "docs", "bench", ".ci")
#: what a working tree collects and no distribution may carry
JUNK = (".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache")


def test_the_licence_the_metadata_names_is_shipped() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the wfengine authors" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"  # an SPDX expression (PEP 639), not a table
    assert project["license-files"] == ["LICENSE"]
    assert not any(c.startswith("License ::") for c in project.get("classifiers", []))


def test_the_build_backend_reads_an_spdx_license() -> None:
    [setuptools] = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    lowest = tuple(int(part) for part in setuptools.split(">=")[1].split("."))
    assert lowest >= (77,)


def _working_tree_files(root: Path) -> list[str]:
    found: list[str] = []
    for top in CARRIED:
        for directory, _, files in os.walk(root / top):
            found += [Path(directory, f).relative_to(root).as_posix() for f in files]
    return found


def _sdist_files(root: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The files MANIFEST.in adds to an sdist of ``root`` (setuptools reads the tree from the
    current directory, as a build does)."""
    egg_info = pytest.importorskip("setuptools.command.egg_info")
    monkeypatch.chdir(root)
    listing = egg_info.FileList()
    for line in (root / "MANIFEST.in").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            listing.process_template_line(line)
    return {Path(f).as_posix() for f in listing.files}


def test_the_sdist_carries_the_tests_examples_docs_and_benchmarks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tree = _working_tree_files(ROOT)
    carried = _sdist_files(ROOT, monkeypatch)
    wanted = {
        f
        for f in tree
        if not any(part in JUNK or part.startswith(".venv") for part in Path(f).parts)
        and not f.endswith(".db")
    }
    assert wanted - carried == set()
    assert not [
        f for f in carried if any(p in JUNK or p.startswith(".venv") for p in Path(f).parts)
    ]
    for needed in ("tests/conftest.py", "tests/cli/conftest.py", "examples/leave_request.xpdl"):
        assert needed in carried
    assert any(f.startswith("docs/") for f in carried)
    assert any(f.startswith("bench/") for f in carried)
    assert ".ci/run" in carried


def test_the_sdist_carries_nothing_a_working_tree_collects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "MANIFEST.in").write_text((ROOT / "MANIFEST.in").read_text(encoding="utf-8"))
    kept = ["tests/conftest.py", "examples/leave_request.xpdl", "bench/run.py", "docs/a.md"]
    junk = [
        "tests/__pycache__/conftest.cpython-311.pyc",
        "tests/runtime/.pytest_cache/v/cache/lastfailed",
        "tests/.hypothesis/examples/ab/cd",
        "bench/peers/.venv-peers/lib/python3.11/site-packages/x.py",
        "bench/.venv/bin/python",
        "examples/wf.db",
    ]
    for name in kept + junk:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert _sdist_files(tmp_path, monkeypatch) == set(kept)


def test_the_dev_extra_installs_the_click_the_suite_needs() -> None:
    """The suite reads ``CliRunner().invoke(...).stderr``: click 8.1 has no separate stderr
    ("stderr not separately captured"), 8.2.0's runner loses it; ``click>=8.1`` of the
    package itself let ``pip install -e '.[dev]'`` keep either."""
    dev = PYPROJECT["project"]["optional-dependencies"]["dev"]
    [click] = [r for r in dev if r.startswith("click")]
    lowest = tuple(int(part) for part in click.split(">=")[1].split("."))
    assert lowest >= (8, 2, 1)
