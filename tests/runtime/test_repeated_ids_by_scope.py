"""Records that name only an activity's Id (an ``invoke`` job, a closing work item, a closed
activity instance) find their own activity when activity sets repeat the Id: they took the
first compiled holder, another block's ``Review``, with its applications, reminders and loop
(see :mod:`tests.runtime.repeated_scopes` for the process); a message only a set whose
every Id another set repeats catches is taken."""

from __future__ import annotations

from typing import Any

import pytest

from tests.runtime.repeated_scopes import named_alike, two_reviews
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.definition.model import Application
from wfengine.errors import IllegalStateError
from wfengine.runtime.engine import Engine

CALLS = {"tool": "appA", "args": ["pin", "x"]}, {"tool": "appB", "args": ["pin", "y"]}


def test_an_asynchronous_call_binds_its_own_blocks_application(engine: Engine) -> None:
    """Bound by declaration (the registry's fallback): set B's call went to appA."""
    called: list[str] = []

    def fallback(app: Application) -> Any:
        def call(pin: str) -> dict[str, str]:
            called.append(app.id)
            return {"x": "from A"} if app.id == "appA" else {"y": "from B"}

        return call

    engine.applications.set_fallback(fallback)
    engine.deploy(two_reviews(*CALLS))
    iid = engine.start_process("main")
    engine.run_due_jobs()
    assert sorted(called) == ["appA", "appB"]
    data = engine.instance(iid).data
    assert (data["x"], data["y"]) == ("from A", "from B")
    assert engine.incidents(iid) == []


def test_the_trail_hides_what_the_calls_own_activity_does_not_expect(engine: Engine) -> None:
    """A call given a secret (pin) hides every value of its answer but its own outputs: set
    B's answer showed x (appA's output) and hid y, its own."""
    engine.applications.register("appA", lambda pin: {"x": "A"})
    engine.applications.register("appB", lambda pin: {"y": "B", "x": "not asked for"})
    engine.deploy(two_reviews(*CALLS))
    iid = engine.start_process("main")
    engine.run_due_jobs()
    returned = {
        e.payload.application: e.payload.outputs
        for e in engine.audit(iid)
        if e.kind == "application.returned"
    }
    assert returned == {"appA": {"x": "A"}, "appB": {"y": "B", "x": "***"}}


def test_closing_an_item_ends_its_own_activitys_reminders(engine: Engine) -> None:
    """Set B's Review reminds, set A's does not: completing set B's item left its reminder
    job in a database (the check asked set A's Review whether it reminds)."""
    reminded = {"wfengine:reminder-after": "PT1H"}
    engine.deploy(
        two_reviews({"performer": "auditor"}, {"performer": "clerk", "extended": reminded})
    )
    iid = engine.start_process("main")
    assert [j.kind for j in engine.jobs(iid)] == ["reminder"]
    (item,) = [w for w in engine.work_items(iid) if w.assignees == ("clerk",)]
    engine.complete_work_item(item.id)
    assert len(engine.work_items(iid)) == 1  # (set A's: the instance runs on)
    assert engine.jobs(iid) == []


def test_a_closed_multi_instance_activity_is_refused_as_closed(engine: Engine) -> None:
    """Set B's Review is multi-instance, set A's not: adding an instance to set B's closed
    one said it was not multi-instance."""
    engine.deploy(two_reviews({}, {"loop": multi_instance("1")}))
    iid = engine.start_process("main")
    history = [a for a in engine.activity_instances(iid) if a.activity_id == "Review"]
    (plain,) = [
        a for a in history if a.mi_index is None and a.id not in (h.mi_parent_id for h in history)
    ]
    (container,) = {a.mi_parent_id for a in history if a.mi_parent_id is not None}
    (child,) = [a for a in history if a.mi_parent_id is not None]
    assert container is not None
    for done in (container, child.id):
        with pytest.raises(IllegalStateError, match=r"it is closed\.completed"):
            engine.add_mi_instance(done)
    with pytest.raises(IllegalStateError, match="it is not multi-instance"):
        engine.add_mi_instance(plain.id)


def test_a_message_caught_only_in_a_set_of_repeated_ids_is_delivered(engine: Engine) -> None:
    """Set A's Wait catches message a, set B's Wait message b: b was refused as a message
    nothing in the process catches (set B's graph was looked up by Ids set A holds too)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity_set("SetA").intermediate("WaitA", message="a")
    p.activity_set("SetB").intermediate("WaitB", message="b")
    p.route("split", gateway="Parallel")
    p.block("BlockA", activity_set="SetA").block("BlockB", activity_set="SetB")
    p.sequence("split", "BlockA").sequence("split", "BlockB")
    engine.deploy(named_alike(pb, "Wait"))
    iid = engine.start_process("main")
    assert engine.send_message("b", {}, instance_id=iid)
    assert engine.send_message("a", {}, instance_id=iid)
    assert engine.instance(iid).state == "closed.completed"
