"""What the crash and multi-worker tests share: the process they run, worker subprocesses,
a view of their progress read from the database, a way to kill a worker at a moment it holds
leased jobs, and the end-state check read from the database and its audit trail.

The process has everything a crash can cut in half: a parallel split whose branches do
automatic work, call an application (through ``--apps``) and wait on a short real timer (a
synchronous deadline on a manual activity, which cancels it and takes the ``Late`` exception
path), joined again by a parallel join.

Nothing here waits for a fixed time or assumes how fast a machine is: the tests decide when to
kill by the work the database shows done, wait with polls under generous deadlines, and freeze
a worker (SIGSTOP) to read the leases it holds before killing it, so what a kill leaves behind
is known rather than hoped for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.io import dump_xpdl
from wfengine.errors import StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.sql import schema as t
from wfengine.runtime.sql.connect import create_engine
from wfengine.runtime.sql.retry import RetryPolicy, run_with_retries
from wfengine.runtime.states import ProcessState

APPS = """
def register(registry):
    registry.register("work", lambda v: {"v": v + 1})
"""

#: every activity of the process runs exactly once per instance; 'wait' ends by its deadline
ONCE = {"split": 1, "a": 1, "b": 1, "wait": 1, "late": 1, "join": 1, "end": 1}
#: audit events that open an activity instance (automatic work; a manual one's work item)
_OPENED = ("activity.started", "work_item.offered")
_CLOSED = ("activity.completed", "activity.terminated", "activity.aborted")
#: the audit event each job of an instance commits exactly once: the ``continue`` job calls
#: the application, the ``timer`` job fires the deadline (and completes the instance)
JOB_EVENTS = ("application.invoked", "deadline.fired")
#: how long any wait for progress may take before the test gives up: far beyond what even a
#: badly overloaded machine needs, so reaching it means something is stuck, not slow
PATIENCE = 600.0


def write_definition(tmp_path: Path) -> tuple[str, str]:
    """The process file and the ``--apps`` file, written into ``tmp_path``."""
    pb = PackageBuilder("crash")
    p = pb.process("main")
    p.data_field("v", "INTEGER", initial="0").data_field("delay", "FLOAT", initial="1.0")
    p.application("work", params=[("v", "INOUT", "INTEGER")])
    p.route("split", gateway="Parallel").route("join", gateway="Parallel")
    p.activity("a").activity("b", tool="work", args=["v"])
    p.activity("wait", performer="nobody", deadlines=[("delay", "Late", "SYNCHR")])
    p.activity("late")
    p.transition("split", "a").transition("split", "b").transition("split", "wait")
    p.transition("wait", "late", exception="Late")
    p.transition("a", "join").transition("b", "join").transition("late", "join")
    p.activity("end").transition("join", "end")
    xpdl = tmp_path / "crash.xpdl"
    xpdl.write_bytes(dump_xpdl(pb.build()))
    apps = tmp_path / "crash_apps.py"
    apps.write_text(APPS)
    return str(xpdl), str(apps)


def wfengine(*args: str) -> list[str]:
    return [sys.executable, "-m", "wfengine.cli.main", *args]


def start_instances(xpdl: str, url: str, count: int, delay: float) -> list[str]:
    done = subprocess.run(
        wfengine(
            "instance", "start", xpdl, "--db", url, "--count", str(count), "--set", f"delay={delay}"
        ),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    ids = done.stdout.split()
    assert len(ids) == count
    return ids


def worker(url: str, apps: str, *extra: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    """A ``wfengine worker`` subprocess (its log appended to ``log``).

    Its engines claim jobs as ``HOST:PID:RANDOM`` (``Engine.worker_id``), so the PID of the
    subprocess names its leases in the jobs table: see :meth:`Database.leased_by`.
    """
    cmd = wfengine("worker", "--db", url, "--apps", apps, "--lease", "2", "--poll", "0.2", *extra)
    # its own session: the supervisor and its worker process (which leads a process group of
    # its own in that session) are frozen and killed together (signal_worker), as one worker
    if log is None:
        return subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    with open(log, "ab") as out:  # the child has its own copy of the descriptor
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True)
    _LOGS[proc.pid] = log
    return proc


#: worker pid -> the log its errors go to (what a failure quotes)
_LOGS: dict[int, Path] = {}


def exited(proc: subprocess.Popen[bytes], what: str) -> str:
    """Why a test stops on a worker that exited: its status, and the end of its log."""
    log = _LOGS.get(proc.pid)
    said = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    return f"worker {proc.pid} exited with {proc.returncode} {what}; its log ends:\n{said}"


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker ``proc`` and its worker process if they still run (also when they
    are frozen) and reap it."""
    if proc.poll() is None:
        signal_worker(proc, signal.SIGKILL)
    proc.wait(timeout=PATIENCE)


