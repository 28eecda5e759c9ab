"""What the constructs that wait for the world record: script tasks' assignments, messages
and signals taken or kept, an activity aborted (part of the audit catalogue of
:mod:`wfengine.runtime.history`, which includes them; kept apart as the work-item and
application events are)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class ScriptAssigned:
    """A script task assigned these fields, in its statements' order, with their new values
    (a sensitive field's as ``"***"``)."""

    KIND: ClassVar[str] = "activity.script"
    values: dict[str, Any]

    def detail(self) -> Any:
        return dict(self.values)

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(dict(detail))


@dataclass(frozen=True, slots=True)
class MessageReceived:
    """A catch event took message ``name``, which set ``fields`` (names only: values may be
    sensitive)."""

    KIND: ClassVar[str] = "message.received"
    name: str
    fields: tuple[str, ...]

    def detail(self) -> Any:
        return {"message": self.name, "fields": list(self.fields)}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["message"], tuple(detail["fields"]))


@dataclass(frozen=True, slots=True)
class SignalReceived:
    """A catch event took signal ``name``, which set ``fields`` (names only)."""

    KIND: ClassVar[str] = "signal.received"
    name: str
    fields: tuple[str, ...]

    def detail(self) -> Any:
        return {"signal": self.name, "fields": list(self.fields)}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["signal"], tuple(detail["fields"]))


@dataclass(frozen=True, slots=True)
class MessageKept:
    """Message ``name`` arrived while no catch event waited for it: it is kept on the
    instance until one does."""

    KIND: ClassVar[str] = "message.kept"
    name: str

    def detail(self) -> Any:
        return {"message": self.name}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["message"])


@dataclass(frozen=True, slots=True)
class BoundaryFired:
    """An event attached to an activity fired (``trigger``: Timer, Message, Signal, Error,
    Escalation, Conditional, Cancel; ``name``: the message, signal, error or escalation it
    caught); an interrupting one cancelled the activity. Recorded on the activity instance it
    is attached to, under the boundary event's id."""

    KIND: ClassVar[str] = "event.boundary"
    trigger: str
    name: str | None
    interrupting: bool

    def detail(self) -> Any:
        return {"trigger": self.trigger, "name": self.name, "interrupting": self.interrupting}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["trigger"], detail["name"], detail["interrupting"])


@dataclass(frozen=True, slots=True)
class EventThrown:
    """A throw event (an error, escalation or cancel end event, an escalation or signal throw,
    a send task) threw ``name``, or an activity whose own work failed (an application or a
    script) threw error ``name`` and a level enclosing it caught that (a block's or a
    synchronous subflow caller's attached event or exception transition, or an event
    sub-process; a failure the activity's own attached event or exception transition
    catches is audited as ``activity.exception`` on it instead). ``caught_by`` names the
    activity whose attached event or exception transition caught it, or the block running
    the event sub-process that did (None: nothing did, or, for a signal or message, nothing
    is caught here)."""

    KIND: ClassVar[str] = "event.thrown"
    trigger: str
    name: str | None
    caught_by: str | None = None

    def detail(self) -> Any:
        return {"trigger": self.trigger, "name": self.name, "caught_by": self.caught_by}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["trigger"], detail["name"], detail.get("caught_by"))


@dataclass(frozen=True, slots=True)
class ConditionFailed:
    """A conditional boundary event's condition could not be evaluated (it counts as not
    holding; the message says why)."""

    KIND: ClassVar[str] = "event.condition_failed"
    message: str

    def detail(self) -> Any:
        return {"message": self.message}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["message"])


@dataclass(frozen=True, slots=True)
class MultiInstanceAdded:
    """An instance was added to a running multi-instance activity, which now has
    ``instances``; ``fields``: the data it set (names only); ``user``: who added it, when
    one was named."""

    KIND: ClassVar[str] = "activity.mi_added"
    instances: int
    fields: tuple[str, ...] = ()
    user: str | None = None

    def detail(self) -> Any:
        found: dict[str, Any] = {"instances": self.instances, "fields": list(self.fields)}
        if self.user is not None:
            found["user"] = self.user
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["instances"], tuple(detail["fields"]), detail.get("user"))


