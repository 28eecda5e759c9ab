"""A TriggerTimer's time in XPDL 2.0's attribute form (``<TriggerTimer TimeCycle="PT2H"/>``).

The 2.0 schema gives TriggerTimer no child for its time, only the ``TimeDate`` and
``TimeCycle`` attributes; 2.1 and 2.2 keep them, deprecated, beside the elements that replaced
them. A timer written either way waits for the same time, and is written in 2.2's element form.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from wfengine import Engine, VirtualClock, dump_xpdl, load_xpdl
from wfengine.definition.event_texts import Timer, timer_of
from wfengine.definition.model import Event, Package, XmlNode
from wfengine.definition.xpdl.schema import check_schema

NS = {
    "2.0": "http://www.wfmc.org/2004/XPDL2.0alpha",
    "2.1": "http://www.wfmc.org/2008/XPDL2.1",
    "2.2": "http://www.wfmc.org/2009/XPDL2.2",
}
X22 = "{http://www.wfmc.org/2009/XPDL2.2}"


def _doc(trigger: str, version: str = "2.0", *, boundary: bool = False) -> bytes:
    """``wait`` is the timer: in the flow (s, wait, e), or on task ``work`` (s, work, e; the
    timer's way on: wait, e2)."""
    target = ' Target="work"' if boundary else ""
    flow = ("s", "work", "e") if boundary else ("s", "wait", "e")
    task = "<Implementation><Task><TaskUser/></Task></Implementation>"
    more = f'<Activity Id="work">{task}</Activity>' if boundary else ""
    end2 = '<Activity Id="e2"><Event><EndEvent Result="None"/></Event></Activity>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="{NS[version]}" Id="p" Name="P">
  <PackageHeader><XPDLVersion>{version}</XPDLVersion><Vendor>v</Vendor><Created>2024</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="wp" Name="n">
      <ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        {more}
        <Activity Id="wait">
          <Event><IntermediateEvent Trigger="Timer"{target}>{trigger}</IntermediateEvent></Event>
        </Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
        {end2 if boundary else ""}
      </Activities>
      <Transitions>
        <Transition Id="t1" From="{flow[0]}" To="{flow[1]}"/>
        <Transition Id="t2" From="{flow[1]}" To="{flow[2]}"/>
        {'<Transition Id="t3" From="wait" To="e2"/>' if boundary else ""}
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>""".encode()


def _event(package: Package) -> Event:
    body = package.process("wp").activity("wait").body
    assert isinstance(body, Event)
    return body


@pytest.mark.parametrize("version", ["2.0", "2.1", "2.2"])
@pytest.mark.parametrize(
    ("trigger", "timer"),
    [
        ('<TriggerTimer TimeCycle="PT2H"/>', Timer(text="PT2H")),
        ('<TriggerTimer TimeCycle="R/PT1H"/>', Timer(text="PT1H", repeat=0)),
        (
            '<TriggerTimer TimeDate="2030-01-01T00:00:00Z"/>',
            Timer(moment=datetime(2030, 1, 1, tzinfo=UTC)),
        ),
    ],
)
def test_a_time_in_an_attribute_reads_as_the_element_form_does(
    version: str, trigger: str, timer: Timer
) -> None:
    assert timer_of(_event(load_xpdl(_doc(trigger, version)))) == timer


def test_the_element_form_keeps_its_attributes_as_written() -> None:
    """A 2.1 file with both forms: the element is the timer, the attribute stays."""
    trigger = '<TriggerTimer TimeCycle="PT5M"><TimeCycle>PT2H</TimeCycle></TriggerTimer>'
    event = _event(load_xpdl(_doc(trigger, "2.1")))
    assert timer_of(event) == Timer(text="PT2H")
    [node] = event.detail
    assert node.attrs == (("TimeCycle", "PT5M"),)


def test_both_attributes_make_a_time_date_as_a_timer_reads_them() -> None:
    trigger = '<TriggerTimer TimeDate="2030-01-01T00:00:00Z" TimeCycle="PT2H"/>'
    [node] = _event(load_xpdl(_doc(trigger))).detail
    assert [c.local_name for c in node.children] == ["TimeDate"]
    assert node.attrs == (("TimeCycle", "PT2H"),)


def test_a_timer_inside_a_trigger_multiple_gets_its_element_too() -> None:
    trigger = '<TriggerMultiple><TriggerTimer TimeCycle="PT2H"/></TriggerMultiple>'
    [multiple] = _event(load_xpdl(_doc(trigger))).detail
    [timer] = multiple.children
    assert timer.children == (XmlNode(tag=X22 + "TimeCycle", text="PT2H"),)


def test_an_intermediate_timer_in_the_attribute_form_waits_for_its_time() -> None:
    clock = VirtualClock()
    engine = Engine(clock=clock)
    engine.deploy(load_xpdl(_doc('<TriggerTimer TimeCycle="PT2H"/>')))
    instance_id = engine.start_process("wp")
    clock.advance(timedelta(hours=1, minutes=59))
    assert engine.trace(instance_id) == ["s"]
    clock.advance(timedelta(minutes=1))
    assert engine.trace(instance_id) == ["s", "wait", "e"]


def test_a_boundary_timer_in_the_attribute_form_fires_after_its_time() -> None:
    """XPDL 2.0 "after 3 days" on a task: not after one second."""
    package = load_xpdl(_doc('<TriggerTimer TimeCycle="P3D"/>', boundary=True))
    clock = VirtualClock()
    engine = Engine(clock=clock)
    engine.deploy(package)
    instance_id = engine.start_process("wp")
    clock.advance(timedelta(days=2, hours=23))
    assert engine.trace(instance_id) == ["s"]
    clock.advance(timedelta(hours=1))
    assert engine.trace(instance_id) == ["s", "wait", "e2"]


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_converting_writes_the_22_element_form_and_reads_back_the_same(version: str) -> None:
    package = load_xpdl(_doc('<TriggerTimer TimeCycle="PT2H"/>', version))
    written = dump_xpdl(package)
    assert b"<TimeCycle>PT2H</TimeCycle>" in written
    assert b'TimeCycle="' not in written
    assert load_xpdl(written) == package
    assert check_schema(etree.ElementTree(etree.fromstring(written)), "2.2") == []
