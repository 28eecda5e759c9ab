"""Labels for people where a condition belongs: an incident the operator answers with a way on.

Diagram tools put a gateway branch's label ("Claim accepted") where the condition belongs, or
mark the condition ``ScriptGrammar="Text"``. The process deploys (validation warns), an
instance stops at the decision, and an operator chooses the transition to take.
"""

from __future__ import annotations

import re

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import IllegalStateError, ParameterMappingError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _labelled(gateway: str = "Exclusive") -> PackageBuilder:
    pb = PackageBuilder("claims")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.start("s").route("decide", gateway=gateway).activity("pay").activity("reject").end("e")
    p.transition("s", "decide")
    p.transition("decide", "pay", condition="Claim accepted", id="accepted")
    p.transition("decide", "reject", condition="Claim rejected", id="rejected")
    p.transition("pay", "e").transition("reject", "e")
    return pb


def test_a_label_stops_the_instance_with_an_incident_saying_what_to_do(engine: Engine) -> None:
    iid = run(engine, _labelled())
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "decide"
    assert "'Claim accepted' is a label for people, not an expression" in incident.message
    assert "--take" in incident.message
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_the_operator_chooses_the_way_on(engine: Engine) -> None:
    iid = run(engine, _labelled())
    [incident] = engine.incidents(iid)
    engine.skip_incident(incident.id, {"note": "checked by hand"}, take=["rejected"])
    snap = engine.instance(iid)
    assert snap.state is ProcessState.COMPLETED
    assert snap.data["note"] == "checked by hand"
    assert engine.trace(iid) == ["s", "decide", "reject", "e"]
    [skipped] = [e for e in engine.audit(iid) if e.kind == "incident.skipped"]
    assert skipped.detail["take"] == ["rejected"]


def test_an_inclusive_decision_may_take_several_ways(engine: Engine) -> None:
    iid = run(engine, _labelled("Inclusive"))
    [incident] = engine.incidents(iid)
    engine.skip_incident(incident.id, take=["accepted", "rejected"])
    assert sorted(engine.trace(iid)[2:4]) == ["pay", "reject"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize(
    ("take", "message"),
    [
        (None, "skipped by choosing the way on"),
        (["nowhere"], "are not transitions leaving activity 'decide' (accepted, rejected)"),
        (["accepted", "rejected"], "exclusive choice: take exactly one"),
    ],
)
def test_a_way_on_that_does_not_fit_changes_nothing(
    engine: Engine, take: list[str] | None, message: str
) -> None:
    iid = run(engine, _labelled())
    [incident] = engine.incidents(iid)
    with pytest.raises(ParameterMappingError, match=re.escape(message)):
        engine.skip_incident(incident.id, take=take)
    assert [i.id for i in engine.incidents(iid)] == [incident.id]
    assert engine.trace(iid) == ["s"]


def test_take_is_only_for_decisions(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.application("app")
    p = pb.process("main")
    p.activity("work", tool="app").activity("next").transition("work", "next")
    iid = run(engine, pb)  # "app" is not bound: an incident of the activity's work
    [incident] = engine.incidents(iid)
    with pytest.raises(IllegalStateError, match="not a decision"):
        engine.skip_incident(incident.id, take=["next"])


def test_the_decision_offers_its_ways_with_their_labels(engine: Engine) -> None:
    iid = run(engine, _labelled())
    [incident] = engine.incidents(iid)
    decision = engine.decision(incident.id)
    assert decision is not None and decision.exclusive and decision.labelled
    assert decision.activity_id == "decide"
    assert [(w.transition_id, w.to, w.condition, w.label) for w in decision.ways] == [
        ("accepted", "pay", "Claim accepted", True),
        ("rejected", "reject", "Claim rejected", True),
    ]
    engine.skip_incident(incident.id, take=[decision.ways[0].transition_id])
    assert engine.decision(incident.id) is None  # answered


def test_other_incidents_offer_no_decision(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.application("app")
    p = pb.process("main")
    p.activity("work", tool="app")
    iid = run(engine, pb)
    [incident] = engine.incidents(iid)
    assert engine.decision(incident.id) is None


_EMPTY = """<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2009/XPDL2.2" Id="p" Name="p">
  <PackageHeader><XPDLVersion>2.2</XPDLVersion><Vendor>x</Vendor><Created>2024-01-01</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="claim" Name="claim"><ProcessHeader/>
      <Activities>
        <Activity Id="s"><Event><StartEvent Trigger="None"/></Event></Activity>
        <Activity Id="gw"><Route GatewayType="Exclusive"/></Activity>
        <Activity Id="ask"><Implementation><No/></Implementation></Activity>
        <Activity Id="register"><Implementation><No/></Implementation></Activity>
        <Activity Id="e"><Event><EndEvent Result="None"/></Event></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t0" From="s" To="gw"><Condition Type="CONDITION"><Expression/>
          </Condition></Transition>
        <Transition Id="more" Name="not enough information" From="gw" To="ask">
          <Condition Type="CONDITION"><Expression/></Condition></Transition>
        <Transition Id="ok" From="gw" To="register"><Condition Type="OTHERWISE"/></Transition>
        <Transition Id="t3" From="ask" To="e"/>
        <Transition Id="t4" From="register" To="e"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def test_an_empty_condition_among_several_ways_is_a_decision_not_a_way_always_taken() -> None:
    # as TIBCO writes a branch whose rule is not written yet: read as no condition, every
    # claim went the 'not enough information' way and none was ever registered
    from wfengine import load_xpdl, validate

    package = load_xpdl(_EMPTY.encode())
    assert [(d.code, d.element_id) for d in validate(package)] == [("condition-empty", "more")]
    with Engine() as e:  # (t0, the only way out of s, is just a way out)
        e.deploy(package)
        iid = e.start_process("claim")
        [incident] = e.incidents(iid)
        assert incident.activity_id == "gw" and "'not enough information'" in incident.message
        e.skip_incident(incident.id, take=["ok"])
        assert e.trace(iid) == ["s", "gw", "register", "e"]
