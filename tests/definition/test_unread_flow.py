"""``unread-flow``: a part of the flow the reader keeps as XML, unread, is an error that says
what the engine would run without, and a deploy refuses it. A ``<Transition>`` with no Id, an
``<Implementation>`` whose ``<TaskApplication>`` had no Id and a ``<WorkflowProcess>`` with no
Id were kept with a warning only: the package validated clean and ran another path (the
transition's target never ran, the call became a person's step). Event triggers and results
read in any case, as the reader reads its other enumerations, and an unknown one is the same
error: ``Result="terminate"`` validated clean and did not terminate."""

from __future__ import annotations

import pytest

from wfengine import Engine, VirtualClock, load_xpdl
from wfengine.definition.io import dump_xpdl
from wfengine.definition.model import Event, EventPosition
from wfengine.definition.validation import validate
from wfengine.errors import DeployError

_NS = "http://www.wfmc.org/2009/XPDL2.2"

_GOOD_TRANSITION = '<Transition Id="t2" From="work" To="e"/>'
_GOOD_TASK = '<TaskApplication Id="app"/>'
_GOOD_PROCESS = '<WorkflowProcess Id="P">'


def _package(
    transition: str = _GOOD_TRANSITION,
    task: str = _GOOD_TASK,
    process: str = _GOOD_PROCESS,
    end: str = "<EndEvent/>",
    extra: str = "",
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<Applications><Application Id="app"/></Applications>
<WorkflowProcesses>{process}<ProcessHeader/>
<Activities>
<Activity Id="s"><Event><StartEvent/></Event></Activity>
<Activity Id="work"><Implementation><Task>{task}</Task></Implementation></Activity>
<Activity Id="e"><Event>{end}</Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="work"/>
{transition}
</Transitions>{extra}</WorkflowProcess></WorkflowProcesses></Package>
""".encode()


def _line_of(text: bytes, needle: str) -> int:
    return text[: text.index(needle.encode())].count(b"\n") + 1


def _unread(package: object) -> list[tuple[str, int | None, str | None, str]]:
    return [
        (d.severity.value, d.line, d.element_id, d.message)
        for d in validate(package)  # type: ignore[arg-type]
        if d.code == "unread-flow"
    ]


def _refused(package: object) -> str:
    engine = Engine(clock=VirtualClock())
    with pytest.raises(DeployError) as caught:
        engine.deploy(package)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.mark.parametrize(
    ("transition", "named"),
    [
        ('<Transition From="work" To="e"/>', "(From 'work', To 'e')"),
        ('<Transition Id="t2" From="work"/>', "(Id 't2', From 'work')"),
        ('<Transition Id="t2" To="e"/>', "(Id 't2', To 'e')"),
    ],
)
def test_a_transition_that_cannot_be_read_is_an_error_and_refused(
    transition: str, named: str
) -> None:
    text = _package(transition=transition)
    package = load_xpdl(text, schema=False)
    line = _line_of(text, transition)
    assert _unread(package) == [
        (
            "error",
            line,
            "P",
            f"<Transition> at line {line} is kept as XML, unread (the xpdl-unreadable finding "
            f"there says why): process 'P' runs without the transition {named}",
        )
    ]
    assert "unread-flow" in _refused(package)


def test_an_implementation_whose_application_call_cannot_be_read_is_an_error() -> None:
    text = _package(task="<TaskApplication/>")
    package = load_xpdl(text, schema=False)
    line = _line_of(text, "<Implementation>")
    assert _unread(package) == [
        (
            "error",
            line,
            "work",
            f"<Implementation> at line {line} is kept as XML, unread (the xpdl-unreadable "
            "finding there says why): activity 'work' runs as an activity with no "
            "implementation",
        )
    ]
    assert "runs as an activity with no implementation" in _refused(package)


def test_a_process_that_cannot_be_read_is_an_error() -> None:
    text = _package(process='<WorkflowProcess Name="Main">')
    package = load_xpdl(text, schema=False)
    line = _line_of(text, "<WorkflowProcess")
    assert _unread(package) == [
        (
            "error",
            line,
            None,
            f"<WorkflowProcess> at line {line} is kept as XML, unread (the xpdl-unreadable "
            "finding there says why): package 'pkg' has no process (Name 'Main'): it is not "
            "deployed, and nothing starts or calls it",
        )
    ]


def test_a_converted_file_keeps_the_element_and_the_error() -> None:
    """The writer keeps what it could not read (marked as kept verbatim), and the reader keeps
    a marked element again with no finding of its own: the error must survive the round."""
    package = load_xpdl(_package(transition='<Transition From="work" To="e"/>'), schema=False)
    written = dump_xpdl(package)
    assert b'From="work" To="e"' in written
    again = load_xpdl(written, schema=False)
    assert not [d for d in again.load_diagnostics if d.code == "xpdl-unreadable"]
    ((severity, _line, _id, message),) = _unread(again)
    assert severity == "error"
    assert message.endswith("process 'P' runs without the transition (From 'work', To 'e')")


def test_what_the_engine_does_not_run_stays_a_warning() -> None:
    """A vendor's element, an extended attribute with no Name, a lane naming no performers:
    kept as XML, warned by the reader, and nothing lost to the run."""
    extra = (
        '<ExtendedAttributes><ExtendedAttribute Value="x"/></ExtendedAttributes>'
        '<v:Layout xmlns:v="urn:vendor"><v:Shape/></v:Layout>'
    )
    package = load_xpdl(_package(extra=extra), schema=False)
    assert [d.code for d in package.load_diagnostics] == ["xpdl-unreadable"]
    assert _unread(package) == []
    Engine(clock=VirtualClock()).deploy(package)


@pytest.mark.parametrize(
    ("part", "kept", "how"),
    [
        ("<Loop/>", "Loop", "once, not looped"),
        (
            '<TransitionRestrictions><TransitionRestriction><Split Type="Parallel"/>'
            '<Split Type="Exclusive"/></TransitionRestriction></TransitionRestrictions>',
            "Split",
            "as if it had no Split",
        ),
    ],
)
def test_an_activity_part_that_cannot_be_read_is_an_error(part: str, kept: str, how: str) -> None:
    text = _package().replace(b"</Implementation>", f"</Implementation>{part}".encode())
    package = load_xpdl(text, schema=False)
    ((severity, _line, element_id, message),) = _unread(package)
    assert (severity, element_id) == ("error", "work")
    line = _line_of(text, "<Loop/>" if kept == "Loop" else '<Split Type="Exclusive"/>')
    assert message.startswith(f"<{kept}> at line {line} is kept as XML, unread")
    assert message.endswith(f"activity 'work' runs {how}")


@pytest.mark.parametrize(
    ("body", "kept"),
    [("<Event/>", "Event"), ("<BlockActivity/>", "BlockActivity")],
)
def test_a_body_that_cannot_be_read_is_an_error(body: str, kept: str) -> None:
    text = _package().replace(
        b'<Activity Id="e">', f'<Activity Id="x">{body}</Activity><Activity Id="e">'.encode()
    )
    package = load_xpdl(text, schema=False)
    ((severity, _line, element_id, message),) = _unread(package)
    assert (severity, element_id) == ("error", "x")
    assert message.startswith(f"<{kept}> at line {_line_of(text, body)} is kept as XML, unread")


def test_a_lane_kept_that_no_activity_can_be_drawn_in_stays_a_warning() -> None:
    """A Lane with no Id: no activity names it, so no one's work is lost with it."""
    lane = '<Lane Name="Desk"><Performers><Performer>clerk</Performer></Performers></Lane>'
    pool = f'<Pools><Pool Id="pool" Process="P"><Lanes>{lane}</Lanes></Pool></Pools>'
    text = _package().replace(b"<WorkflowProcesses>", f"{pool}<WorkflowProcesses>".encode())
    package = load_xpdl(text, schema=False)
    assert [d.code for d in package.load_diagnostics] == ["xpdl-unreadable"]
    assert _unread(package) == []


def test_a_pool_kept_whose_lane_names_performers_is_an_error() -> None:
    lane = '<Lane Id="desk"><Performers><Performer>clerk</Performer></Performers></Lane>'
    pool = f'<Pools><Pool Process="P"><Lanes>{lane}</Lanes></Pool></Pools><WorkflowProcesses>'
    text = _package().replace(b"<WorkflowProcesses>", pool.encode())
    package = load_xpdl(text, schema=False)
    ((severity, _line, _id, message),) = _unread(package)
    assert severity == "error"
    assert message.endswith(
        "the activities drawn in it are offered to none of the performers it names"
    )


@pytest.mark.parametrize(
    ("end", "trigger"),
    [
        ('<EndEvent Result="terminate"/>', "Terminate"),
        ('<EndEvent Result="MESSAGE"/>', "Message"),
        ('<EndEvent Result=" none "/>', "None"),
    ],
)
def test_an_event_result_reads_in_any_case(end: str, trigger: str) -> None:
    package = load_xpdl(_package(end=end), schema=False)
    event = package.process("P").activity("e").event
    assert event is not None
    assert event.trigger == trigger
    assert _unread(package) == []


def test_a_start_and_an_intermediate_trigger_read_in_any_case() -> None:
    text = _package().replace(b"<StartEvent/>", b'<StartEvent Trigger="none"/>')
    text = text.replace(
        b'<Activity Id="e">',
        b'<Activity Id="w"><Event><IntermediateEvent Trigger="timer"><TriggerTimer>'
        b"<TimeCycle>PT1H</TimeCycle></TriggerTimer></IntermediateEvent></Event></Activity>"
        b'<Activity Id="e">',
    )
    package = load_xpdl(text, schema=False)
    process = package.process("P")
    assert [process.activity(a).event.trigger for a in ("s", "w")] == ["None", "Timer"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("old", "new", "runs"),
    [
        ("<EndEvent/>", '<EndEvent Result="Terminat"/>', "the engine runs it as a None event"),
        ("<StartEvent/>", '<StartEvent Trigger="Nonee"/>', "the engine runs it as a None event"),
    ],
)
def test_an_unknown_trigger_or_result_is_an_error(old: str, new: str, runs: str) -> None:
    text = _package().replace(old.encode(), new.encode())
    package = load_xpdl(text, schema=False)
    ((severity, line, _element_id, message),) = _unread(package)
    assert (severity, line) == ("error", _line_of(text, new))
    assert message.endswith(runs)
    assert "unread-flow" in _refused(package)


def test_an_unknown_intermediate_trigger_is_one_finding() -> None:
    """``event-trigger``'s warning (an incident when reached) is not said again beside it."""
    text = _package().replace(
        b'<Activity Id="e">',
        b'<Activity Id="w"><Event><IntermediateEvent Trigger="Timr"/></Event></Activity>'
        b'<Activity Id="e">',
    )
    text = text.replace(
        b'To="e"/>\n</Transitions>',
        b'To="w"/><Transition Id="t3" From="w" To="e"/>\n</Transitions>',
    )
    package = load_xpdl(text, schema=False)
    found = [(d.code, d.message) for d in validate(package) if d.element_id == "w"]
    assert [code for code, _ in found] == ["unread-flow"]
    assert found[0][1].endswith("an instance reaching it stops with an incident")


def test_a_model_built_with_a_trigger_no_xpdl_spelling_has_is_the_same_error() -> None:
    package = load_xpdl(_package(), schema=False)
    process = package.process("P")
    end = process.activity("e")
    wrong = end.model_copy(update={"body": Event(position=EventPosition.END, trigger="terminate")})
    activities = tuple(wrong if a.id == "e" else a for a in process.activities)
    package = package.model_copy(
        update={"workflow_processes": (process.model_copy(update={"activities": activities}),)}
    )
    ((severity, _line, element_id, message),) = _unread(package)
    assert (severity, element_id) == ("error", "e")
    assert "result 'terminate', which is none of XPDL's" in message


def _fork_to_end(result: str) -> bytes:
    """A Parallel fork to a person's step and to an end event ``result``: a Terminate end
    closes the step it runs beside."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS}" Id="t"><PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>v</Vendor>
<Created>2024</Created></PackageHeader>
<Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant></Participants>
<WorkflowProcesses><WorkflowProcess Id="p"><ProcessHeader/><Activities>
<Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
<Activity Id="fork"><Route GatewayType="Parallel"/></Activity>
<Activity Id="work"><Implementation><Task><TaskUser/></Task></Implementation>
<Performers><Performer>clerk</Performer></Performers></Activity>
<Activity Id="stop"><Event><EndEvent Result="{result}"/></Event></Activity>
<Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="fork"/><Transition Id="t2" From="fork" To="work"/>
<Transition Id="t3" From="fork" To="stop"/><Transition Id="t4" From="work" To="e"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>""".encode()


@pytest.mark.parametrize("result", ["Terminate", "terminate", "TERMINATE"])
def test_a_terminate_end_in_any_case_terminates(result: str) -> None:
    package = load_xpdl(_fork_to_end(result), schema=False)
    assert validate(package) == []
    with Engine(clock=VirtualClock()) as engine:
        engine.deploy(package)
        iid = engine.start_process("p", {})
        states = {a.activity_id: a.state.value for a in engine.activity_instances(iid)}
    assert not states["work"].startswith("open"), states


_ROUTE = '<Activity Id="x"><Route GatewayType="{value}"/></Activity><Activity Id="e">'


@pytest.mark.parametrize(
    ("old", "new", "attribute", "runs"),
    [
        (
            '<Activity Id="e">',
            _ROUTE.format(value="Paralel"),
            "GatewayType='Paralel' of <Route> of activity 'x'",
            "as if it had none",
        ),
        (
            '<Activity Id="e">',
            '<Activity Id="x"><Route/><TransitionRestrictions><TransitionRestriction>'
            '<Split Type="ANDD"/></TransitionRestriction></TransitionRestrictions></Activity>'
            '<Activity Id="e">',
            "Type='ANDD' of <Split> of activity 'x'",
            "as an Exclusive split",
        ),
        (
            '<Activity Id="work">',
            '<Activity Id="work" StartMode="Automatc">',
            "StartMode='Automatc' of <Activity> of activity 'work'",
            "as if it had none",
        ),
        (
            "</Implementation>",
            '</Implementation><Loop LoopType="Standard"><LoopStandard TestTime="Befor">'
            "<LoopCondition>false</LoopCondition></LoopStandard></Loop>",
            "TestTime='Befor' of <StandardLoop> of activity 'work'",
            "testing after",
        ),
        (
            '<Transition Id="t2" From="work" To="e"/>',
            '<Transition Id="t2" From="work" To="e"><Condition Type="OTHERWISES"/></Transition>',
            "Type='OTHERWISES' of <Condition> of transition 't2'",
            "as if it had none",
        ),
    ],
)
def test_an_enumerated_attribute_of_the_flow_with_an_unknown_value_is_an_error(
    old: str, new: str, attribute: str, runs: str
) -> None:
    package = load_xpdl(_package().replace(old.encode(), new.encode()), schema=False)
    ((severity, _line, _id, message),) = _unread(package)
    assert severity == "error"
    assert message == (
        f"attribute {attribute} is none of XPDL's values: it is kept as written, unread, and "
        f"the engine runs it {runs}"
    )
    assert "unread-flow" in _refused(package)


def test_an_enumerated_attribute_in_another_case_is_read() -> None:
    package = load_xpdl(
        _package().replace(b'<Activity Id="e">', _ROUTE.format(value="parallel").encode()),
        schema=False,
    )
    assert _unread(package) == []


@pytest.mark.parametrize(
    ("trigger", "said", "found"),
    [
        ("Message", "THORW", True),
        ("Signal", "cath", True),
        ("Link", "Throws", True),
        ("Message", "throw", False),  # any case, as the engine reads it
        ("Signal", "CATCH", False),
    ],
)
def test_a_catch_throw_that_is_neither_is_an_error(trigger: str, said: str, found: bool) -> None:
    """``CatchThrow="THORW"`` ran as a catch that waited for ever where a throw was drawn:
    the engine asks only whether the value says THROW."""
    element = f'<TriggerResult{trigger} Name="m" CatchThrow="{said}"/>'
    text = _package().replace(
        b'<Activity Id="e">',
        f'<Activity Id="w"><Event><IntermediateEvent Trigger="{trigger}">{element}'
        '</IntermediateEvent></Event></Activity><Activity Id="e">'.encode(),
    )
    text = text.replace(
        b'To="e"/>\n</Transitions>',
        b'To="w"/><Transition Id="t3" From="w" To="e"/>\n</Transitions>',
    )
    package = load_xpdl(text, schema=False)
    unread = _unread(package)
    if not found:
        assert unread == []
        return
    ((severity, line, element_id, message),) = unread
    assert (severity, line, element_id) == ("error", _line_of(text, element), "w")
    assert message == (
        f"attribute CatchThrow={said!r} of <TriggerResult{trigger}> of intermediate event 'w' "
        "in process 'P' is none of XPDL's values (CATCH, THROW): it is kept as written, "
        "unread, and the engine runs the event as a catch"
    )
    assert "unread-flow" in _refused(package)
