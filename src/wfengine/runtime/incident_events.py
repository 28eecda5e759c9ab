"""What an operator's incidents record: one opened (naming the incident and saying why), and
each answer to one (part of the audit catalogue of :mod:`wfengine.runtime.history`, which
includes them; kept apart as the work-item and application events are)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class IncidentOpened:
    """Something failed and stopped here until an operator answers: incident
    ``incident_id``, ``message`` saying why. Stored as ``{"incident": id, "message": text}``,
    naming the incident as its answers do (an operator told to retry ``inc-101`` finds where
    it opened); one stored as the bare message (before the id was kept, or a payload made
    without one) reads back with ``incident_id`` None."""

    KIND: ClassVar[str] = "incident.opened"
    message: str
    incident_id: str | None = None

    def detail(self) -> Any:
        if self.incident_id is None:
            return self.message
        return {"incident": self.incident_id, "message": self.message}

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):
            return cls(detail)
        return cls(detail["message"], detail.get("incident"))


@dataclass(frozen=True, slots=True)
class _Answered:
    """An answer to incident ``incident_id``, by ``user`` if named (else stored as the id)."""

    KIND: ClassVar[str]
    incident_id: str
    user: str | None = None

    def detail(self) -> Any:
        if self.user is None:
            return self.incident_id
        return {"incident": self.incident_id, "user": self.user}

    @classmethod
    def of(cls, detail: Any) -> Self:
        if isinstance(detail, str):
            return cls(detail)
        return cls(detail["incident"], detail.get("user"))


@dataclass(frozen=True, slots=True)
class IncidentRetried(_Answered):
    """An operator retried incident ``incident_id``."""

    KIND: ClassVar[str] = "incident.retried"


@dataclass(frozen=True, slots=True)
class IncidentAborted(_Answered):
    """Incident ``incident_id`` ended without being retried or skipped: an operator aborted
    the instance over it (``abort_incident``), or it ended unanswered as what it stopped on
    went (its instance closed; its activity closed: an interrupting boundary event, a
    deadline, ``cancel_activity``; its parked job ended; its Complex join fired), named by
    ``user`` when someone asked for that (None: the engine, or the host). The events beside
    it say which (the outbox's ``incident.resolved`` names it as its ``resolution``)."""

    KIND: ClassVar[str] = "incident.aborted"


@dataclass(frozen=True, slots=True)
class IncidentSkipped:
    """An operator finished failed work by hand: the outputs given (secrets hidden), for a
    decision the transitions taken, and ``user`` when one was named."""

    KIND: ClassVar[str] = "incident.skipped"
    incident_id: str
    outputs: dict[str, Any]
    take: tuple[str, ...] | None = None
    user: str | None = None

    def detail(self) -> Any:
        found: dict[str, Any] = {"incident": self.incident_id, "outputs": self.outputs}
        if self.take is not None:
            found["take"] = list(self.take)
        if self.user is not None:
            found["user"] = self.user
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        take = detail.get("take")
        taken = None if take is None else tuple(take)
        return cls(detail["incident"], detail["outputs"], taken, detail.get("user"))
