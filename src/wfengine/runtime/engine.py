"""The enactment service's public face: deploy definitions, run and query instances.

Every command (create, start, complete a work item, fire a timer, suspend, resume, terminate,
abort, retry an incident) reads the clock once, checks that the requested change is legal
*before* touching anything, lets a :class:`~wfengine.runtime.navigator.Navigator` run all the
automatic work that follows, and commits one :class:`~wfengine.runtime.store.Step`. An engine
runs one command at a time; it is not thread-safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

from wfengine.definition.model import Package
from wfengine.errors import IllegalStateError, NotFoundError
from wfengine.runtime.applications import ApplicationRegistry
from wfengine.runtime.clock import Clock, SystemClock, VirtualClock
from wfengine.runtime.compiler import CompiledProcess, compile_process
from wfengine.runtime.deployment import DeployedProcess, fingerprint
from wfengine.runtime.directory import Directory, StaticDirectory
from wfengine.runtime.ids import IdGenerator, SequentialIds
from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance, WorkItem
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.navigator import Navigator
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    IncidentSnapshot,
    InstanceSnapshot,
    TimerSnapshot,
    TokenSnapshot,
    WorkItemSnapshot,
)
from wfengine.runtime.states import (
    ProcessState,
    WorkItemState,
    check_process,
    check_work_item,
)
from wfengine.runtime.store import AuditEvent, Store

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Engine:
    """An embeddable workflow engine.

    All collaborators are injectable: ``store`` (in memory by default), ``clock`` (system time;
    pass a :class:`VirtualClock` in tests, and advancing it fires due deadlines), ``ids``
    (sequential and deterministic by default), ``applications`` (the registry of Python
    callables bound to XPDL Application ids) and ``directory`` (who performs a participant).
    """

    def __init__(
        self,
        store: Store | None = None,
        clock: Clock | None = None,
        ids: IdGenerator | None = None,
        applications: ApplicationRegistry | None = None,
        directory: Directory | None = None,
    ) -> None:
        self.store: Store = store if store is not None else MemoryStore()
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.ids: IdGenerator = ids if ids is not None else SequentialIds()
        self.applications = applications if applications is not None else ApplicationRegistry()
        self.directory: Directory = directory if directory is not None else StaticDirectory()
        self._timer_seq = 0
        #: automatic steps one command may take before it parks its work with an incident
        self.max_steps = 1_000_000
        if isinstance(self.clock, VirtualClock):
            self.clock.subscribe(self.fire_due_timers)

    # ------------------------------------------------------------------ deployment

    def deploy(self, package: Package) -> list[DeployedProcess]:
        """Deploy every process of ``package``; returns their deployed versions, in order.

        All processes are compiled before any is registered, so a package with one broken
        process deploys nothing (:class:`~wfengine.errors.DeployError`). A process
        identical to its latest version keeps that version; a changed one becomes version+1;
        instances keep running on the version they were created with.
        """
        compiled: list[tuple[str, CompiledProcess, str]] = []
        for process in package.workflow_processes:
            fp = fingerprint(package, process)
            latest = self.latest(process.id)
            if latest is not None and latest.fingerprint == fp:
                compiled.append((process.id, latest.compiled, fp))
            else:
                compiled.append((process.id, compile_process(package, process), fp))
        result: list[DeployedProcess] = []
        for process, (pid, cp, fp) in zip(package.workflow_processes, compiled, strict=True):
            latest = self.latest(pid)
            if latest is not None and latest.fingerprint == fp:
                result.append(latest)
                continue
            deployed = DeployedProcess(
                process_id=pid,
                version=(latest.version + 1) if latest is not None else 1,
                package_id=package.id,
                fingerprint=fp,
                definition=process,
                package=package,
                compiled=cp,
            )
            self.store.add_deployment(deployed)
            result.append(deployed)
        return result

    def latest(self, process_id: str) -> DeployedProcess | None:
        versions = self.store.deployments(process_id)
        return versions[-1] if versions else None

    def deployed(self, process_id: str, version: int | None = None) -> DeployedProcess:
        versions = self.store.deployments(process_id)
        if not versions:
            known = ", ".join(self.store.deployed_process_ids()) or "none"
            raise NotFoundError("deployed process", process_id, f"deployed: {known}")
        if version is None:
            return versions[-1]
        for d in versions:
            if d.version == version:
                return d
        raise NotFoundError(
            "version", f"{process_id} v{version}", f"versions 1..{versions[-1].version}"
        )

    # ------------------------------------------------------------------ commands

    def _nav(self) -> Navigator:
        return Navigator(self, self.clock.now())

    def _commit(self, nav: Navigator) -> None:
        nav.drain()
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
        deployed = self.deployed(process_id, version)
        nav = self._nav()
        inst = nav.new_instance(deployed.compiled, deployed.version, data)
        self.store.commit(nav.step)
        return inst.id

    def start(self, instance_id: str) -> None:
        """Start a created instance and run its automatic work."""
        inst = self._instance_for(instance_id, ProcessState.RUNNING, "start")
        nav = self._nav()
        nav.start_instance(inst)
        self._commit(nav)

    def start_process(
        self, process_id: str, data: Mapping[str, Any] | None = None, version: int | None = None
    ) -> str:
        """``create_instance`` then ``start``, in one call; returns the instance id."""
        instance_id = self.create_instance(process_id, data, version)
        self.start(instance_id)
        return instance_id

    def suspend(self, instance_id: str) -> None:
        """Pause an instance: its work items cannot be completed and its timers wait."""
        inst = self._instance_for(instance_id, ProcessState.SUSPENDED, "suspend")
        nav = self._nav()
        _set_state(nav, inst, ProcessState.SUSPENDED)
        self.store.commit(nav.step)

    def resume(self, instance_id: str) -> None:
        """Continue a suspended instance, including work that finished while it was paused."""
        inst = self._instance_for(instance_id, ProcessState.RUNNING, "resume")
        nav = self._nav()
        _set_state(nav, inst, ProcessState.RUNNING)
        for ai in list(inst.activities.values()):
            if ai.state.is_open and ai.child_instance is not None:
                child = self.store.instance(ai.child_instance)
                if child.parent_waits and child.state.is_closed:
                    nav.subflow_result(inst, ai, child)
        self._commit(nav)
        self.fire_due_timers()

    def terminate(self, instance_id: str) -> None:
        """Stop an open instance by request (``closed.terminated``)."""
        self._close(instance_id, ProcessState.TERMINATED, "terminate")

    def abort(self, instance_id: str) -> None:
        """Stop an open instance abnormally (``closed.aborted``)."""
        self._close(instance_id, ProcessState.ABORTED, "abort")

    def _close(self, instance_id: str, state: ProcessState, verb: str) -> None:
        inst = self._instance_for(instance_id, state, verb)
        nav = self._nav()
        nav.close_instance(inst, state)
        self._commit(nav)

    def _instance_for(self, instance_id: str, state: ProcessState, verb: str) -> ProcessInstance:
        """The instance, once it is known that it may move to ``state``.

        Every state-changing command refuses an illegal request before it touches anything;
        ``verb`` names the request in the error.
        """
        inst = self.store.instance(instance_id)
        check_process(f"process instance {instance_id!r}", inst.state, state, verb)
        return inst

    def complete_work_item(self, work_item_id: str, data: Mapping[str, Any] | None = None) -> None:
        """Complete a work item, merging ``data`` into the instance, and run what follows."""
        item = self.store.work_item(work_item_id)
        inst = self.store.instance(item.instance_id)
        subject = (
            f"work item {work_item_id!r} (activity {item.activity_id!r} of instance {inst.id!r})"
        )
        check_work_item(subject, item.state, WorkItemState.COMPLETED, "complete")
        if inst.state is not ProcessState.RUNNING:
            raise IllegalStateError(
                subject, f"in an instance that is {inst.state.value}", "complete"
            )
        nav = self._nav()
        nav.complete_work_item(item, data)
        self._commit(nav)

    def set_data(self, instance_id: str, values: Mapping[str, Any]) -> None:
        """Set instance attributes (WMAssignProcessInstanceAttribute), e.g. to fix an incident."""
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

    def retry_incident(self, incident_id: str) -> None:
        """Redo the operation that failed (after fixing its cause)."""
        incident = self._incident(incident_id)
        inst = self.store.instance(incident.instance_id)
        subject = f"incident {incident_id!r} of instance {inst.id!r}"
        if incident.resolved:
            raise IllegalStateError(subject, "resolved", "retry")
        if incident.operation == "deadlock":
            raise IllegalStateError(subject, "a deadlock", "retry")
        if inst.state is not ProcessState.RUNNING:
            raise IllegalStateError(subject, f"in an instance that is {inst.state.value}", "retry")
        nav = self._nav()
        nav.retry(incident)
        self._commit(nav)

    def fire_due_timers(self) -> int:
        """Fire every timer due now, each as its own command; returns how many fired."""
        fired = 0
        for timer in self.store.due_timers(self.clock.now()):
            inst = self.store.instance(timer.instance_id)
            if inst.state is ProcessState.SUSPENDED:
                continue
            nav = self._nav()
            nav.fire_timer(timer)
            self._commit(nav)
            fired += 1
        return fired

    # ------------------------------------------------------------------ queries

    def instance(self, instance_id: str) -> InstanceSnapshot:
        return _instance_snapshot(self.store.instance(instance_id))

    def instances(
        self, *, state: ProcessState | str | None = None, process_id: str | None = None
    ) -> list[InstanceSnapshot]:
        wanted = None if state is None else ProcessState(state)
        return [
            _instance_snapshot(i)
            for i in self.store.instances()
            if (wanted is None or i.state is wanted)
            and (process_id is None or i.process_id == process_id)
        ]

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
        """Open incidents, of one instance or of all."""
        insts: Iterable[ProcessInstance] = (
            [self.store.instance(instance_id)]
            if instance_id is not None
            else self.store.instances()
        )
        return [
            _incident_snapshot(i)
            for inst in insts
            for i in inst.incidents.values()
            if not i.resolved
        ]

    def timers(self, instance_id: str | None = None) -> list[TimerSnapshot]:
        return [_same_named_copy(TimerSnapshot, t) for t in self.store.timers(instance_id)]

    def audit(self, instance_id: str) -> list[AuditEvent]:
        self.store.instance(instance_id)
        return self.store.audit(instance_id)

    def _incident(self, incident_id: str) -> Incident:
        for inst in self.store.instances():
            found = inst.incidents.get(incident_id)
            if found is not None:
                return found
        raise NotFoundError("incident", incident_id)


def _set_state(nav: Navigator, inst: ProcessInstance, state: ProcessState) -> None:
    """Move a checked instance to ``state`` directly (suspend, resume), recording the change."""
    nav.touch(inst)
    inst.state = state
    inst.changes.append((nav.now, "instance.state", None, None, inst.state.value))


# --------------------------------------------------------------------------- snapshots


def _instance_snapshot(inst: ProcessInstance) -> InstanceSnapshot:
    return InstanceSnapshot(
        id=inst.id,
        process_id=inst.process_id,
        version=inst.version,
        state=inst.state,
        data=dict(inst.data),
        created_at=inst.created_at,
        started_at=inst.started_at,
        completed_at=inst.completed_at,
        parent_instance_id=inst.parent_instance,
        parent_activity_instance_id=inst.parent_activity_instance,
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
