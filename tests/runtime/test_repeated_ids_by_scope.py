"""Records that name only an activity's Id (an ``invoke`` job, a closing work item, a closed
activity instance) find their own activity when activity sets repeat the Id: they took the
first compiled holder, another block's ``Review``, with its applications, reminders and loop
(see :mod:`tests.runtime.repeated_scopes` for the process)."""

from __future__ import annotations

from typing import Any

from tests.runtime.repeated_scopes import two_reviews
from wfengine.definition.model import Application
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
