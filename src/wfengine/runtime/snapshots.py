"""Read-only views the engine hands out: copies, so callers cannot change an instance.

Data is copied shallowly (a new dict); values inside are the instance's own objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from types import MappingProxyType, MemberDescriptorType
from typing import TYPE_CHECKING, Any, TypeVar

from wfengine.runtime.compiled import KIND_CONDITION
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.values import owned_values

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from wfengine.runtime.instance import ActivityInstance, Incident, ProcessInstance, WorkItem


#: the metadata of a snapshot field the engine works out, not copied from the record
#: (:func:`copy_snapshot` leaves it at its default; the caller that knows it sets it)
WORKED_OUT: Mapping[str, bool] = MappingProxyType({"worked_out": True})


@dataclass(frozen=True, slots=True)
class InstanceSnapshot:
    """A process instance as it stood when read: a frozen copy, so a caller can keep
    or share it while the engine carries on (``Engine.instance``)."""

    id: str
    process_id: str
    version: int
    state: ProcessState
    data: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    parent_instance_id: str | None
    parent_activity_instance_id: str | None
    #: ids of open incidents; an instance with incidents waits for an operator
    incidents: tuple[str, ...]
    #: the messages sent to it that no catch event has taken yet, oldest first (kept for the
    #: next catch of their name, or for its resumption: see ``Engine.send_message``)
    messages: tuple[KeptMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class KeptMessage:
    """A message an instance keeps until a catch event of its name takes it
    (``InstanceSnapshot.messages``). Why shown: a message sent before its catch waits (or to a
    suspended instance, or under a misspelt name a catch of the process also has) is
    otherwise visible only as a ``message.kept`` audit event, with no way to see what is
    still pending."""

    name: str
    #: what it carries, merged into the instance's data when a catch takes it (a copy)
    data: dict[str, Any]
    #: when it was kept
    kept_at: datetime


@dataclass(frozen=True, slots=True)
class InstanceSummary:
    """An instance's columns only (no data, no incidents): what a listing needs, read without
    loading the instance (a SQL store answers it from the ``process_instances`` columns)."""

    id: str
    process_id: str
    version: int
    state: ProcessState
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    parent_instance_id: str | None
    parent_activity_instance_id: str | None


def summarise(inst: ProcessInstance) -> InstanceSummary:
    """The summary of a loaded instance: one mapping of record names onto public names, used by
    the in-memory store's listing and by every full :class:`InstanceSnapshot`."""
    return InstanceSummary(
        id=inst.id,
        process_id=inst.process_id,
        version=inst.version,
        state=inst.state,
        created_at=inst.created_at,
        started_at=inst.started_at,
        completed_at=inst.completed_at,
        parent_instance_id=inst.parent_instance,
        parent_activity_instance_id=inst.parent_activity_instance,
    )


@dataclass(frozen=True, slots=True)
class ActivityInstanceSnapshot:
    """One run of an activity in an instance (``Engine.activity_instances``): its WfMC
    state, loop iterations, the multi-instance index, and the work item, subflow or incident
    it waits on."""

    id: str
    instance_id: str
    activity_id: str
    state: ActivityState
    #: when the activity instance was created (for a person's activity: when its work was
    #: offered), not when work on it began (its ``activity.started`` audit event); kept under
    #: this name, as scripts read it
    started_at: datetime
    completed_at: datetime | None
    iterations: int
    mi_index: int | None
    work_item_id: str | None
    subflow_instance_id: str | None
    incident_id: str | None
    #: who completed its work item (None when no person did)
    performer: str | None = None
    #: the message or signal it waits for (an open intermediate catch event), else None
    waiting_for: str | None = None
    #: what ``waiting_for`` names: ``"message"`` or ``"signal"`` (None when it waits for
    #: neither)
    waiting_on: str | None = None
    #: the multi-instance activity instance (the container) this is an instance of, whose
    #: deadlines it has (None for any other activity instance)
    mi_parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class TokenSnapshot:
    """A token waiting at a join: ``activity_id`` is the join, ``transition_id`` its way in."""

    instance_id: str
    activity_id: str
    transition_id: str
    count: int
    #: the activity set the join is in, None at the process's top level
    block_activity_instance_id: str | None


