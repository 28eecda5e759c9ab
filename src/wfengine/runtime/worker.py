"""The job executor: threads that claim and run due jobs until told to stop (or idle).

``wfengine worker`` runs this class in a worker process that it supervises; a host can run it
in-process too::

    worker = Worker(lambda: Engine(db_url=url, applications=registry), concurrency=2)
    threading.Thread(target=worker.run).start()   # ... later: worker.stop()

**In-process there is no supervision.** A job stuck in one long C call (it holds the GIL)
freezes the whole process: :meth:`Worker.stop` is never acted on, the leases are no longer
renewed, and once they expire another worker takes the job over, to freeze the same way. Only
something outside the process can stop that, which is what ``wfengine worker`` adds
(:mod:`wfengine.runtime.supervisor`: leases renewed from outside, a job timeout, a fresh process
after a kill). A host whose applications or definitions may do that runs workers as
``wfengine worker`` processes, or supervises its own the same way (the engines'
:attr:`~wfengine.runtime.engine.Engine.job_observer` tells what each thread runs, outbox
deliveries included: :mod:`wfengine.runtime.outbox_watch`). The same goes for outbox handlers:
in-process nothing stops one that never returns (a socket read without a timeout), and it holds
its worker thread, with the jobs that thread would run, for ever; so a host's handlers bound
their own time (a timeout on every network call, shorter than the outbox policy's ``lease``).

Why threads, each with its own :class:`~wfengine.runtime.engine.Engine` on the same database:
an engine serves one thread, and a job spends much of its time waiting (on the database, on an
application call), which threads overlap well. Python runs one thread's bytecode at a time, so
for CPU-bound navigation on several cores run several worker *processes* instead: they share
the work through the database exactly as threads do (leases, ``SKIP LOCKED``), and a crashed
process loses nothing. Threads need no cooperation from the operating system for shutdown,
which is why they are the in-process unit.

Each thread loops: claim due jobs (leased for ``lease``) and run them one by one, then
deliver up to ``batch`` due outbox entries to the engine's outbox handlers
(:mod:`wfengine.runtime.outbox_delivery`; give ``make_engine`` the host's
:class:`~wfengine.runtime.outbox.OutboxHandlers` as ``Engine(outbox_handlers=...)``); when
nothing is claimable, sleep until the next job or entry is due (a timer, a delivery's back-off,
an expiring lease of a dead worker) or ``poll`` seconds at most. A separate thread renews the
leases of claimed jobs every third of ``lease``, so a long application call does not lose its
job to another worker (an outbox entry's lease is the outbox policy's, long enough for a
handler: handlers are meant to be quick). A thread claims as many jobs as it runs in about
:data:`HOLD` seconds, judged by the jobs it ran so far (one at first, at most ``batch``): short
jobs go ten to a claim (fewer round trips), while long ones go one at a time, so a thread does
not sit on jobs that an idle thread or another worker process could be running.

**Stopping** (:meth:`Worker.stop`, safe from a signal handler): every thread finishes the job
it is running (its lease still renewed), gives back the jobs it claimed but has not started,
and ends. A worker killed
outright instead loses nothing either: its leases expire and another worker takes the jobs
over, and a job's effect is committed with its deletion, so it happens once. Ctrl-C
(``KeyboardInterrupt``) in the thread running :meth:`Worker.run` stops it the same way, then
``run()`` raises it; a second Ctrl-C while the jobs finish abandons them (``run()`` raises at
once, and a host that then exits leaves them to be taken over once their leases expire).
**Running again**: each :meth:`Worker.run` starts afresh, so a host may drain due work
periodically with one worker (``until_idle=True``), or run it again after a stop or a failure
(the failure is raised by the run it happened in, not by the next). A :meth:`Worker.stop` made
while no run is under way stops the next run at once: a signal handler that fired just before
``run()`` began is not lost. Two runs of one worker at the same time are refused (a
``RuntimeError``): make a second worker, or raise ``concurrency``. ``ran`` and ``delivered``
count over all runs.

``SystemExit`` or ``KeyboardInterrupt`` raised in a worker thread is no stop (signals reach the
main thread): a job's (an application calling ``sys.exit``) becomes its incident, like any
failure of the job, and one raised elsewhere in the thread (an outbox handler) fails the
worker, naming it.

**Until idle** (``until_idle=True``): a thread ends once no job and no outbox entry is due
*now*, neither claimable nor held by another claimant (whose lease it waits out: a dead
worker's jobs and entries are taken over, not abandoned). Jobs due later, timers mostly, do
not keep it running: what remains then waits for a person, a timer or an operator. A job that
failed and was given back with a back-off counts as due later, and so does an outbox entry
waiting for its next attempt.

**Between polls**, before each claim, a thread calls what was registered for its engine with
:func:`between_polls` (``wfengine worker``'s engines look for an organisation ``wfengine org
load`` replaced: :mod:`wfengine.worklist.org_watch`), so a long-running worker takes up a change
stored in the database without a restart, at the cost of one short read a second.

**Database faults**: the store already retries a failing transaction with backoff; when it
gives up (:class:`~wfengine.errors.StoreUnavailableError`) a worker running until idle raises
it (a script wants an answer), and a long-running one logs it (an ERROR, ``...; trying again
in N s``) and tries again later, and once a round of that thread succeeds again logs
``the database is reachable again after N s`` (a WARNING, seen wherever its ERROR lines are;
once per outage and thread). An
asynchronous application's answer whose commit meets the outage (the call was made) is kept
and applied once the database is back: a long-running worker waits for it until stopped (so
under ``wfengine worker`` an outage longer than the job timeout, counted from the job's
start, gets the job's process killed as a job running too long), one running until idle a
minute (:data:`~wfengine.runtime.prepared_jobs.OUTAGE_PATIENCE`) and then raises; neither
waits when the database refused the work (read-only, full, a login refused: nothing a wait
cures). Given up, the answer is audited as discarded if the database lets it. A
SQLite file deleted or replaced under a worker ends it, running until idle or not: no thread
claims another job, and :meth:`Worker.run` raises a ``StoreUnavailableError`` naming the file.
"""

