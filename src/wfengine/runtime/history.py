"""The history an engine records: the catalogue of audit events (the seed of Interface 5).

Every state change a command makes is recorded in the same unit of work as the change, as a
:data:`Change`: ``(when, kind, activity instance id, activity id, detail)``. The kinds are
:class:`EventKind` (stable names: stores keep them and scripts match on them), grouped as the
WfMC audit data specification (TC-1015) groups its records: process instance created, state
changed, attributes assigned; activity instance state changed; work item assigned and
completed; application invoked and returned; administrative actions (incidents). Each kind
with a detail has one payload dataclass here, whose :meth:`detail` is what is stored; kinds
without one (an activity starting or completing) carry ``None``.

Nothing records history any other way: navigation and the engine's commands build their
changes with :func:`change` (or, on the hottest path, the ready-made kinds below), and the
application layer reports its calls as the payloads of :mod:`wfengine.applications.events`,
which this catalogue includes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol, Self

from wfengine.applications.events import ApplicationFailed, ApplicationInvoked, ApplicationReturned
from wfengine.runtime.deadline_events import DeadlineFired as DeadlineFired  # re-exported
from wfengine.runtime.deadline_events import DeadlineInvalid as DeadlineInvalid
from wfengine.runtime.deadline_events import DeadlineUnhandled as DeadlineUnhandled
from wfengine.runtime.flow_events import CAUSE_FIELDS as CAUSE_FIELDS
from wfengine.runtime.flow_events import ActivityAborted as ActivityAborted
from wfengine.runtime.flow_events import ActivityTerminated as ActivityTerminated
from wfengine.runtime.flow_events import BoundaryFired as BoundaryFired
from wfengine.runtime.flow_events import ConditionFailed as ConditionFailed
from wfengine.runtime.flow_events import EventThrown as EventThrown
from wfengine.runtime.flow_events import MessageKept as MessageKept
from wfengine.runtime.flow_events import MessageReceived as MessageReceived
from wfengine.runtime.flow_events import MultiInstanceAdded as MultiInstanceAdded
from wfengine.runtime.flow_events import ScriptAssigned as ScriptAssigned
from wfengine.runtime.flow_events import SignalReceived as SignalReceived
from wfengine.runtime.incident_events import IncidentAborted as IncidentAborted
from wfengine.runtime.incident_events import IncidentOpened as IncidentOpened
from wfengine.runtime.incident_events import IncidentRetried as IncidentRetried
from wfengine.runtime.incident_events import IncidentSkipped as IncidentSkipped
from wfengine.runtime.note_events import NOTE_EVENTS
from wfengine.runtime.work_item_events import (
    OperationRefused,
    ReminderDue,
    WorkItemAllocated,
    WorkItemCancelled,
    WorkItemCompleted,
    WorkItemDelegated,
    WorkItemEscalated,
    WorkItemOffered,
    WorkItemReassigned,
    WorkItemReleased,
    WorkItemReturned,
    WorkItemSentBack,
    WorkItemStarted,
)


class EventKind(StrEnum):
    """Every kind of audit event, by the WfMC audit-data group it belongs to."""

    # process instance: created, state changed, attributes assigned
    INSTANCE_CREATED = "instance.created"
    INSTANCE_STATE = "instance.state"
    INSTANCE_DATA = "instance.data"
    INSTANCE_DEFERRED = "instance.deferred"
    # activity instance state changed
    ACTIVITY_CREATED = "activity.created"
    ACTIVITY_STARTED = "activity.started"
    ACTIVITY_COMPLETED = "activity.completed"
    ACTIVITY_TERMINATED = "activity.terminated"
    ACTIVITY_ABORTED = "activity.aborted"
    ACTIVITY_ITERATION = "activity.iteration"
    ACTIVITY_EXCEPTION = "activity.exception"
    ACTIVITY_THREAD_ENDED = "activity.thread_ended"
    ACTIVITY_SCRIPT = "activity.script"
    JOIN_DISCARDED = "join.discarded"
    MI_STARTED = "mi.started"
    SUBFLOW_STARTED = "subflow.started"
    # work items
    WORK_ITEM_OFFERED = "work_item.offered"
    WORK_ITEM_ALLOCATED = "work_item.allocated"
    WORK_ITEM_STARTED = "work_item.started"
    WORK_ITEM_RELEASED = "work_item.released"
    WORK_ITEM_DELEGATED = "work_item.delegated"
    WORK_ITEM_RETURNED = "work_item.returned"
    WORK_ITEM_REASSIGNED = "work_item.reassigned"
    WORK_ITEM_SENT_BACK = "work_item.sent_back"
    WORK_ITEM_REMINDER = "work_item.reminder"
    WORK_ITEM_ESCALATED = "work_item.escalated"
    WORK_ITEM_COMPLETED = "work_item.completed"
    WORK_ITEM_CANCELLED = "work_item.cancelled"
    OPERATION_REFUSED = "operation.refused"
    COMMENT_DELETED = "comment.deleted"
    ATTACHMENT_DELETED = "attachment.deleted"
    # invoked applications
    APPLICATION_QUEUED = "application.queued"
    APPLICATION_INVOKED = "application.invoked"
    APPLICATION_RETURNED = "application.returned"
    APPLICATION_FAILED = "application.failed"
    APPLICATION_DISCARDED = "application.discarded"
    # deadlines
    DEADLINE_FIRED = "deadline.fired"
    TIMER_FIRED = "timer.fired"
    # messages
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_KEPT = "message.kept"
    SIGNAL_RECEIVED = "signal.received"
    EVENT_BOUNDARY = "event.boundary"
    EVENT_THROWN = "event.thrown"
    EVENT_CONDITION_FAILED = "event.condition_failed"
    MI_ADDED = "activity.mi_added"
    DEADLINE_UNHANDLED = "deadline.unhandled"
    DEADLINE_INVALID = "deadline.invalid"
    # administration: incidents and the operator's answers
    INCIDENT_OPENED = "incident.opened"
    INCIDENT_RETRIED = "incident.retried"
    INCIDENT_SKIPPED = "incident.skipped"
    INCIDENT_ABORTED = "incident.aborted"


#: one recorded event: (when, kind, activity instance id, activity id, detail)
Change = tuple[datetime, str, str | None, str | None, Any]


class Payload(Protocol):
    """The detail of one kind of event: :meth:`detail` is what is stored, and the class method
    ``of`` reads a stored detail back (``type(p).of(p.detail()) == p``)."""

    KIND: ClassVar[str]

    def detail(self) -> Any: ...

    @classmethod
    def of(cls, detail: Any) -> Self: ...


def change(
    at: datetime,
    payload: Payload,
    activity_instance_id: str | None = None,
    activity_id: str | None = None,
) -> Change:
    """The change recording ``payload``: its kind as text, its stored detail (:func:`marker`)."""
    return (at, str(payload.KIND), activity_instance_id, activity_id, payload.detail())


def marker(
    at: datetime,
    kind: EventKind,
    activity_instance_id: str | None = None,
    activity_id: str | None = None,
) -> Change:
    """The change recording a kind of event that has no detail (its kind as plain text, by
    ``str``: a tuple of plain values the collector stops tracking, an enum member is not)."""
    return (at, str(kind), activity_instance_id, activity_id, None)


#: the state an activity instance closed in -> the kind that records it
CLOSED_KINDS = {
    "closed.completed": EventKind.ACTIVITY_COMPLETED,
    "closed.terminated": EventKind.ACTIVITY_TERMINATED,
    "closed.aborted": EventKind.ACTIVITY_ABORTED,
}


# --------------------------------------------------------------------------- payloads


@dataclass(frozen=True, slots=True)
class InstanceCreated:
    """A process instance was created from ``version`` of its process definition, with
    ``data`` given by whoever started it (the fields set beyond their initial values; a
    sensitive field's as ``"***"``; None when nothing was given), by ``user`` when one was
    named (a WAPI session's; None: the host or the engine itself). A subflow's instance
    names its parent: the caller's instance (``parent_instance_id``) and the subflow
    activity instance that started it (``parent_activity_instance_id``), the WfMC audit
    data's parent instance (None for an instance started on its own, and in events stored
    before parents were recorded)."""

    KIND: ClassVar[str] = EventKind.INSTANCE_CREATED
    version: int
    data: dict[str, Any] | None = None
    user: str | None = None
    parent_instance_id: str | None = None
    parent_activity_instance_id: str | None = None

    def detail(self) -> Any:
        return _created_detail(
            self.version,
            self.data,
            self.user,
            self.parent_instance_id,
            self.parent_activity_instance_id,
        )

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(
            detail["version"],
            detail.get("data"),
            detail.get("user"),
            detail.get("parent_instance_id"),
            detail.get("parent_activity_instance_id"),
        )


@dataclass(frozen=True, slots=True)
class InstanceStateChanged:
    """A process instance entered ``state`` (a WfMC state name) from ``previous``, by ``user``
    (None: the host or the engine). Every change keeps the state it left (TC-1015), the
    engine's own start and completion too; one stored as the bare text (an event recorded
    before they did) reads back with ``previous`` None.

    ``by``: the instance whose suspension or resumption took this one along (a synchronous
    subflow suspended or resumed with its caller: the instance the request named), or whose
    closing closed it (a synchronous subflow terminated or aborted with its caller, or
    withdrawn with its activity: the calling instance); None for a change asked of this
    instance itself. Resuming a caller resumes only the subflows its suspension took along,
    not one an operator had suspended on its own."""

    KIND: ClassVar[str] = EventKind.INSTANCE_STATE
    state: str
    previous: str | None = None
    user: str | None = None
    by: str | None = None

    def detail(self) -> Any:
        return _state_detail(self.state, self.previous, self.user, self.by)

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):
            return cls(detail)
        return cls(detail["state"], detail.get("previous"), detail.get("user"), detail.get("by"))


def _created_detail(
    version: int,
    data: dict[str, Any] | None,
    user: str | None,
    parent_instance_id: str | None,
    parent_activity_instance_id: str | None,
) -> dict[str, Any]:
    """:meth:`InstanceCreated.detail` (and :func:`instance_created`'s)."""
    found: dict[str, Any] = {"version": version}
    if data is not None:
        found["data"] = data
    if user is not None:
        found["user"] = user
    if parent_instance_id is not None:
        found["parent_instance_id"] = parent_instance_id
        found["parent_activity_instance_id"] = parent_activity_instance_id
    return found


def _state_detail(state: str, previous: str | None, user: str | None, by: str | None) -> Any:
    """:meth:`InstanceStateChanged.detail` (and :func:`state_changed`'s)."""
    if previous is None and user is None and by is None:
        return state
    found = {"state": state, "previous": previous, "user": user}
    if by is not None:
        found["by"] = by
    return found


#: the kinds :func:`instance_created` and :func:`state_changed` record, as plain text
_CREATED_TEXT: str = EventKind.INSTANCE_CREATED.value
_STATE_TEXT: str = EventKind.INSTANCE_STATE.value


def instance_created(
    at: datetime, version: int, data: dict[str, Any] | None, user: str | None
) -> Change:
    """``change(at, InstanceCreated(version, data, user))`` without making the payload: a
    frozen dataclass sets each field through ``object.__setattr__`` (the payload and its
    change some 800 ns, of every start)."""
    return (at, _CREATED_TEXT, None, None, _created_detail(version, data, user, None, None))


def state_changed(
    at: datetime,
    state: str,
    previous: str | None = None,
    user: str | None = None,
    by: str | None = None,
) -> Change:
    """``change(at, InstanceStateChanged(state, previous, user, by))`` without making the
    payload (see :func:`instance_created`): every instance's start and close record one."""
    return (at, _STATE_TEXT, None, None, _state_detail(state, previous, user, by))


def state_entered(detail: Any) -> str | None:
    """The state an ``instance.state`` event's stored detail names (None: neither shape)."""
    found = detail.get("state") if isinstance(detail, dict) else detail
    return found if isinstance(found, str) else None


@dataclass(frozen=True, slots=True)
class InstanceDataAssigned:
    """An operator or the host set instance attributes: the fields, sorted, and each one's
    old and new value (``{"field": [old, new]}``; a sensitive field's as ``"***"``: see
    :mod:`wfengine.applications.redaction`), by ``user`` when one was named. Events written
    before values were kept have ``values`` None.

    A subflow activity records one too, on itself (the event's activity), when it writes
    into its caller's data: the called instance's id kept in its ``InstanceDataField`` as it
    starts, and the OUT and INOUT values the completed subflow returned (``user`` None)."""

    KIND: ClassVar[str] = EventKind.INSTANCE_DATA
    fields: tuple[str, ...]
    values: dict[str, tuple[Any, Any]] | None = None
    user: str | None = None

    def detail(self) -> Any:
        if self.values is None:
            return list(self.fields)
        found: dict[str, Any] = {
            "fields": list(self.fields),
            "values": {k: [old, new] for k, (old, new) in self.values.items()},
        }
        if self.user is not None:
            found["user"] = self.user
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, list):  # the shape before values were kept
            return cls(tuple(detail))
        values = {k: (pair[0], pair[1]) for k, pair in detail["values"].items()}
        return cls(tuple(detail["fields"]), values, detail.get("user"))


