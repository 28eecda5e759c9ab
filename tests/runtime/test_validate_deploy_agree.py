"""Validation and deploy agree: what validation accepts, deploy accepts, and vice versa.

Deploy refuses exactly the processes :func:`validate_process` reports an error for, and the
compiler reads every text through the same :mod:`wfengine.definition.reading`; these tests
check that no process gets past validation and then fails to compile (or the reverse), on
every process of the conformance corpus and on random packages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from tests.conftest import conformance_root
from tests.strategies import packages
from wfengine.definition.diagnostics import Severity
from wfengine.definition.io import load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.validation import validate, validate_process
from wfengine.errors import DeployError
from wfengine.runtime.compiler import compile_process
from wfengine.runtime.engine import Engine

ROOT = conformance_root()
FILES = sorted((ROOT / "xpdl").rglob("*.xpdl")) if ROOT is not None else []


def _agree(package: Package) -> None:
    for process in package.workflow_processes:
        errors = [d for d in validate_process(package, process) if d.severity is Severity.ERROR]
        try:
            compile_process(package, process)
        except DeployError as exc:
            assert errors, f"process {process.id!r} passed validation but does not compile: {exc}"


def _deployed(package: Package) -> set[str]:
    engine = Engine()
    try:
        return {d.process_id for d in engine.deploy(package, check_bindings=False)}
    except DeployError:
        return set()


@pytest.mark.skipif(not FILES, reason="conformance corpus not found at ../shared/conformance")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validation_and_deploy_agree_on_the_corpus(path: Path) -> None:
    package = load_xpdl(path)
    _agree(package)
    refused = {
        p.id
        for p in package.workflow_processes
        if any(d.severity is Severity.ERROR for d in validate_process(package, p))
    }
    assert _deployed(package) == {p.id for p in package.workflow_processes} - refused
    # a package validate accepts deploys whole
    if not any(d.severity is Severity.ERROR for d in validate(package)):
        assert refused == set()


@given(packages())
def test_validation_and_deploy_agree_on_random_packages(package: Package) -> None:
    _agree(package)