from __future__ import annotations

import logging
import math
import sys
import threading
import time
import weakref
from collections.abc import Callable
from datetime import timedelta
from types import FrameType

from wfengine.errors import StoreError, StoreUnavailableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.host_arguments import check_flag
from wfengine.runtime.job_arguments import checked_lease
from wfengine.runtime.jobs import DEFAULT_LEASE
from wfengine.runtime.sql.sqlite_file import store_file_problem

_log = logging.getLogger("wfengine.worker")

#: longest back-off after the database failed, for a long-running worker
MAX_OUTAGE_WAIT = 30.0
#: how often (seconds) a running worker logs what it did, when it did something
REPORT_EVERY = 10.0
#: seconds of work a thread claims at once (see the module notes)
HOLD = 0.5

#: engine -> what a worker thread calls with it before each claim (see :func:`between_polls`);
#: weak, so an engine closed and dropped takes its hooks along
_BETWEEN_POLLS: weakref.WeakKeyDictionary[Engine, list[Callable[[Engine], None]]] = (
    weakref.WeakKeyDictionary()
)
_hooks_lock = threading.Lock()


def between_polls(engine: Engine, hook: Callable[[Engine], None]) -> None:
    """Have a :class:`Worker` thread running on ``engine`` call ``hook(engine)`` before each
    claim of jobs (once per poll or batch, never inside a command).

    Why a registry beside the engine rather than an argument of the worker: whoever opens the
    engine knows what it must keep up to date (the CLI's engines: the stored organisation),
    while the worker is given only ``make_engine``. A hook that raises
    :class:`~wfengine.errors.StoreUnavailableError` counts as a database outage (logged,
    tried again later); another exception fails the worker, so a hook handles its own.
    """
    with _hooks_lock:
        _BETWEEN_POLLS.setdefault(engine, []).append(hook)


