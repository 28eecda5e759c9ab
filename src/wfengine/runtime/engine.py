"""The enactment service's public face: deploy definitions, run and query instances.

Every command (create, start, complete a work item, fire a timer, run a job, suspend, resume,
terminate, abort, retry an incident) reads the clock once, checks that the requested change is
legal *before* touching anything, lets a :class:`~wfengine.runtime.navigator.Navigator` run all
the automatic work that follows, and commits one :class:`~wfengine.runtime.store.Step`, inside
one unit of work of the store. On a SQL store that is one transaction; a command that lost a
race with another engine (:class:`~wfengine.errors.ConcurrencyError`) runs again on fresh state.

Jobs, for workers and embedded use:

* ``start(id, defer=True)`` / ``start_process(..., defer=True)`` commit the instance as running
  with a ``continue`` job instead of running its automatic work inline.
  ``Engine(defer_automatic=True)`` does that for every command (resume, retry or skip an
  incident, complete a work item...): an engine for operators and worklist front ends that
  never calls an application itself and leaves all automatic work to workers.
* ``run_due_jobs(owner=None, limit=100, kinds=None, lease=60 s, should_stop=None) -> int``
  claims due jobs of running instances (leased to ``owner``, default :attr:`Engine.worker_id`)
  and runs each as its own command, deleting the job in the same transaction; returns how many
  ran. ``should_stop`` lets a worker stop between two jobs; ``held_jobs()`` names the claimed
  jobs not yet run (for a lease-renewing thread).
* ``has_work(leased=False)``: is a job claimable now (``leased``: due at all, even if claimed);
  ``next_due_at()``: when one will be (a future timer, or an expiring lease), None when there
  is nothing; ``renew_leases(ids, owner, lease)``: extend leases of long runs;
  ``jobs(instance_id=None)``: pending jobs as snapshots.
* ``fire_due_timers()`` is ``run_due_jobs`` for timers only (a virtual clock calls it).
* ``invoke`` jobs are calls of asynchronous applications
  (:mod:`wfengine.runtime.invocation`): their handler's ``prepare`` makes the call before the
  job's command, so no unit of work (transaction) is open while the application runs.

An engine runs one command at a time; it is not thread-safe (run one engine per thread).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from wfengine.definition.diagnostics import Severity
from wfengine.definition.model import Package, WorkflowProcess
from wfengine.definition.reading import ReadKind
from wfengine.definition.validation import validate_process
from wfengine.errors import (
    ConcurrencyError,
    DeployError,
    IllegalStateError,
    NotFoundError,
    StoreUnavailableError,
    WorkflowError,
)
from wfengine.runtime.applications import ApplicationRegistry
from wfengine.runtime.clock import Clock, SystemClock, VirtualClock
from wfengine.runtime.compiler import SPLIT_FIRST, compile_process
from wfengine.runtime.deployment import DeployedProcess, fingerprint
from wfengine.runtime.directory import Directory, StaticDirectory
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance, WorkItem
from wfengine.runtime.invocation import InvokeJobHandler
from wfengine.runtime.jobs import (
    DEFAULT_LEASE,
    JOB_CONTINUE,
    JOB_INVOKE,
    JOB_TIMER,
    Job,
    job_timer,
)
from wfengine.runtime.limits import DEFAULT_RUNTIME_LIMITS, RuntimeLimits
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.navigator import Navigator
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    DecisionSnapshot,
    IncidentSnapshot,
    InstanceSnapshot,
    InstanceSummary,
    JobSnapshot,
    TimerSnapshot,
    TokenSnapshot,
    WayOn,
    WorkItemSnapshot,
    summarise,
)
from wfengine.runtime.states import (
    ProcessState,
    WorkItemState,
    check_process,
    check_work_item,
)
from wfengine.runtime.store import AuditEvent, Store
from wfengine.runtime.values import check_storable

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_T = TypeVar("_T")
_log = logging.getLogger("wfengine.engine")
#: where deploy reports application bindings that do not match the definition
_apps_log = logging.getLogger("wfengine.applications")
#: ``(event, owner, jobs)``: see :attr:`Engine.job_observer`
JobObserver = Callable[[str, str, Sequence[Job]], None]
_deploy_log = logging.getLogger("wfengine.deploy")


def _refusal(package: Package, process: WorkflowProcess) -> DeployError | None:
    """Why ``process`` cannot deploy: its error findings (None when it can)."""
    errors = [d for d in validate_process(package, process) if d.severity is Severity.ERROR]
    if not errors:
        return None
    shown = "; ".join(f"{d.code}: {d.message}" for d in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return DeployError(f"process {process.id!r} cannot be deployed: {shown}{more}")


class Engine:
    """An embeddable workflow engine.

    All collaborators are injectable: ``store`` (in memory by default; ``db_url`` builds a
    :class:`~wfengine.runtime.sql.store.SqlStore` instead), ``clock`` (system time; pass a
    :class:`VirtualClock` in tests, and advancing it fires due deadlines), ``ids`` (by default
    the store's generator: sequential and deterministic in memory, unique across processes in
    a database), ``applications`` (the registry of Python callables bound to XPDL Application
    ids) and ``directory`` (who performs a participant).

    Every command is one unit of work on the store. When the store reports that another
    engine changed the same instance first (:class:`~wfengine.errors.ConcurrencyError`), the
    whole command runs again on fresh state, up to ``max_conflict_retries`` times.
    """

    def __init__(
        self,
        store: Store | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        applications: ApplicationRegistry | None = None,
        directory: Directory | None = None,
        *,
        db_url: str | None = None,
        defer_automatic: bool = False,
        limits: RuntimeLimits | None = None,
    ) -> None:
        if store is not None and db_url is not None:
            raise ValueError("pass either a store or a db_url, not both")
        if db_url is not None:
            from wfengine.runtime.sql.store import SqlStore

            store = SqlStore(db_url)
        self.store: Store = store if store is not None else MemoryStore()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.ids: IdGenerator = ids if ids is not None else self.store.id_generator()
        self.applications = applications if applications is not None else ApplicationRegistry()
        self.directory: Directory = directory if directory is not None else StaticDirectory()
        self._timer_seq = 0
        #: what one instance or command may cost (see :mod:`wfengine.runtime.limits`)
        self.limits = limits if limits is not None else DEFAULT_RUNTIME_LIMITS
        #: how often a command that lost a race with another engine is run again
        self.max_conflict_retries = 10
        #: the lease owner this engine claims jobs as, unless told another
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        #: job kind -> what running such a job does. A handler with a ``prepare(engine, job)``
        #: method (``invoke``) does its slow part there, before the job's command and outside
        #: any unit of work, and the handler it returns runs inside the command
        self.job_handlers: dict[str, JobHandler] = {
            JOB_TIMER: _fire_timer_job,
            JOB_CONTINUE: _continue_job,
            JOB_INVOKE: InvokeJobHandler(),
        }
        #: leave all automatic work (activities, application calls, timers) that a command
        #: makes ready to ``continue`` jobs for workers, instead of running it in the command
        self.defer_automatic = defer_automatic
        self._in_command = False
        self._closed = False
        #: ids of jobs claimed by the running ``run_due_jobs`` and not finished yet
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        #: processes the last deploy of their package refused, with why
        self._refused: dict[str, DeployError] = {}
        #: told ``(event, owner, jobs)`` as :meth:`run_due_jobs` works: ``"claimed"`` (the
        #: batch), ``"start"`` and ``"end"`` (each job, ended however it ended); a worker
        #: supervisor in another process follows the jobs with it
        self.job_observer: JobObserver | None = None
        if isinstance(self.clock, VirtualClock):
            self.clock.subscribe(self.fire_due_timers)

    @property
    def max_steps(self) -> int:
        """Automatic steps one command may take before it parks its work with an incident."""
        return self.limits.max_steps

    @max_steps.setter
    def max_steps(self, value: int) -> None:
        self.limits = replace(self.limits, max_steps=value)

    def close(self) -> None:
        """Release the store's connections (a no-op in memory); a virtual clock that moves
        afterwards no longer fires timers through this engine."""
        self._closed = True
        self.store.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ deployment

    def deploy(
        self, package: Package, *, check_bindings: bool = True, strict: bool = False
    ) -> list[DeployedProcess]:
        """Deploy the processes of ``package``; returns their deployed versions, in order.

        Each process is validated as :func:`~wfengine.definition.validation.validate_process`
        does; one with an error finding is *refused*: it is not deployed, a warning naming the
        findings goes to the ``wfengine.deploy`` logger, and starting it raises
        :class:`~wfengine.errors.DeployError` with those findings (:meth:`refusal`). The
        package's other processes deploy. ``strict=True`` refuses the whole package instead
        when any process is refused, and a package none of whose processes can deploy raises
        :class:`~wfengine.errors.DeployError` either way.

        A process identical to its latest version keeps that version; a changed one becomes
        version+1; instances keep running on the version they were created with.

        Application bindings that do not fit the package (an application bound but not
        declared, a used one left unbound, a disabled agent kind) are logged as warnings on
        the ``wfengine.applications`` logger: they are not errors, since the host may bind
        them later, but an operator should see them before an instance stops on one.
        ``check_bindings=False`` leaves that out, for a deployer whose workers, not itself,
        bind the applications.
        """
        refused: dict[str, DeployError] = {}
        for process in package.workflow_processes:
            problem = _refusal(package, process)
            if problem is not None:
                refused[process.id] = problem
        if refused and (strict or len(refused) == len(package.workflow_processes)):
            raise DeployError("; ".join(str(e) for e in refused.values()))
        for process_id, problem in refused.items():
            _deploy_log.warning("%s", problem)
            self._refused[process_id] = problem
        deployed = self._command(lambda: self._deploy(package, refused))
        for item in deployed:
            self._refused.pop(item.process_id, None)
        if check_bindings:
            for finding in self.applications.check(package):
                _apps_log.warning("%s", finding.format(package.source_file))
        return deployed

    def refusal(self, process_id: str) -> DeployError | None:
        """Why this engine's last deploy of a package refused ``process_id`` (None if not)."""
        return self._refused.get(process_id)

    def _deploy(
        self, package: Package, refused: Mapping[str, DeployError]
    ) -> list[DeployedProcess]:
        result: list[DeployedProcess] = []
        new: list[DeployedProcess] = []
        for process in package.workflow_processes:
            if process.id in refused:
                continue
            fp = fingerprint(package, process)
            latest = self.latest(process.id)
            if latest is not None and latest.fingerprint == fp:
                result.append(latest)
                continue
            deployed = DeployedProcess(
                process_id=process.id,
                version=(latest.version + 1) if latest is not None else 1,
                package_id=package.id,
                fingerprint=fp,
                definition=process,
                package=package,
                compiled=compile_process(package, process),
            )
            result.append(deployed)
            new.append(deployed)
        if new:
            self.store.add_deployments(new)
        return result

    def latest(self, process_id: str) -> DeployedProcess | None:
        return self.store.deployment(process_id)

    def deployed(self, process_id: str, version: int | None = None) -> DeployedProcess:
        found = self.store.deployment(process_id, version)
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

    # ------------------------------------------------------------------ commands

    def _command(self, body: Callable[[], _T]) -> _T:
        """Run ``body`` as one command: a unit of work, retried whole after a lost race.

        A command started inside another (a clock advanced by application code) joins it.
        """
        if self._in_command:
            return body()
        self._in_command = True
        try:
            attempt = 0
            while True:
                try:
                    with self.store.unit():
                        return body()
                except ConcurrencyError:
                    attempt += 1
                    if attempt > self.max_conflict_retries:
                        raise
                    _log.debug("lost a race with another engine; retrying (%d)", attempt)
        finally:
            self._in_command = False

    def _nav(self) -> Navigator:
        return Navigator(self, self.clock.now())

    def _commit(self, nav: Navigator, *, defer: bool | None = None) -> None:
        nav.drain(defer=self.defer_automatic if defer is None else defer)
        for inst in list(nav.step.instances.values()):
            nav.find_deadlocks(inst)
        self.store.commit(nav.step)

    def next_timer_seq(self) -> int:
        self._timer_seq += 1
        return self._timer_seq

    def create_instance(
        self, process_id: str, data: Mapping[str, Any] | None = None, version: int | None = None
    ) -> str:
        """Create an instance (``open.not_running.not_started``) and return its id.

        Data fields start from their InitialValue expressions; ``data`` then sets formal IN
        parameters and any other variable by name.
        """

        def body() -> str:
            deployed = self.deployed(process_id, version)
            nav = self._nav()
            inst = nav.new_instance(deployed.compiled, deployed.version, data)
            self.store.commit(nav.step)
            return inst.id

        return self._command(body)

    def start(self, instance_id: str, *, defer: bool = False) -> None:
        """Start a created instance and run its automatic work.

        With ``defer=True`` the command only marks the instance running and leaves its
        automatic work to a ``continue`` job, for :meth:`run_due_jobs` or a worker process.
        """

        def body() -> None:
            inst = self._instance_for(instance_id, ProcessState.RUNNING, "start")
            nav = self._nav()
            self._start(nav, inst, defer)

        self._command(body)

    def _start(self, nav: Navigator, inst: ProcessInstance, defer: bool) -> None:
        nav.start_instance(inst)
        if defer or self.defer_automatic:
            nav.defer()
            self.store.commit(nav.step)
        else:
            self._commit(nav)

    def start_process(
        self,
        process_id: str,
        data: Mapping[str, Any] | None = None,
        version: int | None = None,
        *,
        defer: bool = False,
    ) -> str:
        """Create and start an instance in one command; returns the instance id.

        ``defer`` is as for :meth:`start`.
        """

        def body() -> str:
            deployed = self.deployed(process_id, version)
            nav = self._nav()
            inst = nav.new_instance(deployed.compiled, deployed.version, data)
            self._start(nav, inst, defer)
            return inst.id

        return self._command(body)

    def suspend(self, instance_id: str) -> None:
        """Pause an instance: its work items cannot be completed and its timers wait."""

        def body() -> None:
            inst = self._instance_for(instance_id, ProcessState.SUSPENDED, "suspend")
            nav = self._nav()
            _set_state(nav, inst, ProcessState.SUSPENDED)
            self.store.commit(nav.step)

        self._command(body)

    def resume(self, instance_id: str) -> None:
        """Continue a suspended instance, including work that finished while it was paused."""

        def body() -> None:
            inst = self._instance_for(instance_id, ProcessState.RUNNING, "resume")
            nav = self._nav()
            _set_state(nav, inst, ProcessState.RUNNING)
            for ai in list(inst.activities.values()):
                if ai.state.is_open and ai.child_instance is not None:
                    child = nav.instance(ai.child_instance)
                    if child.parent_waits and child.state.is_closed:
                        nav.subflow_result(inst, ai, child)
            self._commit(nav)

        self._command(body)
        if not self.defer_automatic:
            self.fire_due_timers()

    def terminate(self, instance_id: str) -> None:
        """Stop an open instance by request (``closed.terminated``)."""
        self._close(instance_id, ProcessState.TERMINATED, "terminate")

    def abort(self, instance_id: str) -> None:
        """Stop an open instance abnormally (``closed.aborted``)."""
        self._close(instance_id, ProcessState.ABORTED, "abort")

    def _close(self, instance_id: str, state: ProcessState, verb: str) -> None:
        def body() -> None:
            inst = self._instance_for(instance_id, state, verb)
            nav = self._nav()
            nav.close_instance(inst, state)
            self._commit(nav)

        self._command(body)

    def _instance_for(self, instance_id: str, state: ProcessState, verb: str) -> ProcessInstance:
        """The instance, once it is known that it may move to ``state``.

        Every state-changing command refuses an illegal request before it touches anything;
        ``verb`` names the request in the error.
        """
        inst = self.store.instance(instance_id)
        check_process(f"process instance {instance_id!r}", inst.state, state, verb)
        return inst

    def complete_work_item(self, work_item_id: str, data: Mapping[str, Any] | None = None) -> None:
        """Complete a work item, merging ``data`` into the instance, and run what follows.

        Data a store could not hold raises :class:`~wfengine.errors.DataNotStorableError`
        naming the field, and nothing changes (:mod:`wfengine.runtime.values`).
        """
        if data:
            check_storable(data, f"work item {work_item_id!r}")

        def body() -> None:
            item = self.store.work_item(work_item_id)
            inst = self.store.instance(item.instance_id)
            subject = (
                f"work item {work_item_id!r} (activity {item.activity_id!r} "
                f"of instance {inst.id!r})"
            )
            check_work_item(subject, item.state, WorkItemState.COMPLETED, "complete")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "complete"
                )
            nav = self._nav()
            nav.complete_work_item(item, data)
            self._commit(nav)

        self._command(body)

    def set_data(self, instance_id: str, values: Mapping[str, Any]) -> None:
        """Set instance attributes (WMAssignProcessInstanceAttribute), e.g. to fix an incident."""

        check_storable(values, f"process instance {instance_id!r}")

        def body() -> None:
            inst = self.store.instance(instance_id)
            if inst.state.is_closed:
                raise IllegalStateError(
                    f"process instance {instance_id!r}", inst.state.value, "change the data of"
                )
            nav = self._nav()
            nav.touch(inst)
            inst.data.update(values)
            inst.changes.append((nav.now, "instance.data", None, None, sorted(values)))
            self.store.commit(nav.step)

        self._command(body)

    def retry_incident(self, incident_id: str) -> None:
        """Redo the operation that failed (after fixing its cause)."""

        def body() -> None:
            incident = self._incident(incident_id)
            inst = self.store.instance(incident.instance_id)
            subject = f"incident {incident_id!r} of instance {inst.id!r}"
            if incident.resolved:
                raise IllegalStateError(subject, "resolved", "retry")
            if incident.operation == "deadlock":
                raise IllegalStateError(subject, "a deadlock", "retry")
            if inst.state is not ProcessState.RUNNING:
                raise IllegalStateError(
                    subject, f"in an instance that is {inst.state.value}", "retry"
                )
            nav = self._nav()
            nav.retry(incident)
            self._commit(nav)

        self._command(body)

    def skip_incident(
        self,
        incident_id: str,
        outputs: Mapping[str, Any] | None = None,
        *,
        take: Sequence[str] | None = None,
    ) -> None:
        """Finish the failed activity as if its work had returned ``outputs`` (data field ->
        value) and move on; a failed decision (a label where a condition belongs) is skipped
        by naming the transitions to ``take``. See
        :func:`wfengine.runtime.invocation.skip_incident`."""
        from wfengine.runtime.invocation import skip_incident

        skip_incident(self, incident_id, outputs, take)

    def abort_incident(self, incident_id: str) -> None:
        """Give up on the instance an incident stopped: it becomes ``closed.aborted``.

        The operator's third answer to an incident (beside retry and skip), so a script can
        act on incident ids alone; ``incident.aborted`` is audited before the instance closes.
        """

        def body() -> None:
            incident = self._incident(incident_id)
            inst = self.store.instance(incident.instance_id)
            subject = f"incident {incident_id!r} of instance {inst.id!r}"
            if incident.resolved:
                raise IllegalStateError(subject, "resolved", "abort")
            check_process(subject, inst.state, ProcessState.ABORTED, "abort")
            nav = self._nav()
            nav.touch(inst)
            inst.changes.append(
                (
                    nav.now,
                    "incident.aborted",
                    incident.activity_instance_id,
                    incident.activity_id,
                    incident.id,
                )
            )
            nav.close_instance(inst, ProcessState.ABORTED)
            self._commit(nav)

        self._command(body)

    # ------------------------------------------------------------------ jobs

    def fire_due_timers(self) -> int:
        """Fire every timer due now, each as its own command; returns how many fired.

        Timers of suspended instances wait (``resume`` fires them).
        """
        if self._closed:
            return 0
        return self.run_due_jobs(limit=1_000_000, kinds=(JOB_TIMER,))

    def run_due_jobs(
        self,
        owner: str | None = None,
        limit: int = 100,
        *,
        kinds: Sequence[str] | None = None,
        lease: timedelta = DEFAULT_LEASE,
        should_stop: Callable[[], bool] | None = None,
    ) -> int:
        """Claim up to ``limit`` due jobs and run each as its own command; returns how many ran.

        ``owner`` names the claimant in the leases (default: :attr:`worker_id`); ``kinds``
        restricts the claim (``("timer",)``). A job is deleted in the same transaction as the
        step it caused, so its effect happens once even when two claimants race (the loser's
        commit conflicts, it re-reads, finds the job gone and does nothing). A job whose run
        keeps losing races with other engines is given back with a back-off of ``2**attempts``
        seconds (at most an hour); one that fails in any other way (but the database being
        unavailable, which is raised) becomes an incident on its instance and is parked until
        the incident is retried (:meth:`abandon_job`): a worker never dies of a job, and a job
        that fails does not fail again in every worker that picks it up.

        ``should_stop`` is asked before each job; once it says yes, the jobs not yet run are
        given back at once (a worker shutting down finishes only the job it is running).
        While jobs are claimed, :meth:`held_jobs` names them, so another thread can renew
        their leases.
        """
        owner = owner or self.worker_id
        now = self.clock.now()
        claimed = self.store.claim_jobs(owner, now, now + lease, limit, kinds)
        observe = self.job_observer
        if observe is not None and claimed:
            observe("claimed", owner, claimed)
        with self._held_lock:
            self._held.update(j.id for j in claimed)
        ran = 0
        try:
            for n, job in enumerate(claimed):
                if should_stop is not None and should_stop():
                    for left in claimed[n:]:
                        with contextlib.suppress(WorkflowError):
                            self.store.release_job(left.id, owner)
                    if observe is not None:
                        observe("end", owner, claimed[n:])
                    break
                if observe is not None:
                    observe("start", owner, [job])
                try:
                    if self._run_job(job, owner):
                        ran += 1
                except StoreUnavailableError:
                    raise
                except ConcurrencyError as exc:  # transient: another engine kept winning
                    _log.warning("job %s (%s) lost its races: %s", job.id, job.kind, exc)
                    self._give_back(job, owner)
                except Exception as exc:  # a worker never dies of a job: an incident
                    _log.exception(
                        "job %s (%s of instance %s) failed", job.id, job.kind, job.instance_id
                    )
                    self._job_failed(job, f"{type(exc).__name__}: {exc}")
                    ran += 1
                except BaseException:
                    self._give_back(job, owner)
                    raise
                finally:
                    with self._held_lock:
                        self._held.discard(job.id)
                    if observe is not None:
                        observe("end", owner, [job])
        finally:
            with self._held_lock:
                self._held.difference_update(j.id for j in claimed)
        return ran

    def release_jobs(self, job_ids: Iterable[str], owner: str) -> None:
        """Give back jobs ``owner`` claimed (a supervisor cleaning up after a worker process
        it stopped); jobs ``owner`` no longer holds are left alone."""
        for job_id in job_ids:
            with contextlib.suppress(WorkflowError):
                self.store.release_job(job_id, owner)

    def held_jobs(self) -> list[str]:
        """Ids of the jobs the running :meth:`run_due_jobs` has claimed and not finished
        (safe to call from another thread, e.g. one renewing their leases)."""
        with self._held_lock:
            return sorted(self._held)

    def abandon_job(self, job_id: str, reason: str) -> None:
        """Turn a job that cannot be run into an incident on its instance (whoever holds it).

        The job is parked, not deleted: retrying the incident makes it due again. A worker
        supervisor calls this for a job it stopped for running too long; nothing the job did
        was committed, so the instance is as it was before the job.
        """
        job = self.store.job(job_id)
        if job is None:
            raise NotFoundError("job", job_id)
        self._job_failed(job, reason)

    def _job_failed(self, job: Job, reason: str) -> None:
        def body() -> None:
            current = self.store.job(job.id)
            if current is None:
                return  # carried out after all (or by another claimant)
            inst = self.store.instance(current.instance_id)
            nav = self._nav()
            message = (
                f"instance {inst.id!r}: job {current.id!r} ({current.kind}) failed: {reason}; "
                "retry the incident to run it again, or abort the instance"
            )
            nav.job_failed(inst, current, message)
            self.store.commit(nav.step)

        self._command(body)

    def _give_back(self, job: Job, owner: str) -> None:
        delay = timedelta(seconds=min(2.0 ** max(job.attempts, 0), 3600.0))
        with contextlib.suppress(WorkflowError):
            self.store.release_job(job.id, owner, self.clock.now() + delay)

    def _run_job(self, job: Job, owner: str) -> bool:
        handler = self.job_handlers.get(job.kind)
        prepare = getattr(handler, "prepare", None)
        if prepare is not None:
            # the slow part (an application call) runs now, with no unit of work open; what
            # it gives is applied by the command below, which re-checks everything
            handler = prepare(self, job)
        discard = getattr(handler, "discard", None) if prepare is not None else None

        def discarded(current: Job, inst: ProcessInstance, reason: str) -> None:
            """Audit a prepared result that the instance will not get."""
            if discard is not None:
                nav = self._nav()
                discard(nav, inst, current, reason)
                self.store.commit(nav.step)

        def body() -> bool:
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
                discarded(current, inst, f"the instance is {inst.state.value}")
                self.store.release_job(current.id, owner)  # runs again after resume
                return False
            if handler is None:
                _log.warning("job %s has kind %r, which this engine cannot run", job.id, job.kind)
                self.store.release_job(current.id, owner)
                return False
            handler(nav, current, inst)
            self._commit(nav, defer=False)  # running a job is running the work
            _log.debug("ran job %s (%s of instance %s)", current.id, current.kind, inst.id)
            return True

        return self._command(body)

    def has_work(self, *, leased: bool = False) -> bool:
        """Is some job due now (a timer, deferred work) that a worker could run?

        ``leased=True`` counts due jobs that a claimant holds as well (they run once it
        finishes, or once its lease expires if it died): is any work due at all.
        """
        return self.store.has_due_jobs(self.clock.now(), leased=leased)

    def next_due_at(self) -> datetime | None:
        """When the next job of a running instance becomes due (or its lease expires)."""
        return self.store.next_due_at()

    def renew_leases(
        self, job_ids: Iterable[str], owner: str | None = None, lease: timedelta = DEFAULT_LEASE
    ) -> list[str]:
        """Extend the leases of jobs being run; returns those still held (the others were lost,
        and whatever their run does will be rolled back at commit)."""
        return self.store.renew_leases(owner or self.worker_id, job_ids, self.clock.now() + lease)

    def jobs(self, instance_id: str | None = None) -> list[JobSnapshot]:
        """Pending jobs (timers, deferred work), in due order."""
        return [_same_named_copy(JobSnapshot, j) for j in self.store.jobs(instance_id)]

    # ------------------------------------------------------------------ queries

    def instance(self, instance_id: str) -> InstanceSnapshot:
        return _instance_snapshot(self.store.instance(instance_id))

    def instances(
        self, *, state: ProcessState | str | None = None, process_id: str | None = None
    ) -> list[InstanceSnapshot]:
        wanted = None if state is None else ProcessState(state)
        return [
            _instance_snapshot(i) for i in self.store.instances(state=wanted, process_id=process_id)
        ]

    def instance_summaries(
        self, *, state: ProcessState | str | None = None, process_id: str | None = None
    ) -> list[InstanceSummary]:
        """What :meth:`instances` lists, without ``data`` and ``incidents``: read without
        loading any instance, so listing a large database stays cheap."""
        wanted = None if state is None else ProcessState(state)
        return self.store.instance_summaries(state=wanted, process_id=process_id)

    def activity_instances(self, instance_id: str) -> list[ActivityInstanceSnapshot]:
        inst = self.store.instance(instance_id)
        return [_activity_snapshot(inst, ai) for ai in inst.activities.values()]

    def tokens(self, instance_id: str) -> list[TokenSnapshot]:
        """Tokens waiting at joins (running activities are in ``activity_instances``)."""
        inst = self.store.instance(instance_id)
        out: list[TokenSnapshot] = []
        for scope in inst.scopes.values():
            if scope.closed:
                continue
            for index, waiting in sorted(scope.tokens.items()):
                ca = scope.graph.activities[index]
                for slot, count in enumerate(waiting):
                    if count:
                        out.append(
                            TokenSnapshot(
                                instance_id=inst.id,
                                activity_id=ca.id,
                                transition_id=ca.incoming[slot],
                                count=count,
                                block_activity_instance_id=scope.owner.id if scope.owner else None,
                            )
                        )
        return out

    def trace(self, instance_id: str) -> list[str]:
        """Activity ids in completion order (routes included; one entry per loop iteration)."""
        return list(self.store.instance(instance_id).trace)

    def work_items(self, instance_id: str | None = None) -> list[WorkItemSnapshot]:
        """Offered work items in creation order, of one instance or of all."""
        if instance_id is not None:
            self.store.instance(instance_id)  # NotFoundError for an unknown id
        return [_work_item_snapshot(w) for w in self.store.open_work_items(instance_id)]

    def work_item(self, work_item_id: str) -> WorkItemSnapshot:
        return _work_item_snapshot(self.store.work_item(work_item_id))

    def incidents(self, instance_id: str | None = None) -> list[IncidentSnapshot]:
        """Open incidents, of one instance or of all (in creation order)."""
        if instance_id is not None:
            inst = self.store.instance(instance_id)
            return [_incident_snapshot(i) for i in inst.incidents.values() if not i.resolved]
        return [_incident_snapshot(i) for i in self.store.open_incidents()]

    def decision(self, incident_id: str) -> DecisionSnapshot | None:
        """The choice an open incident of a failed decision offers; None for other incidents.

        A decision fails when none of its conditions can be evaluated: most often a label for
        people where a condition belongs (``DecisionSnapshot.labelled``). Answer it with
        ``skip_incident(incident_id, take=[transition id, ...])``.
        """
        incident = self._incident(incident_id)
        if incident.resolved or incident.operation != "leave":
            return None
        if incident.activity_instance_id is None:
            return None
        inst = self.store.instance(incident.instance_id)
        ai = inst.activities.get(incident.activity_instance_id)
        if ai is None or ai.mi is not None or ai.mi_parent is not None:
            return None
        ca = ai.act
        activities = ai.scope.graph.activities
        ways = [
            WayOn(
                ct.id,
                activities[ct.target].id,
                ct.condition.text if ct.condition is not None else None,
                ct.condition is not None and ct.condition.kind is ReadKind.LABEL,
                False,
            )
            for ct in ca.normal
        ]
        if ca.otherwise is not None:
            ways.append(
                WayOn(ca.otherwise.id, activities[ca.otherwise.target].id, None, False, True)
            )
        return DecisionSnapshot(incident.id, inst.id, ca.id, ca.split == SPLIT_FIRST, tuple(ways))

    def timers(self, instance_id: str | None = None) -> list[TimerSnapshot]:
        return [_same_named_copy(TimerSnapshot, t) for t in self.store.timers(instance_id)]

    def audit(self, instance_id: str) -> list[AuditEvent]:
        self.store.instance(instance_id)
        return self.store.audit(instance_id)

    def _incident(self, incident_id: str) -> Incident:
        """The incident as its instance holds it (inside a command: the record to change)."""
        instance_id = self.store.incident_instance_id(incident_id)
        found = None
        if instance_id is not None:
            found = self.store.instance(instance_id).incidents.get(incident_id)
        if found is None:
            raise NotFoundError("incident", incident_id)
        return found


