"""The worker supervisor (``Supervisor``) against scripted worker processes.

Each child here is a small Python process that plays a worker: it writes the job events a real
worker's engines would report, then hangs, stops itself, dies or exits as its script says. The
jobs it names are real jobs of a SQLite database, claimed beforehand in the child's name, so
what the supervisor does about them (renew, abandon, give back) is read from the database.

Nothing here assumes how fast the machine is (issue 9): the tests wait for events (a job
running, a lease renewed, the supervisor ending) with a deadline (:data:`PATIENCE`) far beyond
what a busy machine needs. The job timeouts and grace periods given to the supervisor are
settings it acts on, not assertions about time.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import PARKED
from wfengine.runtime.supervisor import (
    EXIT_KILLED,
    EXIT_UNAVAILABLE,
    JobBook,
    Supervisor,
    decode_event,
    encode_event,
)

#: the longest any wait for an event may take: reaching it means stuck, not slow
PATIENCE = 120.0
OWNER = "host:1:child"

#: a scripted worker process: argv is the event descriptor, the script (a JSON list of
#: steps: ["event", name, [job ids]], ["ignore-term"], ["hang"], ["stop-self"], ["exit", n],
#: ["die", signal number], ["end-on-term", [job ids]] (on SIGTERM: report them ended, exit 0))
#: and the lease owner it reports as
CHILD = """
import json, os, signal, sys, time
out = os.fdopen(int(sys.argv[1]), "wb", buffering=0)
def event(name, jobs):
    out.write((json.dumps({"event": name, "owner": sys.argv[3], "jobs": jobs}) + "\\n").encode())
for step in json.loads(sys.argv[2]):
    if step[0] == "event":
        event(step[1], step[2])
    elif step[0] == "ignore-term":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    elif step[0] == "end-on-term":
        def stop(_s, _f, jobs=step[1]):
            event("end", jobs)
            os._exit(0)
        signal.signal(signal.SIGTERM, stop)
    elif step[0] == "hang":
        while True:
            time.sleep(1)
    elif step[0] == "stop-self":
        os.kill(os.getpid(), signal.SIGSTOP)
    elif step[0] == "exit":
        os._exit(step[1])
    elif step[0] == "die":
        os.kill(os.getpid(), step[1])
"""

Script = list[list[object]]


def _package() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("auto").activity("end").transition("auto", "end")
    return pb


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with Engine(db_url=f"sqlite:///{tmp_path / 'wf.db'}") as engine:
        engine.deploy(_package().build(), check_bindings=False)
        yield engine


def _claimed_jobs(engine: Engine, count: int, lease: float = 60.0) -> list[str]:
    """Ids of ``count`` jobs of new instances, claimed in the scripted child's name."""
    for _ in range(count):
        engine.start_process("main", defer=True)
    now = engine.clock.now()
    claimed = engine.store.claim_jobs(OWNER, now, now + timedelta(seconds=lease), count)
    assert len(claimed) == count
    return [j.id for j in claimed]


def _children(*scripts: Script) -> Callable[[int], Sequence[str]]:
    """The command of the n-th child: the n-th script (the last one for any later child)."""
    started: list[int] = []

    def command(fd: int) -> list[str]:
        script = scripts[min(len(started), len(scripts) - 1)]
        started.append(fd)
        return [sys.executable, "-c", CHILD, str(fd), json.dumps(script), OWNER]

    return command


