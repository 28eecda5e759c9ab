"""A plain Tool activity (no loop, no person's work, no rival) leaves as its applications
answer: the step that decides whether a body runs again (``_body_done``: a loop's next round,
a multi-instance count, a parked reminder) is not taken for it. Why: nothing of it can apply
to such an activity, and it was a call more on the path of every automatic activity."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.build_arguments import standard_loop
from wfengine.runtime.instance import ActivityInstance
from wfengine.runtime.navigation import Navigator


def test_only_the_activity_that_loops_takes_the_body_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pb = PackageBuilder("p")
    pb.application("work")
    p = pb.process("chain")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("a", tool="work")
    p.activity("b", tool="work", loop=standard_loop("n < 2", counter="n"))
    p.activity("c", tool="work")
    p.end("e")
    p.sequence("s", "a", "b", "c", "e")
    took: list[str] = []
    body_done = Navigator._body_done

    def counted(self: Navigator, ai: ActivityInstance) -> None:
        took.append(ai.act.id)
        body_done(self, ai)

    monkeypatch.setattr(Navigator, "_body_done", counted)
    engine = Engine()
    engine.applications.register("work", lambda: None)
    engine.deploy(pb.build())
    pi = engine.start_process("chain")
    assert took == ["b", "b"]  # the loop's two rounds; a and c leave at once
    inst = engine.instance(pi)
    assert inst.state.value == "closed.completed"
    done = [
        e.activity_id for e in engine.audit_events(instance_id=pi) if e.kind == "activity.completed"
    ]
    assert done == ["s", "a", "b", "c", "e"]
