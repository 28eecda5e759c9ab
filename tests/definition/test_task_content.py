"""A Task holds only its own kind's work (``task-content``, an error): application calls on an
application task, a script on a script task. Validation and a deploy refuse any other shape
built in code, naming the activity; the engine runs what the XPDL writer writes, so a model and
the file written from it run alike.

Before, ``add_activity`` with ``TaskImplementation(task=SERVICE, tools=...)`` called the
application, though ``dump_xpdl`` wrote an empty ``<TaskService/>`` (after a reload nothing was
called); a SCRIPT task with calls ran the calls and not its script (the file kept the script
only); and a script on the default (application) kind never ran, its file an empty Task."""

from __future__ import annotations

import logging

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Activity, Package, TaskImplementation, TaskKind, ToolCall
from wfengine.errors import DeployError
from wfengine.runtime.compile_activity import stored_deployment
from wfengine.runtime.compiler import compile_process

_CALL = (ToolCall(application_id="notify", actual_parameters=("text",)),)


def _package(body: TaskImplementation) -> Package:
    pb = PackageBuilder("p")
    pb.application("notify", params=[("msg", "IN", "STRING")])
    p = pb.process("m")
    p.data_field("text", "STRING", initial="hello")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.add_activity(Activity(id="t", body=body))
    p.end("e")
    p.sequence("s", "t", "e")
    return pb.build()


def _run(package: Package) -> tuple[list[str], object]:
    calls: list[str] = []
    engine = Engine(clock=VirtualClock())
    engine.applications.register("notify", lambda msg: calls.append(msg) or {})
    engine.deploy(package)
    return calls, engine.instance(engine.start_process("m")).data["n"]


_MISFITS = {
    "service-with-calls": (TaskImplementation(task=TaskKind.SERVICE, tools=_CALL), "calls"),
    "script-with-calls": (
        TaskImplementation(task=TaskKind.SCRIPT, script="n = 42", tools=_CALL),
        "calls",
    ),
    "application-with-script": (TaskImplementation(script="n = 42"), "script"),
}


@pytest.mark.parametrize("case", list(_MISFITS))
def test_work_a_task_kind_does_not_run_is_refused_naming_the_activity(case: str) -> None:
    body, what = _MISFITS[case]
    package = _package(body)
    [finding] = [d for d in validate(package) if d.severity is Severity.ERROR]
    assert (finding.code, finding.element_id) == ("task-content", "t")
    assert "activity 't' in process 'm'" in finding.message and what in finding.message
    with pytest.raises(DeployError, match="task-content"):
        Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize("case", list(_MISFITS))
def test_the_compiler_refuses_it_too_and_a_stored_one_runs_as_before(
    case: str, caplog: pytest.LogCaptureFixture
) -> None:
    package = _package(_MISFITS[case][0])
    [process] = package.workflow_processes
    with pytest.raises(DeployError, match=r"activity 't'.*task-content"):
        compile_process(package, process)
    with stored_deployment(), caplog.at_level(logging.WARNING, "wfengine.deploy"):
        compile_process(package, process)  # deployed by an earlier wfengine: it keeps running
    assert "deployed earlier" in caplog.text


@pytest.mark.parametrize(
    ("body", "ran"),
    [
        (TaskImplementation(tools=_CALL), (["hello"], 0)),
        (TaskImplementation(task=TaskKind.SCRIPT, script="n = 42"), ([], 42)),
    ],
    ids=["application-calls", "script"],
)
def test_each_kinds_own_work_runs_alike_from_the_model_and_its_file(
    body: TaskImplementation, ran: tuple[list[str], int]
) -> None:
    package = _package(body)
    assert [d for d in validate(package) if d.severity is Severity.ERROR] == []
    assert _run(package) == ran
    assert _run(load_xpdl(dump_xpdl(package))) == ran
