"""A job whose command makes several synchronous calls (a1, a2, a3 in a row), stopped while in
a3: the trail records each call the stopped run made, numbered as it was made, the one in
progress as the failed one, and the job's next run numbers each call on from them.

Before, the supervisor handed on the last call only (child death) or none (a stop past
``--grace``, the job given back), and the worker taking the job over numbered the lost run's
attempt against a1: "interrupted" on a call that had returned, while a2's and a3's real first
calls were missing.

The worker process is a scripted child (as in ``test_supervisor.py``) that reports the job and
its three calls as a real one would, with the keys and inputs the job's real run makes (read
from that run on a copy of the database), then dies or ignores SIGTERM. Waits have a deadline
only (no timing is assumed)."""

from __future__ import annotations

import json
import shutil
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime import three_calls
from tests.runtime.test_supervisor import OWNER, Running
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import Job
from wfengine.runtime.states import ProcessState
from wfengine.runtime.supervisor import Supervisor, encode_event

#: argv: the event descriptor, the lines to write (JSON), then what to do: "die" (SIGKILL
#: itself) or "hang" (ignoring SIGTERM)
CHILD = """
import json, os, signal, sys, time
out = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
if sys.argv[3] == "hang":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
for line in json.loads(sys.argv[2]):
    out.write(line.encode())
if sys.argv[3] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
while True:
    time.sleep(1)
"""


def _bind(engine: Engine) -> None:
    engine.applications.register("app", lambda a: None, retries=2)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "wf.db"
    with Engine(db_url=f"sqlite:///{path}") as engine:
        _bind(engine)
        engine.deploy(three_calls.package().build())
        engine.start(engine.create_instance("main"), defer=True)
    yield path


def _calls_of_its_run(db: Path) -> list[CallInProgress]:
    """The calls the job's run makes, as its worker process tells them: from a run of the job
    on a copy of the database."""
    copy = db.with_name("copy.db")
    shutil.copyfile(db, copy)
    told: list[CallInProgress] = []

    def observe(event: str, owner: str, jobs: Sequence[Job]) -> None:
        if event == "call" and isinstance(jobs[0].payload, CallInProgress):
            told.append(jobs[0].payload)

    with Engine(db_url=f"sqlite:///{copy}") as engine:
        _bind(engine)
        engine.job_observer = observe
        assert engine.run_due_jobs() == 1
    assert [c.activity_id for c in told] == ["a1", "a2", "a3"]
    return told


def _child(lines: list[str], then: str) -> Callable[[int], Sequence[str]]:
    """The first child writes ``lines`` and does ``then``; a later one exits idle."""
    started: list[int] = []

    def command(fd: int) -> list[str]:
        started.append(fd)
        if len(started) > 1:
            return [sys.executable, "-c", "import sys; sys.exit(0)"]
        return [sys.executable, "-c", CHILD, str(fd), json.dumps(lines), then]

    return command


def _running_in_a3(engine: Engine, calls: list[CallInProgress]) -> list[str]:
    """The job claimed in the child's name, and what the child reports: its three calls."""
    now = engine.clock.now()
    [job] = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=60), 1)
    lines = [encode_event("claimed", OWNER, [job.id]), encode_event("start", OWNER, [job.id])]
    lines += [encode_event("call", OWNER, [job.id], call) for call in calls]
    return [line.decode() for line in lines]


def _ran_again(db: Path) -> tuple[Engine, str]:
    engine = Engine(db_url=f"sqlite:///{db}")
    _bind(engine)
    return engine, engine.instances()[0].id


#: the stopped run: the calls that had ended discarded, the one in progress failed
STOPPED = [
    ("invoked", "a1", 1),
    ("discarded", "a1", "job 'job-1'"),
    ("invoked", "a2", 1),
    ("discarded", "a2", "job 'job-1'"),
    ("invoked", "a3", 1),
    ("failed", "a3", None),
]

#: the job's next run: each call numbered on from the stopped run's attempt
MADE_AGAIN = [
    ("invoked", "a1", 2),
    ("returned", "a1", None),
    ("invoked", "a2", 2),
    ("returned", "a2", None),
    ("invoked", "a3", 2),
    ("returned", "a3", None),
]


def test_a_child_dying_in_the_third_call_audits_all_three(db: Path) -> None:
    calls = _calls_of_its_run(db)
    engine, iid = _ran_again(db)
    with engine:
        lines = _running_in_a3(engine, calls)
        supervisor = Supervisor(_child(lines, "die"), engine)
        assert Running(supervisor).result() == 0
        stopped = three_calls.trail(engine, iid)
        assert stopped == STOPPED, stopped
        [incident] = engine.incidents()
        assert "'app' (attempt 1) for activity 'a3'" in incident.message
        keys = [e.detail.get("key") for e in engine.audit(iid) if e.kind == "application.invoked"]
        assert keys == [c.key for c in calls]  # the calls the run made, with their keys
        engine.retry_incident(incident.id)
        engine.run_due_jobs()
        assert three_calls.trail(engine, iid)[6:] == MADE_AGAIN
        assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_stop_past_grace_in_the_third_call_audits_all_three(db: Path) -> None:
    calls = _calls_of_its_run(db)
    engine, iid = _ran_again(db)
    with engine:
        lines = _running_in_a3(engine, calls)
        supervisor = Supervisor(_child(lines, "hang"), engine, grace=0)
        running = Running(supervisor)
        running.wait_until("the three calls are told", lambda: _told(supervisor) == 3)
        supervisor.on_signal(signal.SIGTERM)
        assert running.result() == 0
        stopped = three_calls.trail(engine, iid)
        assert stopped == STOPPED, stopped
        failed = [e for e in engine.audit(iid) if e.kind == "application.failed"]
        assert failed[0].detail["error"].startswith("interrupted: job 'job-1' was making")
        assert engine.incidents() == []  # given back, not an incident: it runs again
        assert engine.run_due_jobs() == 1
        assert three_calls.trail(engine, iid)[6:] == MADE_AGAIN
        assert engine.instance(iid).state is ProcessState.COMPLETED


def _told(supervisor: Supervisor) -> int:
    with supervisor._state:
        return sum(len(calls) for calls in supervisor._calls.values())
