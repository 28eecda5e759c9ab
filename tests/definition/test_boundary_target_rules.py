"""What an attached (boundary) event may be attached to: validation and deploy judge it by one
rule. Before, ``Target=""`` passed validation (read as an event in the flow) while deploy
refused it, and an event attached to something that never waits (a route, a start or end event,
another attached event) passed both and never fired."""

from __future__ import annotations

import pytest

from wfengine import Engine, load_xpdl
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/><Activities>
<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><Task><TaskUser Implementation="Unspecified"/></Task>
</Implementation></Activity>
<Activity Id="r"><Route GatewayType="Exclusive"/></Activity>
<Activity Id="w"><Event><IntermediateEvent Trigger="Message"/></Event></Activity>
<Activity Id="t2"><Event><IntermediateEvent Trigger="Timer" Target="a">
<TriggerTimer><TimeCycle>PT1H</TimeCycle></TriggerTimer></IntermediateEvent></Event></Activity>
<Activity Id="t"><Event><IntermediateEvent Trigger="Timer" Target="{target}">
<TriggerTimer><TimeCycle>PT1H</TimeCycle></TriggerTimer></IntermediateEvent></Event></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
<Activity Id="e2"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="a"/><Transition Id="t2x" From="a" To="r"/>
<Transition Id="t3" From="r" To="w"/><Transition Id="t3w" From="w" To="e"/>
<Transition Id="t4" From="t" To="e2"/><Transition Id="t5" From="t2" To="e2"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _package(target: str) -> Package:
    return load_xpdl(_DOC.format(target=target).encode(), schema=False)


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


def _deploys(package: Package) -> bool:
    try:
        Engine().deploy(package, check_bindings=False)
    except DeployError:
        return False
    return True


def test_an_empty_target_is_a_boundary_target_error_and_deploy_refuses_it() -> None:
    package = _package("")
    errors = _errors(package)
    assert [(d.code, d.element_id) for d in errors] == [("boundary-target", "t")]
    assert errors[0].line is not None
    assert "empty Target" in errors[0].message
    assert not _deploys(package)


@pytest.mark.parametrize("target", ["a", "w"])
def test_an_activity_or_an_event_in_the_flow_is_a_fair_target(target: str) -> None:
    package = _package(target)
    assert _errors(package) == []
    assert _deploys(package)


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("r", "a route"),
        ("s", "a start event"),
        ("e", "an end event"),
        ("t2", "another attached event"),
        ("t", "the event itself"),
    ],
)
def test_an_event_attached_to_what_never_waits_is_a_boundary_target_error(
    target: str, what: str
) -> None:
    # the engine arms it when that activity starts, which completes at once: it never fired
    package = _package(target)
    errors = _errors(package)
    assert [(d.code, d.element_id) for d in errors] == [("boundary-target", "t")]
    assert what in errors[0].message
    assert not _deploys(package)
