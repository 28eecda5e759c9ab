"""What every engine command is built from: the collaborators, the unit of work, deployments.

:class:`EngineBase` holds an engine's collaborators (store, clock, ids, applications,
directory, limits) and the three steps every command takes: open a unit of work on the store
(:meth:`_command`, which runs a command again on fresh state when it lost a race with another
engine), let a :class:`~wfengine.runtime.navigation.Navigator` do the work that follows
(:meth:`_nav`), and commit what changed as one step (:meth:`_commit`). The commands themselves
are in :mod:`.engine` (instances), :mod:`.job_commands`, :mod:`.incident_commands` and
:mod:`.queries`; :class:`~wfengine.runtime.engine.Engine` puts them together.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, Self, TypeVar

from wfengine.applications.registry import ApplicationRegistry
from wfengine.errors import (
    ConcurrencyError,
    DeployError,
    EngineInUseError,
    IllegalStateError,
    NotFoundError,
    StoreUnavailableError,
    WorkflowError,
)
from wfengine.runtime import call_stops, job_claims
from wfengine.runtime.call_stops import stopping, take_stop
from wfengine.runtime.clock import Clock, VirtualClock, later
from wfengine.runtime.command_callbacks import reentry_error
from wfengine.runtime.command_origin import origin_of
from wfengine.runtime.context import SplitChooser
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.directory import Directory, adapt_directory
from wfengine.runtime.engine_threads import held_here
from wfengine.runtime.history import InstanceStateChanged, change
from wfengine.runtime.id_arguments import check_process_id
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import Incident, ProcessInstance
from wfengine.runtime.jobs import DEFAULT_LEASE, Job
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.lost_calls import (
    Unaudited,
    attempts,
    carry,
    lost_calls,
    note_lost,
    record_lost_calls,
    take_back,
)
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.outbox import OUTBOX_ID_KIND, instance_state_entry
from wfengine.runtime.outbox_delivery import Outbox
from wfengine.runtime.run_budget import RunBudget, entered, leave_budget
from wfengine.runtime.states import ProcessState, check_process
from wfengine.runtime.store import Step, Store
from wfengine.runtime.store_users import release
from wfengine.runtime.tools import InvokeJobHandler
from wfengine.runtime.validity_refusals import not_in_its_place as _not_in_its_place
from wfengine.runtime.validity_refusals import valid_older

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.engine")


#: what running one kind of job does, inside the job's command
JobHandler = Callable[[Navigator, Job, ProcessInstance], None] | InvokeJobHandler
#: ``(event, owner, jobs)``: see ``Engine.job_observer``
JobObserver = Callable[[str, str, Sequence[Job]], None]


class EngineBase:
    """The collaborators and command helpers shared by the engine's command groups."""

    store: Store
    clock: Clock
    ids: IdGenerator
    applications: ApplicationRegistry
    _directory: Directory
    limits: RuntimeLimits
    worker_id: str
    job_handlers: dict[str, JobHandler]
    defer_automatic: bool
    split_chooser: SplitChooser | None
    job_observer: JobObserver | None
    outbox: Outbox
    max_conflict_retries: int
    _timer_seq: int
    _in_command: bool
    #: this engine, a count of its commands: origins on a memory store (``command_origin``)
    _tag: str
    _commands: int
    #: the running command's origin; "" until a call asks for a host's command's (``_command``)
    _origin: str
    #: the body of the running command, whose origin it is
    _origin_body: Callable[[], object] | None = None
    #: held while a command runs (a second one is refused, not queued)
    _command_lock: threading.Lock
    #: the store when its ``unit()`` is only a re-entrant lock, its ``turn_lock`` (the memory
    #: store's), which a command takes without waiting (read per command); else None
    _turned: Any
    #: the thread running the current command (meaningful while ``_in_command``)
    _command_thread: int
    #: the current command's mark (:mod:`~wfengine.runtime.command_callbacks`)
    _command_mark: object
    #: a virtual clock moved while a command ran: fire its due timers after the commit
    _timers_waiting: bool
    #: is the clock a :class:`~wfengine.runtime.clock.VirtualClock` (see :meth:`_commit`)
    _virtual_clock: bool = False
    #: ``continue`` jobs committed by stretches of long runs, to run once the command ends
    _stretched: list[Job]
    _carrying_on: bool
    #: the lease of the running claim (``run_due_jobs``' ``lease``): a stretch's ``continue``
    #: job is leased as long, so a worker renewing its held jobs' leases keeps it too
    _lease: timedelta = DEFAULT_LEASE
    _closed: bool
    _held: set[str]
    _held_lock: threading.Lock
    #: threads running claimed jobs (``run_due_jobs``, from its claim to its last job's end)
    #: -> how many runs each; ``close`` waits for them (:meth:`_jobs_begin`)
    _job_runs: dict[int, int] | None = None
    _jobs_ended: threading.Condition | None = None
    _refused: dict[str, DeployError]
    #: the step whose commit lost a race, with the error saying so (see :mod:`.lost_calls`)
    _lost: tuple[ConcurrencyError, Step] | None = None
    #: a command run again after a lost race: its lost runs' call records not stored yet,
    #: and those the current run's commits carry (instance id -> how many)
    _unaudited: Unaudited | None = None
    _carried: dict[str, int] | None = None

    @property
    def directory(self) -> Directory:
        """Who performs a participant's work (:mod:`wfengine.runtime.directory`)."""
        return self._directory

    @directory.setter
    def directory(self, value: Directory) -> None:
        # adapted as Engine(directory=...) adapts it: a new organisation set here (then
        # ``reoffer_work``) written for members(participant_id) failed every offer with a
        # TypeError, and an object without members() failed at the first offer, not here
        self._directory = adapt_directory(value)

    @property
    def in_command(self) -> bool:
        """Is a command running on this engine (a unit of work open)?"""
        return self._in_command

    @property
    def max_steps(self) -> int:
        """Automatic steps one command may take before it parks its work with an incident."""
        return self.limits.max_steps

    @max_steps.setter
    def max_steps(self, value: int) -> None:
        self.limits = replace(self.limits, max_steps=value)

    def close(self) -> None:
        """Give the store back: it is closed (its connections released) when no other engine
        uses it (:mod:`~wfengine.runtime.store_users`); a virtual clock that moves afterwards
        no longer fires timers through this engine (nor keeps it alive); a command is refused.

        A command running in another thread (a synchronous application call in flight) is let
        finish and commit first: ``close`` waits for it (closed under it, SQL refused the rest
        of the command after its application had run). Commands asked after ``close`` began are
        refused at once. Called from inside the running command (an application closing its
        engine, in the command's thread or in the engine's helper thread: a binding with
        ``timeout=``), it closes at once: it cannot wait for itself. A run of due jobs in
        another thread (``run_due_jobs``: an asynchronous call in flight, made with no command
        open) is waited for alike: its running job finishes, the jobs it claimed after that
        go back unrun; so is a delivery of the outbox (``deliver_outbox``, ``run_due_jobs``'):
        its handler in progress finishes, recorded, and the rest of its batch goes back."""
        self._closed = True  # (first: no command starts from here on)
        if isinstance(self.clock, VirtualClock):
            self.clock.unsubscribe(self._clock_moved)
        if held_here(self):  # (in the command's thread, or in a helper thread of its own)
            release(self.store, self)
            return
        here = threading.get_ident()
        with self._held_lock:  # (one lock with _jobs_begin's look at _closed)
            runs, ended = self._job_runs, self._jobs_ended
            if runs and ended is not None and here not in runs:
                ended.wait_for(lambda: not runs)
        if runs and here in runs:  # a job's own call closing the engine: not waited for
            release(self.store, self)
            return
        with self._command_lock:  # held by a running command until it has ended
            release(self.store, self)

    def _jobs_begin(self) -> None:
        """A run of claimed jobs (``run_due_jobs``) begins in this thread: refused once the
        engine is closed, else noted until :meth:`_jobs_end`. Why: an asynchronous call runs
        with no command open (the job's ``prepare``); ``close`` closed the store under it,
        refused the answer's command, and the application was called again. ``close`` now
        waits for the run's job, whose commands pass the refusal (:meth:`_refuse_closed`)."""
        here = threading.get_ident()
        with self._held_lock:
            self._refuse_closed()
            runs = self._job_runs
            if runs is None:
                runs = self._job_runs = {}
                self._jobs_ended = threading.Condition(self._held_lock)
            runs[here] = runs.get(here, 0) + 1

    def _jobs_end(self) -> None:
        """The run of claimed jobs :meth:`_jobs_begin` noted has ended: ``close`` may go on."""
        here = threading.get_ident()
        with self._held_lock:
            runs, ended = self._job_runs, self._jobs_ended
            assert runs is not None and ended is not None
            left = runs.pop(here) - 1
            if left:
                runs[here] = left
            elif not runs:
                ended.notify_all()

    def _refuse_closed(self) -> None:
        """A closed engine runs nothing: its commands, and what claims work (jobs, outbox
        entries) before any command, which would otherwise reopen a SQL store's connections."""
        if self._closed and not (
            self._job_runs and threading.get_ident() in self._job_runs  # (see _jobs_begin)
        ):
            raise IllegalStateError(
                "this engine", "closed (engine.close()): open a new Engine on its store", "run"
            )

    def fire_due_timers(self, instances: Collection[str] | None = None) -> int:
        raise NotImplementedError  # fire the timers due now (JobCommands)

    def _clock_moved(self) -> int:
        raise NotImplementedError  # a virtual clock's move: timers fired, none once closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def refusal(self, process_id: str) -> DeployError | None:
        """Why this engine's last deploy of a package refused ``process_id`` (None if not).

        A refusal lasts until a later deploy of ``process_id`` through this engine succeeds
        (stores or keeps a version of it). It is this :class:`Engine`'s own knowledge: a
        refused deploy writes nothing to the store, so another engine on the same database,
        or this program run again, sees only the stored versions and starts the newest valid
        one, as it did before that deploy."""
        check_process_id(process_id, "refusal")
        return self._refused.get(process_id)

    def latest(self, process_id: str) -> DeployedProcess | None:
        check_process_id(process_id, "latest")
        return self.store.deployment(process_id)

    def deployed(self, process_id: str, version: int | None = None) -> DeployedProcess:
        """Version ``version`` of ``process_id`` as stored; without ``version``, the one a
        start by process id means: the latest stored, unless this engine's latest deploy of
        ``process_id`` was refused (:meth:`refusal`): then that refusal, a
        :class:`~wfengine.errors.DeployError`, since the latest stored version is not what
        the host last deployed and silently starting it would run a definition the host
        replaced. A stored version asked by number is there all the same (the instances
        running on it, a start by ``version=``). Not deployed (nor is a number past 64 bits,
        which SQL drivers refused raw): a :class:`~wfengine.errors.NotFoundError` naming it."""
        check_process_id(process_id, "deployed")
        return self._deployed(process_id, version)

    def _deployed(self, process_id: str, version: int | None) -> DeployedProcess:
        """:meth:`deployed` of a ``process_id`` checked already (start_process checks it
        before its command: a second check per start before)."""
        if version is not None and type(version) is not int:  # ("1": "versions 1..1")
            raise TypeError(
                f"version of {process_id!r}: a whole number (1, 2, ...), not {version!r}"
            )
        if version is None and self._refused:
            refused = self._refused.get(process_id)
            if refused is not None:
                raise _not_in_its_place(self.store.versions(process_id), refused)
        held = version is None or abs(version) < 2**63  # (past 64 bits: stored by no one)
        found = self.store.deployment(process_id, version) if held else None
        if found is not None:
            return found
        refused = self._refused.get(process_id)
        if refused is not None:
            raise refused
        versions = self.store.versions(process_id)
        if not versions:
            known = ", ".join(self.store.deployed_process_ids()) or "none"
            raise NotFoundError("deployed process", process_id, f"deployed: {known}")
        raise NotFoundError("version", f"{process_id} v{version}", f"versions 1..{versions[-1]}")

    def startable(self, process_id: str, version: int | None = None) -> DeployedProcess:
        """The version of ``process_id`` a new instance starts on: ``version``, or the newest
        deployed version whose validity period (``ValidFrom``/``ValidTo``) holds now.
        :class:`~wfengine.errors.IllegalStateError` names the periods when none does (or
        ``version``'s does not); not deployed, or (without ``version``) refused by this
        engine's latest deploy of it: as :meth:`deployed`."""
        check_process_id(process_id, "deployed")
        return self._startable(process_id, version)

    def _startable(self, process_id: str, version: int | None) -> DeployedProcess:
        """:meth:`startable` of a ``process_id`` checked already (start_process's)."""
        deployed = self._deployed(process_id, version)
        if deployed.valid_from is None and deployed.valid_to is None:
            return deployed  # (most processes: no period to look at)
        now = self.clock.now()
        if deployed.valid_at(now):
            return deployed
        return valid_older(self.store, process_id, version, deployed, now)

    @property
    def command_origin(self) -> str:
        """What names the running command among all commands (see ``_command``)."""
        origin = self._origin
        if not origin and self._origin_body is not None:
            # asked by a call (most commands make none); a store gone with its process never
            # sees a command run again after a crash: the engine's tag and count will do
            if getattr(self.store, "outlives_process", True):
                origin = self._origin = origin_of(self._origin_body)
            else:
                self._commands += 1
                origin = self._origin = f"{self._tag}{self._commands:x}"
        return origin

    def _command(self, body: Callable[[], _T], origin: str | None = None) -> _T:
        """Run ``body`` as one command: a unit of work, retried whole after a lost race.

        A command cannot start inside another: an application, directory or listener that
        calls back into the engine running it, or a second thread on an engine that serves
        one, would write the instance half-way through the first command's changes. Both are
        refused with :class:`~wfengine.errors.EngineInUseError` before anything changes (an
        application's call then fails as any failure does). A virtual clock advanced inside
        a command is not a command: its timers fire once the command has committed
        (:meth:`_timers_after_command`).

        ``origin`` names the command among all commands (a job's id for the job's command;
        by default what the command is: its name and arguments, :func:`origin_of`), the same
        for every run of ``body``: application calls' idempotency keys are made of it. Not
        this engine's random tag and a count of its commands: a host that died before the
        command committed ran it again with other keys, and the application's service saw
        two calls where there was one (see :mod:`~wfengine.runtime.command_origin`).
        """
        if self._closed:
            self._refuse_closed()
        if not self._command_lock.acquire(False):  # (not waiting; positional: no keyword)
            raise self._reentry_error()
        # the command's budget is its mark (first: what it calls, in any thread, is inside),
        # made and entered in one call (three before: see run_budget.entered)
        mark = self._command_mark = entered(self.limits.max_run_work)
        self._in_command = True
        self._command_thread = threading.get_ident()
        self._origin = origin or ""
        self._origin_body = body
        # (a command run between a long run's stretches, a timer's, keeps the jobs before it)
        outer = None
        if self._carrying_on:
            outer, self._stretched = self._stretched, []
        elif self._stretched:  # (left by a command that failed after its commit)
            self._stretched = []
        try:
            try:
                # the memory store's turn taken as its unit() takes it when free, without
                # three Python calls (unit, __enter__, __exit__); else (held by another
                # engine's thread: a wait with a limit) and on any other store, its unit()
                turned = self._turned
                if turned is not None and (turn := turned.turn_lock).acquire(False):
                    try:
                        result = body()
                    finally:
                        turn.release()
                else:
                    with self.store.unit():
                        result = body()
            except ConcurrencyError as exc:  # the rare path, in a method of its own
                result = self._run_again(body, exc, mark)
        finally:
            token = mark._token
            if token is not None and mark._outer is None:  # (its __exit__, inline: a call)
                leave_budget(token)
                mark._token = None
            else:
                mark.__exit__()
            if outer:
                self._stretched[:0] = outer
            self._in_command = False
            self._command_lock.release()
            # a call's SystemExit or Ctrl-C, its incident committed (the memory store cannot
            # undo a command): see call_stops; the module's name first, the cheap look
            if call_stops.pending is not None and (stop := take_stop()) is not None:
                raise stop
        if self._stretched and not self._carrying_on:
            self._carry_on()
        if self._timers_waiting:
            self._timers_after_command()
        return result

    def _run_again(self, body: Callable[[], _T], lost: ConcurrencyError, budget: RunBudget) -> _T:
        """Run the command ``body`` again, each run a unit of work, after its run lost the
        race ``lost`` (another engine changed what it read): up to ``max_conflict_retries``
        runs, then a :class:`~wfengine.errors.ConcurrencyError` saying so.

        The synchronous application calls a lost run made were made all the same: they are
        audited (:mod:`~wfengine.runtime.lost_calls`: in the commit of the next run that
        changes their instance, else on their own once the command ends; never in a write
        of their own before that run, which made every other engine's command in flight on
        the instance lose its race too) and counted as attempts
        (:func:`~wfengine.runtime.job_claims.running_again`), so the run that makes a call
        again numbers it on. Apart from :meth:`_command` so that its path when nothing is
        lost (nearly always) costs what it did."""
        exc, attempt = lost, 0
        unaudited: Unaudited = {}
        self._unaudited = unaudited
        try:
            with job_claims.running_again():
                while True:
                    attempt += 1
                    if stopping():  # a call's SystemExit or Ctrl-C: not run again
                        raise exc
                    step, self._lost = self._lost, None
                    if step is not None and step[0] is exc:  # its calls were made
                        found = lost_calls(step[1])
                        job_claims.count_lost(attempts(found))
                        note_lost(self.store, found, unaudited)
                    if attempt > self.max_conflict_retries:
                        raise ConcurrencyError(
                            f"{exc}; the command lost {attempt} races in a row and changed "
                            "nothing: try it again"
                        ) from exc
                    _log.debug("lost a race with another engine; retrying (%d)", attempt)
                    # a burst of engines on one instance (many people completing their parts
                    # at once): a short random wait spreads the runs that follow
                    if attempt > 1:
                        time.sleep(random.uniform(0, 0.002 * 2 ** min(attempt, 8)))
                    self._stretched = []  # (those of a rolled-back run were never stored)
                    carried: dict[str, int] = {}
                    self._carried = carried
                    budget.again()  # (each run a budget of its own)
                    try:
                        with self.store.unit():
                            result = body()
                    except ConcurrencyError as again:
                        exc = again
                        continue
                    for instance_id in carried:  # committed with the run's changes
                        del unaudited[instance_id]
                    return result
        finally:
            self._unaudited = self._carried = None
            if unaudited:  # of instances no run committed a change to: on their own
                tries = self.max_conflict_retries + 1
                record_lost_calls(self.store, self._nav, unaudited, tries=tries)

    def _reentry_error(self) -> EngineInUseError:
        """Why a command may not start now that another runs on this engine."""
        return reentry_error(self._command_mark, self._command_thread)

    def _timers_after_command(self) -> None:
        """Fire the timers a command made due (JobCommands), now that it has committed."""
        raise NotImplementedError

    def _carry_on(self) -> None:
        """Run the rest of long runs: the ``continue`` jobs their stretches committed, each as
        a command of its own, leased to this engine (a crash leaves them to whichever worker
        claims them once the lease runs out). Each is held as a claimed job is
        (:meth:`held_jobs`, so a worker's lease keeper renews it however long the stretch
        takes) and told to the job observer as claimed, started and ended.

        The command that stretched is committed by now: the database failing a later
        stretch (full, locked, gone) is logged and the rest of the run left to a worker
        (given back, or its lease runs out), not raised as the command's failure: a host
        told "nothing was changed" would send the command again (a second instance for one
        request)."""
        stretched, self._stretched = self._stretched, []
        self._carrying_on = True
        owner = self.worker_id
        try:
            while stretched:
                self._hold(stretched)
                job = stretched.pop(0)
                try:
                    self._run_held(job, owner)
                except StoreUnavailableError as exc:
                    _log.error(
                        "instance %s: its run is stored, but carrying it on failed (%s); "
                        "job %s carries it on in a worker (run_due_jobs)",
                        *(job.instance_id, exc, job.id),
                    )
                    for left in (job, *stretched):
                        with contextlib.suppress(WorkflowError):  # (else its lease runs out)
                            self.store.release_job(left.id, owner)
                    break
                stretched.extend(self._stretched)  # the next stretch of the same run
                self._stretched = []
        finally:
            self._stretched = []
            self._carrying_on = False
            if stretched:  # not run (the run ended early): no longer held
                with self._held_lock:
                    self._held.difference_update(j.id for j in stretched)
                if self.job_observer is not None:
                    self.job_observer("end", owner, stretched)

    def _hold(self, jobs: Sequence[Job]) -> None:
        """Note stretches' jobs this engine runs next as held (and claimed, for the job
        observer), those not noted yet."""
        with self._held_lock:
            new = [j for j in jobs if j.id not in self._held]
            self._held.update(j.id for j in new)
        if new and self.job_observer is not None:
            self.job_observer("claimed", self.worker_id, new)

    def _run_held(self, job: Job, owner: str, *, count: bool = False) -> bool:
        raise NotImplementedError  # JobCommands

    def _nav(self) -> Navigator:
        return Navigator(self, self.clock.now())

    def _commit(self, nav: Navigator, *, defer: bool | None = None) -> None:
        nav.drain(defer=self.defer_automatic if defer is None else defer)
        for inst in list(nav.step.instances.values()):
            nav.find_deadlocks(inst)
        if (
            call_stops.pending is not None
            and stopping()
            and not getattr(self.store, "changes_in_place", False)
        ):
            stop = take_stop()  # a call's SystemExit or Ctrl-C: the store undoes the
            assert stop is not None  # command whole, as it did before (see call_stops)
            raise stop
        stretched = nav.stretched
        if stretched:  # this engine runs them next (see _carry_on)
            leased = later(self.clock.now(), self._lease)
            for job in stretched:
                job.lock_owner = self.worker_id
                job.lock_expires_at = leased
        unaudited = self._unaudited  # (None but after a lost race: see _run_again)
        carried = carry(nav, unaudited, self._carried) if unaudited else None
        try:
            self.store.commit(nav.step)
        except ConcurrencyError as exc:  # (see _command: the calls it made are audited)
            if carried:
                take_back(nav.step, carried)
            self._lost = (exc, nav.step)
            raise
        if carried and self._carried is not None:
            self._carried.update(carried)
        self._stretched.extend(stretched)
        # on a virtual clock, a timer the command set already due (a zero timer, one naming no
        # time or a time gone by) fires once the command has committed, at the clock's time:
        # a clock that stands still would never fire it, and one moving on would fire it late
        # (here, not in JobCommands' override of this method: a call and a super() per commit)
        if self._virtual_clock and not self._timers_waiting and nav.step.timers_set:
            now = nav.now
            if any(timer.due <= now for timer in nav.step.timers_set):
                self._timers_waiting = True

    def next_timer_seq(self) -> int:
        self._timer_seq += 1
        return self._timer_seq

    def _instance_for(self, instance_id: str, state: ProcessState, verb: str) -> ProcessInstance:
        """The instance, once it is known that it may move to ``state``.

        Every state-changing command refuses an illegal request before it touches anything;
        ``verb`` names the request in the error.
        """
        inst = self.store.instance(instance_id)
        check_process(f"process instance {instance_id!r}", inst.state, state, verb)
        return inst

    def _incident(self, incident_id: str) -> Incident:
        """The incident as its instance holds it (inside a command: the record to change)."""
        instance_id = self.store.incident_instance_id(incident_id)
        found = None
        if instance_id is not None:
            found = self.store.instance(instance_id).incidents.get(incident_id)
        if found is None:
            raise NotFoundError("incident", incident_id)
        return found


def _set_state(
    nav: Navigator, inst: ProcessInstance, state: ProcessState, user: str | None = None
) -> None:
    """Move a checked instance to ``state`` directly (suspend, resume), recording the change
    with the state it left and who asked (``user``; None: the host), and announcing it (a
    change that may repeat: its outbox key takes a fresh number)."""
    nav.touch(inst)
    previous = inst.state
    inst.state = state
    recorded = InstanceStateChanged(state.value, previous.value, user)
    inst.changes.append(change(nav.now, recorded))
    number = nav.ctx.ids.new(OUTBOX_ID_KIND)
    nav.step.outbox.append(instance_state_entry(inst, previous, nav.now, number))
