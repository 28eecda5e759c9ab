"""A work item's reminder and escalation jobs end with the item.

They stayed pending after the item was completed or withdrawn: ``Engine.jobs()``,
``next_due_at()`` and ``wfengine run --json``'s waiting list named reminders of work that was
done, and workers woke for them (README: reminders "stop when the item is no longer open")."""

from __future__ import annotations

from datetime import timedelta

from tests.runtime.conftest import run
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine

REMINDED = {"wfengine:reminder-after": "PT1H", "wfengine:escalate-after": "P1D"}


def _reminded() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("a", performer="clerk", extended=REMINDED)
    p.intermediate("m", message="go").activity("b", performer="clerk").end("e")
    p.sequence("s", "a", "m", "b", "e")
    return pb


def test_completing_an_item_ends_its_reminder_and_escalation_jobs(engine: Engine) -> None:
    iid = run(engine, _reminded())
    assert sorted(j.kind for j in engine.jobs(iid)) == ["reminder", "reminder"]
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    assert engine.jobs(iid) == []
    assert engine.next_due_at() is None


def test_an_item_withdrawn_by_an_interrupting_event_ends_its_reminders(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.start("s").activity("a", performer="clerk", extended=REMINDED).end("e")
    p.intermediate("stop", attached_to="a", message="stop")
    p.activity("other", performer="clerk").end("e2")
    p.sequence("s", "a", "e").sequence("stop", "other", "e2")
    iid = run(engine, pb)
    engine.send_message("stop", {}, instance_id=iid)
    assert [w.activity_id for w in engine.work_items(iid)] == ["other"]
    assert engine.jobs(iid) == []  # ("other" has no reminders)


def test_a_reminder_of_an_open_item_still_comes_and_sets_the_next(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _reminded())
    clock.advance(timedelta(hours=1))
    assert any(e.kind == "work_item.reminder" for e in engine.audit(iid))
    assert [j.due for j in engine.jobs(iid)] == [clock.now() + timedelta(hours=23)]  # escalation