#: the detail fields that say why an activity instance closed aborted or terminated, in the
#: order they are read (see :class:`ActivityAborted`)
CAUSE_FIELDS = ("cause", "event", "trigger", "name", "activity")


@dataclass(frozen=True)
class _Caused:
    """The fields saying why the engine closed an activity instance (:data:`CAUSE_FIELDS`,
    see :class:`ActivityAborted`), declared once for :class:`ActivityAborted` and
    :class:`ActivityTerminated`, so that a field added to one is not missed by the other.
    No slots of its own (``__slots__ = ()``), so that a payload can also have
    :class:`_ByOperator` as a base: the payloads' ``slots=True`` makes the slots."""

    __slots__ = ()
    cause: str | None = None
    event: str | None = None
    trigger: str | None = None
    name: str | None = None
    activity: str | None = None

    def _cause_detail(self) -> dict[str, Any]:
        """The cause fields that are set, as the detail stores them."""
        return {f: getattr(self, f) for f in CAUSE_FIELDS if getattr(self, f) is not None}


@dataclass(frozen=True)
class _ByOperator:
    """``user``, the operator named: a base listed after :class:`_Caused`, so that it comes
    first in the constructor (``ActivityAborted("ops")``, as before the cause was kept)."""

    __slots__ = ()
    user: str | None = None


def _cause_of(detail: Any) -> dict[str, Any]:
    """The cause fields of a stored detail (those it lacks None)."""
    return {f: detail.get(f) for f in CAUSE_FIELDS}


@dataclass(frozen=True, slots=True)
class ActivityAborted(_Caused, _ByOperator):
    """An activity instance closed as ``closed.aborted``; ``user``: the operator whose
    ``cancel_activity`` (WAPI's ``change_activity_instance_state(..., "aborted")``) closed
    it, when one was named. None: the engine's doing (a boundary event or a thrown error
    interrupted it, a cancelling join withdrew it), the host's, or its instance's abort
    (whose ``instance.state`` names who asked).
    Stored as None, the marker it always was, when nothing is named, else a dict of the
    fields that are set: with ``user`` the trail's user (``AuditEvent.user``, the SQL
    store's ``user_id`` column, ``audit --user``) tells an operator's cancel from an
    interrupt, for an activity that had no work item to name them on (a catch event, a
    route, a block).

    Why the engine closed it, so that a reader of the trail need not piece it together from
    the events around it: ``cause`` (``"event"``: a boundary event fired, ``"event-subprocess"``:
    an interrupting event sub-process started, ``"exception"``: an error an exception
    transition caught, ``"deadline"``, ``"join"``: a cancelling join withdrew it,
    ``"gateway"``: another target of its event-based gateway came first, ``"completion"``:
    its multi-instance activity's (or ad-hoc set's) completion condition held,
    ``"terminate"``: a Terminate end event, ``"send-back"``, ``"instance"``: its instance
    was terminated or aborted), with ``event``, the id of the event that did it and
    ``trigger`` its kind (``Timer``, ``Message``, ``Error``, ...), ``name`` the message,
    signal, error or escalation (a deadline's exception), ``activity`` the id of the
    activity that did it (a join, the gateway target that came first, the multi-instance
    activity or the block running the ad-hoc set, the send-back's target).
    None of these in an event recorded before they were (:mod:`.navigation.abort_causes`)."""

    KIND: ClassVar[str] = "activity.aborted"

    def detail(self) -> Any:
        found = self._cause_detail()
        if self.user is not None:
            found["user"] = self.user
        return found or None

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls() if detail is None else cls(detail.get("user"), **_cause_of(detail))


@dataclass(frozen=True, slots=True)
class ActivityTerminated(_Caused):
    """An activity instance closed as ``closed.terminated`` (a synchronous deadline, a
    Terminate end event, work sent back, its instance terminated), with why, as
    :class:`ActivityAborted` says it. Stored as None, the marker it was before the cause
    was recorded, when nothing is named."""

    KIND: ClassVar[str] = "activity.terminated"

    def detail(self) -> Any:
        return self._cause_detail() or None

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls() if detail is None else cls(**_cause_of(detail))
