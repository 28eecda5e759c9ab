"""Supervising a worker process: what keeps one stuck job from freezing a worker for good.

A :class:`~wfengine.runtime.worker.Worker` runs jobs in threads of one process, and Python
threads cannot be stopped from outside. A job stuck inside one long C call (an application
doing ``sum(range(10**12))``, a pathological evaluation) holds the GIL, and then nothing of its
process runs: signal handlers (they run between bytecodes), the lease-renewal thread, the other
threads' jobs. Its leases expire, another worker takes the job over and hangs the same way.
Only the operating system can stop such a process, so ``wfengine worker`` runs its ``Worker``
in a child process and watches it from a small process that never runs a job:

* the child reports, over a pipe, what each of its engines does with jobs (the engine's
  :attr:`~wfengine.runtime.engine.Engine.job_observer`: ``claimed``, ``start``, ``end``, and
  ``call`` for each attempt of a synchronous application call a running job begins;
  :class:`EventReporter` is that observer); :class:`JobBook` keeps, per lease owner, the jobs
  claimed and the one running since when, and the supervisor the call each is making (an
  outbox delivery is told as a job, and followed apart: :mod:`.supervised_deliveries`);
* the :class:`Supervisor` renews those leases itself, with its own engine on the same database,
  so a frozen child keeps its jobs and no other worker takes one over only to freeze too;
* a job that runs longer than ``job_timeout`` gets the child SIGKILLed, with every process
  it started (the child leads a process group of its own, and the programs its jobs run, such
  as a subprocess agent's, are in it: they are killed as a group, so none carries on under
  init with the side effect of a job that is an incident by then); the job becomes an
  incident on its instance (:meth:`~wfengine.runtime.engine.Engine.abandon_job`: nothing it did
  was committed, and it stays parked until an operator retries the incident; the call it was
  making is audited, and the incident names its activity and application), the child's other
  claimed jobs are given back, and a fresh child starts. A child that dies on its own in the
  middle of a job (the OOM killer, a crash in C code) is handled the same way, so no job can
  kill workers one after another; the programs its running jobs started are killed then;
* stopping (:meth:`Supervisor.on_signal`): the child is asked to finish its running jobs
  (SIGTERM, to the child alone) and killed with its process group if it has not ended
  ``grace`` seconds later; a second signal kills them at once. Either way its claimed jobs
  are given back.
  A terminal's Ctrl-Z (SIGTSTP, which reaches only the foreground process group: the
  supervisor's) stops the child's group with the supervisor, and SIGCONT continues both, so
  ``wfengine worker`` still pauses as one in a shell.

The child side: :class:`EventReporter` and :func:`bind_to_supervisor` (the child dies with its
supervisor, so killing ``wfengine worker`` outright never leaves a worker behind). Leases are
taken in the name of the supervisor (:func:`lease_owner`): whichever child runs a job, the
jobs table names the ``wfengine worker`` process the operator started and signals.

The run's summary is the supervisor's (:attr:`Supervisor.tally`: what each child reported on
its pipe, and the incidents the supervisor opened; :mod:`.worker_tally`), so one line counts
every child, a killed one's committed jobs too.

Where the parts are: the child's side and the pipe's format in :mod:`.supervised_child`, the
child's jobs in :mod:`.job_book`, its process in :mod:`.child_process`, the lease renewals'
thread in :mod:`.supervisor_leases`, the incidents it makes of jobs in
:mod:`.supervised_incidents`; this module is the supervisor itself (its loop, and the
database work it keeps off that loop, so a lock another session holds never delays a job
timeout or a stop signal), re-exporting the first two's names.

What this does not cover: a host running :class:`~wfengine.runtime.worker.Worker` in its own
process gets no supervision (there is nothing outside the process to stop it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, TYPE_CHECKING

from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.child_process import describe, ended, forward_job_control, kill_group, relay
from wfengine.runtime.job_book import JobBook
from wfengine.runtime.jobs import DEFAULT_LEASE
from wfengine.runtime.limits import DEFAULT_GRACE as DEFAULT_GRACE
from wfengine.runtime.limits import DEFAULT_JOB_TIMEOUT as DEFAULT_JOB_TIMEOUT
from wfengine.runtime.sql.sqlite_file import store_file_problem
from wfengine.runtime.supervised_child import (
    EVENTS,
    EXIT_KILLED,
    EXIT_UNAVAILABLE,
    EventReporter,
    bind_to_supervisor,
    decode_event,
    decode_line,
    encode_event,
    lease_owner,
)
from wfengine.runtime.supervised_deliveries import DeliveryWatch
from wfengine.runtime.supervised_incidents import StoppedJobs
from wfengine.runtime.worker_tally import Tally

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

__all__ = [
    "DEFAULT_GRACE",
    "DEFAULT_JOB_TIMEOUT",
    "EVENTS",
    "EXIT_KILLED",
    "EXIT_UNAVAILABLE",
    "MAX_RESTART_WAIT",
    "EventReporter",
    "JobBook",
    "Supervisor",
    "bind_to_supervisor",
    "decode_event",
    "encode_event",
    "lease_owner",
]

_log = logging.getLogger("wfengine.supervisor")

# (DEFAULT_JOB_TIMEOUT, DEFAULT_GRACE: in .limits, which the CLI reads without the engine)
#: longest wait (seconds) before starting another child after children kept dying idle
MAX_RESTART_WAIT = 30.0
#: how often (seconds) the supervisor looks at its child when nothing else happens
_TICK = 0.1
#: how often (seconds) the supervisor looks whether its SQLite file is still there
_FILE_LOOK = 1.0
#: how long to wait for a dead child's pipes to drain (a grandchild may hold them open)
_DRAIN_WAIT = 2.0
#: an event read from the child's pipe (see decode_line)
_Event = tuple[str, str, list[str], CallInProgress | Tally | None]


@dataclass
class _Child:
    """One worker process and the threads reading its pipes."""

    proc: subprocess.Popen[bytes]
    generation: int
    readers: list[threading.Thread]
    #: jobs finished (by all children) when it started: did it finish any?
    finished_before: int


class Supervisor(DeliveryWatch, StoppedJobs):
    """Run one worker process at a time and step in when it freezes or dies (see the module
    notes for why).

    ``command(fd)`` is the command line of a worker process that reports its engines' job events
    on descriptor ``fd`` (:class:`EventReporter`), takes its leases in this process's name
    (:func:`lease_owner`) and stops gracefully on SIGTERM; ``env`` its environment. ``engine``
    is the supervisor's own, on the same database (renewals, incidents, giving jobs back);
    ``lease`` is the workers' lease, renewed every third of it. ``timeout_name`` is how an
    incident names the job timeout (the CLI says ``--job-timeout``). The child's standard
    error is copied to this process's ``sys.stderr`` line by line, so its log is this log.

    :meth:`run` returns the exit status: the child's own when it ends by itself (0 stopped or
    idle, 1 or 2 failed), 0 after a stop request, :data:`EXIT_KILLED` after a second one, 2
    once the SQLite file of the database was deleted or replaced (looked at every second, and
    when a child ends, whatever its own status). A child that could not reach the database as
    it started (:data:`EXIT_UNAVAILABLE`) ends it with 2 when it is the first; a later one
    (started after another died) is followed by another after a growing wait, so a
    long-running worker outlives an outage.
    """

    def __init__(
        self,
        command: Callable[[int], Sequence[str]],
        engine: Engine,
        *,
        env: Mapping[str, str] | None = None,
        lease: timedelta = DEFAULT_LEASE,
        job_timeout: float = DEFAULT_JOB_TIMEOUT,
        grace: float = DEFAULT_GRACE,
        timeout_name: str = "the job timeout",
    ) -> None:
        if lease <= timedelta(0) or job_timeout <= 0 or grace < 0:
            raise ValueError("lease and job_timeout must be positive, grace not negative")
        self.command = command
        self.engine = engine
        self.env = dict(env) if env is not None else None
        self.lease = lease
        self.job_timeout = job_timeout
        self.grace = grace
        self.timeout_name = timeout_name
        self.book = JobBook()
        #: worker processes started so far, and jobs stopped for running too long
        self.started = 0
        self.timed_out = 0
        self._tallies = []  # the children's counts, its incidents, its deliveries (``tally``)
        self._events: queue.Queue[tuple[int, _Event]] = queue.Queue()
        #: (owner, job) -> the calls the running job began, when (monotonic time)
        self._calls: dict[tuple[str, str], list[tuple[CallInProgress, float]]] = {}
        self._child: _Child | None = None
        self._signals: list[str] = []
        self._stop_deadline: float | None = None
        self._kill_now = False
        self._deaths = 0  # children in a row that died without finishing a job
        self._restart_at: float | None = None  # when to start the next child
        #: (owner, job) of running jobs whose leases were lost: warned about, not renewed
        self._lost: set[tuple[str, str]] = set()
        self._deliveries = {}  # the outbox deliveries its threads make (DeliveryWatch)
        #: held by the loop while it acts, and by the renewals' thread while it reads or
        #: notes what the book holds (never while either waits for the database)
        self._state = threading.RLock()
        self._renewals_end = threading.Event()
        self._logged = 0  # stop requests logged so far
        #: what became of the SQLite file the database is (deleted, replaced), once seen
        self._gone: str | None = None
        self._next_file_look = 0.0

    # -- signals (called from a signal handler: flags and signals only) ----------------------------

    def on_signal(self, signum: int) -> None:
        """A stop request: the first asks the child to finish its running jobs (within
        ``grace``; told once the request is logged, :meth:`_tell_signals`), the second kills
        it at once, a third (the supervisor itself stuck giving
        jobs back to an unreachable database) exits at once. After the second, a wait for
        the database (a lock another session holds) is given up at its next short join
        (:meth:`_database`): what it would write (incidents, jobs given back) is left to the
        leases' expiry. (Not ``os._exit`` here: a host or test driving a supervisor in its
        own process would lose that process.)"""
        name = signal.Signals(signum).name
        self._signals.append(name)
        if self._kill_now:
            os._exit(EXIT_KILLED)
        if self._stop_deadline is not None:
            self._kill_now = True
            child = self._child
            if child is not None and child.proc.returncode is None:
                kill_group(child.proc)
            return
        self._stop_deadline = time.monotonic() + self.grace

    @property
    def tally(self) -> Tally:
        """The run's counts so far, for its summary: every worker process's reports, and the
        incidents the supervisor opened itself and the deliveries it recorded as failed
        attempts (the jobs it stopped are not counted as run)."""
        return sum(list(self._tallies), Tally())

    @property
    def stopping(self) -> bool:
        return self._stop_deadline is not None

    def _signal_child(self, signum: int) -> None:
        child = self._child
        if child is not None and child.proc.returncode is None:
            with contextlib.suppress(OSError):
                child.proc.send_signal(signum)

    # -- the loop ---------------------------------------------------------------------------------

    def run(self) -> int:
        """Supervise until stopped, or until the child ends by itself; the exit status."""
        previous = forward_job_control(self._signal_group)
        every = max(self.lease.total_seconds() / 3, 0.05)
        self._renewals_end.clear()
        threading.Thread(
            target=self._renewing, args=(every,), name="wfengine-supervisor-leases", daemon=True
        ).start()
        try:
            return self._supervise()
        finally:
            self._renewals_end.set()  # (one waiting for the database is not waited for)
            child = self._child
            if child is not None and not ended(child.proc):  # a bug in here: no orphan
                kill_group(child.proc)
                self._collect(child)
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _signal_group(self, signum: int) -> None:
        child = self._child
        if child is not None and child.proc.returncode is None:
            with contextlib.suppress(OSError):
                os.killpg(child.proc.pid, signum)

    def _supervise(self) -> int:
        self._restart_at = time.monotonic()
        while True:
            self._pump(_TICK)
            with self._state:  # (the renewals' thread reads the book meanwhile otherwise)
                status = self._step()
            if status is not None:
                return status

    def _step(self) -> int | None:
        """One look at the signals, the child and its jobs (not the leases: :meth:`_renewing`):
        the exit status to end with, or None to look again."""
        self._tell_signals()
        now = time.monotonic()
        if self._gone is None and now >= self._next_file_look:
            self._look_at_file(now)
        child = self._child
        if self._kill_now:
            if child is not None:
                self._stop_child(child)
            return EXIT_KILLED
        if child is None:
            if self.stopping:
                return self._stop_status(0)
            if self._restart_at is not None and now >= self._restart_at:
                self._restart_at = None
                try:
                    self._start()
                except OSError as exc:
                    self._restart_later(f"could not be started: {exc}")
            return None
        if ended(child.proc):
            self._drain(child)  # (first: a "start" its readers had not handed on yet, on a
            # busy machine, left the programs of a job it died in running under init)
            if self.book.running() or self._deliveries:  # what its jobs started dies with
                kill_group(child.proc)  # them, before it is reaped (its pid names the group)
            return self._ended(child, child.proc.wait())
        if self.stopping and self._stop_deadline is not None and now >= self._stop_deadline:
            _log.warning(
                "the worker process (pid %d) did not stop within %g s: killing it",
                child.proc.pid,
                self.grace,
            )
            self._stop_child(child)
            return self._stop_status(0)
        overdue, late = self.book.overdue(now, self.job_timeout), self._late_deliveries(now)
        if overdue or late:
            self._time_out(child, overdue, late)
            if self.stopping:
                return self._stop_status(0)
        return None

    def _tell_signals(self) -> None:
        """Log the stop requests come since the last look; the first asks the child to stop
        once logged (not in the handler), so the child's lines on stopping follow it."""
        while self._logged < len(self._signals):
            name = self._signals[self._logged]
            if self._logged == 0:
                _log.info("%s: finishing the current job(s), then stopping", name)
                self._signal_child(signal.SIGTERM)
            else:
                _log.warning("%s again: stopping the worker process now", name)
            self._logged += 1

    def _look_at_file(self, now: float) -> None:
        """Stop (as a stop request does, failing with 2) when the SQLite file of the database
        was deleted or replaced: the child's commands are refused from then on, and nothing
        new may be made in its place (sqlite_file)."""
        self._next_file_look = now + _FILE_LOOK
        self._gone = store_file_problem(self.engine.store)
        if self._gone is None:
            return
        _log.error("%s; stopping the worker process", self._gone)
        if not self.stopping:
            self._stop_deadline = now + self.grace
            self._signal_child(signal.SIGTERM)

    def _stop_status(self, status: int) -> int:
        """The exit status of a stop: 2 (the database cannot be used) when it was the
        database file's going that stopped it."""
        return max(status, 2) if self._gone is not None else status

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        try:
            proc = subprocess.Popen(
                list(self.command(write_fd)),
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_fd,),
                env=self.env,
                # a process group of its own: stopping it stops what its jobs started too
                process_group=0,
            )
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)  # the child's copy only: its end closes when it dies
        self.started += 1
        generation = self.started
        assert proc.stderr is not None
        readers = [
            threading.Thread(
                target=self._read_events,
                args=(os.fdopen(read_fd, "rb"), generation),
                name="wfengine-supervisor-events",
                daemon=True,
            ),
            threading.Thread(
                target=relay,
                args=(proc.stderr,),
                name="wfengine-supervisor-stderr",
                daemon=True,
            ),
        ]
        for reader in readers:
            reader.start()
        self._child = _Child(proc, generation, readers, self.book.finished)
        _log.info("started worker process %d", proc.pid)
        if self.stopping and self._logged == len(self._signals):  # (else _tell_signals asks)
            self._signal_child(signal.SIGTERM)

    def _read_events(self, stream: IO[bytes], generation: int) -> None:
        with stream:
            for line in stream:
                event = decode_line(line)
                if event is None:
                    _log.warning("not an event from the worker process: %r", line[:200])
                    continue
                self._events.put((generation, event))

    def _pump(self, wait: float) -> None:
        """Note the events that came (waiting up to ``wait`` seconds for the first, without
        holding the book)."""
        try:
            item = self._events.get(timeout=wait) if wait > 0 else self._events.get_nowait()
        except queue.Empty:
            return
        with self._state, contextlib.suppress(queue.Empty):
            while True:
                generation, (event, owner, jobs, told) = item
                child = self._child
                if isinstance(told, Tally):  # (whichever child it was: all count)
                    self._tallies.append(told)
                elif child is not None and generation == child.generation:
                    self._note(event, owner, jobs, told)
                item = self._events.get_nowait()

    def _note(self, event: str, owner: str, jobs: list[str], call: CallInProgress | None) -> None:
        now = time.monotonic()  # a job's call in the calls, the rest in the book
        if call is not None:
            self._note_call(owner, jobs[0], call, now)
            return
        if self._note_delivery(event, owner, jobs, now):
            return
        if event in ("start", "end"):  # a job's calls end with it
            for job in jobs:
                self._calls.pop((owner, job), None)
        self.book.note(event, owner, jobs, now)

    def _collect(self, child: _Child) -> None:
        """Reap a dead (or killed) child and note every event it wrote before it died."""
        child.proc.wait()
        if child.proc.stdin is not None:
            child.proc.stdin.close()
        self._drain(child)

    def _drain(self, child: _Child) -> None:
        """Note every event the ended ``child`` wrote (its readers waited for a while)."""
        deadline = time.monotonic() + _DRAIN_WAIT
        for reader in child.readers:
            reader.join(timeout=max(0.0, deadline - time.monotonic()))
        self._pump(0)

    # -- what ends a child --------------------------------------------------------------------

    def _stop_child(self, child: _Child) -> None:
        """Kill the child now (with the programs it started) and give back every job it held,
        running ones included (nothing of theirs was committed: they run again)."""
        kill_group(child.proc)
        self._collect(child)
        self._database(self._give_back, patience=_DRAIN_WAIT if self._kill_now else None)
        self._child = None

    def _time_out(self, child: _Child, overdue: list[tuple[str, str]], late: list[str]) -> None:
        """Stop the child: jobs (``overdue``) or deliveries (the owners ``late``') ran too long."""
        what = [f"job(s) {', '.join(job for _, job in overdue)}"] if overdue else []
        _log.error(
            "%s ran longer than %g s (%s): stopping worker process %d",
            " and ".join([*what, *([self._late_what(late)] if late else [])]),
            self.job_timeout,
            self.timeout_name,
            child.proc.pid,
        )
        kill_group(child.proc)
        self._collect(child)
        reason = (
            f"ran longer than {self.job_timeout:g} s ({self.timeout_name}); "
            "the worker process running it was stopped"
        )
        since = {(owner, job): at for owner, job, at in self.book.running()}

        def settle() -> None:
            for owner, job in overdue:
                self._abandon(owner, job, reason, since.get((owner, job)))
                self.book.forget(owner, job)
                self.timed_out += 1
            self._fail_deliveries(late, self._too_long())
            self._give_back()

        self._database(settle)
        self._child = None
        self._restart_now()

    def _ended(self, child: _Child, status: int) -> int | None:
        """The child ended by itself: clean up after it; the exit status to end with, or None
        when another child is to start."""
        self._collect(child)
        self._child = None
        how = describe(status)
        running = self.book.running()
        if running:
            _log.error(
                "worker process %d died (%s) while running job(s) %s",
                child.proc.pid,
                how,
                ", ".join(job for _, job, _ in running),
            )

        def settle() -> None:
            for owner, job, since in running:
                self._abandon(owner, job, f"the worker process running it died ({how})", since)
                self.book.forget(owner, job)
            self._fail_deliveries(None, f"failed: the worker process delivering it died ({how})")
            self._give_back()

        to_blame = bool(running or self._deliveries)  # (what the child died doing)
        self._database(settle)
        if self._gone is None:  # (it may have ended on the file's going before a look found it)
            self._gone = store_file_problem(self.engine.store)
            if self._gone is not None:
                _log.error("%s; not starting another worker process", self._gone)
        if self.stopping:
            return self._stop_status(status if status > 0 else 0)
        if self._gone is not None:
            return 2  # the database cannot be used, whatever the child said
        if to_blame:
            self._restart_now()  # the job was to blame, and it is parked now
            return None
        if status == EXIT_UNAVAILABLE:
            if self.started == 1:
                return 2  # the database is not there to begin with: as for any command
            self._restart_later("could not reach the database")  # an outage: ride it out
            return None
        if status >= 0:
            return status  # it stopped by itself: idle, or failed (it said why)
        _log.error("worker process %d died (%s)", child.proc.pid, how)
        if self.book.finished > child.finished_before:
            self._restart_now()  # it was working: a one-off
        else:
            self._restart_later("died without finishing a job")
        return None

    def _restart_now(self) -> None:
        self._deaths = 0
        self._restart_at = time.monotonic()

    def _restart_later(self, what: str) -> None:
        """Start the next child after a wait that grows while children keep dying without
        finishing a job (something outside any job kills them: no need to spin)."""
        self._deaths += 1
        wait = 0.0 if self._deaths <= 1 else min(MAX_RESTART_WAIT, 2.0 ** (self._deaths - 2))
        if wait:
            _log.warning("worker process %s; starting another in %g s", what, wait)
        self._restart_at = time.monotonic() + wait

    # -- the database -------------------------------------------------------------------------

    def _database(self, work: Callable[[], None], patience: float | None = None) -> None:
        """Do ``work`` (writes: incidents, jobs given back) in a thread of its own, waiting
        here in short joins (``patience`` seconds at most): a write may wait long for a lock,
        and signal handlers run in this thread, between joins, not in a database call."""
        thread = threading.Thread(target=work, name="wfengine-supervisor-writes", daemon=True)
        deadline = None if patience is None else time.monotonic() + patience
        thread.start()
        while thread.is_alive():
            thread.join(_TICK)
            self._tell_signals()  # (a write waiting for a lock delays no stop request)
            if thread.is_alive() and self._kill_now:  # a second stop signal: no waiting
                _log.warning("stopped at once: what was being written is left to leases")
                return
            if deadline is not None and thread.is_alive() and time.monotonic() >= deadline:
                _log.warning("the database kept the jobs waiting: their leases expire")
                return

    def _give_back(self) -> None:
        """Release every job the book still holds (the child is dead) and forget them; one
        it was running keeps its attempt (its call may have been made)."""
        self._give_back_deliveries()
        pairs = [(owner, job) for owner, job, _ in self.book.running()]
        self._audit_given_back(pairs, "the worker process running it was killed")
        running = {job for _, job in pairs}
        for owner, ids in self.book.claimed().items():
            try:
                self.engine.release_jobs(ids, owner, started=running)
            except Exception as exc:  # their leases expire instead
                _log.warning("could not give back %s: %s", ", ".join(ids), exc)
                continue
            _log.info("gave back %s", ", ".join(ids))
        self.book.clear()
        self._calls.clear()
