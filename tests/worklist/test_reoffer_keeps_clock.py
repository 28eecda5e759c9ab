"""A re-offer keeps the reminder and escalation schedule of the item it replaces, as a
release, delegation or reassignment keeps an item's.

Before: the new item's reminders and escalation counted from the re-offer (the reminder
count starting again at 1), so an organisation synced more often than escalate-after, and
changing each time, kept late work from ever escalating.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.sales_org import sales_org
from wfengine import Engine, PackageBuilder, VirtualClock


@pytest.fixture(params=STORES[:2])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=sales_org("alice")) as e:
        pb = PackageBuilder("pkg")
        timing = {
            "wfengine:reminder-after": "PT30M",
            "wfengine:reminder-every": "PT30M",
            "wfengine:escalate-after": "PT1H",
        }
        pb.process("p").activity("quote", performer="clerk", extended=timing)
        e.deploy(pb.build())
        yield e
        check_history(e)


def _clock(engine: Engine) -> VirtualClock:
    assert isinstance(engine.clock, VirtualClock)
    return engine.clock


def _schedule(engine: Engine, iid: str, t0: datetime) -> list[tuple[str, str, int, float]]:
    """The instance's reminder jobs: item, what, number, minutes after ``t0``."""
    return sorted(
        (
            str(j.payload["work_item"]),
            str(j.payload["what"]),
            int(j.payload["number"]),
            (j.due - t0) / timedelta(minutes=1),
        )
        for j in engine.store.jobs(iid)  # (the store's jobs: their payload names the item)
        if j.kind == "reminder"
    )


def test_the_new_item_is_reminded_and_escalated_when_the_replaced_one_would_be(
    engine: Engine,
) -> None:
    clock = _clock(engine)
    iid = engine.start_process("p")
    t0 = clock.now()
    clock.advance(timedelta(minutes=40))  # reminder 1 fired at 30; 2 due at 60, escalation at 60
    engine.directory = sales_org("alice", "bob")
    (done,) = engine.reoffer_work()
    new = done.replaced_by
    assert new is not None
    assert _schedule(engine, iid, t0) == [(new, "escalate", 1, 60.0), (new, "remind", 2, 60.0)]

    clock.advance(timedelta(minutes=20))  # at 60: the count goes on, the work escalates
    reminders = engine.audit_events(instance_id=iid, kind="work_item.reminder")
    assert [(e.work_item_id, e.detail["number"]) for e in reminders] == [
        (done.work_item_id, 1),
        (new, 2),
    ]
    (escalated,) = engine.audit_events(instance_id=iid, kind="work_item.escalated")
    assert escalated.work_item_id == new
    assert escalated.at == t0 + timedelta(hours=1)


def test_syncs_more_often_than_escalate_after_do_not_keep_work_from_escalating(
    engine: Engine,
) -> None:
    clock = _clock(engine)
    iid = engine.start_process("p")
    t0 = clock.now()
    clerks = ["alice"]
    for n in range(4):  # an organisation that changes every 20 minutes
        clock.advance(timedelta(minutes=20))
        clerks.append(f"clerk{n}")
        engine.directory = sales_org(*clerks)
        engine.reoffer_work()
    (escalated,) = engine.audit_events(instance_id=iid, kind="work_item.escalated")
    assert escalated.at == t0 + timedelta(hours=1)
    (item,) = engine.work_items(iid)
    assert "carol" in item.assignees
