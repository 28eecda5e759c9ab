"""Who performed an activity, when another scope of the process repeats its Id (TIBCO files
do: validation warns ``duplicate-id-scopes``): each scope's activity has its own performer, so
four eyes, ``AssignToPerformerOfActivity``, ``ReassignToOriginalPerformer`` and
``MANAGER_OF_PREVIOUS`` in one block read that block's ``Review``, not the other block's.

The process: a parallel split runs block A and block B. Set A holds ``Review`` (the auditors'),
set B holds ``Review`` (the clerks'), a one-hour timer, then ``Approve`` (the approvers'),
whose rule names ``Review``: its own set's. Alice is a clerk, bob an auditor; both approve,
as carol does; carol supervises alice, dave supervises bob."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, NotAuthorizedError, Organisation, VirtualClock, load_xpdl
from wfengine.runtime.sql import schema

ORG = {
    "users": [
        {"id": "alice", "roles": ["clerk", "approver"], "units": ["sales"]},
        {"id": "bob", "roles": ["auditor", "approver"], "units": ["audit"]},
        {"id": "carol", "roles": ["approver"], "units": ["management"]},
        {"id": "dave", "units": ["management"]},
    ],
    "units": [
        {"id": "management"},
        {"id": "sales", "supervisor": "carol", "parent": "management"},
        {"id": "audit", "supervisor": "dave", "parent": "management"},
    ],
}


def _xpdl(rule: str, value: str = "Review", *, wait: bool = True) -> bytes:
    """The process, ``Approve`` carrying extended attribute ``rule`` = ``value``; ``wait``:
    set B's timer stands between its ``Review`` and ``Approve``."""
    timer = (
        '<Activity Id="Wait"><Event><IntermediateEvent Trigger="Timer"><TriggerTimer>'
        "<TimeCycle>PT1H</TimeCycle></TriggerTimer></IntermediateEvent></Event></Activity>"
    )
    flow = (
        '<Transition Id="b1" From="Review" To="Wait"/>'
        '<Transition Id="b2" From="Wait" To="Approve"/>'
        if wait
        else '<Transition Id="b1" From="Review" To="Approve"/>'
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Package xmlns="http://www.wfmc.org/2008/XPDL2.1" Id="pkg" Name="pkg">
  <PackageHeader><XPDLVersion>2.1</XPDLVersion><Vendor>t</Vendor><Created>x</Created>
  </PackageHeader>
  <WorkflowProcesses>
    <WorkflowProcess Id="p">
      <ProcessHeader/>
      <ActivitySets>
        <ActivitySet Id="SetA">
          <Activities><Activity Id="Review"><Implementation><No/></Implementation>
            <Performers><Performer>auditor</Performer></Performers></Activity></Activities>
        </ActivitySet>
        <ActivitySet Id="SetB">
          <Activities>
            <Activity Id="Review"><Implementation><No/></Implementation>
              <Performers><Performer>clerk</Performer></Performers></Activity>
            {timer if wait else ""}
            <Activity Id="Approve"><Implementation><No/></Implementation>
              <Performers><Performer>approver</Performer></Performers>
              <ExtendedAttributes><ExtendedAttribute Name="{rule}" Value="{value}"/>
              </ExtendedAttributes></Activity>
          </Activities>
          <Transitions>{flow}</Transitions>
        </ActivitySet>
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


@pytest.fixture(params=STORES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    return store_url(request, request.param, tmp_path)


@pytest.fixture
def engine(url: str | None) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e
        check_history(e)


def _review(e: Engine, iid: str, who: str) -> None:
    """``who`` completes the Review offered to them (alice: set B's, bob: set A's)."""
    (item,) = [w for w in e.work_items(iid) if w.activity_id == "Review" and who in w.assignees]
    e.complete_work_item(item.id, user=who)


def _approve(e: Engine, iid: str) -> Any:
    (item,) = [w for w in e.work_items(iid) if w.activity_id == "Approve"]
    return item


def _both_reviews_then_approve(e: Engine, rule: str) -> tuple[str, Any]:
    """Set B's Review by alice, then set A's by bob; the hour passes: Approve is offered."""
    e.deploy(load_xpdl(_xpdl(rule)))
    iid = e.start_process("p")
    _review(e, iid, "alice")
    _review(e, iid, "bob")
    assert isinstance(e.clock, VirtualClock)
    e.clock.advance(timedelta(hours=1))
    return iid, _approve(e, iid)


def test_four_eyes_in_a_block_leaves_out_its_own_blocks_performer(engine: Engine) -> None:
    """Bob did the other block's Review, the last Review done: he may approve, alice not."""
    _, approve = _both_reviews_then_approve(engine, "DoNotAssignToPerformerOfActivity")
    assert approve.assignees == ("bob", "carol")
    with pytest.raises(NotAuthorizedError, match="'alice' performed activity 'Review'"):
        engine.complete_work_item(approve.id, user="alice")
    engine.complete_work_item(approve.id, user="bob")


def test_another_blocks_activity_of_that_id_done_later_leaves_the_offer_alone(
    engine: Engine,
) -> None:
    """Approve is on offer when bob does set A's Review: he is still offered it."""
    engine.deploy(load_xpdl(_xpdl("DoNotAssignToPerformerOfActivity", wait=False)))
    iid = engine.start_process("p")
    _review(engine, iid, "alice")
    assert _approve(engine, iid).assignees == ("bob", "carol")
    _review(engine, iid, "bob")
    assert _approve(engine, iid).assignees == ("bob", "carol")


def test_assign_to_performer_of_an_activity_reads_its_own_blocks(engine: Engine) -> None:
    _, approve = _both_reviews_then_approve(engine, "AssignToPerformerOfActivity")
    assert (approve.holder, approve.assignees) == ("alice", ("alice",))


def test_manager_of_previous_in_a_block_is_the_manager_of_its_own_steps_performer(
    engine: Engine,
) -> None:
    """The step before Approve is set B's Review (alice's: carol supervises her), not bob's
    Review of set A, the last Review done."""
    _, approve = _both_reviews_then_approve(engine, "MANAGER_OF_PREVIOUS")
    assert approve.assignees == ("carol",)


def test_an_instance_stored_before_scoped_keys_reads_as_it_did(tmp_path: Path) -> None:
    """A document written when the two Reviews shared one entry (alice's, as set B's Review
    was the one done): after the upgrade four eyes still leaves alice out of the approval,
    and bob, who then does set A's Review, is left out of nothing in set B."""
    url = f"sqlite:///{tmp_path / 'wfengine.db'}"
    org = Organisation.from_data(ORG)
    with Engine(clock=VirtualClock(), db_url=url, directory=org) as e:
        e.deploy(load_xpdl(_xpdl("DoNotAssignToPerformerOfActivity")))
        iid = e.start_process("p")
        _review(e, iid, "alice")
    p = schema.process_instances
    db = sa.create_engine(url)
    with db.begin() as conn:
        blob = conn.execute(sa.select(p.c.state_blob).where(p.c.id == iid)).scalar_one()
        assert blob["scoped_keys"] is True and blob["performers"] == {"SetB/Review": "alice"}
        del blob["scoped_keys"]
        blob["performers"] = {"Review": "alice"}  # as a wfengine before scoped keys wrote it
        conn.execute(p.update().where(p.c.id == iid).values(state_blob=blob))
    db.dispose()
    with Engine(clock=VirtualClock(), db_url=url, directory=org) as e:
        _review(e, iid, "bob")
        assert isinstance(e.clock, VirtualClock)
        e.clock.advance(timedelta(hours=1))
        assert _approve(e, iid).assignees == ("bob", "carol")
        check_history(e)


def test_work_sent_back_in_a_block_goes_to_its_own_blocks_performer(engine: Engine) -> None:
    """Bob sends the approval back to Review: set B's Review is alice's again (held by her),
    not offered round, and not bob's (he did set A's)."""
    iid, approve = _both_reviews_then_approve(engine, "DoNotAssignToPerformerOfActivity")
    engine.claim_work_item(approve.id, user="bob")
    engine.send_back_work_item(approve.id, "bob", "Review", "the figures are wrong")
    (again,) = [w for w in engine.work_items(iid) if w.activity_id == "Review"]
    assert (again.holder, again.assignees) == ("alice", ("alice",))
