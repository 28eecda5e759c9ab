"""A deadline with no duration never fires (the compiler skips it): validation says so, as a
warning naming the activity. Before, nothing pointed it out, though the compiler's comment
said validation did, and an escalation drawn from it silently never ran."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl
from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/><Activities>
<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><Task><TaskUser Implementation="Unspecified"/></Task>
</Implementation>
<Deadline Execution="SYNCHR">{duration}<ExceptionName>late</ExceptionName></Deadline>
</Activity>
<Activity Id="h"><Implementation><No/></Implementation></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
<Transition Id="t3" From="a" To="h"><Condition Type="EXCEPTION">late</Condition></Transition>
<Transition Id="t4" From="h" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _package(duration: str) -> Package:
    return load_xpdl(_DOC.format(duration=duration).encode(), schema=False)


@pytest.mark.parametrize(
    "duration",
    [
        "",
        "<DeadlineDuration/>",
        "<DeadlineDuration>  </DeadlineDuration>",
        "<DeadlineDuration>None</DeadlineDuration>",
    ],
)
def test_a_deadline_with_no_duration_is_a_warning_naming_its_activity(duration: str) -> None:
    package = _package(duration)
    found = [d for d in validate(package) if d.code == "deadline-no-duration"]
    assert [(d.severity, d.element_id) for d in found] == [(Severity.WARNING, "a")]
    assert "'a'" in found[0].message and "'late'" in found[0].message
    assert found[0].line == 9  # the Deadline element's line
    # a warning: the process still deploys (the deadline is no deadline there)
    assert Engine().deploy(package, check_bindings=False)


def test_a_deadline_with_a_duration_gets_no_such_warning() -> None:
    package = _package("<DeadlineDuration>P1D</DeadlineDuration>")
    assert [d for d in validate(package) if d.code == "deadline-no-duration"] == []
