"""A case that waits for what a simulation never sends (a message), with a reminder that
repeats for ever on the wait, does not keep the run going until the engine's limit of timer
firings: once the last case has arrived and a round of such timers changed nothing, the run
stops and the report says so. Timers that may still change something run on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.simulation.helpers import scenario

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate

START = datetime(2027, 1, 4, tzinfo=UTC)


def _reminded(cycle: str, *, count_to: int | None = None) -> Package:
    """A case waits for a reply (a message); ``cycle`` reminds a clerk to chase it. With
    ``count_to``, each reminder counts, and the case is terminated at that count."""
    pb = PackageBuilder("rem")
    p = pb.process("rem")
    p.participant("clerk")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.intermediate("reply", message="answer")
    p.intermediate("remind", timer=cycle, attached_to="reply", interrupting=False)
    p.activity("chase", performer="clerk")
    p.end("e").end("e2")
    p.sequence("s", "reply", "e")
    p.transition("remind", "chase")
    if count_to is None:
        p.transition("chase", "e2")
    else:
        p.activity("count", script="n = n + 1")
        p.route("enough")
        p.end("stop", terminate=True)
        p.sequence("chase", "count", "enough")
        p.transition("enough", "stop", condition=f"n >= {count_to}")
        p.transition("enough", "e2", otherwise=True)
    return pb.build()


_ARRIVALS = {"at": ["2027-01-04T00:00:00Z", "2027-01-04T00:30:00Z"]}


def test_only_endless_reminders_left_stop_the_run_and_the_report_says_so() -> None:
    scn = scenario(arrivals=_ARRIVALS, activities={"chase": "5m"})
    report = simulate(_reminded("R/PT1H"), scn, instances=2)
    run = report.replications[0]
    assert run.stopped == "endless timers"
    assert run.ended < START + timedelta(days=1)  # not ~10,000 hours per case
    assert run.incident_count == 0  # not stopped by the engine's limit of timer firings
    assert run.metrics.work_in_progress == 2
    text = report.text()
    assert "(stopped: only endless timers were left)" in text
    assert "1 of 1 replication(s) stopped when only timers that re-arm for ever" in text


def test_a_reminder_with_a_count_runs_to_its_end() -> None:
    scn = scenario(arrivals=_ARRIVALS, activities={"chase": "5m"})
    report = simulate(_reminded("R3/PT1H"), scn, instances=2)
    run = report.replications[0]
    assert run.stopped is None
    assert report.activities["chase"].count.mean == 6  # three reminders each


def test_reminders_that_change_the_case_run_on_until_it_ends() -> None:
    # each reminder counts; the third terminates the case: every round changes the data
    scn = scenario(arrivals=_ARRIVALS, activities={"chase": "5m"})
    report = simulate(_reminded("R/PT1H", count_to=3), scn, instances=2)
    run = report.replications[0]
    assert run.stopped is None
    assert run.metrics.work_in_progress == 0
    assert report.activities["chase"].count.mean == 6
