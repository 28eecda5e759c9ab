"""An instance of a multi-instance activity that ended before the activity's deadline fired
was not late, as a Standard loop's round that ended before its deadline fired is not: the
deadline fires on the container that spans the instances, and an instance counts it only
when it fired by the time the instance ended. Before, every instance of a container whose
deadline ever fired counted overdue (an overdue share of 1.0 where one of two was done in
time), on the memory store and the SQL stores alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.metrics import (
    ActivityMetrics,
    activity_metrics_of,
    mi_containers,
    process_metrics,
)
from wfengine.definition.builder import deadline, multi_instance, standard_loop
from wfengine.runtime.sql.store import SqlStore

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("late")
        p = pb.process("mi")  # two at once, due after 2 h
        p.activity(
            "sign",
            performer="clerk",
            loop=multi_instance("2"),
            deadlines=[deadline("PT2H", "Late")],
        )
        q = pb.process("seq")  # three one after the other, due after 90 minutes
        q.activity(
            "sign",
            performer="clerk",
            loop=multi_instance("3", ordering="Sequential"),
            deadlines=[deadline("PT90M", "Late")],
        )
        r = pb.process("loop")  # the rule the instances now follow: a loop's rounds
        r.data_field("n", "INTEGER", initial="0")
        r.activity(
            "sign",
            performer="clerk",
            writes=["n"],
            loop=standard_loop("n < 2"),
            deadlines=[deadline("PT2H", "Late")],
        )
        s = pb.process("ends")  # a synchronous deadline ends the container and what is open
        s.activity(
            "sign",
            performer="clerk",
            loop=multi_instance("2"),
            deadlines=[deadline("PT2H", "Late", execution="SYNCHR")],
        )
        s.activity("escalate", performer="clerk")
        s.transition("sign", "escalate", exception="Late")
        e.deploy(pb.build())
        yield e
        check_history(e)


def _advance(engine: Engine, by: timedelta) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(by)


def _complete_each(engine: Engine, iid: str, data: dict[str, int] | None = None) -> None:
    """Complete the instance's oldest open `sign` item an hour after the one before."""
    _advance(engine, HOUR)
    item = min(
        (i for i in engine.work_items(iid) if i.activity_id == "sign" and i.state.is_open),
        key=lambda i: i.activity_instance_id,
    )
    engine.complete_work_item(item.id, data or {})


def _sign(engine: Engine, process_id: str) -> ActivityMetrics:
    """The figures of `sign`, checked to be those computed from the trail."""
    (found,) = process_metrics(engine, process_id).activities
    reference = activity_metrics_of(
        engine.audit_events(process_id=process_id),
        containers=mi_containers(engine, process_id),
    )
    assert reference == [found]
    return found


def test_an_instance_done_before_the_deadline_fired_was_not_late(engine: Engine) -> None:
    mi = engine.start_process("mi")
    _complete_each(engine, mi)  # at 1 h: in time
    _advance(engine, HOUR)  # 2 h: the deadline fires on the container
    _complete_each(engine, mi)  # at 3 h: late
    loop = engine.start_process("loop")
    _complete_each(engine, loop, {"n": 1})
    _advance(engine, HOUR)
    _complete_each(engine, loop, {"n": 2})
    assert (_sign(engine, "mi").count, _sign(engine, "mi").overdue_share) == (2, 0.5)
    assert _sign(engine, "loop").overdue_share == _sign(engine, "mi").overdue_share


def test_sequential_instances_are_late_from_the_deadline_on(engine: Engine) -> None:
    iid = engine.start_process("seq")
    for _ in range(3):  # done at 1 h (in time), 2 h and 3 h (after the 90-minute deadline)
        _complete_each(engine, iid)
    found = _sign(engine, "seq")
    assert (found.count, found.overdue_share * 3) == (3, 2.0)


def test_a_synchronous_deadline_ends_only_what_it_finds_open(engine: Engine) -> None:
    iid = engine.start_process("ends")
    _complete_each(engine, iid)  # at 1 h: in time
    _advance(engine, 2 * HOUR)  # 2 h: the deadline ends the container and the other one
    assert [i.activity_id for i in engine.work_items(iid) if i.state.is_open] == ["escalate"]
    found = _sign(engine, "ends")
    assert (found.count, found.waiting.count, found.overdue_share) == (2, 1, 0.5)


def _statements(engine: Engine, process_id: str) -> list[str]:
    """The SQL statements ``process_metrics`` of ``process_id`` runs."""
    run: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        run.append(statement)

    sa_engine = engine.store.sa_engine  # type: ignore[attr-defined]
    sa.event.listen(sa_engine, "before_cursor_execute", seen)
    try:
        process_metrics(engine, process_id)
    finally:
        sa.event.remove(sa_engine, "before_cursor_execute", seen)
    return run


def test_late_instances_are_told_in_the_durations_statement(engine: Engine) -> None:
    """On the SQL stores whether an instance ended by the time its container's deadline fired
    is compared in the statement that measures the rows: the metrics of a process whose
    instances were late run the very statements they run when all were in time. (Before,
    every completed instance of a late container was compared in Python with the
    ``deadline.fired`` events read back, which made SQL process metrics about 3x slower on
    3,000 such instances.)"""
    if not isinstance(engine.store, SqlStore):
        pytest.skip("the statements of the SQL stores")
    in_time = engine.start_process("mi")
    _advance(engine, HOUR)
    for item in engine.work_items(in_time):
        engine.complete_work_item(item.id, {})
    before = _statements(engine, "mi")
    late = engine.start_process("mi")
    _complete_each(engine, late)  # in time
    _advance(engine, HOUR)  # the deadline fires on the container
    _complete_each(engine, late)  # late
    assert _statements(engine, "mi") == before
    found = _sign(engine, "mi")
    assert (found.count, found.overdue_share) == (4, 0.25)