@dataclass(frozen=True, slots=True)
class WorkItemSnapshot:
    """Work offered to people (``Engine.work_items``): ``performers`` as the definition
    names them, ``assignees`` as the directory resolved them (who it is offered to),
    ``holder`` who has claimed it (or had it delegated or reassigned to them), ``owner`` who
    delegated it and stays responsible."""

    id: str
    instance_id: str
    activity_instance_id: str
    activity_id: str
    performers: tuple[str, ...]
    assignees: tuple[str, ...]
    state: WorkItemState
    created_at: datetime
    completed_at: datetime | None
    mi_index: int | None
    holder: str | None = None
    owner: str | None = None
    started_at: datetime | None = None
    #: open, in a suspended instance (suspended itself, or with the instance that called it
    #: as a synchronous subflow): listed still, so the work does not seem lost, but every
    #: action on it is refused until the instance is resumed (False for a closed item)
    suspended: bool = field(default=False, metadata=WORKED_OUT)

    def __setstate__(self, state: Sequence[Any]) -> None:
        """Unpickle: a snapshot pickled before a field was added (``suspended``) has no
        value for it, and gets its default (the dataclass's own unpickling left it unset,
        an ``AttributeError`` at the first read)."""
        values = list(state)
        for n, f in enumerate(fields(self)):
            object.__setattr__(self, f.name, values[n] if n < len(values) else f.default)


@dataclass(frozen=True, slots=True)
class WorkItemData:
    """What a work item's person sees of its instance's data and may write back
    (``Engine.work_item_data``): ``values`` holds the fields its activity lets it read
    (every field unless the activity lists some), ``writable`` the fields its completion may
    write."""

    work_item_id: str
    values: dict[str, Any]
    writable: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IncidentSnapshot:
    """Something that failed and waits for an operator (``Engine.incidents``):
    ``operation`` says what a retry redoes (``run``, ``leave``, ``job``, ...)."""

    id: str
    instance_id: str
    activity_instance_id: str | None
    activity_id: str | None
    operation: str
    message: str
    created_at: datetime
    resolved: bool
    #: the application whose call failed (None when the incident is not about a call)
    application_id: str | None = None
    #: how many times that call was attempted before the incident opened
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class WayOn:
    """One transition an operator may choose at a failed decision."""

    transition_id: str
    #: the activity it leads to
    to: str
    #: the condition's text (an expression, or a label for people), None for an unconditioned
    #: transition or OTHERWISE; for a condition left empty where the activity chooses, the
    #: transition's Name (None when it has none: offer it by ``transition_id`` or ``to``)
    condition: str | None
    #: True when the condition is a label for people, or was left empty, not an expression
    label: bool
    otherwise: bool


@dataclass(frozen=True, slots=True)
class DecisionSnapshot:
    """A decision an instance could not make by itself (an incident of operation ``leave``):
    what an operator (or a UI offering buttons) may choose with ``skip_incident(take=...)``."""

    incident_id: str
    instance_id: str
    activity_id: str
    #: an exclusive choice takes exactly one way; otherwise any non-empty set
    exclusive: bool
    #: in the order the engine evaluates them
    ways: tuple[WayOn, ...]

    @property
    def labelled(self) -> bool:
        """True when the definition left the choice to people (a way is a label)."""
        return any(way.label for way in self.ways)