class Running:
    """A supervisor running in a thread (it needs no signal handlers: the tests call
    :meth:`Supervisor.on_signal` themselves)."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor
        self.status: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.status = self.supervisor.run()
        except BaseException as exc:
            self.error = exc

    def wait_until(self, what: str, reached: Callable[[], bool]) -> None:
        deadline = time.monotonic() + PATIENCE
        while not reached():
            assert self._thread.is_alive(), f"the supervisor ended before {what}"
            assert time.monotonic() < deadline, f"not {what} after {PATIENCE:.0f} s"
            time.sleep(0.01)

    def result(self) -> int:
        self._thread.join(PATIENCE)
        assert not self._thread.is_alive(), "the supervisor did not end"
        if self.error is not None:
            raise self.error
        assert self.status is not None
        return self.status


def _job(engine: Engine, job_id: str) -> tuple[str | None, object]:
    [job] = [j for j in engine.jobs() if j.id == job_id]
    return job.lock_owner, job.due


def _incident_messages(engine: Engine) -> list[str]:
    return [i.message for i in engine.incidents()]


def test_a_job_running_too_long_becomes_an_incident_and_a_fresh_child_starts(
    engine: Engine,
) -> None:
    slow, waiting = _claimed_jobs(engine, 2)
    frozen: Script = [["event", "claimed", [slow, waiting]], ["event", "start", [slow]], ["hang"]]
    supervisor = Supervisor(
        _children(frozen, [["exit", 0]]), engine, job_timeout=0.5, timeout_name="--job-timeout"
    )
    assert Running(supervisor).result() == 0  # the second child's status: it went idle
    assert supervisor.started == 2 and supervisor.timed_out == 1
    [message] = _incident_messages(engine)
    assert f"job {slow!r}" in message
    assert (
        "ran longer than 0.5 s (--job-timeout); the worker process running it was stopped"
        in message
    )
    assert _job(engine, slow) == (None, PARKED)  # parked until the incident is retried
    assert _job(engine, waiting)[0] is None  # given back: due for any worker
    assert supervisor.book.claimed() == {}


def test_a_child_dying_in_the_middle_of_a_job_makes_it_an_incident(engine: Engine) -> None:
    victim, waiting = _claimed_jobs(engine, 2)
    dying: Script = [
        ["event", "claimed", [victim, waiting]],
        ["event", "start", [victim]],
        ["die", signal.SIGKILL],
    ]
    supervisor = Supervisor(_children(dying, [["exit", 0]]), engine)
    assert Running(supervisor).result() == 0
    assert supervisor.started == 2
    [message] = _incident_messages(engine)
    assert f"job {victim!r}" in message
    assert "the worker process running it died (killed by SIGKILL)" in message
    assert _job(engine, waiting)[0] is None


def test_a_child_that_ends_by_itself_ends_the_supervisor_with_its_status(
    engine: Engine,
) -> None:
    supervisor = Supervisor(_children([["exit", 2]]), engine)
    assert Running(supervisor).result() == 2
    assert supervisor.started == 1 and _incident_messages(engine) == []


def test_a_first_child_that_cannot_reach_the_database_ends_the_supervisor_with_2(
    engine: Engine,
) -> None:
    supervisor = Supervisor(_children([["exit", EXIT_UNAVAILABLE]], [["exit", 0]]), engine)
    assert Running(supervisor).result() == 2  # as every command on an unreachable database
    assert supervisor.started == 1


def test_a_restarted_child_that_cannot_reach_the_database_is_started_again_later(
    engine: Engine,
) -> None:
    """A long-running worker rides out an outage: a child that died and whose successor
    finds the database away is followed by another (after a growing wait), not by the end
    of ``wfengine worker``."""
    [job] = _claimed_jobs(engine, 1)
    dying: Script = [["event", "claimed", [job]], ["event", "start", [job]], ["die", 9]]
    away: Script = [["exit", EXIT_UNAVAILABLE]]
    supervisor = Supervisor(_children(dying, away, away, [["exit", 0]]), engine)
    assert Running(supervisor).result() == 0
    assert supervisor.started == 4


def test_a_worker_process_says_it_could_not_reach_the_database_by_its_exit_status() -> None:
    from wfengine.cli.worker_cmd import _DatabaseUnavailable

    assert _DatabaseUnavailable("away").exit_code == EXIT_UNAVAILABLE


def test_a_child_dying_between_jobs_is_replaced(engine: Engine) -> None:
    [job] = _claimed_jobs(engine, 1)
    finished_one: Script = [
        ["event", "claimed", [job]],
        ["event", "start", [job]],
        ["event", "end", [job]],
        ["die", signal.SIGKILL],
    ]
    supervisor = Supervisor(_children(finished_one, [["exit", 0]]), engine)
    assert Running(supervisor).result() == 0
    assert supervisor.started == 2 and _incident_messages(engine) == []


def test_leases_are_renewed_while_the_child_is_frozen(engine: Engine) -> None:
    """The child stops itself (SIGSTOP) while running a job: nothing of it runs any more, as
    with a job holding the GIL. The supervisor must keep the job's lease, then, asked to stop,
    kill the child after the grace period and give the job back."""
    [job] = _claimed_jobs(engine, 1, lease=0.6)
    frozen: Script = [["event", "claimed", [job]], ["event", "start", [job]], ["stop-self"]]
    supervisor = Supervisor(
        _children(frozen), engine, lease=timedelta(seconds=0.6), job_timeout=600, grace=0.2
    )
    running = Running(supervisor)
    running.wait_until("the job runs", lambda: bool(supervisor.book.running()))
    [first] = [j.lock_expires_at for j in engine.jobs()]
    assert first is not None
    seen = [first]

    def renewed_twice() -> bool:
        [now] = [j.lock_expires_at for j in engine.jobs()]
        assert now is not None
        if now > seen[-1]:
            seen.append(now)
        return len(seen) >= 3

    running.wait_until("the lease renewed twice", renewed_twice)
    supervisor.on_signal(signal.SIGTERM)
    assert running.result() == 0
    assert _job(engine, job)[0] is None  # given back: it runs again, no incident
    assert _incident_messages(engine) == []


def test_a_stop_request_lets_the_running_job_finish(engine: Engine) -> None:
    [job] = _claimed_jobs(engine, 1)
    graceful: Script = [
        ["end-on-term", [job]],
        ["event", "claimed", [job]],
        ["event", "start", [job]],
        ["hang"],
    ]
    supervisor = Supervisor(_children(graceful), engine, job_timeout=600, grace=600)
    running = Running(supervisor)
    running.wait_until("the job runs", lambda: bool(supervisor.book.running()))
    supervisor.on_signal(signal.SIGTERM)
    assert running.result() == 0
    assert supervisor.started == 1 and supervisor.book.claimed() == {}


def test_a_second_stop_request_kills_at_once_and_gives_the_jobs_back(engine: Engine) -> None:
    jobs = _claimed_jobs(engine, 2)
    stubborn: Script = [
        ["ignore-term"],
        ["event", "claimed", jobs],
        ["event", "start", jobs[:1]],
        ["hang"],
    ]
    supervisor = Supervisor(_children(stubborn), engine, job_timeout=600, grace=600)
    running = Running(supervisor)
    running.wait_until("the job runs", lambda: bool(supervisor.book.running()))
    supervisor.on_signal(signal.SIGTERM)
    supervisor.on_signal(signal.SIGINT)
    assert running.result() == EXIT_KILLED
    assert {_job(engine, j)[0] for j in jobs} == {None}
    assert _incident_messages(engine) == []


def test_the_book_follows_each_owner() -> None:
    book = JobBook()
    book.note("claimed", "a", ["1", "2"], 0.0)
    book.note("claimed", "b", ["3"], 0.0)
    book.note("start", "a", ["1"], 5.0)
    assert book.claimed() == {"a": ["1", "2"], "b": ["3"]}
    assert book.running() == [("a", "1", 5.0)]
    assert book.overdue(9.0, 5.0) == [] and book.overdue(10.5, 5.0) == [("a", "1")]
    book.note("end", "a", ["1"], 6.0)
    book.note("end", "b", ["3"], 6.0)  # given back unstarted: not a finished job
    assert book.claimed() == {"a": ["2"]} and book.running() == [] and book.finished == 1
    book.note("start", "a", ["2"], 7.0)
    book.forget("a", "2")  # made an incident by the supervisor: not finished either
    assert book.claimed() == {} and book.running() == [] and book.finished == 1


def test_event_lines_round_trip_and_junk_is_refused() -> None:
    line = encode_event("start", "h:1:x", ["job-1"])
    assert decode_event(line) == ("start", "h:1:x", ["job-1"])
    for junk in (b"", b"not json", b"[]", b'{"event": "explode", "owner": "o", "jobs": []}'):
        assert decode_event(junk) is None
    assert decode_event(b'{"event": "end", "owner": "o", "jobs": [1]}') is None


def test_bad_settings_are_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="positive"):
        Supervisor(_children([["exit", 0]]), engine, job_timeout=0)


def test_jobs_given_back_after_a_child_died_keep_only_the_running_ones_attempt(
    engine: Engine,
) -> None:
    """A dead child's claimed jobs it never started were no attempt (an asynchronous
    application's retries are counted from claims); the one it was running may have made
    its call, and keeps its attempt. Before, the running one was given back as unstarted."""
    running, waiting = _claimed_jobs(engine, 2)
    supervisor = Supervisor(_children([["exit", 0]]), engine)
    supervisor.book.note("claimed", OWNER, [running, waiting], 0.0)
    supervisor.book.note("start", OWNER, [running], 0.0)
    supervisor._give_back()
    attempts = {j.id: j.attempts for j in engine.jobs()}
    assert attempts == {running: 1, waiting: 0}
    assert all(j.lock_owner is None for j in engine.jobs())


def test_a_second_stop_while_a_write_waits_gives_up_the_wait_not_the_process(
    engine: Engine,
) -> None:
    """The second stop request called ``os._exit`` while the loop waited for the database:
    a host (or a test) driving a supervisor in its own process lost that process. The wait
    is given up instead, at its next short join, and the write left to the leases."""
    supervisor = Supervisor(_children([["exit", 0]]), engine)
    release, returned = threading.Event(), threading.Event()

    def waiting() -> None:
        supervisor._database(lambda: release.wait(PATIENCE))
        returned.set()

    waiter = threading.Thread(target=waiting)
    waiter.start()
    try:
        supervisor.on_signal(signal.SIGTERM)
        supervisor.on_signal(signal.SIGTERM)
        assert returned.wait(PATIENCE)  # (the write still waits: it was not waited for)
        assert not release.is_set()
    finally:
        release.set()
        waiter.join()
