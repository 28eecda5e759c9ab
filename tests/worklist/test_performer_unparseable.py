"""A performer text that does not parse is no name: offering its work fails with an incident
(operation ``offer``) naming the performer and the parser's reason. Before, the compiler took
the text for a name nobody has: the work item was offered to no one, with no incident, and
the case waited for ever. Validation refuses such a text in wfengine's own language
(``performer-syntax``); a JavaScript package (a warning) and a deployment stored before the
check still reach the compiler with one."""

from __future__ import annotations

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.errors import ExpressionEvaluationError
from wfengine.runtime.compiler import compile_process

ORG = {"users": [{"id": "carol", "roles": ["clerk"]}]}


def _package(performer: str, *, script: str | None = None, tool: bool = False) -> PackageBuilder:
    pb = PackageBuilder("pkg", script=script)
    pb.application("erp")
    p = pb.process("orders")
    p.data_field("employee_name", "STRING")
    if tool:
        p.activity("ship", performer=performer, tool="erp")
    else:
        p.activity("ship", performer=performer)
    return pb


def test_offering_the_work_of_an_unparseable_performer_is_an_incident() -> None:
    with Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package("employee_name +", script="text/javascript").build())
        iid = e.start_process("orders", {"employee_name": "carol"})
        assert e.work_items(iid) == []
        (incident,) = e.incidents(iid)
        assert (incident.activity_id, incident.operation) == ("ship", "offer")
        assert "'employee_name +'" in incident.message
        assert "neither a name nor an expression" in incident.message, incident.message


def test_the_compiler_makes_no_name_of_it_in_wfengines_own_language() -> None:
    # (as a deployment stored before validation refused it is compiled)
    package = _package("employee_name +").build()
    compiled = compile_process(package, package.workflow_processes[0])
    (act,) = compiled.graph.activities
    assert act.assignment is not None
    (expr,) = act.assignment.expressions
    assert expr is not None
    with pytest.raises(ExpressionEvaluationError, match="invalid syntax"):
        expr.evaluate({"employee_name": "carol"}, VirtualClock().now, "instance pi-1")


def test_on_a_tool_activity_it_is_never_evaluated() -> None:
    package = _package("employee_name +", tool=True).build()
    compiled = compile_process(package, package.workflow_processes[0])
    (act,) = compiled.graph.activities
    assert act.assignment is None


def test_a_text_written_as_an_id_stays_a_name() -> None:
    package = _package("010").build()  # (no expression: a leading zero; a directory's id)
    compiled = compile_process(package, package.workflow_processes[0])
    (act,) = compiled.graph.activities
    assert act.assignment is None and act.performers == ("010",)