@dataclass(frozen=True, slots=True)
class InstanceDeferred:
    """Automatic work of the instance was queued as job ``job_id`` for a worker."""

    KIND: ClassVar[str] = EventKind.INSTANCE_DEFERRED
    job_id: str

    def detail(self) -> Any:
        return self.job_id

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class ActivityIterated:
    """A loop activity began its iteration number ``iterations``."""

    KIND: ClassVar[str] = EventKind.ACTIVITY_ITERATION
    iterations: int

    def detail(self) -> Any:
        return self.iterations

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class ExceptionTaken:
    """An activity failed and left by its EXCEPTION transition; ``message`` says why."""

    KIND: ClassVar[str] = EventKind.ACTIVITY_EXCEPTION
    message: str

    def detail(self) -> Any:
        return self.message

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class JoinDiscarded:
    """A join that had fired let ``tokens`` late tokens go (a discriminator's rest)."""

    KIND: ClassVar[str] = EventKind.JOIN_DISCARDED
    tokens: int

    def detail(self) -> Any:
        return {"tokens": self.tokens}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["tokens"])


@dataclass(frozen=True, slots=True)
class MultiInstanceStarted:
    """A multi-instance activity started ``instances`` instances of its body."""

    KIND: ClassVar[str] = EventKind.MI_STARTED
    instances: int

    def detail(self) -> Any:
        return self.instances

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class SubflowStarted:
    """A subflow activity started the child process instance ``instance_id``."""

    KIND: ClassVar[str] = EventKind.SUBFLOW_STARTED
    instance_id: str

    def detail(self) -> Any:
        return self.instance_id

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class ApplicationQueued:
    """An asynchronous application call became ``invoke`` job ``job`` (idempotency key ``key``)."""

    KIND: ClassVar[str] = EventKind.APPLICATION_QUEUED
    application: str
    key: str | None
    job: str

    def detail(self) -> Any:
        return {"application": self.application, "key": self.key, "job": self.job}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["application"], detail["key"], detail["job"])


