"""Work done before schema 0009 is credited to whoever did it, and deadlines that fired then
make their activity instances late, once the database is upgraded (migration 0020).

``fixtures/upgrade_users_0008.json`` holds what wfengine at schema 0008 wrote
(``make_upgrade_databases.py users``): alice completing an unclaimed item and one she claimed
(``pi-1``); a deadline of ``a`` firing on ``pi-2``, whose items bob then completed, and on
``pi-3``, left open with ``a``'s item offered."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.runtime.fixtures.old_database import restore
from wfengine.audit.metrics import process_metrics
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import migrate
from wfengine.runtime.states import ProcessState


@pytest.fixture
def upgraded(db_url: str) -> Iterator[Engine]:
    assert restore(db_url, "upgrade_users_0008.json") == "0008"
    migrate.upgrade(db_url)
    with Engine(db_url=db_url) as e:
        yield e


def test_work_completed_before_0009_is_credited_to_its_users(upgraded: Engine) -> None:
    metrics = process_metrics(upgraded, "review")
    assert {(u.user, u.completed) for u in metrics.users} == {("alice", 2), ("bob", 2)}
    alices = upgraded.audit_events(user="alice")
    assert [(x.instance_id, x.kind) for x in alices] == [
        ("pi-1", "work_item.completed"),
        ("pi-1", "work_item.allocated"),
        ("pi-1", "work_item.completed"),
    ]
    assert [x.work_item_id for x in alices] == ["wi-1", "wi-2", "wi-2"]
    # the columns are outside the chain and unchecked on unchained events: still whole
    report = upgraded.verify_audit()
    assert report.ok and report.unchained == report.events == 38


def _overdue(e: Engine) -> tuple[int, float]:
    [a] = [a for a in process_metrics(e, "review").activities if a.activity_id == "a"]
    return a.count, a.overdue_share


def test_a_deadline_that_fired_before_0009_makes_its_instance_late(upgraded: Engine) -> None:
    assert _overdue(upgraded) == (2, 0.5)  # pi-1's on time, pi-2's late
    # pi-3 was left open: its document says its 'a' is late, so completing it keeps it late
    [item] = [w for w in upgraded.work_items("pi-3") if w.activity_id == "a"]
    upgraded.complete_work_item(item.id)
    for w in upgraded.work_items("pi-3"):
        upgraded.complete_work_item(w.id)
    assert upgraded.instance("pi-3").state is ProcessState.COMPLETED
    assert _overdue(upgraded) == (3, 2 / 3)
    assert upgraded.verify_audit().ok
