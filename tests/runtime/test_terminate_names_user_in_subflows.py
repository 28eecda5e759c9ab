"""Terminating or aborting a case closes the synchronous subflows it waits for, at any depth.
Each of their trails names who asked (the request's ``user``) and the caller whose closing
took it along (``by``), as a suspension taken along does (they named no user before)."""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _chain() -> PackageBuilder:
    """``p0`` calls ``p1`` calls ``p2`` (synchronous subflows); ``p2`` has a person's work."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("p2").activity("work", performer="clerk")
    for level in (1, 0):
        pb.process(f"p{level}").subflow("call", process=f"p{level + 1}")
    return pb


def _last_state_event(engine: Engine, iid: str) -> object:
    events = [ev for ev in engine.audit(iid) if ev.kind == "instance.state"]
    return events[-1].payload


@pytest.mark.parametrize(
    ("verb", "state"),
    [("terminate", ProcessState.TERMINATED), ("abort", ProcessState.ABORTED)],
)
def test_closing_a_case_names_the_user_in_its_subflows_trails(
    engine: Engine, verb: str, state: ProcessState
) -> None:
    engine.deploy(_chain().build())
    top = engine.start_process("p0")
    ids = {s.process_id: s.id for s in engine.instance_summaries()}
    getattr(engine, verb)(top, user="ops")
    for level, caller in ((0, None), (1, ids["p0"]), (2, ids["p1"])):
        iid = ids[f"p{level}"]
        assert engine.instance(iid).state is state, level
        event = _last_state_event(engine, iid)
        assert (event.state, event.previous, event.user, event.by) == (  # type: ignore[attr-defined]
            state.value,
            "open.running",
            "ops",
            caller,
        ), level