def _hooks(engine: Engine) -> tuple[Callable[[Engine], None], ...]:
    with _hooks_lock:
        return tuple(_BETWEEN_POLLS.get(engine, ()))


class Worker:
    """Run due jobs with ``concurrency`` threads, each on an engine from ``make_engine``.

    ``make_engine`` is called once per thread, in that thread. An engine it constructs is the
    worker's, closed when its thread ends; one that existed before the call (the host's own,
    ``lambda: engine``) stays open for the host to go on using, and can serve one thread only
    (the same engine returned to two threads fails the worker). ``lease``: how long a claim
    holds a job (renewed while it is held); ``poll``: the longest idle sleep in seconds;
    ``batch``: the most jobs one thread claims at once (fewer when its jobs take long).
    A worker runs again after it ended (see the module notes, "Running again").
    """

    def __init__(
        self,
        make_engine: Callable[[], Engine],
        *,
        concurrency: int = 1,
        lease: timedelta = DEFAULT_LEASE,
        poll: float = 1.0,
        batch: int = 10,
        until_idle: bool = False,
    ) -> None:
        _check_types(make_engine, concurrency, lease, poll, batch)
        # (until_idle="no" ended the threads once idle: a flag is True or False)
        check_flag(until_idle, "until_idle", "Worker")
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency}")
        if lease <= timedelta(0) or not 0 < poll < math.inf or batch < 1:
            raise ValueError("lease and poll must be positive (poll finite) and batch at least 1")
        _check_bounds(lease, poll)
        self.make_engine = make_engine
        self.concurrency = concurrency
        self.lease = lease
        self.poll = poll
        self.batch = batch
        self.until_idle = until_idle
        #: the stop request of the run under way, or of the next one (replaced as a run ends)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._running = False
        self._engines: list[Engine] = []
        #: jobs run so far, by all threads
        self.ran = 0
        #: outbox entries settled so far (delivered, skipped, failed or rescheduled)
        self.delivered = 0

    def stop(self) -> None:
        """Ask every thread to finish its current job and end (returns at once); made while
        no run is under way, it stops the next run at once."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Run until :meth:`stop` (or idle, with ``until_idle``); raises a thread's failure.

        The first thread that fails (the database gone while running until idle, a bug)
        stops the others, and its exception is raised here once all have ended. Ctrl-C
        (``KeyboardInterrupt``) here stops the threads as :meth:`stop` does and is raised once
        their current jobs have finished; a second one raises at once, abandoning them.

        Each run starts afresh (a failure is raised by its own run only); a run while another
        is under way is refused with a ``RuntimeError``.
        """
        stop, errors = self._begin()
        try:
            self._run(stop, errors)
        finally:
            with self._lock:  # the next run starts afresh: a stop() from now on is for it
                self._stop = threading.Event()
                self._running = False
        if errors:
            raise errors[0]

    def _begin(self) -> tuple[threading.Event, list[BaseException]]:
        """This run's stop request and list of failures, or a refusal while a run is under way.

        Why each run has its own: the threads of a run a second Ctrl-C abandoned may go on a
        while, and what they set or add must stop or fail that run, not the next."""
        with self._lock:
            if self._running:
                raise RuntimeError(
                    "Worker.run: this Worker is already running (run() was called again "
                    "before the first returned); wait for it to return, or make a second "
                    "Worker (or raise concurrency) to run more threads"
                )
            self._running = True
            return self._stop, []

    def _run(self, stop: threading.Event, errors: list[BaseException]) -> None:
        """One run: the threads, stopped by ``stop``, adding their failures to ``errors``."""
        ended = [threading.Event() for _ in range(self.concurrency)]
        threads = [
            threading.Thread(
                target=_ending,
                args=(lambda: self._thread(stop, errors), done),
                name=f"wfengine-worker-{n}",
                daemon=True,
            )
            for n, done in enumerate(ended, start=1)
        ]
        # the leases are renewed until the threads have ended, not only until a stop: a thread
        # finishing its job after stop() (or Ctrl-C) must not lose it to another worker
        threads_ended = threading.Event()
        renewer = threading.Thread(
            target=self._renew, args=(threads_ended,), name="wfengine-leases", daemon=True
        )
        renewer.start()
        for thread in threads:
            thread.start()
        try:
            try:
                _join(threads)
            except KeyboardInterrupt:
                # Ctrl-C stops as stop() does: the threads are daemons, and leaving them inside
                # their jobs would leave those jobs leased to a process about to exit. (Their own
                # flags tell when they end: a join that Ctrl-C interrupted may have marked a
                # running thread as ended, is_alive() False.)
                if all(done.is_set() for done in ended):
                    raise
                _log.warning(
                    "interrupted: finishing the current job(s), then stopping "
                    "(Ctrl-C again abandons them)"
                )
                stop.set()
                while not all(done.is_set() for done in ended):
                    time.sleep(0.05)  # a second Ctrl-C raises here: the jobs are abandoned
                if errors:
                    _log.error("a worker thread failed while stopping: %s", errors[0])
                raise
        finally:
            stop.set()
            threads_ended.set()
            renewer.join(timeout=5)

    # -- one thread ------------------------------------------------------------------------

    def _thread(self, stop: threading.Event, errors: list[BaseException]) -> None:
        def fail(exc: BaseException) -> None:
            with self._lock:
                errors.append(exc)
            stop.set()

        try:
            engine, made = made_by(self.make_engine)
        except BaseException as exc:
            fail(exc)
            return
        returned: object = engine
        if not isinstance(returned, Engine):  # (was a bare AttributeError in the thread)
            fail(
                TypeError(
                    f"Worker: make_engine returned {_named(returned)}, not an Engine: have it "
                    "open a new Engine each time it is called (lambda: Engine(db_url=url))"
                )
            )
            return
        with self._lock:
            shared = any(other is engine for other in self._engines)
            if not shared:
                self._engines.append(engine)
        if shared:
            fail(
                ValueError(
                    "Worker: make_engine returned the same Engine to two threads; an Engine "
                    "serves one thread: have make_engine open a new one on the same database "
                    "each time it is called"
                )
            )
            return
        patience = engine._patience
        try:
            _log.info(
                "worker thread %s runs jobs as %s",
                threading.current_thread().name,
                engine.worker_id,
            )
            if not self.until_idle:  # stop() ends its wait for the database: no other bound
                engine._patience = None
            self._loop(engine, stop)
        except (SystemExit, KeyboardInterrupt) as exc:
            # not a stop (signals reach the main thread, and stop() is how one is asked):
            # code this thread ran raised it (a job's is its incident), a failure to report
            failure = RuntimeError(f"{type(exc).__name__}({exc}) raised in a worker thread")
            failure.__cause__ = exc
            fail(failure)
        except BaseException as exc:
            fail(exc)
        finally:
            engine._patience = patience  # (the host's own engine: as it was)
            with self._lock:
                self._engines.remove(engine)
            if made:  # the host's engine (``lambda: engine``) stays open: it is the host's
                engine.close()

    def _loop(self, engine: Engine, stop: threading.Event) -> None:
        outage = 0
        down_since = 0.0  # (when this thread's current outage began)
        reported_at = time.monotonic()
        ran_since = sent_since = 0
        per_job: float | None = None  # seconds a job of this thread takes, smoothed
        hooks = _hooks(engine)
        while not stop.is_set():
            # a SQLite file deleted under the worker: every command is refused from then on
            # (sqlite_file), and nothing may be made in its place: stop, saying so (the
            # database cannot be used, as for an outage, but no waiting cures this one)
            if (gone := store_file_problem(engine.store)) is not None:
                raise StoreUnavailableError(gone)
            counted = engine.jobs_ran  # (a batch an outage ends returns no count)
            try:
                for hook in hooks:
                    hook(engine)
                began = time.monotonic()
                ran = engine.run_due_jobs(
                    limit=claim_size(per_job, self.batch),
                    lease=self.lease,
                    should_stop=stop.is_set,
                    deliver=False,
                )
                if ran:
                    took = (time.monotonic() - began) / ran
                    per_job = took if per_job is None else 0.7 * per_job + 0.3 * took
                sent = engine.deliver_outbox(limit=self.batch, should_stop=stop.is_set)
                if outage:  # said once: the ERROR lines stop, and nothing else says it is over
                    back = time.monotonic() - down_since
                    _log.warning("the database is reachable again after %.0f s", back)
                outage = 0
                if ran or sent:
                    with self._lock:
                        self.ran += ran
                        self.delivered += sent
                    ran_since += ran
                    sent_since += sent
                    now = time.monotonic()
                    if now - reported_at >= REPORT_EVERY:
                        _log.info(
                            "ran %d jobs and settled %d outbox entries in the last %.0f s",
                            ran_since,
                            sent_since,
                            now - reported_at,
                        )
                        reported_at, ran_since, sent_since = now, 0, 0
                    continue
                if engine.has_work():
                    stop.wait(0.01)  # another claimant holds the rows for a moment
                    continue
                if self.until_idle and not _work_due(engine):
                    _log.info("no job is due: idle, stopping")  # (nor an outbox entry)
                    return
                stop.wait(self._idle_wait(engine))
            except StoreError as exc:
                with self._lock:  # the jobs of the batch committed before the failure ran
                    self.ran += engine.jobs_ran - counted
                # the file gone, a new connection is refused (sqlite_file) with a StoreError,
                # and an outage's retries would not cure it: the database cannot be used
                if (gone := store_file_problem(engine.store)) is not None:
                    said = str(exc)
                    raise StoreUnavailableError(said if gone in said else gone) from exc
                if self.until_idle or not isinstance(exc, StoreUnavailableError):
                    raise
                if not outage:
                    down_since = time.monotonic()
                outage += 1
                wait = min(MAX_OUTAGE_WAIT, 2.0**outage)
                _log.error("%s; trying again in %.0f s", exc, wait)
                stop.wait(wait)

    def _idle_wait(self, engine: Engine) -> float:
        """Seconds to sleep: until the next job or outbox entry is due, at most ``poll``."""
        times = [t for t in (engine.next_due_at(), engine.outbox.due_at()) if t is not None]
        if not times:
            return self.poll
        due = min(times)
        ahead = (due - engine.clock.now()).total_seconds()
        return min(self.poll, max(ahead, 0.01))

    # -- leases ------------------------------------------------------------------------------

    def _renew(self, until: threading.Event) -> None:
        every = max(self.lease.total_seconds() / 3, 0.05)
        while not until.wait(every):
            with self._lock:
                engines = list(self._engines)
            for engine in engines:
                held = engine.held_jobs()
                if not held:
                    continue
                try:
                    kept = engine.renew_leases(held, lease=self.lease)
                except Exception as exc:  # the job's own commit will tell; keep renewing
                    _log.warning("could not renew leases of %s: %s", engine.worker_id, exc)
                    continue
                # a job finished meanwhile is gone, not lost: only still-held ones count, and
                # of those, the ones still stored (a job's commit deletes it a moment before
                # the thread that ran it lets go of it)
                lost = sorted((set(held) & set(engine.held_jobs())) - set(kept))
                lost = [job_id for job_id in lost if _still_stored(engine, job_id)]
                if lost:
                    _log.warning("%s lost the leases of %s", engine.worker_id, ", ".join(lost))


