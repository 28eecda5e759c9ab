"""Retrying the incident of one instance of a multi-instance activity (its application
failed) redoes that instance's work, as for any activity: it does not start a multi-instance
activity of its own under it, and the other instances run as usual. On every store."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import MultiInstanceLoop
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


@pytest.mark.parametrize("ordering", ["Sequential", "Parallel"])
def test_retrying_one_instance_of_a_multi_instance_tool_calls_it_again(
    engine: Engine, ordering: str
) -> None:
    calls: list[int] = []
    down = {0}  # the first instance's call fails once

    def stamp(n: int) -> dict[str, int]:
        calls.append(n)
        if n in down:
            down.discard(n)
            raise RuntimeError("stamp machine down")
        return {}

    engine.applications.register("stamp", stamp)
    pb = PackageBuilder("pkg")
    pb.application("stamp", params=[("n", "IN", "INTEGER")])
    p = pb.process("main")
    p.data_field("i", "INTEGER", initial="0")
    each = MultiInstanceLoop(mi_condition="2", ordering=ordering, counter="i")  # type: ignore[arg-type]
    p.activity("each", tool="stamp", args=["i"], loop=each)
    iid = run(engine, pb)
    (incident,) = engine.incidents(iid)
    assert incident.application_id == "stamp"
    engine.retry_incident(incident.id)
    assert sorted(calls) == [0, 0, 1]  # the failed instance again, and the other one
    assert engine.incidents(iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED
    mi = [ev for ev in engine.audit(iid) if ev.kind == "mi.started"]
    assert len(mi) == 1  # the activity's own, and no other
