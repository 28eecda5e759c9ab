"""A worklist entry's ``due`` is its own activity's deadline when activity sets repeat the
activity's Id (TIBCO files do; validation warns ``duplicate-id-scopes``): whether to read the
fired deadlines was asked of the first compiled ``Review`` (set A's, which has none), so set
B's work, whose asynchronous deadline fired and left it open, was due at no time."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.repeated_scopes import named_alike
from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.worklist.worklists import worklist


def test_work_whose_deadline_fired_is_due_by_its_own_blocks_deadline(
    engine: Engine, clock: VirtualClock
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity_set("SetA").activity("ReviewA", performer="auditor")
    b = p.activity_set("SetB")
    b.activity("ReviewB", performer="clerk", deadlines=[("PT1H", "Late")])
    b.activity("Notify").end("Done").end("Noted")
    b.sequence("ReviewB", "Done").transition("ReviewB", "Notify", exception="Late")
    b.sequence("Notify", "Noted")
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    engine.deploy(named_alike(pb, "Review"))
    iid = engine.start_process("main")
    due = clock.now() + timedelta(hours=1)
    [before] = worklist(engine, "clerk")
    assert before.due == due
    clock.advance(timedelta(hours=2))
    engine.run_due_jobs()
    assert "Notify" in engine.trace(iid)  # (fired, asynchronous: the work goes on)
    [entry] = worklist(engine, "clerk")
    assert entry.due == due
    [other] = worklist(engine, "auditor")
    assert other.due is None
