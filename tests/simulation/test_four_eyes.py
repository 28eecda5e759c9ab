"""Four eyes in a simulation: an activity that may not go to the performer of another
(``DoNotAssignToPerformerOfActivity``) is done by someone else.

The engine narrows an item already on offer when the other activity completes, and no outbox
entry tells the simulated people; the one it no longer goes to used to claim it anyway, and
the run crashed on the engine's refusal (the CLI said nothing but the error).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.simulation import Scenario, simulate
from wfengine.simulation.binding import bind
from wfengine.simulation.calendar import ALWAYS
from wfengine.simulation.people import NotTheirs, Person, Staff
from wfengine.simulation.simulator import Run


def _four_eyes() -> Package:
    """x, a and b at once by clerks; b may not go to whoever performed a."""
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.participant("clerk")
    p.route("r", gateway="Parallel")
    p.route("j", gateway="Parallel")
    p.activity("x", performer="clerk")
    p.activity("a", performer="clerk")
    p.activity("b", performer="clerk", extended=[("DoNotAssignToPerformerOfActivity", "a")])
    for t in ("x", "a", "b"):
        p.transition("r", t)
        p.transition(t, "j")
    return pb.build()


def _scenario(clerks: int, arrivals: object) -> Scenario:
    return scenario(
        arrivals=arrivals,
        resources={"clerk": clerks},
        activities={"x": "2h", "a": "1h", "b": "1h"},
    )


def test_the_item_narrowed_on_offer_goes_to_the_other_clerk() -> None:
    # clerk-1 takes x (2h), clerk-2 a (1h); b waits for both; when clerk-2 finishes a, b
    # is no longer theirs: clerk-1 does it after x
    scn = _scenario(2, {"at": ["2027-01-04T09:00:00Z"]})
    outcome = Run(bind(scn, _four_eyes()), seed=1, replication=0, instances=1).run()
    engine = outcome.engine
    (case,) = engine.instance_summaries()
    done_by = {
        e.activity_id: e.detail["user"]
        for e in engine.audit(case.id)
        if e.kind == "work_item.completed" and e.detail is not None
    }
    assert done_by == {"x": "clerk-1", "a": "clerk-2", "b": "clerk-1"}
    assert case.state.value == "closed.completed"


def test_many_cases_with_four_eyes_all_complete() -> None:
    result = simulate(_four_eyes(), _scenario(2, {"poisson": "2/h"}), instances=20)
    rep = result.replications[0]
    assert rep.metrics.completed == 20
    assert rep.incident_count == 0


def test_an_item_refused_to_everyone_waits_unassigned_instead_of_looping() -> None:
    now = datetime(2027, 1, 4, tzinfo=UTC)
    asked: list[str] = []

    def take(item_id: str, person: str, activity: str, allocated: bool) -> float | None:
        asked.append(person)
        raise NotTheirs(item_id)

    staff = Staff(lambda: now, lambda pid: Person(pid, ALWAYS, (pid,)), None, take, print)
    offer = {"work_item_id": "wi-1", "activity_id": "b", "assignees": ["ann", "bob"]}
    staff(OutboxRecord(1, "k1", OutboxKind.WORK_ITEM_OFFERED.value, "pi-1", offer, now))
    staff.dispatch()
    assert sorted(asked) == ["ann", "bob"]
    assert set(staff.unassigned) == {"wi-1"} and not staff.waiting()
    assert staff.queues["b"].length == 1  # it waits all the same, for no one, in b's queue
