"""A finding about an activity's performer or about a name its ``wfengine:writes`` (or reads)
lists points at the ``<Performer>`` or ``<ExtendedAttribute>`` that says it, not at the
``<Activity>`` start tag lines above: README promises line-accurate findings, and other codes
point at their element. Before, ``undefined-participant`` and ``undefined-data-field`` were
both reported at the activity's line, since the model kept no line for a performer."""

from __future__ import annotations

import pickle
from pathlib import Path

from wfengine import dump_xpdl, load_xpdl, validate
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.diagnostics import Diagnostic

LEAVE_REQUEST = Path(__file__).resolve().parents[2] / "examples" / "leave_request.xpdl"


def _line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` that holds ``fragment`` (which must occur once)."""
    assert text.count(fragment) == 1, fragment
    return text[: text.index(fragment)].count("\n") + 1


def _found(source: str, code: str) -> list[Diagnostic]:
    return [d for d in validate(load_xpdl(source.encode())) if d.code == code]


def test_a_misspelt_performer_and_written_field_are_reported_at_their_elements() -> None:
    source = (
        LEAVE_REQUEST.read_text(encoding="utf-8")
        .replace("<Performer>manager</Performer>", "<Performer>managr</Performer>")
        .replace('Value="approved,reason"', 'Value="approvd,reason"')
    )
    (participant,) = _found(source, "undefined-participant")
    assert "'managr'" in participant.message
    assert participant.element_id == "approve"
    assert participant.line == _line_of(source, "<Performer>managr</Performer>")
    assert participant.line != _line_of(source, '<Activity Id="approve"')
    (field,) = _found(source, "undefined-data-field")
    assert "'approvd'" in field.message
    assert field.line == _line_of(source, 'Value="approvd,reason"')


_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{ns}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Participants>
    <Participant Id="clerk" Name="Clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Activities>
        <Activity Id="work" Name="Check">
{body}
        </Activity>
      </Activities>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>"""
_XPDL22 = "http://www.wfmc.org/2009/XPDL2.2"


def test_each_performer_of_several_is_reported_at_its_own_line() -> None:
    body = """          <Implementation><No/></Implementation>
          <Performers>
            <Performer>clerk</Performer>
            <Performer>clrk</Performer>
            <Performer>bos</Performer>
          </Performers>"""
    source = _XPDL.format(ns=_XPDL22, version="2.2", body=body)
    found = {
        d.message.split("performer ")[1].split(",")[0]: d.line
        for d in _found(source, "undefined-participant")
    }
    assert found == {
        "'clrk'": _line_of(source, "<Performer>clrk<"),
        "'bos'": _line_of(source, "<Performer>bos<"),
    }


def test_a_performer_a_user_task_names_itself_is_reported_at_its_line() -> None:
    body = """          <Implementation><Task><TaskUser>
            <Performers><Performer>clrk</Performer></Performers>
          </TaskUser></Task></Implementation>"""
    source = _XPDL.format(ns=_XPDL22, version="2.2", body=body)
    (found,) = _found(source, "undefined-participant")
    assert found.line == _line_of(source, "<Performer>clrk<")


def test_an_xpdl_10_performer_is_reported_at_its_line() -> None:
    body = """          <Implementation><No/></Implementation>
          <Performer>clrk</Performer>"""
    source = _XPDL.format(ns="http://www.wfmc.org/2002/XPDL1.0", version="1.0", body=body)
    (found,) = _found(source, "undefined-participant")
    assert found.line == _line_of(source, "<Performer>clrk<")


def test_performer_lines_are_bookkeeping_like_line() -> None:
    """Kept through a copy and a pickle; not compared, not dumped (a stored model's JSON and
    a deployment's fingerprint are what they were); a package built in code, which has no
    lines, reports at the activity as before."""
    source = LEAVE_REQUEST.read_text(encoding="utf-8")
    package = load_xpdl(source.encode())
    approve = package.process("request_leave").activity("approve")
    assert approve.performer_line("manager") == _line_of(source, "<Performer>manager<")
    assert approve.performer_line("someone else") == approve.line
    assert pickle.loads(pickle.dumps(approve)).performer_lines == approve.performer_lines
    assert "performer_lines" not in approve.model_dump()
    again = load_xpdl(dump_xpdl(package))
    assert again == package
    b = PackageBuilder("b")
    p = b.process("wp")
    p.start("s").activity("a", performer="nobody").end("e")
    p.sequence("s", "a", "e")
    (built,) = [d for d in validate(b.build()) if d.code == "undefined-participant"]
    assert built.line is None
