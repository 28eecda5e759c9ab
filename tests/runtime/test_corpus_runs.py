"""Every process of the conformance corpus runs under ``wfengine run --json``, as a user would.

Real files from other tools (``../shared/conformance/xpdl``) must run the way the tool that
drew them meant: each process either completes (exit 0), or stops open for a reason the run
names (exit 3: an incident or a stopped loop), or is refused with its validation finding
(exit 1, only for the files whose references are broken). Nothing raises a traceback. The
processes that do not complete are listed here with why; any other process must complete, so
a regression in either direction shows.

(Runs end fast by construction: an automatic cycle without progress becomes an incident within
a few thousand steps, and the runner stops a manual loop it can never leave.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import conformance_root
from wfengine.cli.run_cmd import run as run_cmd
from wfengine.definition.io import load_xpdl

ROOT = conformance_root()

#: (file, process) -> (exit status, a text the report must contain, why it cannot complete)
EXPECTED: dict[tuple[str, str], tuple[int, str, str]] = {
    # intermediate and start events that wait for the world: the [events] work
    ("aristaflow-fhaer/Test_multiple_pools__processes_and_lanes.xpdl", "_b_ov8XFdEeG8vrjgicxFKw"): (
        3,
        "Conditional event with no condition",
        "Signal start events, Message and Conditional intermediate events",
    ),
    # an intermediate timer waits (wfengine run does not move the clock on)
    ("tibco-business-studio/EBXOR.xpdl", "1"): (
        3,
        "timer",
        "an event-based gateway, taken as its first way, to a timer event",
    ),
    ("tibco-business-studio/Two_tasks_and_delay_event.xpdl", "1"): (
        3,
        "timer",
        "an intermediate Timer event",
    ),
    ("tibco-business-studio/intermediate_message.xpdl", "1"): (
        3,
        "message",
        "an intermediate Message event: it waits for its message (run --script can send it)",
    ),
    # an exclusive gateway whose first (unconditioned) way leads back to itself
    ("apromore/Gateways.xpdl", "1"): (3, "loops without progress", "an endless automatic cycle"),
    ("tibco-business-studio/gateways.xpdl", "1"): (
        3,
        "loops without progress",
        "an endless automatic cycle",
    ),
    # manual loops whose way out needs a person to change the data (--answers)
    ("jawe/xpdl1.0/Valid_WorkflowPatterns_workflow_patterns.xpdl", "WfSP1_Arbitrary_Cycles"): (
        3,
        "manual loop",
        "leaves its cycle only when a person changes whereToGo",
    ),
    ("jawe/xpdl2.1/WorkflowPatterns_workflow_patterns.xpdl", "WfSP1_Arbitrary_Cycles"): (
        3,
        "manual loop",
        "leaves its cycle only when a person changes whereToGo",
    ),
    ("jawe/xpdl2.1/RealLife_document_approval.xpdl", "document_approval"): (
        3,
        "manual loop",
        "leaves its review loop only when a reviewer approves",
    ),
    # decisions that need real application outputs or real data
    ("bpm-xpdl-perl/xpdl-2.0-sample.xpdl", "2"): (
        3,
        "no outgoing transition",
        "routes on the status the (stubbed) checkData application would return",
    ),
    ("jawe/xpdl1.0/Invalid_Conformance_LoopBlocked.xpdl", "LOOP_BLOCKED_Test_Wor2"): (
        3,
        "not None and integer; a field with no value is None",
        "compares an INTEGER field that has no value (a<5) in a package without a script type",
    ),
    # broken references (typos, an undeclared application, missing parameters): refused
    ("bpm-xpdl-perl/xpdl-2.0-sample.xpdl", "3"): (
        1,
        "creditInfo",
        "an OUT parameter names no field",
    ),
    ("bpm-xpdl-perl/xpdl-2.0-sample.xpdl", "4"): (1, "docUri", "'docUri' for the field 'docURI'"),
    ("jawe/xpdl1.0/Invalid_WfMC_sample_workflow_process_original.xpdl", "1"): (
        1,
        "parameter-count",
        "a subflow called without its parameters",
    ),
    ("jawe/xpdl1.0/Invalid_WfMC_sample_workflow_process_original.xpdl", "2"): (
        1,
        "getCreditInfo",
        "an undeclared application",
    ),
    ("jawe/xpdl1.0/Invalid_WfMC_sample_workflow_process_original.xpdl", "3"): (
        1,
        "creditInfo",
        "an OUT parameter names no field",
    ),
    ("tibco-business-studio/subprocess_simple.xpdl", "2"): (
        1,
        "dangling-transition",
        "transitions into another process's activities",
    ),
}


def _processes() -> list[tuple[str, str]]:
    if ROOT is None:
        return []
    found: list[tuple[str, str]] = []
    for path in sorted((ROOT / "xpdl").rglob("*.xpdl")):
        relative = path.relative_to(ROOT / "xpdl").as_posix()
        found.extend((relative, p.id) for p in load_xpdl(path).workflow_processes)
    return found


PROCESSES = _processes()
needs_corpus = pytest.mark.skipif(
    ROOT is None, reason="conformance corpus not found at ../shared/conformance"
)


@needs_corpus
@pytest.mark.parametrize(
    ("relative", "process_id"), PROCESSES, ids=[f"{f}:{p}" for f, p in PROCESSES]
)
def test_every_corpus_process_runs_as_its_tool_meant(relative: str, process_id: str) -> None:
    assert ROOT is not None
    path = ROOT / "xpdl" / relative
    result = CliRunner().invoke(run_cmd, [str(path), "--process", process_id, "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    status, text, why = EXPECTED.get((relative, process_id), (0, "", ""))
    assert result.exit_code == status, (why, result.output)
    if status == 1:
        assert text in result.output and "Traceback" not in result.output
        return
    out = json.loads(result.stdout)
    if status == 0:
        assert out["state"] == "closed.completed"
        return
    assert out["state"].startswith("open.")
    reasons = [i["error"] for i in out["incidents"]] + [out["stopped"] or ""]
    reasons += [w["kind"] for w in out["waiting"]]  # what it waits for: a timer, a person
    assert any(text in r for r in reasons), (why, reasons)


@needs_corpus
def test_how_many_corpus_processes_complete() -> None:
    # 109 processes; 92 complete (71 before the fidelity work). The rest: EXPECTED, with why.
    assert len(PROCESSES) == 109
    assert len(PROCESSES) - len(EXPECTED) == 92
    assert all(key in PROCESSES for key in EXPECTED)


def test_a_package_without_processes_is_a_usage_error(tmp_path: Path) -> None:
    from wfengine.definition.builder import PackageBuilder
    from wfengine.definition.io import dump_xpdl

    path = tmp_path / "repository.xpdl"
    path.write_bytes(dump_xpdl(PackageBuilder("repo").build()))
    result = CliRunner().invoke(run_cmd, [str(path), "--json"])
    assert result.exit_code == 2
    assert "has no workflow process" in result.output
