"""Work piling up at an activity nobody has done yet counts in the bottlenecks, and shows as
``waiting_now`` (its count and how long it has waited so far), on every store alike. Before,
the bottlenecks ranked completed work only: five cases waiting five days at ``approve``,
none done, left ``approve`` out (bottlenecks ``('enter',)``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    clock = VirtualClock(START)
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("backlog")
        p = pb.process("backlog")
        p.activity("enter", performer="clerk")
        p.activity("approve", performer="manager")
        p.transition("enter", "approve")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_work_waiting_where_none_is_done_is_a_bottleneck(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    for _ in range(5):  # entered after a minute's wait each, then waiting at approve
        iid = engine.start_process("backlog")
        (item,) = engine.work_items(iid)
        clock.advance(timedelta(minutes=1))
        engine.complete_work_item(item.id, user="alice")
    clock.advance(timedelta(days=5))
    engine.terminate(iid)  # a closed case's work waits no longer

    m = process_metrics(engine, "backlog")
    assert m.bottlenecks == ("approve", "enter")
    assert [a.activity_id for a in m.activities] == ["enter"]  # nothing completed at approve
    (approve,) = m.waiting_now
    assert approve.activity_id == "approve" and approve.count == 4
    days5 = timedelta(days=5).total_seconds()
    # the first waits since minute 1, the fourth since minute 4
    assert approve.waiting.p95 == days5 + 4 * 60
    assert approve.as_dict()["waiting"]["count"] == 4


def test_a_suspended_case_s_work_still_waits(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("backlog")
    clock.advance(timedelta(hours=2))
    engine.suspend(iid)
    clock.advance(timedelta(hours=1))
    (enter,) = process_metrics(engine, "backlog").waiting_now
    assert (enter.activity_id, enter.count, enter.waiting.mean) == ("enter", 1, 3 * 3600.0)
