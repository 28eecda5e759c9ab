"""Loop constants that can never work, judged as constant initial values are. Before, each
validated clean: a constant MI_Condition that is no count stopped every instance with an
incident (now a warning, as other texts instances stop at are), a negative LoopMaximum kept
the loop from ever repeating, and a LoopCondition of ``true`` with no maximum on an automatic
activity ran a million steps, then an incident."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, RuntimeLimits, load_xpdl
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package, StandardLoop
from wfengine.definition.validation import validate
from wfengine.runtime.progress import WATCH_FROM

_DOC = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pk" Name="pk">
<PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
</PackageHeader>
<WorkflowProcesses><WorkflowProcess Id="P" Name="P"><ProcessHeader/>
<DataFields><DataField Id="n"><DataType><BasicType Type="INTEGER"/></DataType>
<InitialValue>2</InitialValue></DataField></DataFields>
<Activities><Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="a">{body}<Loop LoopType="{kind}">{loop}</Loop></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity></Activities>
<Transitions><Transition Id="t1" From="s" To="a"/><Transition Id="t2" From="a" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
"""
_NONE = "<Implementation><No/></Implementation>"
_USER = '<Implementation><Task><TaskUser Implementation="Unspecified"/></Task></Implementation>'


def _mi(count: str) -> Package:
    loop = (
        '<LoopMultiInstance MI_Ordering="Parallel" MI_FlowCondition="All">'
        f"<MI_Condition>{count}</MI_Condition></LoopMultiInstance>"
    )
    return _load(_NONE, "MultiInstance", loop)


def _standard(attrs: str, body: str = _NONE) -> Package:
    return _load(body, "Standard", f'<LoopStandard TestTime="After" {attrs}/>')


def _load(body: str, kind: str, loop: str) -> Package:
    text = _DOC.format(body=body, kind=kind, loop=loop)
    return load_xpdl(text.encode(), schema=False)


def _found(package: Package, prefix: str = "loop-") -> list[Diagnostic]:
    return [d for d in validate(package) if d.code.startswith(prefix)]


@pytest.mark.parametrize("count", ["-3", "2.5", '"abc"', "true", "[1,2]", "1/0"])
def test_a_constant_mi_condition_that_is_no_count_is_a_warning(count: str) -> None:
    package = _mi(count)
    found = _found(package)
    assert [(d.code, d.severity, d.element_id) for d in found] == [
        ("loop-count", Severity.WARNING, "a")
    ]
    assert found[0].line == 9
    # a warning: it deploys, and an instance reaching it stops with the engine's incident
    assert Engine().deploy(package, check_bindings=False)


@pytest.mark.parametrize("count", ["0", "3", "3.0", "n", "n + 1"])
def test_a_count_or_an_expression_on_the_data_is_fine(count: str) -> None:
    assert _found(_mi(count)) == []


def test_a_negative_loop_maximum_is_a_warning() -> None:
    found = _found(_standard('LoopCondition="n &lt; 5" LoopMaximum="-1"'))
    assert [(d.code, d.severity) for d in found] == [("loop-maximum", Severity.WARNING)]
    assert "-1" in found[0].message


def test_a_loop_condition_always_true_with_no_maximum_on_an_automatic_activity_warns() -> None:
    found = _found(_standard('LoopCondition="true"'))
    assert [(d.code, d.severity, d.element_id) for d in found] == [
        ("loop-endless", Severity.WARNING, "a")
    ]


@pytest.mark.parametrize(
    ("attrs", "body"),
    [
        ('LoopCondition="true" LoopMaximum="3"', _NONE),  # bounded
        ('LoopCondition="true"', _USER),  # a person each round
        ('LoopCondition="n &lt; 5"', _NONE),  # on the data
    ],
)
def test_loops_that_end_or_wait_get_no_warning(attrs: str, body: str) -> None:
    assert _found(_standard(attrs, body)) == []


#: few enough steps that a loop the step limit stops is stopped quickly, more than the rounds
#: after which the progress watch reports one that changes nothing
_STEPS = 4 * WATCH_FROM


@pytest.mark.parametrize(
    ("counter", "script", "said", "incident"),
    [
        # a loop on an activity that does nothing: one navigation state, round after round
        (None, None, "after about 1,024 rounds", "loops without progress through t"),
        # its LoopCounter writes the count into the data: every round is a new state
        ("x", None, "at the step limit (RuntimeLimits.max_steps", "automatic steps"),
        # a script may change the data or not: the warning names both stops
        (None, "x = x + 1", "change no data, or at the step limit", "automatic steps"),
        (None, "x = 1", "change no data, or at the step limit", "loops without progress"),
    ],
    ids=["nothing", "counter", "script-adding", "script-constant"],
)
def test_the_endless_loop_warning_names_what_stops_the_loop(
    counter: str | None, script: str | None, said: str, incident: str
) -> None:
    # it was: every such warning named the step limit, though a loop whose rounds change
    # nothing is stopped by the progress watch after about 1,024 rounds (raising max_steps,
    # as the warning suggested, changed nothing)
    pb = PackageBuilder("lm")
    p = pb.process("lm")
    p.data_field("x", "INTEGER", initial="0")
    loop = StandardLoop(condition="true", counter=counter)
    p.start("s").activity("t", loop=loop, script=script).end("e")
    p.sequence("s", "t", "e")
    package = pb.build()
    [warning] = _found(package)
    assert warning.code == "loop-endless"
    assert said in warning.message
    engine = Engine(limits=RuntimeLimits(max_steps=_STEPS))
    engine.deploy(package)
    iid = engine.start_process("lm")
    [stopped] = engine.incidents(iid)
    assert incident in stopped.message
    if "without progress" in incident:
        assert engine.trace(iid).count("t") < 2 * WATCH_FROM
    else:
        assert engine.trace(iid).count("t") >= _STEPS - 1
