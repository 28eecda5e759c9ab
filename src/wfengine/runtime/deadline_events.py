"""What an activity's deadlines record: one firing (and when it was due), one no transition
catches, one whose time could not be worked out (part of the audit catalogue of
:mod:`wfengine.runtime.history`, which includes them; kept apart as the work-item and
application events are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class DeadlineFired:
    """A deadline of the activity expired and raised exception ``exception_name``; it was
    ``due`` then (it fires later when the instance was suspended over it or no worker ran).
    An event recorded before the due time was kept is the bare name (``due`` None)."""

    KIND: ClassVar[str] = "deadline.fired"
    exception_name: str
    due: datetime | None = None
    #: the deadline ended the activity: a synchronous one, taken the exception way (True),
    #: or let it go on (False); None: not recorded (an event written before it was, read
    #: back; see :func:`ended_activity`). Always stored with a due time, so that a reader
    #: tells "let it go on" from "not recorded".
    interrupts: bool | None = False

    def detail(self) -> Any:
        if self.due is None:
            return self.exception_name
        found: dict[str, Any] = {"exception": self.exception_name, "due": self.due.isoformat()}
        if self.interrupts is not None:
            found["interrupts"] = self.interrupts
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):
            return cls(detail)
        due = datetime.fromisoformat(detail["due"])
        interrupts = detail.get("interrupts")
        return cls(detail["exception"], due, interrupts if isinstance(interrupts, bool) else None)


def fired_due(detail: Any) -> datetime | None:
    """When the deadline a ``deadline.fired`` event's stored detail records was due (None:
    an event recorded before that was kept, or a detail of neither shape)."""
    due = detail.get("due") if isinstance(detail, dict) else None
    try:
        return datetime.fromisoformat(due) if isinstance(due, str) else None
    except ValueError:
        return None


def ended_activity(detail: Any) -> bool:
    """Whether the deadline a ``deadline.fired`` event's stored detail records ended its
    activity (:attr:`DeadlineFired.interrupts`), asked of an activity instance that closed
    terminated after it fired. Why it is recorded: the metrics count such an activity
    instance as ended by its deadline, and "closed terminated after a deadline fired on it"
    was true as well of one an operator (a terminate, a boundary event, a terminate end)
    ended after an asynchronous deadline had fired and let it go on.

    A detail that does not say (written before ``interrupts`` was: the bare name, or a due
    time alone; databases and exports from then) is True: the rule then, closed terminated
    after its deadline fired, so that an old trail's metrics stay what they were; only a
    recorded ``false`` tells a deadline that let the activity go on."""
    if isinstance(detail, dict):
        return detail.get("interrupts") is not False
    return True


@dataclass(frozen=True, slots=True)
class DeadlineUnhandled:
    """A deadline raised ``exception_name`` and no EXCEPTION transition catches it."""

    KIND: ClassVar[str] = "deadline.unhandled"
    exception_name: str

    def detail(self) -> Any:
        return self.exception_name

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)


@dataclass(frozen=True, slots=True)
class DeadlineInvalid:
    """A deadline's duration could not be worked out, so no timer was set; ``reason``."""

    KIND: ClassVar[str] = "deadline.invalid"
    reason: str

    def detail(self) -> Any:
        return self.reason

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail)
