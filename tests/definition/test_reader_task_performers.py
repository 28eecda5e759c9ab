"""Performers a TaskUser or TaskManual names itself (``Task/TaskUser/Performers``).

XPDL 2.0, 2.1 and 2.2 let a user or manual task name its performers inside the task (the 2.0
schema requires them there). They are the activity's performers when the activity names none
of its own; the written 2.2 file names them once, on the activity.
"""

from __future__ import annotations

import pytest

from wfengine import Engine, StaticDirectory, VirtualClock, dump_xpdl, load_xpdl, validate
from wfengine.definition.model import Package, TaskImplementation

NS = {
    "2.0": "http://www.wfmc.org/2004/XPDL2.0alpha",
    "2.1": "http://www.wfmc.org/2008/XPDL2.1",
    "2.2": "http://www.wfmc.org/2009/XPDL2.2",
}


def _doc(task: str, activity_performers: str = "", version: str = "2.2") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{NS[version]}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <Participants>
    <Participant Id="clerk" Name="Clerk"><ParticipantType Type="ROLE"/></Participant>
    <Participant Id="boss" Name="Boss"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="work" Name="Check the claim">
          <Implementation><Task>{task}</Task></Implementation>{activity_performers}
        </Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="s" To="work"/>
        <Transition Id="t2" From="work" To="e"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _performers(package: Package) -> tuple[str, ...]:
    return package.process("wp").activity("work").performers


@pytest.mark.parametrize("version", ["2.0", "2.1", "2.2"])
@pytest.mark.parametrize("kind", ["TaskUser", "TaskManual"])
def test_performers_inside_the_task_are_the_activitys(version: str, kind: str) -> None:
    # the 2.0 schema's TaskUser requires its messages too
    required = (version, kind) == ("2.0", "TaskUser")
    messages = "<MessageIn Id='i'/><MessageOut Id='o'/>" if required else ""
    task = f"<{kind}><Performers><Performer>clerk</Performer></Performers>{messages}</{kind}>"
    package = load_xpdl(_doc(task, version=version))
    assert _performers(package) == ("clerk",)
    assert package.load_diagnostics == ()


def test_the_work_item_of_a_task_naming_its_performer_is_offered_to_its_members() -> None:
    task = "<TaskUser><Performers><Performer>clerk</Performer></Performers></TaskUser>"
    engine = Engine(clock=VirtualClock(), directory=StaticDirectory({"clerk": ["ann"]}))
    engine.deploy(load_xpdl(_doc(task)))
    instance_id = engine.start_process("wp")
    [item] = engine.work_items(instance_id)
    assert item.assignees == ("ann",)


def test_a_performer_inside_the_task_that_names_no_participant_is_reported() -> None:
    task = "<TaskUser><Performers><Performer>clerck</Performer></Performers></TaskUser>"
    codes = [d.code for d in validate(load_xpdl(_doc(task)))]
    assert "undefined-participant" in codes


def test_converting_names_the_tasks_performers_once_on_the_activity() -> None:
    task = (
        "<TaskManual><Performers><Performer>clerk</Performer><Performer>boss</Performer>"
        "</Performers></TaskManual>"
    )
    package = load_xpdl(_doc(task))
    written = dump_xpdl(package)
    assert written.count(b"<Performer>clerk</Performer>") == 1
    assert b"<TaskManual/>" in written  # the activity's Performers hold them
    again = load_xpdl(written)
    assert again == package
    assert _performers(again) == ("clerk", "boss")


def test_the_activitys_own_performers_win_and_the_tasks_are_kept_with_a_warning() -> None:
    task = "<TaskUser><Performers><Performer>clerk</Performer></Performers></TaskUser>"
    own = "<Performers><Performer>boss</Performer></Performers>"
    package = load_xpdl(_doc(task, own))
    assert _performers(package) == ("boss",)
    [warning] = package.load_diagnostics
    assert warning.code == "xpdl-unreadable"
    assert warning.element_id == "work"
    assert "(clerk) are not used" in warning.message
    written = dump_xpdl(package)
    assert written.count(b"<Performer>clerk</Performer>") == 1  # where it was written
    assert load_xpdl(written) == package


def test_the_same_performers_on_the_activity_and_in_the_task_are_not_warned() -> None:
    task = "<TaskUser><Performers><Performer>clerk</Performer></Performers></TaskUser>"
    own = "<Performers><Performer>clerk</Performer></Performers>"
    package = load_xpdl(_doc(task, own))
    assert _performers(package) == ("clerk",)
    assert package.load_diagnostics == ()


def test_tibcos_placeholder_for_the_activitys_performer_names_no_performer() -> None:
    """TIBCO Business Studio fills the required TaskUser/Performers with a placeholder."""
    placeholder = "<Performer>-defined-in-Activity-Performer-</Performer>"
    package = load_xpdl(_doc(f"<TaskUser><Performers>{placeholder}</Performers></TaskUser>"))
    assert _performers(package) == ()
    body = package.process("wp").activity("work").body
    assert isinstance(body, TaskImplementation)
    assert body.detail is not None  # kept as written
    assert placeholder.encode() in dump_xpdl(package)
