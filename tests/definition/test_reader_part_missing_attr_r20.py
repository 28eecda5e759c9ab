"""A part of an element that lacks its required attribute (an id-less ``<TransitionRef/>``, a
``<ParticipantType/>`` without Type, an ``<EnumerationValue/>`` without Name) is the part's
fault: the warning names the part and its line, and only the part is lost. The whole Split
was kept as XML, blamed for a missing Id it had no need of, and its Inclusive gateway went
with it: the instance took the first branch only."""

from __future__ import annotations

from wfengine import Engine, VirtualClock, load_xpdl
from wfengine.definition.model import ParticipantKind

_NS = "http://www.wfmc.org/2009/XPDL2.2"


def _package(participants: str = "", fields: str = "", split_refs: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<Participants>{participants}</Participants>
<WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/>
<DataFields>{fields}</DataFields>
<Activities>
<Activity Id="s"><Event><StartEvent/></Event></Activity>
<Activity Id="a"><Route/><TransitionRestrictions><TransitionRestriction>
<Split Type="Inclusive"><TransitionRefs>{split_refs}</TransitionRefs></Split>
</TransitionRestriction></TransitionRestrictions></Activity>
<Activity Id="b1"><Route/></Activity>
<Activity Id="b2"><Route/></Activity>
<Activity Id="e1"><Event><EndEvent/></Event></Activity>
<Activity Id="e2"><Event><EndEvent/></Event></Activity>
</Activities><Transitions>
<Transition Id="t1" From="s" To="a"/>
<Transition Id="t2" From="a" To="b1"><Condition Type="CONDITION">1 == 1</Condition></Transition>
<Transition Id="t3" From="a" To="b2"><Condition Type="CONDITION">2 == 2</Condition></Transition>
<Transition Id="t4" From="b1" To="e1"/>
<Transition Id="t5" From="b2" To="e2"/>
</Transitions></WorkflowProcess></WorkflowProcesses></Package>
""".encode()


def _line_of(text: bytes, needle: str) -> int:
    return text[: text.index(needle.encode())].count(b"\n") + 1


def _unreadable(package: object) -> list[tuple[int | None, str | None, str]]:
    return [
        (d.line, d.element_id, d.message)
        for d in package.load_diagnostics  # type: ignore[attr-defined]
        if d.code == "xpdl-unreadable"
    ]


def test_an_id_less_transition_ref_is_dropped_and_the_inclusive_split_still_runs_both() -> None:
    refs = '<TransitionRef Id="t2"/>\n<TransitionRef Id="t3"/><TransitionRef/>'
    text = _package(split_refs=refs)
    line = _line_of(text, "<TransitionRef/>")
    package = load_xpdl(text, schema=False)
    split = package.process("P").activity("a").split
    assert split is not None
    assert split.type.value == "Inclusive"
    assert split.transition_refs == ("t2", "t3")
    assert _unreadable(package) == [
        (
            line,
            "a",
            f"<TransitionRef> at line {line} has no Id; it is not kept, and the split keeps "
            "its other references",
        )
    ]
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    instance = engine.start_process("P", {})
    assert {"b1", "b2"} <= set(engine.trace(instance))


def test_a_participant_type_without_type_leaves_a_role() -> None:
    people = '<Participant Id="clerk" Name="Clerk"><ParticipantType/></Participant>'
    package = load_xpdl(_package(participants=people), schema=False)
    (clerk,) = package.participants
    assert clerk.name == "Clerk"
    assert clerk.type is ParticipantKind.ROLE
    assert _unreadable(package) == [
        (
            4,
            "clerk",
            "<ParticipantType> at line 4 has no Type; it is not kept, and the participant is "
            "a role, as without it",
        )
    ]


def test_an_enumeration_value_without_name_leaves_the_field_and_its_other_values() -> None:
    field = (
        '<DataField Id="q"><DataType><EnumerationType><EnumerationValue Name="x"/>'
        "<EnumerationValue/></EnumerationType></DataType></DataField>"
    )
    text = _package(fields=field)
    package = load_xpdl(text, schema=False)
    data_type = package.process("P").data_fields[0].data_type
    assert data_type.values == ("x",)  # type: ignore[union-attr]
    line = _line_of(text, "<EnumerationValue/>")
    assert [m for _, _, m in _unreadable(package)] == [
        f"<EnumerationValue> at line {line} has no Name; it is not kept, and the type keeps "
        "its other values"
    ]


def test_an_element_kept_whole_for_a_part_names_the_part_and_its_line() -> None:
    field = '<DataField Id="q">\n<DataType><BasicType/></DataType></DataField>'
    text = _package(fields=field)
    package = load_xpdl(text, schema=False)
    outer, inner = _line_of(text, '<DataField Id="q">'), _line_of(text, "<BasicType/>")
    assert inner == outer + 1
    assert [m for _, _, m in _unreadable(package)] == [
        f"<DataField> at line {outer} could not be read (<BasicType> at line {inner} in it: "
        "required attribute Type is missing); it is kept as XML"
    ]
