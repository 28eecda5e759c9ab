"""With a horizon, a run whose cases only wait on reminders that repeat for ever goes on to
the horizon: the horizon is what the report advises for such runs ("give a horizon to run
on"). Before, the run still stopped after about an hour and a half and gave that advice
again, so the reminders' work (a clerk chasing each case hourly) was never measured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate

START = datetime(2027, 1, 4, tzinfo=UTC)


def _chased() -> Package:
    """A case waits for a reply (a message) that never comes; a clerk chases it hourly."""
    pb = PackageBuilder("rem")
    p = pb.process("rem")
    p.participant("clerk")
    p.start("s")
    p.intermediate("reply", message="answer")
    p.intermediate("remind", timer="R/PT1H", attached_to="reply", interrupting=False)
    p.activity("chase", performer="clerk")
    p.end("e").end("e2")
    p.sequence("s", "reply", "e")
    p.transition("remind", "chase")
    p.transition("chase", "e2")
    return pb.build()


def test_with_a_horizon_endless_reminders_run_on_to_it() -> None:
    arrivals = {"at": ["2027-01-04T00:00:00Z", "2027-01-04T00:30:00Z"]}
    scn = scenario(arrivals=arrivals, activities={"chase": "5m"}, horizon="1d")
    report = simulate(_chased(), scn, instances=2)
    run = report.replications[0]
    assert run.stopped == "horizon"
    assert run.ended == START + timedelta(days=1)
    assert report.activities["chase"].count.mean >= 2 * 23  # each case chased hourly
    assert "give a horizon" not in report.text()
