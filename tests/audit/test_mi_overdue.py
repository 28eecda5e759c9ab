"""Two containers of one multi-instance activity open at once (here in two parallel
branches), each with its own deadline: each instance has its own container's, in the metrics
(memory and SQL alike) and in the worklist and detailed status. Before, an instance was given
the container its activity started last before it (the metrics: a sequential instance started
after the other branch's container was another's) or the one open last (the worklist: every
instance had the later container's deadline)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.metrics import activity_metrics_of, mi_containers, process_metrics
from wfengine.audit.status import detailed_status
from wfengine.definition.builder import deadline, multi_instance
from wfengine.worklist.worklists import entries

START = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    clock = VirtualClock(START)
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        yield e
        check_history(e)


def _two_containers(engine: Engine, ordering: str) -> str:
    """`sign` (two instances, a 90-minute deadline) starts at once in one branch and an hour
    later in the other (after `wait`): two containers of it open together, due at 1:30 and
    2:30; at 1:40 only the first one's deadline has fired."""
    pb = PackageBuilder("two")
    p = pb.process("two")
    p.route("fork", gateway="Parallel")
    p.activity("wait", performer="clerk")
    p.activity(
        "sign",
        performer="clerk",
        loop=multi_instance("2", ordering=ordering),
        deadlines=[deadline("PT90M", "Late")],
    )
    p.transition("fork", "sign").transition("fork", "wait").transition("wait", "sign")
    engine.deploy(pb.build())
    iid = engine.start_process("two")
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(hours=1))
    (wait,) = [i for i in engine.work_items(iid) if i.activity_id == "wait"]
    engine.complete_work_item(wait.id, {})
    clock.advance(timedelta(minutes=40))
    return iid


def _containers(engine: Engine, iid: str) -> tuple[str, str]:
    first, second = sorted(
        (
            a
            for a in engine.activity_instances(iid)
            if a.activity_id == "sign" and a.mi_index is None
        ),
        key=lambda a: a.started_at,
    )
    return first.id, second.id


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_each_instance_is_overdue_by_its_own_container(engine: Engine, ordering: str) -> None:
    iid = _two_containers(engine, ordering)
    first, _ = _containers(engine, iid)
    fired = [e.activity_instance_id for e in engine.audit(iid) if e.kind == "deadline.fired"]
    assert fired == [first]
    while open_items := [i for i in engine.work_items(iid) if i.state.is_open]:
        engine.complete_work_item(min(open_items, key=lambda i: i.activity_instance_id).id, {})
    figures = {a.activity_id: a for a in process_metrics(engine, "two").activities}
    assert (figures["sign"].count, figures["sign"].overdue_share) == (4, 0.5)
    reference = activity_metrics_of(
        engine.audit_events(process_id="two"), containers=mi_containers(engine, "two")
    )
    assert list(figures.values()) == reference


def test_each_open_instance_is_due_when_its_own_container_is(engine: Engine) -> None:
    iid = _two_containers(engine, "Parallel")
    first, second = _containers(engine, iid)
    parents = {a.id: a.mi_parent_id for a in engine.activity_instances(iid)}
    due = {
        parents[e.item.activity_instance_id]: e.due
        for e in entries(engine, [i for i in engine.work_items(iid) if i.activity_id == "sign"])
    }
    assert due == {first: START + timedelta(minutes=90), second: START + timedelta(minutes=150)}
    status = detailed_status(engine, iid)
    overdue = {parents[w.item.activity_instance_id]: w.overdue for w in status.open_work}
    assert overdue == {first: True, second: False}
