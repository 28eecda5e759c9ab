"""A script task whose script is not made of assignments (``n += 1``, ``n++``, ``n = ``, code
in another language) is never run by the engine: every instance reaching it stops with an
incident. Validation warns of it (``script-unsupported``); it validated clean before."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package


def _script(script: str) -> Package:
    pb = PackageBuilder("p")
    p = pb.process("x").data_field("n", "INTEGER", initial="0")
    p.start("s").activity("bump", script=script).end("e").sequence("s", "bump", "e")
    return pb.build()


@pytest.mark.parametrize("script", ["n += 1", "n++", "n = ", "n = 1\nprint(n)"])
def test_a_script_the_engine_never_runs_is_a_warning_and_instances_stop_there(
    script: str,
) -> None:
    package = _script(script)
    [finding] = validate(package)
    assert (finding.severity, finding.code, finding.element_id) == (
        Severity.WARNING,
        "script-unsupported",
        "bump",
    )
    assert "the script of activity 'bump' in process 'x'" in finding.message
    with Engine() as engine:
        engine.deploy(package)  # a warning: deploy takes it, as the engine does
        iid = engine.start_process("x")
        assert [i.activity_id for i in engine.incidents() if i.instance_id == iid] == ["bump"]


def test_the_finding_names_the_statement_that_is_no_assignment() -> None:
    [finding] = validate(_script("n = 1; n++; n = 3"))
    assert "'n++' is not one" in finding.message


@pytest.mark.parametrize("script", ["n = n + 1", "var n = 2;", "n = 1\nn = n * 3"])
def test_assignments_are_no_finding_and_run(script: str) -> None:
    package = _script(script)
    assert validate(package) == []
    with Engine() as engine:
        engine.deploy(package)
        iid = engine.start_process("x")
        assert engine.instance(iid).state.value == "closed.completed"
