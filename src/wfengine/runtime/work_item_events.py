"""What people do with work items, as the audit trail records it (Interface 2's events).

Part of the engine's audit catalogue (:mod:`wfengine.runtime.history` includes them), kept in a
module of their own as the application layer's events are. Every payload names the ``user``
who acted; a refused operation is recorded too (:class:`OperationRefused`), in a unit of work
that changes nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class _ByUser:
    """What ``user`` did to work item ``work_item_id`` (the kind says what)."""

    KIND: ClassVar[str]
    work_item_id: str
    user: str

    def detail(self) -> Any:
        return {"work_item": self.work_item_id, "user": self.user}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"])


@dataclass(frozen=True, slots=True)
class WorkItemAllocated:
    """``user`` claimed the work item (it was offered to them); or, with ``user`` None, the
    engine gave it to ``to`` as it offered it (an assignment rule such as
    ``AssignToPerformerOfActivity``, or work sent back to whoever did it last), or, after a
    new organisation, made a delegate whose owner left the item's holder outright
    (``Engine.reoffer_work``): nobody acted, so the event names no user, as an escalation's
    names none."""

    KIND: ClassVar[str] = "work_item.allocated"
    work_item_id: str
    user: str | None
    to: str | None = None

    @property
    def holder(self) -> str | None:
        """Who has the item after it: the one who claimed it, or the one it was given to."""
        return self.user if self.user is not None else self.to

    def detail(self) -> Any:
        found: dict[str, Any] = {"work_item": self.work_item_id}
        if self.user is not None:
            found["user"] = self.user
        if self.to is not None:
            found["to"] = self.to
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail.get("user"), detail.get("to"))


@dataclass(frozen=True, slots=True)
class WorkItemCancelled:
    """Work item ``work_item_id`` was withdrawn, unfinished, because its activity closed
    another way (a deadline or boundary event, a cancel, the instance terminated); ``user``:
    who cancelled the activity, when one was named (``Engine.cancel_activity(user=...)``)."""

    KIND: ClassVar[str] = "work_item.cancelled"
    work_item_id: str
    user: str | None = None

    def detail(self) -> Any:
        if self.user is None:
            return {"work_item": self.work_item_id}
        return {"work_item": self.work_item_id, "user": self.user}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail.get("user"))


@dataclass(frozen=True, slots=True)
class WorkItemStarted(_ByUser):
    """``user`` started the work item they hold."""

    KIND: ClassVar[str] = "work_item.started"


@dataclass(frozen=True, slots=True)
class WorkItemReleased:
    """``user`` gave the work item back: it is offered again to everyone it was offered to
    (``to`` None), or, released by a delegate, it went back to ``to``, the owner who
    delegated it, who holds it again. Why ``to``: without it the trail could not tell a
    release back on offer from one that gave the work to someone. It is left out of the
    detail when None, so a trail written before it reads (and verifies) as it did."""

    KIND: ClassVar[str] = "work_item.released"
    work_item_id: str
    user: str
    to: str | None = None

    def detail(self) -> Any:
        found: dict[str, Any] = {"work_item": self.work_item_id, "user": self.user}
        if self.to is not None:
            found["to"] = self.to
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"], detail.get("to"))


@dataclass(frozen=True, slots=True)
class WorkItemReturned:
    """``user`` (the delegate, or an administrator acting for them) finished the work and it
    went back to ``to``, the owner who delegated it, to confirm (the activity says
    ``wfengine:delegation-confirm``); ``to`` is None when the owner may no longer have it
    (four eyes: they have since performed an activity it may not go to the performer of; or
    the organisation no longer knows them), and it is offered to the others it is offered to,
    to confirm. ``data`` is what the completion
    wrote, in the instance's data already (a sensitive field's as ``"***"``, as a
    completion's; None when it wrote nothing)."""

    KIND: ClassVar[str] = "work_item.returned"
    work_item_id: str
    user: str
    to: str | None
    data: dict[str, Any] | None = None

    def detail(self) -> Any:
        found: dict[str, Any] = {"work_item": self.work_item_id, "user": self.user, "to": self.to}
        if self.data is not None:
            found["data"] = self.data
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"], detail.get("to"), detail.get("data"))


@dataclass(frozen=True, slots=True)
class WorkItemDelegated:
    """``user`` delegated the work item to ``to``, staying its owner."""

    KIND: ClassVar[str] = "work_item.delegated"
    work_item_id: str
    user: str
    to: str

    def detail(self) -> Any:
        return {"work_item": self.work_item_id, "user": self.user, "to": self.to}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"], detail["to"])


@dataclass(frozen=True, slots=True)
class WorkItemReassigned:
    """``user`` (a supervisor or an administrator) gave the work item to ``to``;
    ``previous`` held it before (None when it was only offered)."""

    KIND: ClassVar[str] = "work_item.reassigned"
    work_item_id: str
    user: str
    to: str
    previous: str | None

    def detail(self) -> Any:
        return {
            "work_item": self.work_item_id,
            "user": self.user,
            "to": self.to,
            "previous": self.previous,
        }

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"], detail["to"], detail["previous"])