def _ending(target: Callable[[], None], ended: threading.Event) -> None:
    """Run ``target``, then set ``ended`` (however it ends)."""
    try:
        target()
    finally:
        ended.set()


def _join(threads: list[threading.Thread]) -> None:
    """Wait for ``threads`` to end, in short joins, so that a signal handler in the main
    thread (and Ctrl-C) runs promptly."""
    while any(t.is_alive() for t in threads):
        for thread in threads:
            thread.join(timeout=0.2)


def _check_types(
    make_engine: object, concurrency: object, lease: object, poll: object, batch: object
) -> None:
    """Refuse arguments of the wrong type here, naming them: they used to be taken and fail
    later as a bare TypeError from a comparison (``lease=60``) or in a thread (an Engine given
    as ``make_engine``, ``concurrency=2.5``)."""
    if not callable(make_engine):
        raise TypeError(
            f"Worker takes make_engine, a function returning a new Engine for each thread "
            f"(lambda: Engine(db_url=url)), not {_named(make_engine)}"
        )
    for name, value in (("concurrency", concurrency), ("batch", batch)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"Worker({name}=...) takes a whole number, not {_named(value)}")
    if not isinstance(lease, timedelta):
        raise TypeError(
            f"Worker(lease=...) takes a timedelta, not {_named(lease)} "
            "(lease=timedelta(seconds=60))"
        )
    if isinstance(poll, bool) or not isinstance(poll, int | float):
        raise TypeError(f"Worker(poll=...) takes a number of seconds, not {_named(poll)}")


