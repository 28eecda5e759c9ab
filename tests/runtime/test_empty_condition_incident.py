"""An empty CONDITION where an activity chooses among several ways is a decision for people
(``condition-empty``): its incident says the condition is empty, and ``engine.decision`` offers
the way under its Name. Before, the way's Name, or its Id when it had none, stood in as if it
were the condition's text: "'t1' is a label for people, not an expression ... in expression
't1'", sending the operator looking for an expression nobody wrote, and a UI offering buttons
labelled one with the transition's Id."""

from __future__ import annotations

from wfengine import Engine, load_xpdl

_PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
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
        <Transition Id="t0" From="s" To="gw"/>
        <Transition Id="t1" NAME1 From="gw" To="ask">
          <Condition Type="CONDITION"><Expression/></Condition></Transition>
        <Transition Id="t2" NAME2 From="gw" To="register">
          <Condition Type="CONDITION"><Expression/></Condition></Transition>
        <Transition Id="t3" From="ask" To="e"/>
        <Transition Id="t4" From="register" To="e"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
"""


def _stopped(engine: Engine, name1: str, name2: str) -> str:
    xpdl = _PACKAGE.replace("NAME1", name1).replace("NAME2", name2)
    engine.deploy(load_xpdl(xpdl.encode()))
    return engine.start_process("claim")


def test_a_named_way_with_an_empty_condition_is_offered_under_its_name() -> None:
    with Engine() as engine:
        iid = _stopped(engine, 'Name="not enough information"', 'Name="complete"')
        [incident] = engine.incidents(iid)
        assert "transition 't1' condition: it is empty (the way 'not enough information')" in (
            incident.message
        )
        assert "--take TRANSITION" in incident.message
        assert "label for people, not an expression" not in incident.message
        assert "in expression" not in incident.message
        decision = engine.decision(incident.id)
        assert decision is not None and decision.labelled
        assert [(w.transition_id, w.condition, w.label) for w in decision.ways] == [
            ("t1", "not enough information", True),
            ("t2", "complete", True),
        ]
        engine.skip_incident(incident.id, take=["t2"])
        assert engine.trace(iid) == ["s", "gw", "register", "e"]


def test_a_way_with_no_name_and_an_empty_condition_has_no_condition_text() -> None:
    # as TIBCO writes a gateway's branches (Name=""): the Id is no text of the condition
    with Engine() as engine:
        iid = _stopped(engine, 'Name=""', "")
        [incident] = engine.incidents(iid)
        assert incident.message == (
            f"instance {iid!r}, process 'claim', activity 'gw', transition 't1' condition: it "
            "is empty, so the definition leaves this choice to people: choose the way on "
            "(wfengine incident skip ID --take TRANSITION), or write the condition in the "
            "definition"
        )
        decision = engine.decision(incident.id)
        assert decision is not None and decision.labelled  # (wfengine run still decides it)
        assert [(w.transition_id, w.to, w.condition, w.label) for w in decision.ways] == [
            ("t1", "ask", None, True),
            ("t2", "register", None, True),
        ]
        engine.skip_incident(incident.id, take=["t1"])
        assert engine.trace(iid) == ["s", "gw", "ask", "e"]
