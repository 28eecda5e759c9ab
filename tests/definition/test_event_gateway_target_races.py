"""``event-gateway-target`` says what a way to something that is no catch event does.

Why: the warning said every such target "does not wait, so it wins the choice as soon as the
gateway is reached and the other ways are never taken". True of what runs at once (a route, a
script, an activity no person works on); but a person's task, a subflow, a block or an
application call waits, and the engine lets it race the catch events (it is withdrawn if one
fires first, else it withdraws them once done: docs/semantics.md, "Event-based gateways").
A modeller who meant that race was told it could never happen. The warning now tells the two
kinds apart, judging an activity with the performers its lane gives it, as it runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import PackageBuilder, load_xpdl, validate
from wfengine.definition.builder import ProcessBuilder
from wfengine.definition.checks.context import Context
from wfengine.definition.checks.event_gateways import check_event_gateway_targets
from wfengine.definition.model import Package

_PREFIX = (
    "event-based gateway 'gw' in process 'main': its way 'to_other' leads to 'other', which "
    "is no catch event (a timer, message, signal or conditional intermediate event, or a "
    "receive task)"
)
_AT_ONCE = (
    ": it does not wait, so it wins the choice as soon as the gateway is reached and the "
    "other ways are never taken (only a catch listed before it that finds its message "
    "already kept wins first)"
)


def _races(what: str, done: str) -> str:
    return (
        f" but {what}, which races the catch events: it is withdrawn if one of them fires "
        f"first, else it withdraws them once {done}"
    )


def _block(p: ProcessBuilder) -> None:
    p.activity_set("inside").activity("work", performer="clerk")
    p.block("other", activity_set="inside")


#: how the way's target is added, and the end of the warning's text for it
_TARGETS: dict[str, tuple[Callable[[ProcessBuilder], object], str]] = {
    "plain": (lambda p: p.activity("other"), _AT_ONCE),
    "script": (lambda p: p.activity("other", script="n = 1"), _AT_ONCE),
    "route": (lambda p: p.route("other"), _AT_ONCE),
    "asynchronous subflow": (
        lambda p: p.subflow("other", process="child", execution="ASYNCHR"),
        _AT_ONCE,
    ),
    "person": (
        lambda p: p.activity("other", performer="clerk"),
        _races("a person's work", "the person completes it"),
    ),
    "subflow": (
        lambda p: p.subflow("other", process="child"),
        _races("a subflow", "the called process ends (at once when nothing in it waits)"),
    ),
    "block": (
        _block,
        _races("a block", "its activity set is done (at once when nothing in it waits)"),
    ),
    "application call": (
        lambda p: p.activity("other", tool="lookup"),
        _races("an application call", "the call answers (at once for a synchronous one)"),
    ),
}


def _gateway(target: str) -> Package:
    """``ask`` -> event-based gateway ``gw`` -> ``reply`` (a message catch) and ``other``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.application("lookup")
    pb.process("child").activity("child_work", performer="clerk")
    p = pb.process("main")
    p.activity("ask").route("gw", gateway="EventBased")
    p.intermediate("reply", message="reply")
    _TARGETS[target][0](p)
    p.transition("ask", "gw").transition("gw", "reply", id="to_reply")
    p.transition("gw", "other", id="to_other")
    return pb.build()


@pytest.mark.parametrize("target", list(_TARGETS))
def test_the_warning_says_whether_the_target_wins_at_once_or_races(target: str) -> None:
    [finding] = check_event_gateway_targets(Context.build(_gateway(target)))
    assert finding.message == _PREFIX + _TARGETS[target][1]


def test_validate_says_a_persons_task_races_the_catch_events() -> None:
    [finding] = [d for d in validate(_gateway("person")) if d.code == "event-gateway-target"]
    assert finding.message.endswith(_races("a person's work", "the person completes it"))


_LANE_XPDL = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor>
    <Created>2024-01-01</Created></PackageHeader>
  <Participants><Participant Id="clerk"><ParticipantType Type="ROLE"/></Participant>
  </Participants>
  <Pools>
    <Pool Id="pool" Name="Pool" Process="main" BoundaryVisible="true"><Lanes>
      <Lane Id="sales" Name="Sales"><Performers><Performer>clerk</Performer></Performers></Lane>
    </Lanes></Pool>
  </Pools>
  <WorkflowProcesses><WorkflowProcess Id="main" Name="main">
    <Activities>
      <Activity Id="gw"><Route GatewayType="Exclusive" ExclusiveType="Event"/></Activity>
      <Activity Id="reply"><Event><IntermediateEvent Trigger="Message"/></Event></Activity>
      <Activity Id="other"><NodeGraphicsInfos>
        <NodeGraphicsInfo ToolId="T" LaneId="sales"/></NodeGraphicsInfos></Activity>
    </Activities>
    <Transitions>
      <Transition Id="to_reply" From="gw" To="reply"/>
      <Transition Id="to_other" From="gw" To="other"/>
    </Transitions>
  </WorkflowProcess></WorkflowProcesses>
</Package>
"""


def test_an_activity_its_lane_gives_to_people_races() -> None:
    # no performer of its own: the lane's clerks work on it, so it waits for one of them
    [finding] = check_event_gateway_targets(Context.build(load_xpdl(_LANE_XPDL.encode())))
    assert finding.message == _PREFIX + _races("a person's work", "the person completes it")
