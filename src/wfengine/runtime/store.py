"""The Store protocol: where deployments, instances, work items, timers and audit live.

The engine is a state-transition function over a store. Every command loads what it needs,
changes the records, and hands the store one :class:`Step` to commit: the instances it touched
(whose pending changes become audit records), the work items created or changed, the timers
set and cancelled, and the outbox entries (side effects to perform after the commit, each with
an idempotency key). A SQL store writes a step in one transaction; the in-memory store keeps the
records themselves and only indexes them. Nothing here may call back into the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.instance import ProcessInstance, Timer, WorkItem


class AuditEvent(NamedTuple):
    """One append-only audit record (TC-1015 common part, reduced).

    ``seq`` numbers the events of one instance from 1, in the order they happened.
    """

    seq: int
    at: datetime
    instance_id: str
    kind: str
    activity_instance_id: str | None
    activity_id: str | None
    detail: Any


class OutboxEntry(NamedTuple):
    """A side effect to perform after the step commits, at least once.

    ``key`` is the idempotency key a receiver uses to recognise a repeat.
    """

    key: str
    kind: str
    instance_id: str
    payload: Any


@dataclass(slots=True, eq=False)
class Step:
    """Everything one engine command changed, committed together."""

    instances: dict[str, ProcessInstance] = field(default_factory=dict)
    work_items: list[WorkItem] = field(default_factory=list)
    timers_set: list[Timer] = field(default_factory=list)
    timers_cancelled: list[str] = field(default_factory=list)
    outbox: list[OutboxEntry] = field(default_factory=list)


class Store(Protocol):
    def add_deployment(self, deployed: DeployedProcess) -> None: ...

    def deployments(self, process_id: str) -> list[DeployedProcess]:
        """Every version of ``process_id``, oldest first (empty when never deployed)."""
        ...

    def deployed_process_ids(self) -> list[str]: ...

    def instance(self, instance_id: str) -> ProcessInstance:
        """The instance; raises :class:`~wfengine.errors.NotFoundError`."""
        ...

    def instances(self) -> Iterable[ProcessInstance]: ...

    def work_item(self, work_item_id: str) -> WorkItem: ...

    def open_work_items(self, instance_id: str | None = None) -> list[WorkItem]:
        """Offered work items in creation order, of one instance or of all."""
        ...

    def timers(self, instance_id: str | None = None) -> list[Timer]: ...

    def due_timers(self, now: datetime) -> list[Timer]:
        """Timers due at or before ``now``, in (due, creation) order."""
        ...

    def audit(self, instance_id: str) -> list[AuditEvent]: ...

    def take_outbox(self) -> list[OutboxEntry]:
        """Remove and return the committed outbox entries (the dispatcher's queue)."""
        ...

    def commit(self, step: Step) -> None: ...
