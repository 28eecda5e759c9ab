"""A participant's or application's ``<ExternalReference/>`` without its required
``location`` is a part the element stands without: the warning names it and its line, it is
kept as XML where it was written, and the participant or application is read. The whole
Participant was kept as XML for it: its activities' performer named no participant
(undefined-participant) and their work was offered to nobody."""

from __future__ import annotations

from wfengine import Engine, Organisation, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import ParticipantKind

_NS = "http://www.wfmc.org/2009/XPDL2.2"
_DOC = f"""<?xml version="1.0"?>
<Package xmlns="{_NS}" Id="pkg"><PackageHeader><XPDLVersion>2.2</XPDLVersion>
<Vendor>t</Vendor><Created>2024</Created></PackageHeader>
<Participants><Participant Id="p1" Name="clerks"><ParticipantType Type="ROLE"/>
<ExternalReference xref="ldap-clerks"/></Participant></Participants>
<Applications><Application Id="mailer"><ExternalReference xref="m" namespace="n"/>
</Application></Applications>
<WorkflowProcesses><WorkflowProcess Id="P"><ProcessHeader/><Activities>
<Activity Id="a"><Implementation><No/></Implementation>
<Performers><Performer>p1</Performer></Performers></Activity>
</Activities></WorkflowProcess></WorkflowProcesses></Package>
""".encode()


def test_a_reference_without_location_leaves_the_participant_and_the_application() -> None:
    package = load_xpdl(_DOC, schema=False)
    (clerks,) = package.participants
    assert (clerks.id, clerks.name, clerks.type) == ("p1", "clerks", ParticipantKind.ROLE)
    assert [a.id for a in package.applications] == ["mailer"]
    assert [(d.line, d.element_id, d.message) for d in package.load_diagnostics] == [
        (
            5,
            "p1",
            "<ExternalReference> at line 5 has no location; it is kept as XML, and the "
            "participant is read without it",
        ),
        (
            6,
            "mailer",
            "<ExternalReference> at line 6 has no location; it is kept as XML, and the "
            "application is read without it",
        ),
    ]
    assert "undefined-participant" not in {d.code for d in validate(package)}


def test_the_reference_is_written_back_where_it_was() -> None:
    package = load_xpdl(_DOC, schema=False)
    written = dump_xpdl(package)
    assert written.count(b'<ExternalReference xref="ldap-clerks"') == 1
    assert written.index(b'<ExternalReference xref="ldap-clerks"') < written.index(
        b"</Participant>"
    )
    assert load_xpdl(written, schema=False) == package


def test_the_participants_work_is_offered_to_its_members() -> None:
    org = Organisation.from_data(
        {"users": [{"id": "ann", "roles": ["clerks"]}], "roles": [{"id": "clerks"}]}
    )
    engine = Engine(clock=VirtualClock(), directory=org)
    engine.deploy(load_xpdl(_DOC, schema=False))
    instance = engine.start_process("P", {})
    [item] = engine.work_items(instance)
    assert item.assignees == ("ann",)
