"""An escalation falling due at the very moment a person becomes free and takes the item.

The run's jobs write the escalation (the item back on offer, to more people) before the
people act, and the outbox tells it after: the clerk had claimed and started the item
meanwhile. The entry was read as the item taken from the clerk, their own claim told back
filed it for them again, and the run stopped on its refused start ("a fault of the
simulator"); before that stop, the case stayed open for ever. Now the item is taken from its
worker only when the store says so: the clerk finishes it and the case completes."""

from __future__ import annotations

from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario
from wfengine.simulation.binding import bind
from wfengine.simulation.simulator import Run


def _escalated_as_free() -> Package:
    """x and a at once, both the clerk's; a escalates to the boss after 5 minutes."""
    pb = PackageBuilder("esc")
    p = pb.process("esc")
    p.participant("clerk")
    p.participant("boss")
    p.route("r", gateway="Parallel")
    p.route("j", gateway="Parallel")
    p.activity("x", performer="clerk")
    escalate = [("wfengine:escalate-after", "PT5M"), ("wfengine:escalate-to", "boss")]
    p.activity("a", performer="clerk", extended=escalate)
    for t in ("x", "a"):
        p.transition("r", t)
        p.transition(t, "j")
    return pb.build()


@pytest.mark.parametrize("on_disk", [False, True])
def test_the_clerk_free_as_the_item_escalates_does_it(on_disk: bool, tmp_path: Path) -> None:
    # one clerk: x takes them 09:00-09:05, when a escalates; they take a then
    scn = Scenario.from_data(
        {
            "process": "esc",
            "arrivals": {"at": ["2027-01-04T09:00:00Z"]},
            "activities": {"x": {"duration": "5m"}, "a": {"duration": "10m"}},
            "resources": {"clerk": 1, "boss": 1},
        }
    )
    db_url = f"sqlite:///{tmp_path / 'sim.db'}" if on_disk else None
    out = Run(bind(scn, _escalated_as_free()), seed=1, replication=0, instances=1, db_url=db_url)
    outcome = out.run()
    engine = outcome.engine
    (case,) = engine.instance_summaries()
    assert case.state.value == "closed.completed"
    starts = [
        (e.activity_id, e.detail["user"], e.at.strftime("%H:%M"))
        for e in engine.audit(case.id)
        if e.kind == "work_item.started"
    ]
    assert sorted(starts) == [("a", "clerk-1", "09:05"), ("x", "clerk-1", "09:00")]
    assert outcome.ended.strftime("%H:%M") == "09:15"
    assert outcome.people["clerk-1"].busy_seconds == 900
    engine.close()