@dataclass(frozen=True, slots=True)
class TimerSnapshot:
    """A timer set, due at ``due``: an activity's deadline, an intermediate timer event, a
    timer event attached to an activity, or an event sub-process's Timer start event
    (``kind`` says which, ``activity_id`` whose it is)."""

    id: str
    due: datetime
    instance_id: str
    #: the activity instance that holds it (the attached-to activity's for a boundary
    #: event); for an event sub-process's timer the process instance's id, as no activity
    #: instance runs an event sub-process before it starts
    activity_instance_id: str
    #: the engine's numbering of the activity's timers: a deadline's position among the
    #: activity's Deadlines (0 first); negative for the other kinds (``kind`` names them)
    deadline_index: int
    #: ``deadline``, ``timer_event`` (an intermediate timer event in the flow),
    #: ``boundary_event`` (attached to an activity) or ``event_subprocess_start``
    kind: str = field(default="", metadata=WORKED_OUT)
    #: the activity or event whose timer it is: the deadline's activity, the timer event,
    #: the attached event (two timers on one activity are told apart), the event
    #: sub-process's start event; None when it closed meanwhile
    activity_id: str | None = field(default=None, metadata=WORKED_OUT)

    def __setstate__(self, state: Sequence[Any]) -> None:
        """Unpickle one pickled before ``kind`` and ``activity_id`` were added: they get
        their defaults (the dataclass's own unpickling left them unset)."""
        values = list(state)
        for n, f in enumerate(fields(self)):
            object.__setattr__(self, f.name, values[n] if n < len(values) else f.default)


@dataclass(frozen=True, slots=True)
class JobSnapshot:
    """A pending job, by ``kind``: ``timer`` (a deadline or timer event's:
    ``Engine.timers()`` says which), ``continue`` (deferred automatic work, or a long run's
    next stretch), ``invoke`` (an asynchronous application call, or a retry) or
    ``reminder`` (a work item's reminder or escalation)."""

    id: str
    kind: str
    instance_id: str
    due: datetime
    attempts: int
    lock_owner: str | None
    lock_expires_at: datetime | None


# --------------------------------------------------------------------------- copying records


def instance_snapshot(inst: ProcessInstance) -> InstanceSnapshot:
    summary = summarise(inst)
    return InstanceSnapshot(
        **{f.name: getattr(summary, f.name) for f in fields(summary)},
        data=owned_values(inst.data),
        incidents=tuple(i.id for i in inst.incidents.values() if not i.resolved),
        messages=tuple(KeptMessage(n, owned_values(d), at) for n, d, at in inst.messages),
    )


def activity_order(activity_instance_id: str) -> int:
    """Where an activity instance comes in its instance's creation order: its id is
    ``<instance id>:<n>``, ``n`` counting up per instance."""
    return int(activity_instance_id.rpartition(":")[2])


def activity_snapshot(inst: ProcessInstance, ai: ActivityInstance) -> ActivityInstanceSnapshot:
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
        performer=ai.performer,
        waiting_for=(ai.act.message or ai.act.signal) if ai.state.is_open else None,
        waiting_on=_waits_on(ai) if ai.state.is_open else None,
        mi_parent_id=ai.mi_parent.id if ai.mi_parent is not None else None,
    )


def _waits_on(ai: ActivityInstance) -> str | None:
    if ai.act.message is not None:
        return "message"
    if ai.act.signal is not None:
        return "signal"
    return "condition" if ai.act.kind == KIND_CONDITION else None


_Snapshot = TypeVar("_Snapshot", bound="DataclassInstance")


def copy_snapshot(snapshot: type[_Snapshot], source: object) -> _Snapshot:
    """A snapshot whose every field is the source's attribute of the same name (but a field
    the engine works out, :data:`WORKED_OUT`, which is left at its default).

    Work items, incidents and timers are mirrored field for field by their snapshots (the
    snapshot leaving out engine-internal fields), so one copy serves all three and a field
    added to a snapshot cannot be forgotten here.
    """
    made: _Snapshot = snapshot_copier(snapshot)(source)
    return made


def snapshot_copier(snapshot: type[_Snapshot]) -> Callable[[object], _Snapshot]:
    """What :func:`copy_snapshot` copies a source into a ``snapshot`` with (made once per
    snapshot class): for a listing, which copies many sources into one class."""
    copy = _COPIERS.get(snapshot)
    if copy is None:
        copy = _COPIERS[snapshot] = _copier(snapshot)
    return copy


