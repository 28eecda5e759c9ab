"""The in-memory store: for tests, simulation and the fastest embedded use.

It keeps the engine's own record objects (no copies, no serialisation), so committing a step
only moves the instances' pending changes into the audit trail and updates a few indexes.
Nothing survives the process; use the SQL store for that.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from wfengine.errors import NotFoundError
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.instance import Change, ProcessInstance, Timer, WorkItem
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.store import AuditEvent, OutboxEntry, Step


class MemoryStore:
    def __init__(self) -> None:
        self._deployments: dict[str, list[DeployedProcess]] = {}
        self._instances: dict[str, ProcessInstance] = {}
        self._work_items: dict[str, WorkItem] = {}
        self._open_items: dict[str, WorkItem] = {}
        self._timers: dict[str, Timer] = {}
        self._timer_heap: list[tuple[datetime, int, str]] = []
        #: per instance, the change tuples as the navigator wrote them (append-only)
        self._audit: dict[str, list[Change]] = {}
        self._outbox: list[OutboxEntry] = []

    # -- deployments -------------------------------------------------------------------------

    def add_deployment(self, deployed: DeployedProcess) -> None:
        self._deployments.setdefault(deployed.process_id, []).append(deployed)

    def deployments(self, process_id: str) -> list[DeployedProcess]:
        return list(self._deployments.get(process_id, ()))

    def deployed_process_ids(self) -> list[str]:
        return list(self._deployments)

    # -- instances -----------------------------------------------------------------------------

    def instance(self, instance_id: str) -> ProcessInstance:
        try:
            return self._instances[instance_id]
        except KeyError:
            raise NotFoundError("process instance", instance_id) from None

    def instances(self) -> Iterable[ProcessInstance]:
        return list(self._instances.values())

    # -- work items and timers -----------------------------------------------------------------

    def work_item(self, work_item_id: str) -> WorkItem:
        try:
            return self._work_items[work_item_id]
        except KeyError:
            raise NotFoundError("work item", work_item_id) from None

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        return [
            w
            for w in self._open_items.values()
            if instance_id is None or w.instance_id == instance_id
        ]

    def timers(self, instance_id: str | None = None) -> list[Timer]:
        found = [t for t in self._timers.values() if instance_id in (None, t.instance_id)]
        return sorted(found, key=lambda t: (t.due, t.seq))

    def due_timers(self, now: datetime) -> list[Timer]:
        due: list[Timer] = []
        heap = self._timer_heap
        skipped: list[tuple[datetime, int, str]] = []
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            timer = self._timers.get(entry[2])
            if timer is not None:
                due.append(timer)
                skipped.append(entry)
        for entry in skipped:  # a timer stays until a step cancels it
            heapq.heappush(heap, entry)
        return due

    # -- audit and outbox ------------------------------------------------------------------------

    def audit(self, instance_id: str) -> list[AuditEvent]:
        return [
            AuditEvent(n, at, instance_id, kind, aid, act_id, detail)
            for n, (at, kind, aid, act_id, detail) in enumerate(self._audit.get(instance_id, ()), 1)
        ]

    def take_outbox(self) -> list[OutboxEntry]:
        out, self._outbox = self._outbox, []
        return out

    # -- commit ----------------------------------------------------------------------------------

    def commit(self, step: Step) -> None:
        audit = self._audit
        for inst in step.instances.values():
            self._instances[inst.id] = inst
            changes = inst.changes
            if changes:
                log = audit.get(inst.id)
                if log is None:
                    audit[inst.id] = changes
                else:
                    log.extend(changes)
                inst.changes = []
        for item in step.work_items:
            self._work_items[item.id] = item
            if item.state is WorkItemState.OFFERED:
                self._open_items[item.id] = item
            else:
                self._open_items.pop(item.id, None)
        for timer_id in step.timers_cancelled:
            self._timers.pop(timer_id, None)
        for timer in step.timers_set:
            if timer.id in step.timers_cancelled:
                continue
            self._timers[timer.id] = timer
            heapq.heappush(self._timer_heap, (timer.due, timer.seq, timer.id))
        self._outbox.extend(step.outbox)
