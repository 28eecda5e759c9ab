"""With a horizon, a case's timers fire up to the horizon however many there are: the horizon
bounds them. Before, the engine's guard against timers re-arming for ever
(``RuntimeLimits.max_timer_firings``, 10,000 a case) gave each case with a reminder every
minute an incident a week in, short of the horizon, and its reminders stopped."""

from __future__ import annotations

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate


def _reminded() -> Package:
    """A case waits for a reply that never comes; a reminder fires every minute."""
    pb = PackageBuilder("rem")
    p = pb.process("rem")
    p.start("s")
    p.intermediate("reply", message="answer")
    p.intermediate("remind", timer="R/PT1M", attached_to="reply", interrupting=False)
    p.end("e").end("e2")
    p.sequence("s", "reply", "e")
    p.transition("remind", "e2")
    return pb.build()


def test_a_horizon_lets_a_case_fire_more_timers_than_the_engines_guard() -> None:
    scn = scenario(arrivals={"at": ["2027-01-04T00:00:00Z"]}, horizon="170h")  # 10,200 firings
    run = simulate(_reminded(), scn, instances=1).replications[0]
    assert run.stopped == "horizon"
    assert (run.incident_count, run.incidents) == (0, ())