def _check_bounds(lease: timedelta, poll: float) -> None:
    """Refuse a ``lease`` over :data:`~wfengine.runtime.job_arguments.MAX_LEASE` and a
    ``poll`` over ``threading.TIMEOUT_MAX``, naming them: they were taken, then ``run()``
    failed with a bare ``OverflowError`` (a lease's end past the last date a ``datetime``
    holds, a sleep longer than the platform waits) and the lease renewer's thread died with a
    traceback of its own."""
    checked_lease(lease, "Worker")
    if poll > threading.TIMEOUT_MAX:
        raise ValueError(
            f"Worker(poll=...) is at most {threading.TIMEOUT_MAX:g} seconds "
            f"(threading.TIMEOUT_MAX), not {poll:g}: it is the longest idle sleep between "
            "looks for due work, a second or so"
        )


def _named(value: object) -> str:
    """A refused value as a message names it: its repr (cut short) and its type."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def made_by(make_engine: Callable[[], Engine]) -> tuple[Engine, bool]:
    """Call ``make_engine``; also tell whether the engine it returned was constructed during
    the call (in this thread): such an engine is the worker's, to close when its thread ends.

    Why watch the construction rather than close whatever comes back: a host that hands its
    own engine over (``Worker(lambda: engine, until_idle=True).run()``) goes on using it
    afterwards (its sessions, its virtual clock's timers), and nothing on an engine says who
    made it. A profile function on this thread only, for this call only, sees every
    ``Engine.__init__`` that runs (a subclass's, ``Engine.from_url``, the CLI's engines) at
    the cost of a little overhead once per thread. When the thread already has one (a
    profiler), it is left alone and the engine is taken for the worker's, as before.
    """
    if sys.getprofile() is not None:
        return make_engine(), True
    init = Engine.__init__.__code__
    born: list[object] = []

    def watch(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code is init:
            born.append(frame.f_locals.get("self"))

    sys.setprofile(watch)
    try:
        engine = make_engine()
    finally:
        sys.setprofile(None)
    return engine, any(candidate is engine for candidate in born)


def _still_stored(engine: Engine, job_id: str) -> bool:
    try:
        return engine.store.job(job_id) is not None
    except Exception:  # the database is away: say so as before
        return True


def _work_due(engine: Engine) -> bool:
    """Is a job or an outbox entry due now, even one another claimant holds (or died
    holding: its lease will run out)?"""
    if engine.has_work(leased=True):
        return True
    due = engine.outbox.due_at(leased=True)
    return due is not None and due <= engine.clock.now()


def claim_size(per_job: float | None, batch: int) -> int:
    """How many jobs a thread claims: about :data:`HOLD` seconds of them at the pace it ran
    them so far (one while it has run none), from one to ``batch``."""
    if per_job is None:
        return 1
    return max(1, min(batch, int(HOLD / max(per_job, 1e-6))))
