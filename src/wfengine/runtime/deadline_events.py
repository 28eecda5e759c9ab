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

    def detail(self) -> Any:
        if self.due is None:
            return self.exception_name
        return {"exception": self.exception_name, "due": self.due.isoformat()}

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):
            return cls(detail)
        return cls(detail["exception"], datetime.fromisoformat(detail["due"]))


def fired_due(detail: Any) -> datetime | None:
    """When the deadline a ``deadline.fired`` event's stored detail records was due (None:
    an event recorded before that was kept, or a detail of neither shape)."""
    due = detail.get("due") if isinstance(detail, dict) else None
    try:
        return datetime.fromisoformat(due) if isinstance(due, str) else None
    except ValueError:
        return None


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