JobHandler = Callable[[Navigator, Job, ProcessInstance], None]


def _fire_timer_job(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
    nav.fire_timer(job_timer(job))


def _continue_job(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
    nav.run_parked(inst)


def _set_state(nav: Navigator, inst: ProcessInstance, state: ProcessState) -> None:
    """Move a checked instance to ``state`` directly (suspend, resume), recording the change."""
    nav.touch(inst)
    inst.state = state
    inst.changes.append((nav.now, "instance.state", None, None, inst.state.value))


# --------------------------------------------------------------------------- snapshots


def _instance_snapshot(inst: ProcessInstance) -> InstanceSnapshot:
    summary = summarise(inst)
    return InstanceSnapshot(
        **{f.name: getattr(summary, f.name) for f in fields(summary)},
        data=dict(inst.data),
        incidents=tuple(i.id for i in inst.incidents.values() if not i.resolved),
    )


def _activity_snapshot(inst: ProcessInstance, ai: ActivityInstance) -> ActivityInstanceSnapshot:
    return ActivityInstanceSnapshot(
        id=ai.id,
        instance_id=inst.id,
        activity_id=ai.act.id,
        state=ai.state,
        started_at=ai.started_at,
        completed_at=ai.completed_at,
        iterations=ai.iterations,
        mi_index=ai.mi_index,
        work_item_id=ai.work_item,
        subflow_instance_id=ai.child_instance,
        incident_id=ai.incident,
    )


_Snapshot = TypeVar("_Snapshot", bound="DataclassInstance")


def _same_named_copy(snapshot: type[_Snapshot], source: object) -> _Snapshot:
    """A snapshot whose every field is the source's attribute of the same name.

    Work items, incidents and timers are mirrored field for field by their snapshots (the
    snapshot leaving out engine-internal fields), so one copy serves all three and a field
    added to a snapshot cannot be forgotten here.
    """
    return snapshot(**{f.name: getattr(source, f.name) for f in fields(snapshot)})


def _work_item_snapshot(w: WorkItem) -> WorkItemSnapshot:
    return _same_named_copy(WorkItemSnapshot, w)


def _incident_snapshot(i: Incident) -> IncidentSnapshot:
    return _same_named_copy(IncidentSnapshot, i)


__all__ = ["Engine"]
