"""An activity with a synchronous deadline taken the exception way: an instance the deadline
interrupts closes terminated, not completed, and counts as overdue, on every store alike.
Before, only completed instances counted: two of four late showed an overdue share of 0
beside two ``deadline.fired`` events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.exports import iter_events
from wfengine.audit.metrics import activity_metrics_of, process_metrics

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    clock = VirtualClock(START)
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("late")
        p = pb.process("approve")
        p.activity("check", performer="clerk", deadlines=[("PT2H", "Late", "SYNCHR")])
        p.activity("escalate", performer="clerk")
        p.activity("done")
        p.transition("check", "done").transition("check", "escalate", exception="Late")
        p.transition("escalate", "done")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_instances_a_deadline_ended_count_as_overdue(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    ids = [engine.start_process("approve") for _ in range(4)]
    clock.advance(timedelta(hours=1))
    for iid in ids[:2]:  # two done in time
        (item,) = engine.work_items(iid)
        engine.complete_work_item(item.id, user="alice")
    clock.advance(timedelta(hours=2))  # the other two: the deadline ends them at 2 h
    assert len(engine.audit_events(process_id="approve", kind="deadline.fired")) == 2

    m = process_metrics(engine, "approve")
    check = next(a for a in m.activities if a.activity_id == "check")
    assert check.count == 4
    assert check.overdue_share == 0.5
    assert check.waiting.count == check.processing.count == 2  # the completed ones
    assert [a for a in m.activities if a.activity_id == "check"] == [
        a
        for a in activity_metrics_of(iter_events(engine, process_id="approve"))
        if a.activity_id == "check"
    ]
    # a window that ends before the deadline fired sees only the two completed in it
    early = process_metrics(engine, "approve", until=START + timedelta(hours=1, minutes=30))
    (check_early,) = [a for a in early.activities if a.activity_id == "check"]
    assert (check_early.count, check_early.overdue_share) == (2, 0.0)


def test_an_activity_only_ever_ended_by_its_deadline_is_listed(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    engine.start_process("approve")
    clock.advance(timedelta(hours=3))
    (check,) = [
        a for a in process_metrics(engine, "approve").activities if a.activity_id == "check"
    ]
    assert (check.count, check.overdue_share, check.waiting.mean) == (1, 1.0, None)
