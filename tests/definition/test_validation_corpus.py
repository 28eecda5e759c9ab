"""Validation of real XPDL written by other tools (the conformance corpus).

Working files from real tools must not drown their users in errors: only the files known to be
broken may have error findings, and those must be the findings their defects call for.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.conftest import conformance_root
from tests.definition.test_validation import (  # noqa: F401  (_no_check_crashes: autouse)
    _no_check_crashes,
)
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.validation import validate

reader = pytest.importorskip("wfengine.definition.xpdl.reader")

ROOT = conformance_root()
FILES = sorted((ROOT / "xpdl").rglob("*.xpdl")) if ROOT is not None else []

#: Files that cannot run as written (relative to xpdl/), and why.
KNOWN_BROKEN = {
    # the WfMC spec samples: typos in data references, an undeclared application, a subflow
    # called without the parameters its process declares
    "jawe/xpdl1.0/Invalid_WfMC_sample_workflow_process_original.xpdl",
    "bpm-xpdl-perl/xpdl-2.0-sample.xpdl",
    # a TIBCO test file: a process using another process's activities
    "tibco-business-studio/subprocess_simple.xpdl",
}


def test_branch_labels_are_warnings_not_errors() -> None:
    # diagram-only exports put the branch's label where the condition belongs ("Claim
    # accepted", ScriptGrammar="Text"): the process deploys and stops there with an incident
    _skip_without_corpus()
    for relative, count in (
        ("apromore/Model1.xpdl", 5),
        ("aristaflow-fhaer/Fallstudie_4-09_e-Car_Produktion.xpdl", 4),
        ("aristaflow-fhaer/Test_gateway_inclusive.xpdl", 3),
    ):
        labels = [d for d in _findings(relative) if d.code == "expression-label"]
        assert len(labels) == count, relative
        assert all(d.severity is Severity.WARNING for d in labels)


@cache
def _findings(relative: str) -> list[Diagnostic]:
    assert ROOT is not None
    path = ROOT / "xpdl" / relative
    package = reader.read_package(path.read_bytes(), source=str(path), schema=True)
    found = validate(package)
    assert found[: len(package.load_diagnostics)] == list(package.load_diagnostics)
    return found[len(package.load_diagnostics) :]


def _relative(path: Path) -> str:
    assert ROOT is not None
    return path.relative_to(ROOT / "xpdl").as_posix()


def _errors(relative: str) -> list[Diagnostic]:
    return [d for d in _findings(relative) if d.severity is Severity.ERROR]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_validates_and_only_known_broken_files_have_errors(path: Path) -> None:
    relative = _relative(path)
    errors = _errors(relative)
    if relative not in KNOWN_BROKEN:
        assert errors == [], [d.format(relative) for d in errors]
    else:
        assert errors


def _skip_without_corpus() -> None:
    if ROOT is None:
        pytest.skip("conformance corpus not found")


def test_loop_blocked_sample_has_cycles_with_exits_so_no_errors() -> None:
    # JaWE marks it invalid for its LOOP_BLOCKED conformance class (it has a cycle); the cycle
    # has an exit, so the process runs: cycles are not errors.
    _skip_without_corpus()
    assert _errors("jawe/xpdl1.0/Invalid_Conformance_LoopBlocked.xpdl") == []


def test_wfmc_1_0_sample_defects_are_found() -> None:
    _skip_without_corpus()
    found = {
        (d.code, d.element_id)
        for d in _errors("jawe/xpdl1.0/Invalid_WfMC_sample_workflow_process_original.xpdl")
    }
    assert ("parameter-count", "10") in found  # SubFlow with no actuals; process 3 takes 4
    assert ("undefined-application", "59") in found  # Tool getCreditInfo is never declared
    assert ("undefined-data-field", "60") in found  # 'docUri' for the data field 'docURI'


def test_tibco_process_using_another_process_activities_has_dangling_transitions() -> None:
    _skip_without_corpus()
    found = {d.element_id for d in _errors("tibco-business-studio/subprocess_simple.xpdl")}
    assert {"351", "448", "480", "484"} <= found


def test_repeated_extended_attribute_is_reported_as_a_warning() -> None:
    _skip_without_corpus()
    found = _findings("shoobx-wfmc/publication-2.1-duplicate-ExtendedAttribute.xpdl")
    dup = [d for d in found if d.code == "duplicate-extended-attribute"]
    assert [(d.severity, d.element_id) for d in dup] == [(Severity.WARNING, "prepare")]