def _copier(snapshot: type[Any]) -> Callable[[object], Any]:
    """How to copy a source into a ``snapshot``: for a frozen dataclass with slots and no
    ``__post_init__`` (every snapshot here), a function made for it that reads each field of
    the source into a plain twin of the class and then makes the twin the snapshot, one line
    per field (the engine's worked-out fields set to their defaults). Why: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, and listing an
    instance's work items (every person's worklist page, every step of a test driving a
    process) made one snapshot per item, and a third of the listing's time went to that; a
    loop over the fields (an ``attrgetter`` and the slots' setters zipped) still took twice
    the time of the lines written out.

    Why a twin: a line calling a slot's setter is a Python call per field (14 for a work
    item, some 0.8 us a snapshot); the twin (:func:`_twin`), a class with the snapshot's own
    slots and no frozen ``__setattr__``, takes each field as a plain attribute store, and
    assigning its ``__class__`` makes it the snapshot itself (Python allows that between
    classes of the same layout, which it checks), 0.3 us in all. A snapshot class whose
    twin Python refuses is copied through the slots' setters, as before."""
    every = fields(snapshot)
    names = tuple(f.name for f in every if not f.metadata.get("worked_out"))
    slots: dict[str, Any] = {f.name: snapshot.__dict__.get(f.name) for f in every}
    if (
        len(names) < 2
        or hasattr(snapshot, "__post_init__")
        or not all(isinstance(s, MemberDescriptorType) for s in slots.values())
        or not all(name.isidentifier() for name in slots)
    ):
        return lambda source: snapshot(**{name: getattr(source, name) for name in names})
    twin = _twin(snapshot)
    # written out as a dataclass writes its __init__: the names are the class's own fields
    scope: dict[str, Any] = {"_new": object.__new__, "_snapshot": snapshot, "_twin": twin}
    lines = ["def copy(source):", f"    made = _new({'_snapshot' if twin is None else '_twin'})"]
    for n, f in enumerate(every):
        value = f"source.{f.name}"
        if f.name not in names:  # worked out by the engine: its default (object.__new__
            scope[f"_default{n}"] = f.default  # leaves slots unset)
            value = f"_default{n}"
        if twin is None:
            scope[f"_set{n}"] = slots[f.name].__set__
            lines.append(f"    _set{n}(made, {value})")
        else:
            lines.append(f"    made.{f.name} = {value}")
    if twin is not None:
        lines.append("    made.__class__ = _snapshot")
    lines.append("    return made")
    exec("\n".join(lines), scope)  # (no text from outside: the snapshot's field names)
    made: Callable[[object], Any] = scope["copy"]
    return made


def _twin(snapshot: type[Any]) -> type | None:
    """A plain class with ``snapshot``'s slots (no frozen ``__setattr__``), whose instances
    Python lets become ``snapshot``'s (``__class__`` assigned: the same layout); None when it
    does not (a snapshot class with slots of a base class, a ``__weakref__``: Python compares
    the two layouts, the base classes' slots too)."""
    twin = type(f"_{snapshot.__name__}Twin", (), {"__slots__": tuple(snapshot.__slots__)})
    try:
        trial: Any = object.__new__(twin)
        trial.__class__ = snapshot
    except TypeError:
        return None
    return twin


#: snapshot class -> how to copy a source into it (see :func:`_copier`)
_COPIERS: dict[type, Callable[[object], Any]] = {}


def work_item_snapshot(w: WorkItem, *, suspended: bool = False) -> WorkItemSnapshot:
    """``w``'s snapshot; ``suspended``, whether its instance is suspended, the record does
    not say (:mod:`~wfengine.runtime.work_item_marks` looks it up for a listing at once)."""
    made = copy_snapshot(WorkItemSnapshot, w)
    return replace(made, suspended=True) if suspended else made


def incident_snapshot(i: Incident) -> IncidentSnapshot:
    return copy_snapshot(IncidentSnapshot, i)
