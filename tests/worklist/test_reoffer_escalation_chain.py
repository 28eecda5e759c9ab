"""Those an escalation reached keep the work at every re-offer, not only at the first, and the
work is not escalated again while they have it.

Before: the re-offer read escalations by work item id, and the item an earlier re-offer made
(``wi-2``) had none of its own: at the second organisation change the supervisor the
escalation reached lost the work (``wi-3`` offered to the clerks alone), and the new item's
escalation clock, counted afresh, would have escalated it a second time. When nobody the
escalation reached has the work any more, it escalates again at once: it is late already.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.sales_org import sales_org
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock


@pytest.fixture(params=STORES[:2])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, directory=sales_org("alice")) as e:
        pb = PackageBuilder("pkg")
        late = {"wfengine:escalate-after": "PT1H"}
        pb.process("p").activity("quote", performer="clerk", extended=late)
        e.deploy(pb.build())
        yield e
        check_history(e)


def _escalations(engine: Engine, iid: str) -> list[str | None]:
    found = engine.audit_events(instance_id=iid, kind="work_item.escalated")
    return [event.work_item_id for event in found]


def test_the_supervisor_keeps_the_work_through_every_reoffer(engine: Engine) -> None:
    iid = engine.start_process("p")
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(minutes=61))  # escalated to carol, the clerks' supervisor
    (first,) = engine.work_items(iid)
    assert first.assignees == ("alice", "carol")

    engine.directory = sales_org("alice", "bob")
    engine.reoffer_work()
    (second,) = engine.work_items(iid)
    assert set(second.assignees) == {"alice", "bob", "carol"}

    engine.directory = sales_org("alice", "bob", "dan")
    engine.reoffer_work()
    (third,) = engine.work_items(iid)
    assert set(third.assignees) == {"alice", "bob", "dan", "carol"}
    assert [w.id for w in engine.work_items_of("carol")] == [third.id]
    assert engine.reoffer_work() == []  # run again: nothing left to mend

    # escalated once: the clock of the items the re-offers made does not fire at carol again
    assert [j for j in engine.jobs(iid) if j.kind == "reminder"] == []
    engine.clock.advance(timedelta(hours=3))
    assert _escalations(engine, iid) == [first.id]
    assert engine.incidents(iid) == []


def test_a_supervisor_who_left_is_dropped_and_the_work_escalates_afresh(engine: Engine) -> None:
    iid = engine.start_process("p")
    assert isinstance(engine.clock, VirtualClock)
    engine.clock.advance(timedelta(minutes=61))
    engine.directory = sales_org("alice", "bob")
    engine.reoffer_work()
    # carol left, erin supervises the clerks now: nobody the escalation reached has the work
    engine.directory = Organisation.from_data(
        {
            "users": [{"id": c, "roles": ["clerk"], "units": ["sales"]} for c in ("alice", "bob")]
            + [{"id": "erin"}],
            "units": [{"id": "sales", "supervisor": "erin"}],
        }
    )
    engine.reoffer_work()
    (item,) = engine.work_items(iid)
    assert set(item.assignees) == {"alice", "bob"}
    # late since the first hour, and nobody the escalation reached has it: escalated again
    # at once (before, it counted from the re-offer: an hour later; a re-offer keeps the
    # replaced item's schedule now, as a release does, and that escalation was due long ago)
    engine.clock.advance(timedelta(seconds=0))
    (late,) = engine.work_items(iid)
    assert set(late.assignees) == {"alice", "bob", "erin"}
