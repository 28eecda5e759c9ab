"""A process deployed before a person's completion wrote only the fields its activity lists
keeps letting people write its fields once the database is upgraded (migration 0023); one
deployed since writes as its activities list.

``fixtures/upgrade_writes_0005.json`` holds what wfengine at schema 0005 wrote
(``make_upgrade_person_writes.py``): process ``leave`` (``days``, ``reason``, the read-only
``policy``; ``submit`` for a clerk listing nothing to write), ``pi-1`` and ``pi-2`` waiting
at ``submit``."""

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
