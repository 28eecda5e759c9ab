"""``instantiate-unused``: ``Instantiate="true"`` on a receive task or an event-based gateway
where no message starts an instance (a way in, an activity set), or a way of such a gateway
to a catch no message comes to (taken only in an instance started by hand). The engine
started nothing there and validation said nothing.

The rule's function is called directly; :func:`validate` runs it too (the last test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine import load_xpdl, validate
from wfengine.definition.checks.context import Context
from wfengine.definition.checks.instantiating import check_instantiate_unused
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package

_CODE = "instantiate-unused"
_GW = 'GatewayType="Exclusive" ExclusiveType="Event" Instantiate="true"'


def _package(tmp_path: Path, activities: str, transitions: str, sets: str = "") -> Package:
    path = tmp_path / "p.xpdl"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="pkg">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2030</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="orders">
      <ProcessHeader/>
      {sets}
      <Activities>
        <Activity Id="c_order"><Event><IntermediateEvent Trigger="Message">
          <TriggerResultMessage><Message Id="order" Name="order"/></TriggerResultMessage>
        </IntermediateEvent></Event></Activity>
        <Activity Id="c_late"><Event><IntermediateEvent Trigger="Timer">
          <TriggerTimer><TimeCycle>PT1H</TimeCycle></TriggerTimer>
        </IntermediateEvent></Event></Activity>
        {activities}
      </Activities>
      <Transitions>{transitions}</Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
""")
    return load_xpdl(path)


def _found(package: Package) -> list[Diagnostic]:
    return list(check_instantiate_unused(Context.build(package)))


def test_a_gateway_only_messages_lead_from_starting_the_process_is_clean(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>',
        '<Transition Id="t1" From="gw" To="c_order"/>',
    )
    assert _found(package) == []


def test_a_timer_way_is_taken_only_in_an_instance_started_by_hand(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>',
        '<Transition Id="t1" From="gw" To="c_order"/><Transition Id="t2" From="gw" To="c_late"/>',
    )
    [finding] = _found(package)
    assert (finding.severity, finding.code, finding.element_id) == (Severity.WARNING, _CODE, "t2")
    assert "'c_late', which catches no message" in finding.message
    assert "taken only in an instance started by hand" in finding.message


@pytest.mark.parametrize(
    "starter",
    [
        f'<Activity Id="gw"><Route {_GW}/></Activity>',
        '<Activity Id="gw"><Implementation><Task><TaskReceive Instantiate="true">'
        '<Message Id="m" Name="m"/></TaskReceive></Task></Implementation></Activity>',
    ],
    ids=["gateway", "receive task"],
)
def test_one_with_a_way_in_starts_nothing(tmp_path: Path, starter: str) -> None:
    package = _package(
        tmp_path,
        starter + '<Activity Id="first"><Implementation><No/></Implementation></Activity>',
        '<Transition Id="in" From="first" To="gw"/><Transition Id="t1" From="gw" To="c_order"/>',
    )
    [finding] = _found(package)
    assert (finding.code, finding.element_id) == (_CODE, "gw")
    assert "no message starts an instance there: it has a way in ('in')" in finding.message


def test_a_gateway_with_a_way_in_is_named_once_its_timer_way_taken_as_any_gateways(
    tmp_path: Path,
) -> None:
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>'
        '<Activity Id="first"><Implementation><No/></Implementation></Activity>',
        '<Transition Id="in" From="first" To="gw"/><Transition Id="t1" From="gw" To="c_order"/>'
        '<Transition Id="t2" From="gw" To="c_late"/>',
    )
    [finding] = _found(package)
    assert (finding.code, finding.element_id) == (_CODE, "gw")
    assert "it has a way in ('in')" in finding.message


def test_a_gateway_no_message_comes_to_starts_nothing(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>',
        '<Transition Id="t2" From="gw" To="c_late"/>',
    )
    [finding] = _found(package)
    assert (finding.code, finding.element_id) == (_CODE, "gw")
    assert "none of its ways leads to a catch a message comes to" in finding.message


def test_one_in_an_activity_set_starts_nothing(tmp_path: Path) -> None:
    sets = f"""<ActivitySets><ActivitySet Id="s"><Activities>
        <Activity Id="gw"><Route {_GW}/></Activity>
        <Activity Id="c_in"><Event><IntermediateEvent Trigger="Message">
          <TriggerResultMessage><Message Id="q" Name="q"/></TriggerResultMessage>
        </IntermediateEvent></Event></Activity></Activities>
        <Transitions><Transition Id="ts" From="gw" To="c_in"/></Transitions>
      </ActivitySet></ActivitySets>"""
    package = _package(
        tmp_path,
        '<Activity Id="b"><BlockActivity ActivitySetId="s"/></Activity>',
        '<Transition Id="t1" From="b" To="c_order"/>',
        sets,
    )
    [finding] = _found(package)
    assert (finding.code, finding.element_id) == (_CODE, "gw")
    assert "only one at the process's top level does" in finding.message


def test_validate_reports_it(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>',
        '<Transition Id="t1" From="gw" To="c_order"/><Transition Id="t2" From="gw" To="c_late"/>',
    )
    assert [d.element_id for d in validate(package) if d.code == _CODE] == ["t2"]


def test_one_in_a_process_with_start_events_starts_nothing(tmp_path: Path) -> None:
    # an instance begins at the start events only, when there are any: the message that
    # should have started one at the gateway was "no Message start event", validation silent
    package = _package(
        tmp_path,
        f'<Activity Id="gw"><Route {_GW}/></Activity>'
        '<Activity Id="st"><Event><StartEvent Trigger="None"/></Event></Activity>',
        '<Transition Id="t1" From="gw" To="c_order"/><Transition Id="t0" From="st" To="c_late"/>',
    )
    [finding] = _found(package)
    assert (finding.code, finding.element_id) == (_CODE, "gw")
    assert "the process has start events ('st'), and only they start it" in finding.message
