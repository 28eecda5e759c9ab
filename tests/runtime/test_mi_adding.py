"""Adding instances to a running multi-instance activity (``add_mi_instance``, WCP15/WCP36):
a sequential activity still runs one instance at a time whatever happened before (an incident
and its retry), and an activity whose flow condition held takes no new instances."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.errors import DataTypeError, IllegalStateError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _mi(
    engine: Engine, condition: str, *, ordering: str = "Parallel", cancelling: bool = False
) -> str:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("limit", "INTEGER")
    loop = multi_instance("3", ordering=ordering, flow="Complex", complex_flow_condition=condition)
    extended = {"wfengine:cancelRemaining": "true"} if cancelling else None
    p.activity("m", performer="clerk", loop=loop, extended=extended)
    p.activity("after").transition("m", "after")
    return run(engine, pb)


def _container(engine: Engine, iid: str) -> str:
    [container] = [
        a.id for a in engine.activity_instances(iid) if a.activity_id == "m" and a.mi_index is None
    ]
    return container


def _open_instances(engine: Engine, iid: str) -> int:
    return sum(
        1
        for a in engine.activity_instances(iid)
        if a.activity_id == "m" and a.mi_index is not None and a.state.is_open
    )


def test_an_instance_added_while_a_sequential_mi_activity_waits_on_an_incident_runs_alone(
    engine: Engine,
) -> None:
    # the flow condition fails after the first instance (limit has no value): an incident on
    # the activity; an instance added meanwhile waits, and the retry runs one at a time
    iid = _mi(engine, "completed >= limit", ordering="Sequential")
    engine.complete_work_item(engine.work_items(iid)[0].id)
    [incident] = engine.incidents(iid)
    assert incident.operation == "leave"
    assert engine.add_mi_instance(_container(engine, iid)) is None  # after the others
    assert _open_instances(engine, iid) == 0
    engine.set_data(iid, {"limit": 10})
    engine.retry_incident(incident.id)
    assert _open_instances(engine, iid) == 1  # (it was 2: the added one and the next)
    for _ in range(3):  # two left of the three, and the added one: one at a time
        assert _open_instances(engine, iid) == 1
        engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["m"] * 4 + ["after"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_instance_added_while_a_sequential_mi_activity_runs_one_waits_for_it(
    engine: Engine,
) -> None:
    iid = _mi(engine, "completed >= instances", ordering="Sequential")
    assert engine.add_mi_instance(_container(engine, iid)) is None
    for _ in range(4):
        assert _open_instances(engine, iid) == 1
        engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_an_mi_activity_whose_completion_condition_held_takes_no_new_instances(
    engine: Engine,
) -> None:
    # WCP36: the partial join fired; the instances still open run to their end, no new one
    iid = _mi(engine, "completed >= 1")
    container = _container(engine, iid)
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["m", "after"]
    with pytest.raises(IllegalStateError, match=r"\('m'\).*completion condition 'completed >= 1'"):
        engine.add_mi_instance(container)
    assert len(engine.work_items(iid)) == 2  # nothing was added
    assert not [e for e in engine.audit(iid) if e.kind == "activity.mi_added"]
    complete_all(engine, iid)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_cancelling_mi_activity_whose_completion_condition_held_takes_no_new_instances(
    engine: Engine,
) -> None:
    iid = _mi(engine, "completed >= 1", cancelling=True)
    container = _container(engine, iid)
    engine.complete_work_item(engine.work_items(iid)[0].id)
    with pytest.raises(IllegalStateError, match=r"\('m'\).*closed.completed"):
        engine.add_mi_instance(container)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_the_data_an_added_instance_brings_is_checked_as_any_write(engine: Engine) -> None:
    """It was merged unchecked: a value of the wrong type, or one for a read-only field,
    went into the instance data."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("limit", "INTEGER")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.activity("m", performer="clerk", loop=multi_instance("2"))
    iid = run(engine, pb)
    container = _container(engine, iid)
    with pytest.raises(DataTypeError, match="'limit'"):
        engine.add_mi_instance(container, {"limit": "many"})
    with pytest.raises(DataTypeError, match="'rate' is read-only"):
        engine.add_mi_instance(container, {"rate": 0.5})
    assert engine.instance(iid).data == {"limit": None, "rate": 0.19}
    assert _open_instances(engine, iid) == 2  # nothing was added
    engine.add_mi_instance(container, {"limit": "7"})  # converted, as any write is
    assert engine.instance(iid).data["limit"] == 7
    assert _open_instances(engine, iid) == 3
