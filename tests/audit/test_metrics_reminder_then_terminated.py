"""An activity whose asynchronous deadline fired (a reminder: it goes on) and which an
operator then ended (the instance terminated) was counted as ended by its deadline: count
and overdue share rose though no deadline ended it. Only a synchronous deadline taken the
exception way ends an activity; its ``deadline.fired`` event now says so (``interrupts``),
and the metrics count those, on every store alike."""

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
    with Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("late")
        for mode in ("ASYNCHR", "SYNCHR"):
            p = pb.process(f"p_{mode.lower()}")
            p.activity("check", performer="clerk", deadlines=[("PT2H", "Late", mode)])
            p.activity("remind", performer="boss")
            p.activity("done")
            p.transition("check", "done").transition("check", "remind", exception="Late")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _check(engine: Engine, process_id: str) -> tuple[int, float] | None:
    found = [a for a in process_metrics(engine, process_id).activities if a.activity_id == "check"]
    assert found == [
        a
        for a in activity_metrics_of(iter_events(engine, process_id=process_id))
        if a.activity_id == "check"
    ]
    return (found[0].count, found[0].overdue_share) if found else None


def test_an_activity_ended_by_an_operator_after_a_reminder_is_not_counted(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    on_time = engine.start_process("p_asynchr")
    late = [engine.start_process("p_asynchr") for _ in range(2)]
    (item,) = engine.work_items(on_time)
    engine.complete_work_item(item.id, user="alice")
    clock.advance(timedelta(hours=3))  # the reminders fire; 'check' goes on, late
    assert len(engine.audit_events(process_id="p_asynchr", kind="deadline.fired")) == 2
    for iid in late:
        engine.terminate(iid)  # withdrawn by an operator
    assert _check(engine, "p_asynchr") == (1, 0.0)  # before: (3, 0.667)


def test_an_activity_a_synchronous_deadline_ended_still_counts(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    on_time = engine.start_process("p_synchr")
    engine.start_process("p_synchr")
    (item,) = engine.work_items(on_time)
    engine.complete_work_item(item.id, user="alice")
    clock.advance(timedelta(hours=3))  # the deadline ends the other one's 'check'
    [fired] = engine.audit_events(process_id="p_synchr", kind="deadline.fired")
    assert fired.detail["interrupts"] is True
    assert _check(engine, "p_synchr") == (2, 0.5)


def test_a_reminder_records_no_interruption(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    engine.start_process("p_asynchr")
    clock.advance(timedelta(hours=3))
    [fired] = engine.audit_events(process_id="p_asynchr", kind="deadline.fired")
    assert fired.detail["interrupts"] is False  # recorded: an old trail's does not say