def _session(sid: int) -> Iterator[tuple[int, str, int]]:
    """(pid, state, process group) of each process of the session ``sid`` (from /proc)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[3]) == sid:
            yield int(stat.parent.name), fields[0], int(fields[2])


def signal_worker(proc: subprocess.Popen[bytes], signum: int) -> None:
    """Send ``signum`` to every process group of the worker ``proc``'s session: the
    supervisor's and its worker process's (which leads one of its own, so that the programs
    its jobs start stop with it)."""
    for group in {proc.pid} | {group for _, _, group in _session(proc.pid)}:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signum)


def _group_stopped(sid: int) -> bool:
    """Is every process of the session ``sid`` stopped (state T in /proc)?"""
    return all(state in ("T", "t", "Z") for _, state, _ in _session(sid))


def wait_for(
    what: str,
    reached: Callable[[], bool],
    procs: tuple[subprocess.Popen[bytes], ...] = (),
    every: float = 0.02,
) -> None:
    """Poll ``reached`` until it says yes; fail if one of ``procs`` exits meanwhile (with the
    end of its log), or after :data:`PATIENCE` seconds (stuck, not slow)."""
    deadline = time.monotonic() + PATIENCE
    while not reached():
        for proc in procs:
            if proc.poll() is not None:
                raise AssertionError(exited(proc, f"before {what}"))
        assert time.monotonic() < deadline, f"not {what} after {PATIENCE:.0f} s"
        time.sleep(every)


def wait_ready(proc: subprocess.Popen[bytes], log: Path, threads: int = 1) -> None:
    """Wait until every thread of the worker ``proc`` logged that it runs jobs (its engine is
    open and it is polling), so work started afterwards finds it ready whatever its start-up
    cost on a busy machine."""

    def ready() -> bool:
        lines = log.read_text().splitlines() if log.exists() else []
        mine = [x for x in lines if "runs jobs as" in x and x.rsplit(":", 2)[-2] == str(proc.pid)]
        return len(mine) >= threads

    wait_for(f"worker {proc.pid} is ready", ready, (proc,))


@dataclass(frozen=True)
class Progress:
    """Where the work stood: jobs committed (from the audit trail) and instances completed."""

    invoked: int  # continue jobs done: the application call committed
    fired: int  # timer jobs done: the deadline fired, the instance completed
    completed: int

    @property
    def jobs_done(self) -> int:
        return self.invoked + self.fired


class Database:
    """A read-only view of the workers' database for the tests to poll (one pooled SQLAlchemy
    engine, so polling every few milliseconds does not reconnect each time)."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        #: a worker is frozen meanwhile (:func:`kill_holding_leases`): read briefly, since
        #: waiting cannot help when the frozen worker holds SQLite's WAL-index lock
        self.frozen = False

    def close(self) -> None:
        self.engine.dispose()

    def progress(self) -> Progress:
        # read as the engine reads: a WAL lock of a worker killed mid-write is transient
        # an observer, not an engine: it may wait longer than an engine's command would for
        # a writer killed mid-commit to be cleaned up after (SQLite answers "locking protocol"
        # meanwhile) on a machine busy with the workers
        patient = RetryPolicy(attempts=30, max_delay=2.0)
        brief = RetryPolicy(attempts=3, max_delay=0.05)
        policy = brief if self.frozen else patient
        return run_with_retries(self._progress, what="crash.db", policy=policy)

    def _progress(self) -> Progress:
        a, p = t.audit_events, t.process_instances
        with self.engine.connect() as conn:
            kinds: dict[str, int] = dict(
                conn.execute(
                    sa.select(a.c.kind, sa.func.count())
                    .where(a.c.kind.in_(JOB_EVENTS))
                    .group_by(a.c.kind)
                ).all()
            )
            completed = conn.execute(
                sa.select(sa.func.count()).where(p.c.state == ProcessState.COMPLETED.value)
            ).scalar_one()
        return Progress(
            int(kinds.get("application.invoked", 0)),
            int(kinds.get("deadline.fired", 0)),
            int(completed),
        )

    def leased_by(self, pid: int) -> set[str]:
        """Ids of the jobs whose lease belongs to an engine of process ``pid``."""
        j = t.jobs
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(j.c.id, j.c.lock_owner).where(j.c.lock_owner.is_not(None))
            ).all()
        return {job for job, owner in rows if owner.rsplit(":", 2)[-2] == str(pid)}

    def job_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(t.jobs.c.id)).scalars())


