"""The counts a supervised worker process reports for the run's summary (``worker_tally``) and
their line on the supervisor's pipe.

A worker process reports each job and each outbox delivery as it ends, so one killed in the
middle of a later job has told every job it committed and every entry it settled: the counts
(``Engine.jobs_ran``, ``Outbox.settled``) are taken before the end is told to the job observer
(the job's was taken after, so the last job a process ran before it froze was reported by no
event; the entries were counted by batch).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import Job
from wfengine.runtime.supervised_child import TALLY, decode_event, decode_line, encode_tally
from wfengine.runtime.worker_tally import ReportedTally, Tally


def _engine(instances: int) -> Engine:
    """An in-memory engine with ``instances`` deferred instances: one job each."""
    pb = PackageBuilder("pkg")
    pb.process("main").activity("a").activity("b").transition("a", "b")
    engine = Engine()
    engine.deploy(pb.build())
    for _ in range(instances):
        engine.start_process("main", defer=True)
    return engine


def test_each_job_is_reported_as_it_ends() -> None:
    engine = _engine(3)
    reports: list[Tally] = []
    told: list[tuple[str, int]] = []  # each event, and how many reports came before it

    def reporter(event: str, _owner: str, jobs: Sequence[Job]) -> None:
        told.extend((event, len(reports)) for _ in jobs)

    tally = ReportedTally(reports.append)
    engine.job_observer = tally.observer(engine, reporter)
    assert engine.run_due_jobs() == 3
    assert reports == [Tally(jobs=1)] * 3  # the third at its own end, not at a later event
    assert [event for event, _ in told] == ["claimed"] * 3 + ["start", "end"] * 3
    tally.finish(3, 0)  # the worker's own count agrees: nothing more to report
    assert reports == [Tally(jobs=1)] * 3


def test_each_delivery_is_reported_as_it_ends() -> None:
    engine = _engine(3)
    delivered: list[int] = []
    engine.outbox.subscribe(lambda record: delivered.append(record.id))
    reports: list[Tally] = []
    engine.job_observer = ReportedTally(reports.append).observer(engine, lambda *_: None)
    settled = engine.deliver_outbox()
    assert settled == len(delivered) > 0
    assert reports == [Tally(outbox=1)] * settled  # the last at its own end


def test_entries_skipped_are_reported_at_the_next_event() -> None:
    """Entries of kinds no handler takes are skipped in one statement, told by no event: they
    are reported at the next one (a job that never ends, frozen then killed, still has them
    reported at its start)."""
    engine = _engine(1)
    reports: list[Tally] = []
    engine.job_observer = ReportedTally(reports.append).observer(engine, lambda *_: None)
    skipped = engine.deliver_outbox()
    assert skipped > 0 and reports == []
    [job] = engine.jobs()
    engine.job_observer("start", "me", [job])
    assert reports == [Tally(outbox=skipped)]


def test_finish_reports_what_no_event_told() -> None:
    reports: list[Tally] = []
    tally = ReportedTally(reports.append)
    tally.finish(2, 7)
    assert reports == [Tally(jobs=2, outbox=7)]
    tally.finish(2, 7)  # nothing new
    assert reports == [Tally(jobs=2, outbox=7)]


def test_the_summary_reads_as_readme_quotes_it() -> None:
    total = Tally(jobs=3, outbox=1, incidents=0) + Tally(jobs=7, outbox=1, incidents=1)
    assert total == Tally(10, 2, 1)
    assert total.summary() == (
        "worker stopped after 10 job(s) and 2 outbox entries; 1 incident(s) opened"
    )
    assert Tally(outbox=1).summary().endswith("and 1 outbox entry; 0 incident(s) opened")
    assert not Tally() and Tally(incidents=1)


def test_a_tally_goes_over_the_pipe() -> None:
    line = encode_tally(Tally(2, 3, 1))
    assert decode_line(line) == (TALLY, "", [], Tally(2, 3, 1))
    assert decode_event(line) == (TALLY, "", [])


@pytest.mark.parametrize(
    "counts",
    [
        None,
        [1, 2, 3],
        {"jobs": 1, "outbox": 2},
        {"jobs": 1, "outbox": 2, "incidents": 3, "more": 4},
        {"jobs": -1, "outbox": 2, "incidents": 3},
        {"jobs": 1.0, "outbox": 2, "incidents": 3},
        {"jobs": True, "outbox": 2, "incidents": 3},
        {"jobs": "1", "outbox": 2, "incidents": 3},
    ],
)
def test_a_tally_that_is_not_one_is_no_event(counts: object) -> None:
    line = json.dumps({"event": TALLY, "owner": "", "jobs": [], "counts": counts}).encode()
    assert decode_line(line) is None
