"""The enactment service's public face: deploy definitions, run and query instances.

Every command (create, start, complete a work item, fire a timer, run a job, suspend, resume,
terminate, abort, retry an incident) reads the clock once, checks that the requested change is
legal *before* touching anything, lets a :class:`~wfengine.runtime.navigation.Navigator` run all
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
* ``run_due_jobs`` also delivers the outbox afterwards (:mod:`wfengine.runtime.outbox_delivery`):
  ``engine.outbox.subscribe(handler, kinds=...)``; ``deliver_outbox()`` delivers without
  running jobs, for a host that drives the engine itself.
* ``invoke`` jobs are calls of asynchronous applications
  (:mod:`wfengine.runtime.tools`): their handler's ``prepare`` makes the call before the
  job's command, so no unit of work (transaction) is open while the application runs.

An engine runs one command at a time; it is not thread-safe (run one engine per thread).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from wfengine.applications.redaction import REDACTED, plain
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.model import Package
from wfengine.errors import DeployError, IllegalStateError
from wfengine.runtime.activity_commands import ActivityCommands
from wfengine.runtime.checked_ids import checked_ids
from wfengine.runtime.clock import Clock, SystemClock, VirtualClock, check_clock
from wfengine.runtime.context import SplitChooser
from wfengine.runtime.deploy_kept import kept_or_latest, kept_version
from wfengine.runtime.deploy_refusals import refusals, refused_with_the_package
from wfengine.runtime.deployment import (
    DeployedProcess,
    deployed_version,
    standing_in,
)
from wfengine.runtime.directory import Directory, StaticDirectory, adapt_directory
from wfengine.runtime.engine_arguments import check_deploy_arguments, check_engine_arguments
from wfengine.runtime.engine_base import JobHandler, JobObserver, _set_state
from wfengine.runtime.fingerprints import fingerprint_forms
from wfengine.runtime.history import InstanceDataAssigned, change
from wfengine.runtime.host_arguments import check_acting_user, check_flag, check_mapping
from wfengine.runtime.id_arguments import check_instance_id, check_process_id
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.incident_commands import IncidentCommands
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.job_commands import JobCommands, default_job_handlers
from wfengine.runtime.limits import DEFAULT_RUNTIME_LIMITS, RuntimeLimits
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.outbox import OutboxHandlers
from wfengine.runtime.outbox_delivery import Outbox
from wfengine.runtime.queries import Queries
from wfengine.runtime.reoffer import ReofferCommands
from wfengine.runtime.sql.after_fork import renew_in_child
from wfengine.runtime.states import ProcessState
from wfengine.runtime.store import Store
from wfengine.runtime.store_url import sql_store, store_for
from wfengine.runtime.store_users import use
from wfengine.runtime.suspension import (
    take_along,
    take_in_time,
    taken_along,
    waited_for,
)
from wfengine.runtime.trigger_names import check_trigger_name
from wfengine.runtime.values import check_storable, owned_values
from wfengine.runtime.work_item_commands import WorkItemCommands

#: where deploy reports application bindings that do not match the definition
_apps_log = logging.getLogger("wfengine.applications")
_deploy_log = logging.getLogger("wfengine.deploy")
_log = logging.getLogger("wfengine.engine")


class Engine(
    WorkItemCommands, ActivityCommands, JobCommands, IncidentCommands, ReofferCommands, Queries
):
    """An embeddable workflow engine.

    All collaborators are injectable: ``store`` (in memory by default; ``db_url`` builds a
    :class:`~wfengine.runtime.sql.store.SqlStore` instead, and :meth:`from_url` picks either
    from one URL), ``clock`` (system time; pass a
    :class:`VirtualClock` in tests, and advancing it fires due deadlines), ``ids`` (by default
    the store's generator: sequential and deterministic in memory, unique across processes in
    a database), ``applications`` (the registry of Python callables bound to XPDL Application
    ids), ``directory`` (who performs a participant) and ``outbox_handlers`` (the handlers the
    outbox is delivered to: :attr:`outbox`).

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
        outbox_handlers: OutboxHandlers | None = None,
    ) -> None:
        check_engine_arguments(
            store=store,
            clock=clock,
            ids=ids,
            applications=applications,
            db_url=db_url,
            limits=limits,
            outbox_handlers=outbox_handlers,
            defer_automatic=defer_automatic,
        )
        if clock is not None:
            check_clock(clock)
        # (checked before the store opens: a refused directory left a database file behind)
        adapted = adapt_directory(directory) if directory is not None else StaticDirectory()
        if db_url is not None:
            store = sql_store(db_url)
        self.store: Store = store if store is not None else MemoryStore()
        use(self.store, self)  # (reopened if closed; closed when its last engine closes)
        # (_command; a store whose class has a unit() of its own, a subclass or a wrapper,
        # is entered through it)
        plain = getattr(type(self.store), "unit", None) is MemoryStore.unit
        self._turned = self.store if plain and hasattr(self.store, "turn_lock") else None
        self.clock: Clock = clock if clock is not None else SystemClock()
        # (a host's generator's ids are checked as each is taken: strings, non-empty)
        self.ids: IdGenerator = checked_ids(ids) if ids is not None else self.store.id_generator()
        self.applications = applications if applications is not None else ApplicationRegistry()
        self.directory: Directory = adapted
        #: jobs this engine makes are numbered after those stored (ties of one due time)
        self._timer_seq = self.store.last_job_seq()
        #: what one instance or command may cost (see :mod:`wfengine.runtime.limits`)
        self.limits = limits if limits is not None else DEFAULT_RUNTIME_LIMITS
        #: how often a command that lost a race with another engine is run again
        self.max_conflict_retries = 10
        #: the lease owner this engine claims jobs as, unless told another (``worker_id``:
        #: set here, and again in each process forked from this one)
        self.after_fork()
        renew_in_child(self)
        #: job kind -> what running such a job does. A handler with a ``prepare(engine, job)``
        #: method (``invoke``) does its slow part there, before the job's command and outside
        #: any unit of work, and the handler it returns runs inside the command
        self.job_handlers: dict[str, JobHandler] = default_job_handlers()
        #: leave all automatic work (activities, application calls, timers) that a command
        #: makes ready to ``continue`` jobs for workers, instead of running it in the command
        self.defer_automatic = defer_automatic
        #: decides the ways of splits instead of their conditions when it answers (the
        #: simulator's branch probabilities, :mod:`wfengine.simulation`); None: conditions
        self.split_chooser: SplitChooser | None = None
        self._in_command = False
        self._command_lock = threading.Lock()
        self._tag = uuid.uuid4().hex[:8] + "-"
        self._commands = 0
        self._origin = ""
        self._command_thread = 0
        self._command_mark = object()
        self._timers_waiting = False
        self._virtual_clock = isinstance(self.clock, VirtualClock)
        self._stretched = []
        self._carrying_on = False
        self._closed = False
        #: ids of jobs claimed by the running ``run_due_jobs`` and not finished yet
        self._held: set[str] = set()
        self._held_lock = threading.Lock()
        #: processes the last deploy of their package refused, with why
        self._refused: dict[str, DeployError] = {}
        #: told ``(event, owner, jobs)`` as :meth:`run_due_jobs` works: ``"claimed"`` (the
        #: batch), ``"start"`` and ``"end"`` (each job, ended however it ended), ``"call"`` (a
        #: running job begins a synchronous call; the event's payload is a ``CallInProgress``),
        #: and ``"start"``/``"end"`` of each outbox delivery, as a job of kind ``outbox``
        #: (``"start"`` again, same id, at each sign of progress it shows)
        #: (:mod:`wfengine.runtime.outbox_watch`); a worker supervisor in another process
        #: follows the jobs and deliveries with it
        self.job_observer: JobObserver | None = None
        #: what this engine tells the world after its commits: subscribe handlers here
        #: (``outbox_handlers`` shares one set of subscriptions between engines)
        self.outbox = Outbox(
            self, outbox_handlers if outbox_handlers is not None else OutboxHandlers()
        )
        if isinstance(self.clock, VirtualClock):
            self.clock.subscribe(self._clock_moved, self._next_timer_due, weak=True)

    def after_fork(self) -> None:
        """A lease owner of this process's own. Why again in a forked child (gunicorn
        --preload): a claim takes the jobs leased to its own owner, so parent and child took
        each other's, and each asynchronous call was made twice."""
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    @property
    def closed(self) -> bool:
        """Has :meth:`close` been called? A WAPI session refuses to work on a closed engine
        (a SQL store would otherwise quietly open new connections)."""
        return self._closed

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        applications: ApplicationRegistry | None = None,
        directory: Directory | None = None,
        defer_automatic: bool = False,
        limits: RuntimeLimits | None = None,
        outbox_handlers: OutboxHandlers | None = None,
        create: bool = True,
    ) -> Engine:
        """An engine on the store that ``url`` names, for hosts that configure it as one
        string (an environment variable, a settings file, ``--db``).

        ``memory://`` is the in-memory store (kept only while the process runs); any other URL
        is a SQLAlchemy database URL, ``sqlite:///path/to/file.db`` or
        ``postgresql+psycopg://user:password@host/db``, whose schema is created or upgraded on
        first use. ``create=False`` is for a program that only works on what is stored: a
        database or schema that does not exist yet (a mistyped SQLite path), like a new
        in-memory store, is a :class:`~wfengine.errors.StoreError` and nothing is created.
        The other keyword arguments are those of :class:`Engine`.
        """
        check_flag(create, "create", "Engine.from_url")
        check_engine_arguments(  # before a database is opened (or a SQLite file made)
            clock=clock,
            ids=ids,
            applications=applications,
            limits=limits,
            outbox_handlers=outbox_handlers,
            defer_automatic=defer_automatic,
        )
        return cls(
            store_for(url, create=create),
            clock,
            ids,
            applications,
            directory,
            defer_automatic=defer_automatic,
            limits=limits,
            outbox_handlers=outbox_handlers,
        )

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
        :class:`~wfengine.errors.DeployError` either way; those raising deploys refuse their
        processes with findings all the same (an earlier stored version does not start by id).

        A process identical to its latest version, or to the version that starts instances
        now (:meth:`startable`: a newer one may wait for its ``ValidFrom``), keeps that
        version, so deploying at every start is safe; any other becomes a new version (the
        latest+1: an older file deployed again is a rollback); instances keep running on the
        version they were created with.

        Application bindings that do not fit the package (an application bound but not
        declared, a used one left unbound, a disabled agent kind) are logged as warnings on
        the ``wfengine.applications`` logger: they are not errors, since the host may bind
        them later, but an operator should see them before an instance stops on one.
        ``check_bindings=False`` leaves that out, for a deployer whose workers, not itself,
        bind the applications.

        ``package`` is a :class:`~wfengine.definition.model.Package` model, never a file:
        anything else (a path, XPDL text or bytes) is a ``TypeError`` saying to load it with
        :func:`~wfengine.load_xpdl` first.
        """
        check_deploy_arguments(package, check_bindings=check_bindings, strict=strict)
        refused: dict[str, DeployError] = {}
        for process, problem in refusals(package):
            if problem is not None:
                refused[process.id] = problem
        # recorded before a refused package raises too: an earlier stored version must not
        # start by its id in place of the definition the host just tried to deploy
        self._refused.update(refused)
        # counted by process, not by id: two processes sharing an id are both refused
        kept = [w for w in package.workflow_processes if w.id not in refused]
        if refused and (strict or not kept):
            if kept:  # strict: the changed others' deploy was refused as well
                stored = kept_or_latest(self.store, package, self.clock)
                self._refused.update(refused_with_the_package(package, refused, stored))
            raise DeployError("; ".join(str(e) for e in refused.values()))
        for problem in refused.values():
            _deploy_log.warning("%s", problem)
        deployed = self._command(lambda: self._deploy(package, refused))
        for item in deployed:
            self._refused.pop(item.process_id, None)
        if check_bindings:
            for finding in self.applications.check(package):
                _apps_log.warning("%s", finding.format(package.source_file))
        return deployed

    def _deploy(
        self, package: Package, refused: Mapping[str, DeployError]
    ) -> list[DeployedProcess]:
        result: list[DeployedProcess] = []
        new: list[DeployedProcess] = []
        for process in package.workflow_processes:
            if process.id in refused:
                continue
            forms = fingerprint_forms(package, process)  # [0]: the one a new version stores
            try:
                latest = self.latest(process.id)
                stored = latest.version if latest is not None else 0
            except DeployError:  # the latest stored version no longer compiles: a fix follows
                latest, stored = None, max(self.store.versions(process.id), default=0)
            kept = latest and kept_version(self.store, latest, forms, self.clock, package, process)
            if kept is not None:  # identical to the latest, or to the version starting now
                result.append(kept)
                continue
            if latest is not None and latest.package_id != package.id:
                # process ids are engine-wide (as a process key is in other engines), so this
                # is a new version of the other package's process: say so, since that
                # package's subflows calling it now start this one
                _deploy_log.warning(
                    "process %r of package %r becomes version %d of %r, whose version %d came "
                    "from package %r: process ids are engine-wide, so whatever starts %r by "
                    "its id (a subflow of package %r too) now starts this one",
                    process.id,
                    package.id,
                    stored + 1,
                    process.id,
                    latest.version,
                    latest.package_id,
                    process.id,
                    latest.package_id,
                )
            version = stored + 1
            deployed = deployed_version(package, process, version, forms[0])
            result.append(deployed)
            new.append(deployed)
        if new:
            self.store.add_deployments(new)
        return result

    def create_instance(
        self,
        process_id: str,
        data: Mapping[str, Any] | None = None,
        version: int | None = None,
        *,
        user: str | None = None,
    ) -> str:
        """Create an instance (``open.not_running.not_started``) and return its id.

        Data fields start from their InitialValue expressions; ``data`` then sets formal IN
        parameters and any other variable by name. Without ``version``, the instance runs the
        newest version whose validity period (the process's ``ValidFrom``/``ValidTo``) holds
        now; none, or a ``version`` outside its period, is an
        :class:`~wfengine.errors.IllegalStateError` naming the periods (:meth:`startable`).
        ``user``, here and in the other process control commands (start, suspend, resume,
        terminate, abort, set_data), is who asked, for the audit trail (a WAPI session passes
        its user); None is the host itself, anything but a user id (a string) a
        ``TypeError`` naming it. ``data`` that is not a mapping (a list of
        pairs) is a ``TypeError`` naming it, here and in every command that takes data.
        """
        check_process_id(process_id, "create_instance")
        check_mapping(data, "data", "create_instance")
        check_acting_user(user, "create_instance")

        def body() -> str:
            deployed = self._startable(process_id, version)  # (process_id checked above)
            nav = self._nav()
            inst = nav.new_instance(deployed.compiled, deployed.version, data, user=user)
            self.store.commit(nav.step)
            return inst.id

        return self._command(body)

    def start(self, instance_id: str, *, defer: bool = False, user: str | None = None) -> None:
        """Start a created instance (``open.not_running.not_started``) and run its automatic
        work. Any other state is an :class:`~wfengine.errors.IllegalStateError` and nothing
        changes: a suspended instance is continued by :meth:`resume`, never started again
        (starting it anew would ready its start activities a second time).

        With ``defer=True`` the command only marks the instance running and leaves its
        automatic work to a ``continue`` job, for :meth:`run_due_jobs` or a worker process.
        """
        check_instance_id(instance_id, "start")
        if defer is not False:  # (the default costs nothing; "no" deferred the work)
            check_flag(defer, "defer", "start")
        check_acting_user(user, "start")

        def body() -> None:
            inst = self._instance_for(instance_id, ProcessState.RUNNING, "start")
            if inst.state is not ProcessState.NOT_STARTED:  # suspended: resume() continues it
                raise IllegalStateError(
                    f"process instance {instance_id!r}", inst.state.value, "start"
                )
            nav = self._nav()
            self._start(nav, inst, defer, user)

        self._command(body)

    def _start(self, nav: Navigator, inst: ProcessInstance, defer: bool, user: str | None) -> None:
        nav.start_instance(inst, user=user)
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
        user: str | None = None,
    ) -> str:
        """Create and start an instance in one command; returns the instance id.

        ``defer`` is as for :meth:`start`, ``user`` as for :meth:`create_instance`.
        """
        check_process_id(process_id, "start_process")
        check_mapping(data, "data", "start_process")
        if defer is not False:
            check_flag(defer, "defer", "start_process")
        check_acting_user(user, "start_process")

        def body() -> str:
            deployed = self._startable(process_id, version)  # (process_id checked above)
            nav = self._nav()
            inst = nav.new_instance(deployed.compiled, deployed.version, data, user=user)
            self._start(nav, inst, defer, user)
            return inst.id

        return self._command(body)

    def suspend(self, instance_id: str, *, user: str | None = None) -> None:
        """Pause an instance: its work items cannot be completed and its timers wait; so
        do those of the synchronous subflows it waits for (they are its work), which
        ``resume`` continues with it. Their ``instance.state`` events name the instance that
        took them along (``by``); a subflow suspended already stays as it was."""
        check_instance_id(instance_id, "suspend")
        check_acting_user(user, "suspend")

        def body() -> None:
            inst = self._instance_for(instance_id, ProcessState.SUSPENDED, "suspend")
            nav = self._nav()
            _set_state(nav, inst, ProcessState.SUSPENDED, user)
            for child in waited_for(nav, inst, ProcessState.RUNNING):
                take_along(nav, child, ProcessState.SUSPENDED, user, inst.id)
            self.store.commit(nav.step)

        self._command(body)

    def resume(self, instance_id: str, *, user: str | None = None) -> None:
        """Continue a suspended instance, including work that finished while it was paused;
        the timers of the instances it resumed that fell due meanwhile fire now (unless the
        engine defers automatic work), and only those: other instances' are the workers'.
        The synchronous subflows it waits for that a caller's suspension took along resume
        with it; one an operator suspended on its own stays suspended (resume it by its
        id), and so does what waits under it."""
        check_instance_id(instance_id, "resume")
        check_acting_user(user, "resume")
        resumed = [instance_id]

        def body() -> None:
            del resumed[1:]  # (a run again after a lost race)
            inst = self._instance_for(instance_id, ProcessState.RUNNING, "resume")
            if inst.state is not ProcessState.SUSPENDED:  # not started: start() starts it
                raise IllegalStateError(
                    f"process instance {instance_id!r}", inst.state.value, "resume"
                )
            nav = self._nav()
            _set_state(nav, inst, ProcessState.RUNNING, user)
            children = waited_for(
                nav, inst, ProcessState.SUSPENDED, lambda child: taken_along(self.store, child)
            )
            for child in children:
                take_along(nav, child, ProcessState.RUNNING, user, inst.id)
                resumed.append(child.id)
            # what came while they were paused (messages kept; results of subflows that
            # closed, at every depth: the caller's subflow activity waited for resume to hear
            # them), each after the timers due before it (the subflows': the caller's work)
            take_in_time(nav, self.store, [inst, *children])
            self._commit(nav)

        self._command(body)
        if not self.defer_automatic:
            self.fire_due_timers(instances=resumed)

    def waits_for_message(self, instance_id: str, name: str) -> bool:
        """Does something in the open instance wait for message ``name`` now: a catch event
        or receive task, an event attached to a running activity, an armed event
        sub-process? That is what would take the message were it sent now
        (:meth:`send_message`; a suspended instance takes it when resumed), decided by the
        rule delivery uses, so a host choosing where to send agrees with where it is taken.
        False for a closed instance; nothing changes."""
        check_instance_id(instance_id, "waits_for_message")
        check_trigger_name(name, "message", "waits_for_message")
        inst = self.store.instance(instance_id)
        if inst.state.is_closed:
            return False
        return self._nav()._give(inst, name, {}, dry=True)

    def terminate(self, instance_id: str, *, user: str | None = None) -> None:
        """Stop an open instance by request (``closed.terminated``).

        Like :meth:`abort`, it closes an instance whose stored process version no longer
        compiles too (a deployment stored by another wfengine, or edited): its open
        activities, work items, timers and jobs are closed as its stored document names them,
        and a warning on the ``wfengine.engine`` logger says so."""
        self._close(instance_id, ProcessState.TERMINATED, "terminate", user)

    def abort(self, instance_id: str, *, user: str | None = None) -> None:
        """Stop an open instance abnormally (``closed.aborted``)."""
        self._close(instance_id, ProcessState.ABORTED, "abort", user)

    def _close(self, instance_id: str, state: ProcessState, verb: str, user: str | None) -> None:
        check_instance_id(instance_id, verb)
        check_acting_user(user, verb)

        def body() -> None:
            inst = self._instance_for(instance_id, state, verb)
            nav = self._nav()
            nav.close_instance(inst, state, user)
            self._commit(nav)

        try:
            self._command(body)
        except DeployError as exc:
            # its stored deployment no longer compiles (stored by another wfengine, or edited):
            # an operator must still be able to close it, so it is read on a stand-in of its
            # graph, which names what its document points at; what is open is closed as always
            _log.warning("%s %s without its process definition: %s", verb, instance_id, exc)
            with standing_in():
                self._command(body)

    def set_data(
        self, instance_id: str, values: Mapping[str, Any], *, user: str | None = None
    ) -> None:
        """Set instance attributes (WMAssignProcessInstanceAttribute), e.g. to fix an incident;
        conditional events of a running instance that the new data makes true fire."""
        check_instance_id(instance_id, "set_data")
        check_mapping(values, "values", "set_data", required=True)
        check_acting_user(user, "set_data")
        check_storable(values, f"process instance {instance_id!r}")

        def body() -> None:
            inst = self.store.instance(instance_id)
            if inst.state.is_closed:
                raise IllegalStateError(
                    f"process instance {instance_id!r}", inst.state.value, "change the data of"
                )
            nav = self._nav()
            nav.touch(inst)
            hidden = inst.sensitive_fields
            before = {k: inst.data.get(k) for k in values}
            inst.data.update(owned_values(values))
            shown = {
                k: (
                    (REDACTED, REDACTED) if k in hidden else (plain(before[k]), plain(inst.data[k]))
                )
                for k in sorted(values)
            }
            assigned = InstanceDataAssigned(tuple(sorted(values)), shown, user)
            inst.changes.append(change(nav.now, assigned))
            self._commit(nav)  # a conditional event the new data makes true fires

        self._command(body)


__all__ = ["Engine"]
