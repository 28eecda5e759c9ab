"""A bare number in a deadline or a timer cycle is seconds (docs/semantics.md), so a constant
number not above zero is checked as the literal it stands for. Before, ``0``, ``-5``,
``R/0`` and ``R/-5`` validated and deployed clean, while ``PT0S`` and ``R/PT0S`` were
errors: the deadline of ``0`` fired at once (and re-armed through its exception path), the
others stopped every instance with an incident."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, load_xpdl
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

_DEADLINE = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/>
<DataFields><DataField Id="wait"><DataType><BasicType Type="INTEGER"/></DataType>
<InitialValue>60</InitialValue></DataField></DataFields><Activities>
<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a"><Implementation><Task><TaskUser Implementation="Unspecified"/></Task>
</Implementation>
<Deadline Execution="ASYNCHR"><DeadlineDuration>{duration}</DeadlineDuration>
<ExceptionName>late</ExceptionName></Deadline>
</Activity>
<Activity Id="h"><Implementation><No/></Implementation></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
<Transition Id="t3" From="a" To="h"><Condition Type="EXCEPTION">late</Condition></Transition>
<Transition Id="t4" From="h" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""


def _deadline(duration: str) -> Package:
    return load_xpdl(_DEADLINE.format(duration=duration).encode(), schema=False)


def _boundary(cycle: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("work", performer="clerk").activity("late").activity("done")
    p.intermediate("timer", attached_to="work", timer=cycle, interrupting=False)
    p.sequence("work", "done").transition("timer", "late")
    return pb.build()


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    "duration",
    ["0", "-5", "0.0", "60 - 60", "-0.5", "timedelta(0)", "timedelta(seconds=-10)"],
)
def test_a_constant_number_of_seconds_not_above_zero_is_a_deadline_duration_error(
    duration: str,
) -> None:
    package = _deadline(duration)
    [finding] = _errors(package)
    assert (finding.code, finding.element_id) == ("deadline-duration", "a")
    assert f"is '{duration}'" in finding.message and "longer than zero" in finding.message
    with pytest.raises(DeployError, match="deadline-duration"):
        Engine().deploy(package)


@pytest.mark.parametrize("cycle", ["R/0", "R/-5", "R3/0"])
def test_a_repeating_timer_of_a_constant_number_not_above_zero_is_a_timer_cycle_error(
    cycle: str,
) -> None:
    package = _boundary(cycle)
    [finding] = _errors(package)
    assert (finding.code, finding.element_id) == ("timer-cycle", "timer")
    assert "repeats every" in finding.message
    with pytest.raises(DeployError, match="timer-cycle"):
        Engine().deploy(package)


@pytest.mark.parametrize("duration", ["60", "0.5", "wait", "wait - 60", "PT1H"])
def test_a_positive_or_computed_deadline_stays_clean(duration: str) -> None:
    assert _errors(_deadline(duration)) == []


@pytest.mark.parametrize("cycle", ["R/60", "R/0.5", "0", "R/now().hour * 60"])
def test_a_positive_once_only_or_clock_reading_timer_stays_clean(cycle: str) -> None:
    """``0`` fires once, at once (allowed, as ``PT0S`` is); an expression asking the clock
    is no constant, even where it gives 0 at some hour."""
    assert _errors(_boundary(cycle)) == []


def test_a_computed_deadline_below_zero_is_still_an_incident_when_it_is_set() -> None:
    """What no constant shows before an instance runs stays the engine's to refuse."""
    engine = Engine()
    engine.deploy(_deadline("wait * -1"), check_bindings=False)
    iid = engine.start_process("P")
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "a" and "deadline gave -60 seconds" in incident.message


@pytest.mark.parametrize("duration", ["-1e14", "-10**300", "-1e400"])
def test_a_constant_number_below_zero_too_large_for_a_timedelta_is_still_an_error(
    duration: str,
) -> None:
    """Its sign is read on the number: before, building the wait it stands for overflowed,
    and the deadline validated clean to stop every instance with an incident."""
    [finding] = _errors(_deadline(duration))
    assert finding.code == "deadline-duration" and "no instance waits" in finding.message


def test_a_constant_number_a_hair_below_zero_is_no_wait_not_one_firing_at_once() -> None:
    """``-0.0000001`` rounds to no microseconds, but the engine refuses it as negative."""
    [finding] = _errors(_deadline("-0.0000001"))
    assert finding.code == "deadline-duration"
    assert "no instance waits" in finding.message and "at once" not in finding.message


@pytest.mark.parametrize("cycle", ["R/-1e14", "R/-0.0000001"])
def test_a_repeating_timer_of_a_constant_number_below_zero_of_any_size_is_an_error(
    cycle: str,
) -> None:
    [finding] = _errors(_boundary(cycle))
    assert (finding.code, finding.element_id) == ("timer-cycle", "timer")