def kill_holding_leases(
    proc: subprocess.Popen[bytes],
    db: Database,
    at_least: int = 1,
    after: Callable[[], bool] | None = None,
    done_is_fine: bool = False,
) -> tuple[set[str], set[str]]:
    """SIGKILL the worker ``proc`` at a moment it holds at least ``at_least`` leased jobs
    (and, with ``after``, once ``after()`` says yes, asked while the worker is frozen).

    Freezes it with SIGSTOP (and waits until /proc shows all of it stopped), reads its leases
    from the jobs table, and kills it if there are enough; else lets it run on for a moment
    and tries again. Frozen, the worker commits nothing, so on SQLite the leases read are
    exactly those it dies holding. On PostgreSQL a statement it had already sent may still
    commit on the server (one per worker thread: a job finished), hence ``at_least``.

    Why ``after`` is asked with the worker frozen: a test that polled its progress with the
    worker running, then froze it, let it run on meanwhile (the poll's interval and query, and
    longer when this process waits for a busy CPU); with a few dozen jobs left it once did them
    all before the freeze, so no moment with a lease ever came. Frozen between short steps,
    the worker runs at most one step past the point the test chose.

    Returns (leases read while frozen, leases still in the database after the kill): the
    latter are jobs only a takeover by another worker can finish. ``done_is_fine``: when the
    jobs run out first (a worker with no backlog holds a lease only while it runs a job, and a
    freeze may land between jobs until none is left), the worker is killed holding nothing
    and both sets are empty, rather than an assertion failing.
    """
    deadline = time.monotonic() + PATIENCE
    reached = False
    while True:
        _freeze(proc)
        db.frozen = True
        try:
            if after is None or after():
                held = db.leased_by(proc.pid)
                if len(held) >= at_least:
                    kill(proc)
                    return held, db.leased_by(proc.pid)
                # a worker that claims one job at a time (no backlog: the work arrives no
                # faster than it is done) may never hold enough; say so when the work is gone,
                # not at the deadline
                if not db.job_ids() and done_is_fine:
                    kill(proc)
                    return set(), set()
                assert db.job_ids(), (
                    f"the jobs ran out before worker {proc.pid} held {at_least} leases"
                )
                reached = True
        except (StoreUnavailableError, sa.exc.OperationalError):
            # frozen in the middle of SQLite's WAL-index update, the worker holds its lock
            # ("locking protocol" for every reader): let it go on and freeze it again (a
            # patient read once waited 45 s for a lock no frozen process gives back)
            pass
        finally:
            db.frozen = False
        signal_worker(proc, signal.SIGCONT)
        assert time.monotonic() < deadline, f"worker {proc.pid} never held {at_least} leases"
        # once past the point chosen, look again soon: a worker with little work left holds a
        # lease only while it runs a job, and a long look away let it finish them all
        time.sleep(0.002 if reached else 0.01)


def _freeze(proc: subprocess.Popen[bytes]) -> None:
    """SIGSTOP the worker ``proc``'s process group; return once all of it is stopped.

    A supervisor in the middle of starting its worker process (``vfork``) cannot stop until
    the child has called ``exec``, and a stopped child never does: both would wait forever (a
    blocking ``waitpid`` for the stop did). So when the group is not all stopped after a
    moment, it is let go and stopped again.
    """
    deadline = time.monotonic() + PATIENCE
    while True:
        if proc.poll() is not None:
            raise AssertionError(exited(proc, "while it was to be stopped"))
        signal_worker(proc, signal.SIGSTOP)
        moment = time.monotonic() + 1.0
        while not (stopped := _group_stopped(proc.pid)) and time.monotonic() < moment:
            time.sleep(0.001)  # the supervisor and its worker process
        if stopped:
            return
        signal_worker(proc, signal.SIGCONT)
        assert time.monotonic() < deadline, f"worker {proc.pid} never stopped"
        time.sleep(0.01)


@contextmanager
def frozen(*procs: subprocess.Popen[bytes]) -> Iterator[None]:
    """The workers ``procs`` stopped (SIGSTOP) meanwhile, then let go together.

    Work created meanwhile waits for them as a backlog: each then claims a batch of jobs at
    once, however fast the machine starts instances compared with how fast workers run them.
    """
    for proc in procs:
        _freeze(proc)
    try:
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                signal_worker(proc, signal.SIGCONT)


