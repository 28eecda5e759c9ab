"""The engine's job commands: claim due jobs and run each as its own command.

Jobs are timers (deadlines), ``continue`` work deferred to workers, and ``invoke`` calls of
asynchronous applications (:mod:`wfengine.runtime.tools`). A job's effect is committed with
its deletion, so it happens once even when two claimants race; a job that fails becomes an
incident on its instance and is parked until the incident is retried, so a worker never dies
of a job. ``job_observer`` lets a worker supervisor in another process follow the jobs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime, timedelta

from wfengine.errors import (
    ConcurrencyError,
    EngineInUseError,
    NotFoundError,
    StoreUnavailableError,
    WorkflowError,
)
from wfengine.runtime import call_watch, job_claims
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.clock import later, require_aware
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.engine_threads import Unrun, firing_elsewhere, held_elsewhere, held_here
from wfengine.runtime.host_arguments import check_flag, check_user
from wfengine.runtime.id_arguments import check_id
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.invoke_jobs import abandoned_call, own_call, still_held, stopped_calling
from wfengine.runtime.job_arguments import instance_names, job_filters, job_id_names, renewal
from wfengine.runtime.job_kinds import as_call, call_reporter
from wfengine.runtime.job_kinds import default_job_handlers as default_job_handlers
from wfengine.runtime.jobs import DEFAULT_LEASE, JOB_INVOKE, JOB_REMINDER, JOB_TIMER, PARKED, Job
from wfengine.runtime.outbox_delivery import delivery_limit
from wfengine.runtime.prepared_jobs import OUTAGE_PATIENCE, PREPARED_ROUNDS, apply_prepared
from wfengine.runtime.queries import check_instance_filter
from wfengine.runtime.snapshots import JobSnapshot, copy_snapshot
from wfengine.runtime.states import ProcessState
from wfengine.runtime.stored_text import failure_text

_log = logging.getLogger("wfengine.engine")

#: (re-exported: tests lose that many races on purpose)
_PREPARED_ROUNDS = PREPARED_ROUNDS


class JobCommands(EngineBase):
    """Running due jobs (:class:`~wfengine.runtime.engine.Engine` mixes this in)."""

    #: the engine's clock is a :class:`~wfengine.runtime.clock.VirtualClock`: the engine
    #: fires the timers itself, as the clock moves and as commands set them already due
    _virtual_clock: bool
    #: the thread running :meth:`fire_due_timers` (0: none). A timer one of its firings sets
    #: already due is its own next round, not a nested call; another thread's job runs and
    #: deliveries leave the engine to it (:mod:`~wfengine.runtime.engine_threads`)
    _firing_thread: int = 0
    #: the running :meth:`run_due_jobs`'s ``should_stop``, and how long (s) an answer kept
    #: through an outage waits for the database (None: until a stop; :mod:`.prepared_jobs`)
    _should_stop: Callable[[], bool] | None = None
    _patience: float | None = OUTAGE_PATIENCE
    #: how many jobs this engine ran, counted as each runs (before the job observer is told
    #: its end, so a supervised worker reports each job as it ends): a run that raises (an
    #: outage) returns no count, and a worker still tells the jobs it committed before
    jobs_ran: int = 0

    def fire_due_timers(self, instances: Collection[str] | None = None) -> int:
        """Fire every timer (deadlines, work-item reminders) due now, each as its own command
        (only those of ``instances``, when given); returns how many fired.

        Timers of suspended instances wait (``resume`` fires them: those of the instances it
        resumed, not every due timer of the database). While a command of another thread
        holds this engine (a virtual clock shared by engines of several threads, moved in
        one of them), its timers wait for that thread, which fires them after its command:
        0 here, and nothing raised into the clock's move (:mod:`~wfengine.runtime.
        engine_threads`). A closed engine refuses it (``IllegalStateError``), as every
        command; a virtual clock's move calls :meth:`_clock_moved` instead.
        """
        instances = instance_names(instances, "fire_due_timers")
        self._refuse_closed()
        if held_here(self):
            self._timers_waiting = True  # a clock moved by an application: after the commit
            return 0
        if self._leave_to_holder():
            return 0
        fired = 0
        me = threading.get_ident()
        outer = self._firing_thread == me
        if not outer:
            self._firing_thread = me
        try:
            while True:  # a firing may set a timer already due (a repeating cycle caught up)
                try:
                    ran = self.run_due_jobs(
                        limit=1_000_000, kinds=(JOB_TIMER, JOB_REMINDER), instances=instances
                    )
                except EngineInUseError:
                    # another thread's command took the engine between two firings: the
                    # job about to run went back unrun, and the timers are that thread's
                    if held_here(self):
                        raise
                    if self._leave_to_holder():
                        return fired
                    continue  # (its command ended meanwhile)
                fired += ran
                if not ran:
                    return fired
        finally:
            if not outer and self._firing_thread == me:
                self._firing_thread = 0

    def _clock_moved(self) -> int:
        """What a :class:`~wfengine.runtime.clock.VirtualClock` calls after each move: the due
        timers fired (:meth:`fire_due_timers`), and nothing (0) on a closed engine. Why a
        callback of its own: the clock lists its subscribers and then calls them, so a move in
        another thread may call an engine that closed in between (a Worker's thread ending),
        which must not raise into the move; a host's own call of ``fire_due_timers`` on a
        closed engine is refused, as every command on it is."""
        if self._closed:
            return 0
        return self.fire_due_timers()

    def _leave_to_holder(self) -> bool:
        """Leave the due timers to the thread whose command holds this engine, if one does
        (True): it fires them after its command (``_timers_waiting``).

        Why the flag is set before the lock is looked at: that thread releases the lock and
        then reads the flag, so either it sees the flag, or this thread sees the lock free
        and fires the timers itself; never neither."""
        if not self._command_lock.locked():
            return False
        self._timers_waiting = True
        return held_elsewhere(self)

    def _timers_after_command(self) -> None:
        self._timers_waiting = False
        if self._firing_thread != threading.get_ident():  # else its next round fires them
            self.fire_due_timers()

    def run_due_jobs(
        self,
        owner: str | None = None,
        limit: int = 100,
        *,
        kinds: Sequence[str] | None = None,
        lease: timedelta = DEFAULT_LEASE,
        should_stop: Callable[[], bool] | None = None,
        deliver: bool | None = None,
        instances: Collection[str] | None = None,
    ) -> int:
        """Claim up to ``limit`` due jobs and run each as its own command, then deliver the
        outbox entries due; returns how many jobs ran.

        ``owner`` names the claimant in the leases (default: :attr:`worker_id`); ``kinds``
        restricts the claim (``("timer",)``), and ``instances`` to those instances' jobs. A
        job is deleted in the same transaction as the step it caused, so its effect happens
        once even when two claimants race (the loser's commit conflicts, it re-reads, finds
        the job gone and does nothing). A job whose run keeps losing races with other
        engines is given back with a back-off of ``2**attempts`` seconds (at most an hour),
        but for an asynchronous application's call, which was made: its answer is applied
        again, the job still held, and only after many lost rounds audited as discarded
        (``application.discarded``) and the job given back; one that fails in any other way
        (but the database unavailable, raised: after a minute's wait for an answer made,
        :func:`~.prepared_jobs.apply_prepared`) becomes an incident on its instance, parked
        until the incident is retried (:meth:`abandon_job`): a worker never dies of a job,
        and a job that fails does not fail again in every worker that picks it up. One whose
        instance cannot be read even to record the incident (stored by a newer wfengine) is
        logged and given back with the back-off, as is a job of a kind this engine has no
        handler for (another engine's: it waits for one that has). A job whose row, or whose
        instance's row, cannot be read at all (edited by hand: not JSON, not a time) is not
        claimed: it stays queued, named once in a warning, and the others run (no exception
        for another instance's row; see :mod:`~wfengine.runtime.sql.job_queue`).

        ``should_stop`` is asked before each job; once it says yes, the jobs not yet run are
        given back at once (a worker shutting down finishes only the job it is running). A
        job given back unrun was no attempt: its claim is not counted (an asynchronous
        application's retries are counted from a job's claims).
        ``SystemExit`` or ``KeyboardInterrupt`` raised by a job stops the run (the job given
        back; an asynchronous call that raised it failed first) in the main thread, where it
        may be a signal handler's; in any other thread it is the job's failure, as above.
        While jobs are claimed, :meth:`held_jobs` names them, so another thread can renew
        their leases.

        ``deliver``: afterwards, deliver every outbox entry due now to the handlers of
        :attr:`outbox` (:meth:`Outbox.deliver <wfengine.runtime.outbox_delivery.Outbox.
        deliver>`), so a host that runs its jobs this way gets its deliveries without a
        worker. By default a general run (no ``kinds``) delivers and a run of some kinds of
        jobs only (``fire_due_timers``) does not. True or False, else a ``TypeError``
        (``deliver="no"`` delivered).
        """
        self._refuse_closed()
        if deliver is not None:
            check_flag(deliver, "deliver", "run_due_jobs")
        limit, kinds, instances = job_filters(limit, kinds, instances, self.job_handlers, lease)
        owner = check_user(owner or self.worker_id, "owner", "run_due_jobs")
        if self._command_lock.locked():  # before claiming: a job claimed must be run
            if firing_elsewhere(self):
                return 0  # a virtual clock's move runs this engine's timers in its thread
            raise self._reentry_error()
        # close waits for this run's job (an asynchronous call runs outside any command) and
        # for its delivery (the handler in progress recorded, the rest given back: Outbox)
        self._jobs_begin()
        claimed: Sequence[Job] = []
        ran = 0
        try:
            outer = self._lease, self._should_stop  # (a long run's stretches: as long)
            self._lease, self._should_stop = lease, should_stop
            try:
                now = self.clock.now()
                until = later(now, lease)
                claimed = self.store.claim_jobs(owner, now, until, limit, kinds, instances)
                observe = self.job_observer
                if observe is not None and claimed:
                    observe("claimed", owner, claimed)
                with self._held_lock:
                    self._held.update(j.id for j in claimed)
                for n, job in enumerate(claimed):
                    if (should_stop is not None and should_stop()) or self._closed:
                        for left in claimed[n:]:
                            with contextlib.suppress(WorkflowError):
                                self.store.release_job(left.id, owner)
                        if observe is not None:
                            observe("end", owner, claimed[n:])
                        break
                    try:
                        if self._run_held(job, owner, count=True):
                            ran += 1
                    except EngineInUseError:  # another thread took the engine: job given back
                        self._leave(claimed[n + 1 :], owner, gone=False)
                        if firing_elsewhere(self):
                            break  # the clock's thread fires timers: no failure of this run
                        raise
                    except BaseException as exc:  # the run ends here: the jobs after it too
                        self._leave(
                            claimed[n + 1 :], owner, gone=isinstance(exc, StoreUnavailableError)
                        )
                        raise
            finally:
                self._lease, self._should_stop = outer
                with self._held_lock:
                    self._held.difference_update(j.id for j in claimed)
            delivering = kinds is None if deliver is None else deliver
            if delivering and not (should_stop and should_stop()) and not self._closed:
                # (the engine taken by another thread meanwhile: the jobs ran, delivery waits)
                with contextlib.suppress(EngineInUseError):
                    self.outbox.deliver(owner=owner, should_stop=should_stop)
        finally:
            self._jobs_end()
        return ran

    def _run_held(self, job: Job, owner: str, *, count: bool = False) -> bool:
        """Run ``job``, which ``owner`` holds (claimed, or a long run's next stretch), telling
        the job observer it starts, each synchronous call it makes, and its end; it is no
        longer held once it ends. ``count``: a run that ran counts in :attr:`jobs_ran`."""
        observe = self.job_observer
        watcher = None
        if observe is not None:
            observe("start", owner, [job])
            watcher = call_reporter(observe, owner, job)
        try:
            with call_watch.watching(watcher), job_claims.claimed(job, self.store):
                ran = self._run_claimed(job, owner)
            if ran and count:
                self.jobs_ran += 1
            return ran
        finally:
            with self._held_lock:
                self._held.discard(job.id)
            if observe is not None:
                observe("end", owner, [job])

    def _leave(self, jobs: Sequence[Job], owner: str, *, gone: bool) -> None:
        """Jobs claimed but not run by a run that ends early: given back (not when the
        database is ``gone``: their leases expire), and ended for the observer."""
        if not jobs:
            return
        if not gone:
            for left in jobs:
                with contextlib.suppress(WorkflowError):
                    self.store.release_job(left.id, owner)
        if self.job_observer is not None:
            self.job_observer("end", owner, jobs)

    def _run_claimed(self, job: Job, owner: str) -> bool:
        """Run ``job``, which ``owner`` holds, as its own command; True when it ran (or its
        failure became an incident). A job losing races is given back with a back-off; any
        other failure but the database being unavailable becomes an incident.

        When the run began is noted first: a call that failed before its command committed is
        audited as invoked then (as :meth:`abandon_job` dates one the supervisor stopped),
        not when the failure is recorded, which may be much later (a long call, a clock an
        application moved)."""
        began = self.clock.now()
        try:
            return self._run_job(job, owner)
        except Unrun as unrun:  # refused before anything ran: no attempt, no back-off
            with contextlib.suppress(WorkflowError):
                self.store.release_job(job.id, owner)
            raise unrun.refusal from None
        except StoreUnavailableError:
            raise
        except ConcurrencyError as exc:  # transient: another engine kept winning
            _log.warning("job %s (%s) lost its races: %s", job.id, job.kind, exc)
            self._give_back(job, owner)
            return False
        except Exception as exc:  # a worker never dies of a job: an incident
            return self._failed_claimed(job, owner, exc, began)
        except (SystemExit, KeyboardInterrupt) as exc:
            if threading.current_thread() is threading.main_thread():
                self._give_back(job, owner)  # maybe a signal handler's: a stop
                raise
            # signals reach only the main thread: here the job raised it (an application
            # calling sys.exit), which fails the job; it stops no worker
            return self._failed_claimed(job, owner, exc, began)
        except BaseException:
            self._give_back(job, owner)
            raise

    def _failed_claimed(self, job: Job, owner: str, exc: BaseException, began: datetime) -> bool:
        """The run of ``job`` (held by ``owner``), which ``began`` then, raised ``exc``: an
        incident on its instance (True); when even that fails (its instance cannot be read: a
        newer wfengine wrote it), logged and given back with the back-off (False). The
        database being unavailable is raised."""
        _log.error(
            "job %s (%s of instance %s) failed",
            *(job.id, job.kind, job.instance_id),
            exc_info=exc,
        )
        try:
            self._job_failed(job, failure_text(exc), began)
        except StoreUnavailableError:
            raise
        except Exception as why:
            delay = self._give_back(job, owner)
            _log.error(
                "job %s cannot become an incident on instance %s (%s: %s): given back, "
                "due again in %g s",
                *(job.id, job.instance_id, type(why).__name__, why, delay.total_seconds()),
            )
            return False
        return True

    def deliver_outbox(
        self, *, limit: int | None = None, should_stop: Callable[[], bool] | None = None
    ) -> int:
        """Deliver the outbox entries due now to :attr:`outbox`'s handlers; returns how many
        were settled or rescheduled (see :meth:`Outbox.deliver
        <wfengine.runtime.outbox_delivery.Outbox.deliver>`). ``limit``: None (every entry
        due) or a whole number not below zero (``TypeError``, ``ValueError`` otherwise)."""
        size = delivery_limit(limit, "deliver_outbox")
        return self.outbox.deliver(limit=size, should_stop=should_stop)

    def release_jobs(
        self, job_ids: Iterable[str], owner: str, *, started: Collection[str] = ()
    ) -> None:
        """Give back jobs ``owner`` claimed (a supervisor cleaning up after a worker process
        it stopped); jobs ``owner`` no longer holds are left alone.

        A job given back unstarted was no attempt: its claim's count is undone, so an
        asynchronous application's retries are not used up by calls never made. Those in
        ``started`` had begun running (a call may have been made when the worker was
        stopped): their attempt counts."""
        ids = job_id_names(job_ids, "release_jobs", "job_ids")
        begun = frozenset(job_id_names(started, "release_jobs", "started"))
        now = self.clock.now()
        for job_id in ids:
            with contextlib.suppress(WorkflowError):
                self.store.release_job(job_id, owner, now if job_id in begun else None)

    def held_jobs(self) -> list[str]:
        """Ids of the jobs the running :meth:`run_due_jobs` has claimed and not finished
        (safe to call from another thread, e.g. one renewing their leases)."""
        with self._held_lock:
            return sorted(self._held)

    def abandon_job(
        self,
        job_id: str,
        reason: str,
        *,
        started_at: datetime | None = None,
        call: CallInProgress | None = None,
    ) -> None:
        """Turn a job that cannot be run into an incident on its instance (whoever holds it).

        The job is parked, not deleted: retrying the incident makes it due again. A worker
        supervisor calls this for a job it stopped for running too long; nothing the job did
        was committed, so the instance is as it was before the job. ``started_at``: when its
        run began, if known: the ``application.invoked`` record of an ``invoke`` job's call,
        which its own command never committed, is dated then (else now, with the incident),
        as it is for a job whose run raised in the worker running it.

        ``call``: the synchronous application call the job was making when it was stopped
        (what its runner told the job observer, see :mod:`~wfengine.runtime.call_watch`),
        for a job of any kind: that attempt is audited (``application.invoked``, dated
        ``started_at``, and ``application.failed``) and the incident names its activity,
        application and attempt.

        An ``invoke`` job stopped while its own call was in progress (``call`` that call,
        not ended) is not an incident of the job: it is the call's failure, not retried, as
        an ``ApplicationTimeoutError``, which the activity's EXCEPTION transition takes, else
        a ``run`` incident (:func:`~wfengine.runtime.invoke_jobs.stopped_calling`).
        """
        check_id(job_id, "job_id", "job id", "abandon_job")
        if started_at is not None:
            require_aware(started_at, f"started_at of job {job_id!r}")
        job = self.store.job(job_id)
        if job is None:
            raise NotFoundError("job", job_id)
        stopped = stopped_calling(job, call)  # (its own call told: the job describes it)
        self._job_failed(job, reason, started_at, None if own_call(job, call) else call, stopped)

    def _job_failed(
        self,
        job: Job,
        reason: str,
        started_at: datetime | None = None,
        call: CallInProgress | None = None,
        stopped: bool = False,
    ) -> None:
        def body() -> None:
            current = self.store.job(job.id)
            if current is None:
                return  # carried out after all (or by another claimant)
            inst = self.store.instance(current.instance_id)
            nav = self._nav()
            if stopped and current.kind == JOB_INVOKE:  # its call's failure, not the job's
                nav.step.job_done = current.id
                began = nav.now if started_at is None else started_at
                abandoned_call(current, reason, began, nav.now).settle(nav, current, inst)
                self._commit(nav, defer=False)
                return
            during = ""
            if call is not None:
                during = (
                    f" while calling application {call.application_id!r} (attempt "
                    f"{call.attempt}) for activity {call.activity_id!r}"
                )
            message = (
                f"instance {inst.id!r}: job {current.id!r} ({current.kind}) failed{during}: "
                f"{reason}; retry the incident to run it again, or abort the instance"
            )
            failed = current if call is None else as_call(current, call, inst)
            nav.job_failed(inst, failed, message, started_at)
            self.store.commit(nav.step)

        self._command(body)

    def _give_back(self, job: Job, owner: str) -> timedelta:
        delay = timedelta(seconds=min(2.0 ** max(job.attempts, 0), 3600.0))
        with contextlib.suppress(WorkflowError):
            self.store.release_job(job.id, owner, later(self.clock.now(), delay))
        return delay

    def _run_job(self, job: Job, owner: str) -> bool:
        handler = self.job_handlers.get(job.kind)
        prepare = getattr(handler, "prepare", None)
        if prepare is not None:
            if held_elsewhere(self):
                raise Unrun(self._reentry_error())  # (its application is not called for nothing)
            # a job run before it (of this batch, or another claimant's) may have closed its
            # instance or activity, deleting it, or taken it over: then nothing is called
            if not still_held(self.store.job(job.id), owner):
                return False
            # the slow part (an application call) runs now, with no unit of work open; what
            # it gives is applied by the command below, which re-checks everything
            handler = prepare(self, job)
        discard = getattr(handler, "discard", None) if prepare is not None else None
        keep = getattr(handler, "keep", None) if prepare is not None else None
        unknown: list[Job] = []  # (a kind this engine has no handler for)
        entered = False  # (a command refused before its body ran changed nothing)

        def discarded(current: Job, inst: ProcessInstance, reason: str) -> None:
            """Audit a prepared result that the instance will not get."""
            if discard is not None:
                nav = self._nav()
                discard(nav, inst, current, reason)
                self.store.commit(nav.step)

        def body() -> bool:
            nonlocal entered
            entered = True
            current = self.store.job(job.id)
            if current is None or current.lock_owner != owner:
                # carried out already, or the lease was taken over
                if discard is not None:
                    gone = "gone" if current is None else "taken over by another claimant"
                    with contextlib.suppress(NotFoundError):
                        inst = self.store.instance(job.instance_id)
                        discarded(job, inst, f"the job was {gone}")
                return False
            inst = self.store.instance(current.instance_id)
            nav = self._nav()
            nav.step.job_done = current.id
            if inst.state.is_closed:
                if discard is not None:
                    discard(nav, inst, current, f"the instance is {inst.state.value}")
                self.store.commit(nav.step)  # nothing left to do: drop the job
                return False
            if inst.state is not ProcessState.RUNNING:
                if keep is not None and keep(nav, inst, current):
                    self.store.commit(nav.step)  # the answer waits with its job for resume
                    return False
                discarded(current, inst, f"the instance is {inst.state.value}")
                # runs again after resume; a prepared call was made (and audited), or a
                # synchronous one by a run of this command that lost a race: the claim counts
                made = discard is not None or job_claims.lost_race_calls()
                again = current.due if made else None
                self.store.release_job(current.id, owner, again)
                return False
            if handler is None:  # given back after the command, with the back-off
                unknown.append(current)
                return False
            handler(nav, current, inst)
            self._commit(nav, defer=False)  # running a job is running the work
            _log.debug("ran job %s (%s of instance %s)", current.id, current.kind, inst.id)
            return True

        if prepare is not None:
            ran = apply_prepared(
                self, job, owner, body, discarded, self._should_stop, self._patience
            )
            stop = getattr(handler, "stop", None)  # (the call's failure is committed now)
            if stop is not None and threading.current_thread() is threading.main_thread():
                raise stop  # maybe a signal handler's: a stop (see invoke_jobs._stopped)
            return ran
        try:
            ran = self._command(body, origin=job.id)
        except EngineInUseError as exc:
            if entered:
                raise
            raise Unrun(exc) from None
        if unknown:
            # another engine's kind (a newer wfengine's, a host's own handler): given back
            # at once, every worker without it claimed it again and again (many times a
            # second), so each give-back waits longer, as a job losing races does
            delay = self._give_back(job, owner)
            _log.warning(
                "job %s has kind %r, which this engine cannot run (it runs %s): given back, "
                "due again in %g s",
                *(job.id, job.kind, ", ".join(sorted(self.job_handlers)), delay.total_seconds()),
            )
        return ran

    def has_work(self, *, leased: bool = False) -> bool:
        """Is some job due now (a timer, deferred work) that a worker could run?

        ``leased=True`` counts due jobs that a claimant holds as well (they run once it
        finishes, or once its lease expires if it died): is any work due at all. True or
        False, else a ``TypeError`` (``leased="no"`` counted them).
        """
        if leased is not False:
            check_flag(leased, "leased", "has_work")
        return self.store.has_due_jobs(self.clock.now(), leased=leased)

    def next_due_at(self) -> datetime | None:
        """When the next job of a running instance becomes due (or its lease expires); None
        when none will, a job parked on its incident (due at ``PARKED``, where the engine's
        time ends: a virtual clock is refused that time) being never due."""
        due = self.store.next_due_at()
        return due if due is None or due < PARKED else None

    def _next_timer_due(self, after: datetime) -> datetime | None:
        """When a virtual clock moving on from ``after`` should stop next for this engine:
        the earliest job due later than ``after`` (None: none, or the engine is closed).

        A job already due that the moving clock does not run (work left for workers, an
        asynchronous call, a job another claimant holds) must not hide the later ones: then
        the store reads past the jobs due by ``after`` to the first later one
        (``Store.first_due_after``; it read and sorted every pending job)."""
        if self._closed:
            return None
        first = self.store.next_due_at()
        if first is None or first > after:
            return first
        return self.store.first_due_after(after)

    def renew_leases(
        self, job_ids: Iterable[str], owner: str | None = None, lease: timedelta = DEFAULT_LEASE
    ) -> list[str]:
        """Extend the leases of jobs being run; returns those still held (the others were lost,
        and whatever their run does will be rolled back at commit)."""
        ids, owner = renewal(job_ids, owner or self.worker_id, lease)
        return self.store.renew_leases(owner, ids, later(self.clock.now(), lease))

    def jobs(self, instance_id: str | None = None) -> list[JobSnapshot]:
        """Pending jobs (timers, deferred work), in due order: of the instance ``instance_id``
        (one that does not exist: :class:`~wfengine.errors.NotFoundError`), else of all."""
        check_instance_filter(self.store, instance_id, "jobs")  # an unknown id raises
        return [copy_snapshot(JobSnapshot, j) for j in self.store.jobs(instance_id)]
