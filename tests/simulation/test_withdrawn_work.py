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
