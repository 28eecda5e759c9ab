"""Work withdrawn from under the person doing it (a boundary timer, an escalation) ends there.

Its finish used to stay on the run's queue: the run went on to the moment the withdrawn work
would have ended, and the period, the utilisation and the queues counted the idle time up
to it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate
from wfengine.simulation.binding import bind
from wfengine.simulation.simulator import Run


def _cut_off() -> Package:
    """work (cut off after an hour by a boundary timer) -> escalate by the boss."""
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.participant("boss")
    p.start("s")
    p.activity("work", performer="clerk")
    p.intermediate("late", timer="PT1H", attached_to="work")
    p.activity("escalate", performer="boss")
    p.end("e1")
    p.end("e2")
    p.sequence("s", "work", "e1")
    p.transition("late", "escalate")
    p.transition("escalate", "e2")
    return pb.build()


def test_the_run_ends_with_the_case_not_with_the_withdrawn_work() -> None:
    scn = scenario(
        arrivals={"at": ["2027-01-04T00:00:00Z"]},
        activities={"work": "30d", "escalate": "1h"},
    )
    rep = simulate(_cut_off(), scn).replications[0]
    assert rep.ended == datetime(2027, 1, 4, 2, tzinfo=UTC)
    assert rep.stopped is None
    assert rep.groups["clerk"].busy_seconds == 3600
    assert rep.groups["clerk"].share == 0.5
    assert rep.groups["boss"].share == 0.5


def _escalated() -> Package:
    """One clerk's step, escalated to the boss after 30 minutes."""
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.participant("boss")
    p.activity(
        "work",
        performer="clerk",
        extended=[("wfengine:escalate-after", "PT30M"), ("wfengine:escalate-to", "boss")],
    )
    return pb.build()


def test_an_escalation_takes_the_started_item_from_its_worker() -> None:
    # the clerk starts at 09:00; at 09:30 the item goes back on offer to the boss (free since
    # 09:00) and the clerk: the boss does it, the clerk stops (no phantom work, done once)
    scn = scenario(arrivals={"at": ["2027-01-04T09:00:00Z"]}, activities={"work": "1h"})
    outcome = Run(bind(scn, _escalated()), seed=1, replication=0, instances=1).run()
    engine = outcome.engine
    (case,) = engine.instance_summaries()
    started = [
        (e.at.strftime("%H:%M"), e.detail["user"])
        for e in engine.audit(case.id)
        if e.kind == "work_item.started" and e.detail is not None
    ]
    assert started == [("09:00", "clerk"), ("09:30", "boss")]
    assert outcome.people["clerk"].busy_seconds == 1800
    assert outcome.people["boss"].busy_seconds == 3600
    assert outcome.ended == datetime(2027, 1, 4, 10, 30, tzinfo=UTC)
