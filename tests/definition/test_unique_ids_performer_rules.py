"""``wfengine convert`` rewrites a performer rule naming an Id that activity sets repeat to the
holder the engine's rule reads: its own block's, else an enclosing block's (the runtime has
resolved rules so since each scope's activity has its own performer). It named the last
holder, as for a process-wide reference, so a converted file's four eyes read another block's
``Review`` than the original's did.

The process: a parallel split runs block A and block B; set A holds ``Review`` (the
auditors'), then ``Approve``; set B holds ``Review`` (the clerks'), which convert renames
``Review.SetB``. Approve's rule names ``Review``: set A's."""

from __future__ import annotations

from wfengine import Engine, Organisation, load_xpdl
from wfengine.definition.model import Package
from wfengine.definition.unique_ids import unique_ids

ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk", "approver"]},
        {"id": "bob", "roles": ["auditor", "approver"]},
        {"id": "carol", "roles": ["approver"]},
    ]
}

_APPROVE = """<Activity Id="Approve"><Implementation><No/></Implementation>
  <Performers><Performer>approver</Performer></Performers>
  <ExtendedAttributes>
    <ExtendedAttribute Name="DoNotAssignToPerformerOfActivity" Value="Review"/>
  </ExtendedAttributes></Activity>"""


def _xpdl(*, nested: bool) -> bytes:
    """``nested``: Approve is in set I, run by a block of set A after its Review (set I holds
    no Review: the rule names the enclosing block's)."""
    if nested:
        inner = f'<ActivitySet Id="SetI"><Activities>{_APPROVE}</Activities></ActivitySet>'
        after = '<Activity Id="Inner"><BlockActivity ActivitySetId="SetI"/></Activity>'
        to = "Inner"
    else:
        inner, after, to = "", _APPROVE, "Approve"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="p">
      <ProcessHeader/>
      <ActivitySets>
        <ActivitySet Id="SetA">
          <Activities>
            <Activity Id="Review"><Implementation><No/></Implementation>
              <Performers><Performer>auditor</Performer></Performers></Activity>
            {after}
          </Activities>
          <Transitions><Transition Id="a1" From="Review" To="{to}"/></Transitions>
        </ActivitySet>
        <ActivitySet Id="SetB">
          <Activities><Activity Id="Review"><Implementation><No/></Implementation>
            <Performers><Performer>clerk</Performer></Performers></Activity></Activities>
        </ActivitySet>
        {inner}
      </ActivitySets>
      <Activities>
        <Activity Id="split"><Route GatewayType="Parallel"/></Activity>
        <Activity Id="BlockA"><BlockActivity ActivitySetId="SetA"/></Activity>
        <Activity Id="BlockB"><BlockActivity ActivitySetId="SetB"/></Activity>
      </Activities>
      <Transitions>
        <Transition Id="t1" From="split" To="BlockA"/>
        <Transition Id="t2" From="split" To="BlockB"/>
      </Transitions>
    </WorkflowProcess>
  </WorkflowProcesses>
</Package>
""".encode()


def _rule(package: Package, set_id: str) -> str | None:
    activity_set = package.process("p").activity_set(set_id)
    assert activity_set is not None
    (approve,) = [a for a in activity_set.activities if a.id == "Approve"]
    return approve.extended_attribute("DoNotAssignToPerformerOfActivity")


def _approvers(package: Package) -> tuple[str, ...]:
    """Who is offered Approve once bob did set A's Review and alice set B's."""
    with Engine(directory=Organisation.from_data(ORG)) as engine:
        engine.deploy(package)
        iid = engine.start_process("p")
        for who in ("bob", "alice"):
            reviews = [w for w in engine.work_items(iid) if w.activity_id.startswith("Review")]
            (item,) = [w for w in reviews if who in w.assignees]
            engine.complete_work_item(item.id, user=who)
        (approve,) = [w for w in engine.work_items(iid) if w.activity_id == "Approve"]
        return approve.assignees


def test_a_rule_names_its_own_blocks_activity_after_the_rename() -> None:
    original = load_xpdl(_xpdl(nested=False))
    converted, renames = unique_ids(original)
    assert [(r.activity_set_id, r.old, r.new) for r in renames] == [
        ("SetB", "Review", "Review.SetB")
    ]
    assert _rule(converted, "SetA") == "Review"  # set A's, which keeps its Id
    assert _approvers(original) == _approvers(converted) == ("alice", "carol")


def test_a_rule_in_a_nested_set_names_the_enclosing_blocks_activity() -> None:
    original = load_xpdl(_xpdl(nested=True))
    converted, _ = unique_ids(original)
    assert _rule(converted, "SetI") == "Review"
    assert _approvers(original) == _approvers(converted) == ("alice", "carol")


def test_a_rule_naming_an_id_its_scopes_do_not_hold_names_the_last_holder() -> None:
    """Set B's Review is no scope of the top level's: the top level's rule names the last
    holder, as the engine reads it."""
    text = _xpdl(nested=False).replace(
        b'<Activity Id="BlockB"><BlockActivity ActivitySetId="SetB"/></Activity>',
        b'<Activity Id="BlockB"><BlockActivity ActivitySetId="SetB"/><ExtendedAttributes>'
        b'<ExtendedAttribute Name="AssignToPerformerOfActivity" Value="Review"/>'
        b"</ExtendedAttributes></Activity>",
    )
    converted, _ = unique_ids(load_xpdl(text))
    block = converted.process("p").activity("BlockB")
    assert block.extended_attribute("AssignToPerformerOfActivity") == "Review.SetB"