@dataclass(frozen=True, slots=True)
class WorkItemSentBack:
    """``user`` sent the work item back to the earlier activity ``to_activity`` for
    ``reason``: its activity was closed (terminated) and ``to_activity`` begins again."""

    KIND: ClassVar[str] = "work_item.sent_back"
    work_item_id: str
    user: str
    to_activity: str
    reason: str

    def detail(self) -> Any:
        return {
            "work_item": self.work_item_id,
            "user": self.user,
            "to": self.to_activity,
            "reason": self.reason,
        }

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["user"], detail["to"], detail["reason"])


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """Reminder number ``number`` of an open work item went out."""

    KIND: ClassVar[str] = "work_item.reminder"
    work_item_id: str
    number: int

    def detail(self) -> Any:
        return {"work_item": self.work_item_id, "number": self.number}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], detail["number"])


@dataclass(frozen=True, slots=True)
class WorkItemEscalated:
    """An open work item, late, was offered to ``to`` as well (supervisors or the
    escalation participant's members); ``taken_from`` held it, and it is on offer again
    (to them too) so that those it went to can take it."""

    KIND: ClassVar[str] = "work_item.escalated"
    work_item_id: str
    to: tuple[str, ...]
    taken_from: str | None = None

    def detail(self) -> Any:
        found: dict[str, Any] = {"work_item": self.work_item_id, "to": list(self.to)}
        if self.taken_from is not None:
            found["taken_from"] = self.taken_from
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["work_item"], tuple(detail["to"]), detail.get("taken_from"))


@dataclass(frozen=True, slots=True)
class OperationRefused:
    """``user`` asked for ``operation`` on ``subject`` (a work item id, or a note) and was
    refused (``reason``); nothing else changed. ``work_item`` names the work item it
    concerned, so the event's ``work_item_id`` (and the trail's column) finds it."""

    KIND: ClassVar[str] = "operation.refused"
    subject: str
    operation: str
    user: str
    reason: str
    work_item: str | None = None

    def detail(self) -> Any:
        found = {
            "subject": self.subject,
            "operation": self.operation,
            "user": self.user,
            "reason": self.reason,
        }
        if self.work_item is not None:
            found["work_item"] = self.work_item
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(
            detail["subject"],
            detail["operation"],
            detail["user"],
            detail["reason"],
            detail.get("work_item"),
        )


_OFFERED_TEXT = "work_item.offered"
_COMPLETED_TEXT = "work_item.completed"


def item_offered(
    at: datetime, work_item_id: str, activity_instance_id: str, activity_id: str
) -> tuple[datetime, str, str | None, str | None, Any]:
    """``change(at, WorkItemOffered(work_item_id), ...)`` without making the payload (see
    :func:`wfengine.runtime.history.instance_created`): every offer of work records one."""
    return (at, _OFFERED_TEXT, activity_instance_id, activity_id, {"work_item": work_item_id})


def item_completed(
    at: datetime,
    work_item_id: str,
    user: str | None,
    data: dict[str, Any] | None,
    activity_instance_id: str,
    activity_id: str,
) -> tuple[datetime, str, str | None, str | None, Any]:
    """``change(at, WorkItemCompleted(work_item_id, user, data), ...)`` without making the
    payload (see :func:`wfengine.runtime.history.instance_created`): every completion
    records one."""
    detail = _completed_detail(work_item_id, user, data)
    return (at, _COMPLETED_TEXT, activity_instance_id, activity_id, detail)


def _completed_detail(work_item_id: str, user: str | None, data: dict[str, Any] | None) -> Any:
    # always an object naming the item, so the trail's work_item_id says which item
    # (rows written before kept a completion with no user and no data as the bare id,
    # which WorkItemCompleted.of and wfengine.runtime.store.header_ids still read)
    if data is not None:
        return {"work_item": work_item_id, "user": user, "data": data}
    if user is None:
        return {"work_item": work_item_id}
    return {"work_item": work_item_id, "user": user}


@dataclass(frozen=True, slots=True)
class WorkItemOffered:
    """Work item ``work_item_id`` was offered to its performer.

    Its detail names the item as ``work_item`` (what the trail's ``work_item_id`` column and
    an export's grouping by item read); an event written before that is the bare id."""

    KIND: ClassVar[str] = _OFFERED_TEXT
    work_item_id: str

    def detail(self) -> Any:
        return {"work_item": self.work_item_id}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail if isinstance(detail, str) else detail["work_item"])


@dataclass(frozen=True, slots=True)
class WorkItemCompleted:
    """Work item ``work_item_id`` was completed, by ``user`` when one was named (the host's
    own code and ``wfengine run`` complete items without one), writing ``data`` into the
    instance (a sensitive field's as ``"***"``; None when it wrote nothing): the WfMC audit
    data's attributes assigned by a person."""

    KIND: ClassVar[str] = _COMPLETED_TEXT
    work_item_id: str
    user: str | None = None
    data: dict[str, Any] | None = None

    def detail(self) -> Any:
        return _completed_detail(self.work_item_id, self.user, self.data)

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):  # a row written before the detail always named its item
            return cls(detail)
        return cls(detail["work_item"], detail.get("user"), detail.get("data"))