def finish(url: str, apps: str, log: Path) -> None:
    """Run ``worker --until-idle`` until nothing is left, waiting out timers between runs.

    ``--until-idle`` stops once no job is due *now*; timers created while it ran may fall due
    just after, however many runs that takes on a slow machine, so the loop ends when the
    database says no job is left at all (or after :data:`PATIENCE`), not after a fixed count.
    """
    deadline = time.monotonic() + PATIENCE
    while True:
        done = subprocess.run(
            wfengine(
                "worker",
                "--db",
                url,
                "--apps",
                apps,
                "--lease",
                "2",
                "--poll",
                "0.2",
                "--until-idle",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=PATIENCE,
            check=False,
        )
        with open(log, "ab") as f:
            f.write(done.stderr)
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        with Engine(db_url=url) as engine:
            due = engine.next_due_at()
            if due is None:
                return
            assert time.monotonic() < deadline, f"work left after {PATIENCE:.0f} s"
            time.sleep(max(0.0, (due - engine.clock.now()).total_seconds()) + 0.05)


@contextmanager
def cpu_load() -> Iterator[None]:
    """With ``WFENGINE_TEST_LOAD=N`` in the environment, keep N busy-looping processes running
    meanwhile: the crash tests must hold on a machine that is busy with something else (the
    CI case they once failed in), and this makes that easy to check locally."""
    count = int(os.environ.get("WFENGINE_TEST_LOAD", "0") or "0")
    hogs = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def check_everything_ran_once(url: str, ids: list[str]) -> None:
    """Every instance completed, every activity instance opened and closed exactly once (from
    the audit trail), the application's committed call and the timer once, the call's result
    applied once (``v`` is 1), nothing left.

    Reads the tables in bulk (one query per table), so checking thousands of instances on
    PostgreSQL takes a moment, not a query per instance.
    """
    p, a, j, tok, ai = (
        t.process_instances,
        t.audit_events,
        t.jobs,
        t.tokens,
        t.activity_instances,
    )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            states: Counter[str] = Counter(
                dict(conn.execute(sa.select(p.c.state, sa.func.count()).group_by(p.c.state)).all())
            )
            results = Counter(data.get("v") for data in conn.execute(sa.select(p.c.data)).scalars())
            kinds = (*_OPENED, *_CLOSED, *JOB_EVENTS, "application.failed", "application.discarded")
            events = conn.execute(
                sa.select(
                    a.c.instance_id, a.c.kind, a.c.activity_instance_id, a.c.activity_id
                ).where(a.c.kind.in_(kinds))
            ).all()
            seqs = conn.execute(
                sa.select(a.c.instance_id, sa.func.count(), sa.func.max(a.c.seq)).group_by(
                    a.c.instance_id
                )
            ).all()
            left = {
                "jobs": conn.execute(sa.select(sa.func.count()).select_from(j)).scalar_one(),
                "tokens": conn.execute(sa.select(sa.func.count()).select_from(tok)).scalar_one(),
                "open activities": conn.execute(
                    sa.select(sa.func.count()).where(ai.c.state.like("open.%"))
                ).scalar_one(),
                "open incidents": conn.execute(
                    sa.select(sa.func.count()).where(t.incidents.c.resolved.is_(False))
                ).scalar_one(),
            }
    finally:
        engine.dispose()
    assert states == {ProcessState.COMPLETED.value: len(ids)}, states
    assert results == {1: len(ids)}, results  # the one committed call's v + 1, applied once
    assert left == {"jobs": 0, "tokens": 0, "open activities": 0, "open incidents": 0}, left
    assert all(count == top for _, count, top in seqs)  # audit seq 1..n, no gap, no repeat
    by_instance: dict[str, list[tuple[str, str, str]]] = {i: [] for i in ids}
    for iid, kind, ai_id, act_id in events:
        by_instance[iid].append((kind, ai_id, act_id))
    ends = {act: "activity.terminated" if act == "wait" else "activity.completed" for act in ONCE}
    for iid, evs in by_instance.items():
        opened = [(ai_id, act) for kind, ai_id, act in evs if kind in _OPENED]
        closed = {(ai_id, act): kind for kind, ai_id, act in evs if kind in _CLOSED}
        # one activity instance per activity, each opened once and closed once, as it should
        assert Counter(act for _, act in opened) == ONCE, (iid, evs)
        assert len(closed) == len(ONCE) == sum(1 for kind, *_ in evs if kind in _CLOSED)
        assert {act: kind for (_, act), kind in closed.items()} == ends, (iid, evs)
        assert set(closed) == set(opened), (iid, evs)
        calls = Counter(kind for kind, *_ in evs if kind in JOB_EVENTS)
        # one committed call; a call a killed worker may have made (the job's first) is audited
        # by the worker that took its job over, as invoked and discarded "lost"
        # (runtime.lost_attempts)
        lost = sum(1 for kind, *_ in evs if kind in ("application.failed", "application.discarded"))
        assert calls == {"application.invoked": 1 + lost, "deadline.fired": 1}, (iid, evs)
