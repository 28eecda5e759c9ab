"""Resuming a case whose synchronous subflows nest: what closed while it was paused, at any
depth, is taken up by the resume (the subflow activity waiting for it moves on)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import complete_all
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ActivityState, ProcessState


def _chain(depth: int, work: str = "person") -> PackageBuilder:
    """``p0`` calls ``p1`` calls ... ``p{depth}`` (synchronous subflows); the last one has a
    person's work (``work="person"``) or a failing application (``work="broken"``)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    if work == "broken":
        pb.application("broken", params=[])
    last = pb.process(f"p{depth}")
    if work == "broken":
        last.activity("work", tool="broken")
    else:
        last.activity("work", performer="clerk")
    last.activity("end").transition("work", "end")
    for level in range(depth - 1, -1, -1):
        p = pb.process(f"p{level}")
        p.subflow("call", process=f"p{level + 1}").activity("end").transition("call", "end")
    return pb


def _ids(engine: Engine) -> dict[str, str]:
    return {s.process_id: s.id for s in engine.instance_summaries()}


@pytest.mark.parametrize("depth", [2, 3])
def test_a_grandchild_completed_while_the_case_was_suspended_lets_the_case_finish(
    engine: Engine, depth: int
) -> None:
    engine.deploy(_chain(depth).build())
    top = engine.start_process("p0")
    ids = _ids(engine)
    engine.suspend(top)
    leaf = ids[f"p{depth}"]
    engine.resume(leaf)  # an operator finishes the innermost work on its own
    complete_all(engine, leaf)
    assert engine.instance(leaf).state is ProcessState.COMPLETED
    engine.resume(top)
    for level in range(depth + 1):
        assert engine.instance(ids[f"p{level}"]).state is ProcessState.COMPLETED, level


def test_a_grandchild_terminated_while_the_case_was_suspended_is_an_incident_after_resume(
    engine: Engine,
) -> None:
    engine.deploy(_chain(2).build())
    top = engine.start_process("p0")
    ids = _ids(engine)
    engine.suspend(top)
    engine.terminate(ids["p2"])
    engine.resume(top)
    # as when it is terminated while the case runs: the middle subflow's call fails
    [incident] = engine.incidents()
    assert (incident.instance_id, incident.activity_id) == (ids["p1"], "call")
    assert "closed.terminated" in incident.message
    [call] = engine.activity_instances(ids["p1"])
    assert call.state is ActivityState.RUNNING


def test_an_incident_aborted_in_a_suspended_case_reaches_the_subflow_above_on_resume(
    engine: Engine,
) -> None:
    def boom() -> None:
        raise RuntimeError("service down")

    engine.applications.register("broken", boom)
    engine.deploy(_chain(2, "broken").build())
    top = engine.start_process("p0")
    ids = _ids(engine)
    [failed] = engine.incidents()
    engine.suspend(top)
    engine.abort_incident(failed.id)
    assert engine.instance(ids["p2"]).state is ProcessState.ABORTED
    engine.resume(top)
    [incident] = engine.incidents()
    assert (incident.instance_id, incident.activity_id) == (ids["p1"], "call")