@dataclass(frozen=True, slots=True)
class ApplicationDiscarded:
    """A call's answer the activity did not get, ``reason`` saying why: an asynchronous
    one's came back too late, or a synchronous one's command lost a race (its call counts)."""

    KIND: ClassVar[str] = EventKind.APPLICATION_DISCARDED
    application: str
    key: str | None
    reason: str

    def detail(self) -> Any:
        return {"application": self.application, "key": self.key, "reason": self.reason}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["application"], detail["key"], detail["reason"])


#: every payload type by the kind it records (the application layer's included)
PAYLOADS: dict[str, type[Payload]] = {
    p.KIND: p
    for p in (
        InstanceCreated,
        InstanceStateChanged,
        InstanceDataAssigned,
        InstanceDeferred,
        ScriptAssigned,
        MessageReceived,
        MessageKept,
        SignalReceived,
        BoundaryFired,
        EventThrown,
        ConditionFailed,
        ActivityIterated,
        ActivityAborted,
        ActivityTerminated,
        ExceptionTaken,
        JoinDiscarded,
        MultiInstanceStarted,
        MultiInstanceAdded,
        SubflowStarted,
        WorkItemOffered,
        WorkItemAllocated,
        WorkItemStarted,
        WorkItemReleased,
        WorkItemDelegated,
        WorkItemReturned,
        WorkItemReassigned,
        WorkItemSentBack,
        ReminderDue,
        WorkItemEscalated,
        WorkItemCompleted,
        WorkItemCancelled,
        OperationRefused,
        *NOTE_EVENTS,
        ApplicationQueued,
        ApplicationInvoked,
        ApplicationReturned,
        ApplicationFailed,
        ApplicationDiscarded,
        DeadlineFired,
        DeadlineUnhandled,
        DeadlineInvalid,
        IncidentOpened,
        IncidentRetried,
        IncidentAborted,
        IncidentSkipped,
    )
}

#: the kinds recorded without a detail
MARKERS: frozenset[str] = frozenset(
    {
        EventKind.ACTIVITY_CREATED,
        EventKind.ACTIVITY_STARTED,
        EventKind.ACTIVITY_COMPLETED,
        EventKind.ACTIVITY_THREAD_ENDED,
        EventKind.TIMER_FIRED,
    }
)


def read_payload(kind: str, detail: Any) -> Payload | None:
    """The payload a stored event carries (None for a marker); raises ``ValueError`` for a
    kind the catalogue does not know, ``KeyError``/``TypeError`` for a detail of the wrong
    shape."""
    found = PAYLOADS.get(kind)
    if found is not None:
        return found.of(detail)
    if kind in MARKERS:
        return None
    raise ValueError(f"unknown audit event kind {kind!r}")
