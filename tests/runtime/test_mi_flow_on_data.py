"""A multi-instance activity's Complex flow condition is tested again when the data changes
(WCP27 Complete MI Activity: an operator forces the completion by setting the data).

It was: setting the data that makes the condition hold did nothing until one more instance
completed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState
from wfengine.wapi import connect


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with Engine(clock=VirtualClock(), db_url=store_url(request, request.param, tmp_path)) as e:
        yield e
        check_history(e)


def _start(
    engine: Engine, condition: str, *, cancelling: bool = True, ordering: str = "Parallel"
) -> str:
    """Three instances of a person's step ``m`` (flow Complex, ``condition``), then ``z``."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("stop", "BOOLEAN", initial="false")
    p.data_field("limit", "INTEGER")
    p.data_field("note", "STRING")
    loop = multi_instance("3", ordering=ordering, flow="Complex", complex_flow_condition=condition)
    extended = {"wfengine:cancelRemaining": "true"} if cancelling else None
    p.activity("m", performer="clerk", loop=loop, extended=extended)
    p.activity("z", performer="clerk").transition("m", "z")
    engine.deploy(pb.build())
    return engine.start_process("main")


def _open_instances(engine: Engine, iid: str) -> list[str]:
    return [
        a.id
        for a in engine.activity_instances(iid)
        if a.activity_id == "m" and a.mi_index is not None and a.state.is_open
    ]


@pytest.mark.parametrize("ordering", ["Parallel", "Sequential"])
def test_wcp27_setting_the_data_completes_the_mi_activity(engine: Engine, ordering: str) -> None:
    iid = _start(engine, "stop", ordering=ordering)
    engine.complete_work_item(engine.work_items(iid)[0].id)  # one of the three is done
    assert _open_instances(engine, iid)
    connect(engine, "admin").assign_process_instance_attribute(iid, "stop", True)
    assert _open_instances(engine, iid) == []  # the others are cancelled
    assert [w.activity_id for w in engine.work_items(iid)] == ["z"]  # and the flow goes on
    (container,) = [
        a for a in engine.activity_instances(iid) if a.activity_id == "m" and a.mi_index is None
    ]
    assert container.state is ActivityState.COMPLETED
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["m", "z"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_without_cancel_remaining_the_flow_goes_on_once_and_the_rest_run(engine: Engine) -> None:
    iid = _start(engine, "stop", cancelling=False)
    engine.set_data(iid, {"stop": True})
    assert len(_open_instances(engine, iid)) == 3  # they run to their end
    assert sorted(w.activity_id for w in engine.work_items(iid)) == ["m", "m", "m", "z"]
    engine.set_data(iid, {"note": "again"})  # it still holds: the flow went on once
    for item in engine.work_items(iid):
        engine.complete_work_item(item.id)
    assert engine.trace(iid).count("z") == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_condition_that_fails_on_a_data_change_waits_for_the_next_instance(
    engine: Engine,
) -> None:
    # it is decided, with its incident, when an instance completes
    iid = _start(engine, "completed >= limit")
    engine.set_data(iid, {"note": "unrelated"})
    assert engine.incidents(iid) == [] and len(_open_instances(engine, iid)) == 3
    engine.complete_work_item(engine.work_items(iid)[0].id)
    (incident,) = engine.incidents(iid)
    assert incident.activity_id == "m"


def test_a_condition_true_at_the_start_does_not_cancel_the_instances_before_any_ran(
    engine: Engine,
) -> None:
    """The re-test on data changes ran in the command that started the activity: with the
    condition already true, all three instances were aborted before any ran (0 of 3 done).
    It is tested after each instance completes, and on data changes after the start."""
    iid = _start(engine, "not stop")  # (stop is false: the condition holds from the start)
    assert len(_open_instances(engine, iid)) == 3
    assert [w.activity_id for w in engine.work_items(iid)] == ["m", "m", "m"]
    engine.complete_work_item(engine.work_items(iid)[0].id)  # the first completes: it holds
    assert _open_instances(engine, iid) == []
    assert [w.activity_id for w in engine.work_items(iid)] == ["z"]
