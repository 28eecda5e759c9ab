"""Every ``instance.state`` event records the state the instance left (TC-1015's state-change
record carries the previous and the new state): the engine's own start and completion too.

It was: a start the host asked for without a user (``start``, ``start_process``, a subflow's)
and the engine's completion recorded only the new state (``payload.previous`` None), while
suspend, resume and terminate recorded both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import InstanceStateChanged

NOT_STARTED, RUNNING = "open.not_running.not_started", "open.running"
SUSPENDED, COMPLETED = "open.not_running.suspended", "closed.completed"


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=store_url(request, request.param, tmp_path)) as e:
        yield e
        check_history(e)


def _changes(engine: Engine, iid: str) -> list[object]:
    return [ev.payload for ev in engine.audit(iid) if ev.kind == "instance.state"]


def test_a_start_and_completion_nobody_named_record_the_state_left(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a", performer="clerk")
    engine.deploy(pb.build())
    iid = engine.create_instance("main")
    engine.start(iid)
    engine.suspend(iid)
    engine.resume(iid)
    (item,) = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert _changes(engine, iid) == [
        InstanceStateChanged(RUNNING, NOT_STARTED),
        InstanceStateChanged(SUSPENDED, RUNNING),
        InstanceStateChanged(RUNNING, SUSPENDED),
        InstanceStateChanged(COMPLETED, RUNNING),
    ]


def test_a_subflow_started_and_completed_by_the_engine_records_the_state_left(
    engine: Engine,
) -> None:
    pb = PackageBuilder("pkg")
    pb.process("child").activity("work")
    pb.process("main").subflow("call", process="child")
    engine.deploy(pb.build())
    top = engine.start_process("main")
    (child,) = [s.id for s in engine.instance_summaries() if s.process_id == "child"]
    for iid in (top, child):
        assert _changes(engine, iid) == [
            InstanceStateChanged(RUNNING, NOT_STARTED),
            InstanceStateChanged(COMPLETED, RUNNING),
        ]
