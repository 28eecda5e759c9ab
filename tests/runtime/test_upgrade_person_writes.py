"""A process deployed before a person's completion wrote only the fields its activity lists
keeps letting people write its fields once the database is upgraded (migration 0023); one
deployed since writes as its activities list.

``fixtures/upgrade_writes_0005.json`` holds what wfengine at schema 0005 wrote
(``make_upgrade_person_writes.py``): process ``leave`` (``days``, ``reason``, the read-only
``policy``; ``submit`` for a clerk listing nothing to write), ``pi-1`` and ``pi-2`` waiting
at ``submit``; process ``order`` of package ``orders`` calling ``pack`` (of ``orders``) and then
``stamp`` (of package ``stamps``, deployed before), which no instance had reached: ``pi-3``
waiting at ``first``. Each person's activity of these is a clerk's, writing nothing listed."""

from __future__ import annotations

import pytest

from tests.runtime.fixtures.old_database import restore
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import NotAuthorizedError, WorkflowError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate


@pytest.fixture
def upgraded(db_url: str) -> Engine:
    assert restore(db_url, "upgrade_writes_0005.json") == "0005"
    migrate.upgrade(db_url)
    return Engine(db_url=db_url)


def _submit(e: Engine, instance_id: str) -> str:
    [item] = [w.id for w in e.work_items(instance_id) if w.activity_id == "submit"]
    return item


def test_work_in_progress_on_an_earlier_deployment_writes_its_fields(upgraded: Engine) -> None:
    with upgraded as e:
        item = _submit(e, "pi-1")
        assert e.work_item_data(item).writable == ("days", "reason")
        e.complete_work_item(item, {"days": 8, "reason": "rest"}, user="clerk")
        assert e.instance("pi-1").data["days"] == 8
        # a field the process does not declare is still refused, and nothing changes
        with pytest.raises(NotAuthorizedError, match=r"may not write 'bogus'"):
            e.complete_work_item(_submit(e, "pi-2"), {"bogus": 1}, user="clerk")
        # and a read-only one, as for anyone
        with pytest.raises(WorkflowError, match=r"policy"):
            e.complete_work_item(_submit(e, "pi-2"), {"policy": "lax"}, user="clerk")
        # a new instance of that deployment writes as its instances did
        started = e.start_process("leave")
        e.complete_work_item(_submit(e, started), {"days": 2}, user="clerk")


def test_a_version_deployed_after_the_upgrade_writes_as_it_lists(upgraded: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("leave")
    p.data_field("days", "INTEGER", initial="0")
    p.activity("submit", performer="clerk").activity("decide", performer="boss")
    p.transition("submit", "decide")
    with upgraded as e:
        e.deploy(pb.build())
        started = e.start_process("leave")
        assert e.instance(started).version == 2
        item = _submit(e, started)
        assert e.work_item_data(item).writable == ()
        with pytest.raises(NotAuthorizedError, match=r"lets it write no data"):
            e.complete_work_item(item, {"days": 2}, user="clerk")


def _complete_the_clerks(e: Engine, process_id: str, note: str) -> str:
    """Complete with ``note`` the clerk's one item offered on an instance of ``process_id``;
    returns that instance."""
    [item] = [
        w
        for i in e.instances()
        if i.process_id == process_id
        for w in e.work_items(i.id)
        if w.state.is_open
    ]
    e.complete_work_item(item.id, {"note": note}, user="clerk")
    return item.instance_id


def test_subflows_an_earlier_deployment_reaches_after_the_upgrade_write_their_fields(
    upgraded: Engine,
) -> None:
    with upgraded as e:
        e.complete_work_item(_item(e, "pi-3", "first"), {"note": "ordered"}, user="clerk")
        # deployed by the same deploy as the caller, never started before the upgrade
        packed = _complete_the_clerks(e, "pack", "packed")
        assert e.instance(packed).data["note"] == "packed"
        # of a package deployed before the caller's
        stamped = _complete_the_clerks(e, "stamp", "stamped")
        assert e.instance(stamped).data["note"] == "stamped"
        e.complete_work_item(_item(e, "pi-3", "last"), {"note": "done"}, user="clerk")
        assert e.instance("pi-3").data["note"] == "done"


def test_a_subflow_version_deployed_after_the_upgrade_writes_as_it_lists(
    upgraded: Engine,
) -> None:
    pb = PackageBuilder("orders")
    pack = pb.process("pack")
    pack.data_field("note", "STRING")
    pack.data_field("weight", "INTEGER", initial="0")
    pack.activity("fill", performer="clerk")
    with upgraded as e:
        e.deploy(pb.build())
        e.complete_work_item(_item(e, "pi-3", "first"), {"note": "ordered"}, user="clerk")
        [packing] = [i for i in e.instances() if i.process_id == "pack"]
        assert packing.version == 2
        [item] = e.work_items(packing.id)
        with pytest.raises(NotAuthorizedError, match=r"lets it write no data"):
            e.complete_work_item(item.id, {"note": "packed"}, user="clerk")


def _item(e: Engine, instance_id: str, activity_id: str) -> str:
    [item] = [w.id for w in e.work_items(instance_id) if w.activity_id == activity_id]
    return item
