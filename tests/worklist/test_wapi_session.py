"""``wfengine.wapi.connect``: Interface 2 for one user, with the WfMC operation names."""

from __future__ import annotations

import pytest

from wfengine import (
    DataTypeError,
    Engine,
    NotAuthorizedError,
    NotFoundError,
    PackageBuilder,
    ProcessState,
    WorkItemState,
)
from wfengine.wapi import connect


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("price", "INTEGER").data_field("approved", "BOOLEAN")
    p.activity("quote", performer="clerk", writes=["approved"]).activity(
        "book", performer="accountant"
    )
    p.transition("quote", "book")
    engine.deploy(pb.build())


def test_a_clerk_works_through_the_work_list(org_engine: Engine) -> None:
    _deploy(org_engine)
    with connect(org_engine, "alice") as alice:
        assert alice.open_process_definitions_list() == ["p"]
        iid = alice.create_process_instance("p", {"price": 1})
        assert alice.get_process_instance(iid).state is ProcessState.NOT_STARTED
        alice.start_process(iid)
        with alice.open_work_list() as work:
            item = work.fetch()
            assert item is not None and item.activity_id == "quote"
            assert work.fetch() is None
        with pytest.raises(ValueError, match="closed"):
            work.fetch()
        alice.change_work_item_state(item.id, "allocated")
        alice.change_work_item_state(item.id, WorkItemState.STARTED)
        alice.assign_process_instance_attribute(iid, "price", 2)
        seen = alice.get_work_item_attributes(item.id)
        assert (seen.values, seen.writable) == ({"price": 2, "approved": None}, ("approved",))
        with pytest.raises(NotAuthorizedError, match="'dan' may not see the data of"):
            connect(org_engine, "dan").get_work_item_attributes(item.id)
        alice.complete_work_item(item.id, {"approved": True})
        assert alice.get_work_item(item.id).state is WorkItemState.COMPLETED
        assert alice.get_process_instance(iid).data == {"price": 2, "approved": True}
        assert [a.activity_id for a in alice.open_activity_instances_list(iid)] == [
            "quote",
            "book",
        ]
        first = alice.open_activity_instances_list(iid)[0]
        assert alice.get_activity_instance(iid, first.id) == first
        with pytest.raises(NotFoundError, match=r"no activity instance 'nope' \(in instance"):
            alice.get_activity_instance(iid, "nope")  # a KeyError too, as it was
    with pytest.raises(ValueError, match="disconnected"):
        alice.open_work_list()
    with connect(org_engine, "dan") as dan:
        [booking] = list(dan.open_work_list(state="offered"))
        with pytest.raises(NotAuthorizedError):
            connect(org_engine, "alice").complete_work_item(booking.id)
        dan.claim_work_item(booking.id)
        dan.delegate_work_item(booking.id, "bob")
        bob = connect(org_engine, "bob")
        assert [i.id for i in bob.open_work_list()] == [booking.id]
        bob.release_work_item(booking.id)  # back to dan, who delegated it
        assert dan.get_work_item(booking.id).holder == "dan"


def test_an_attribute_is_one_declared_field_of_its_type(org_engine: Engine) -> None:
    _deploy(org_engine)
    root = connect(org_engine, "root")
    iid = root.create_process_instance("p")
    with pytest.raises(KeyError, match=r"no data field 'pirce' \(process 'p' declares approved"):
        root.assign_process_instance_attribute(iid, "pirce", 2)
    with pytest.raises(ValueError, match=r"data field 'price' .*expected INTEGER, got str 'seven'"):
        root.assign_process_instance_attribute(iid, "price", "seven")
    root.assign_process_instance_attribute(iid, "price", "7")  # converted, as an answer is
    assert root.get_process_instance(iid).data["price"] == 7
    assert "pirce" not in root.get_process_instance(iid).data


def test_a_sensitive_attribute_of_the_wrong_type_is_refused_without_showing_it(
    org_engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p").data_field("pin", "INTEGER", extended={"wfengine:sensitive": "true"})
    p.activity("a", performer="clerk")
    org_engine.deploy(pb.build())
    root = connect(org_engine, "root")
    iid = root.create_process_instance("p")
    with pytest.raises(DataTypeError, match=r"data field 'pin' .*not shown: sensitive") as refused:
        root.assign_process_instance_attribute(iid, "pin", "secret-1234")
    assert "secret-1234" not in str(refused.value)
    assert root.get_process_instance(iid).data.get("pin") is None


def test_a_work_item_is_shown_only_to_whom_it_concerns(org_engine: Engine) -> None:
    _deploy(org_engine)
    alice = connect(org_engine, "alice")
    iid = alice.create_process_instance("p")
    alice.start_process(iid)
    (item,) = list(alice.open_work_list())
    assert alice.get_work_item(item.id).id == item.id  # offered to her
    with pytest.raises(NotAuthorizedError, match="'dan' may not see work item"):
        connect(org_engine, "dan").get_work_item(item.id)


def test_reassign_and_instance_states_through_the_session(org_engine: Engine) -> None:
    _deploy(org_engine)
    root = connect(org_engine, "root")
    iid = root.create_process_instance("p")
    root.change_process_instance_state(iid, "open.running")  # starts it
    [item] = list(root.open_work_list()) or org_engine.work_items(iid)
    connect(org_engine, "carol").reassign_work_item(item.id, "bob")
    assert root.get_work_item(item.id).holder == "bob"
    root.change_process_instance_state(iid, ProcessState.SUSPENDED)
    root.change_process_instance_state(iid, "open.running")  # resumes it
    assert root.open_process_instances_list(state="open.running")[0].id == iid
    root.terminate_process_instance(iid)
    assert root.get_process_instance(iid).state is ProcessState.TERMINATED
    with pytest.raises(ValueError):
        root.change_process_instance_state(iid, "closed.completed")
    with pytest.raises(ValueError):
        root.change_work_item_state(item.id, "cancelled")


def test_a_long_work_list_is_fetched_whole_in_batches(org_engine: Engine) -> None:
    _deploy(org_engine)
    for _ in range(230):
        org_engine.start_process("p")
    fetched = [(i.created_at, i.id) for i in connect(org_engine, "bob").open_work_list()]
    # 3 batches of 100, none twice, oldest first (at the same instant, by id)
    assert fetched == sorted((i.created_at, i.id) for i in org_engine.work_items())
    assert len(fetched) == 230
    with pytest.raises(ValueError, match="needs a user"):
        connect(org_engine, "")
