"""``change_work_item_state`` returns the state the item reached, which a delegate's release
or a completion awaiting its owner's confirmation makes another than the one asked for. It
returned nothing, so a caller took the state asked for as reached."""

from __future__ import annotations

from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, WorkItemState
from wfengine.wapi import connect


def test_the_state_reached_is_returned() -> None:
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("pkg")
    confirm = {"wfengine:delegation-confirm": "true"}
    pb.process("p").activity("quote", performer="clerk", extended=confirm)
    engine.deploy(pb.build())
    alice, dan = connect(engine, "alice"), connect(engine, "dan")
    instance_id = alice.create_process_instance("p")
    alice.start_process(instance_id)
    [item] = engine.work_items(instance_id)
    assert alice.change_work_item_state(item.id, "allocated") is WorkItemState.ALLOCATED
    alice.delegate_work_item(item.id, "dan")
    # back to alice, not offered
    assert dan.change_work_item_state(item.id, "offered") is WorkItemState.ALLOCATED
    alice.delegate_work_item(item.id, "dan")
    # back to alice to confirm
    assert dan.change_work_item_state(item.id, "completed") is WorkItemState.ALLOCATED
    assert engine.work_item(item.id).holder == "alice"
    assert alice.change_work_item_state(item.id, "completed") is WorkItemState.COMPLETED
