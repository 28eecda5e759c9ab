"""What calling an application records: one payload per attempt's start and end.

These are the Interface 3 entries of the engine's audit catalogue
(:mod:`wfengine.runtime.history` includes them). They live here, beside the calls, because the
application layer sits below the runtime: it reports what happened and the runtime files it
in the instance's history, in the same unit of work as the outputs it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self


@dataclass(frozen=True, slots=True)
class ApplicationInvoked:
    """An attempt began: the inputs as audited (secrets hidden) and the idempotency key;
    ``job`` names the ``invoke`` job of an asynchronous call."""

    KIND: ClassVar[str] = "application.invoked"
    application: str
    attempt: int
    key: str
    inputs: Any
    job: str | None = None

    def __init__(
        self, application: str, attempt: int, key: str, inputs: Any, job: str | None = None
    ) -> None:
        # the fields through their slots (see _slot_setters), as the dataclass's would
        _INVOKED[0](self, application)
        _INVOKED[1](self, attempt)
        _INVOKED[2](self, key)
        _INVOKED[3](self, inputs)
        _INVOKED[4](self, job)

    def detail(self) -> dict[str, Any]:
        found = invoked_detail(self.application, self.attempt, self.key, self.inputs)
        if self.job is not None:
            found["job"] = self.job
        return found

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(
            detail["application"],
            detail["attempt"],
            detail["key"],
            detail["inputs"],
            detail.get("job"),
        )


@dataclass(frozen=True, slots=True)
class ApplicationReturned:
    """An attempt answered: its outputs as audited (secrets hidden)."""

    KIND: ClassVar[str] = "application.returned"
    application: str
    attempt: int
    outputs: Any

    def __init__(self, application: str, attempt: int, outputs: Any) -> None:
        _RETURNED[0](self, application)  # see _slot_setters
        _RETURNED[1](self, attempt)
        _RETURNED[2](self, outputs)

    def detail(self) -> dict[str, Any]:
        return returned_detail(self.application, self.attempt, self.outputs)

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["application"], detail["attempt"], detail["outputs"])


@dataclass(frozen=True, slots=True)
class ApplicationFailed:
    """An attempt raised: the error (its type and message, the call's sensitive inputs shown as
    ``***``: :func:`~wfengine.applications.redaction.failure_text`), and the seconds until
    the next attempt (None when this was the last)."""

    KIND: ClassVar[str] = "application.failed"
    application: str
    attempt: int
    error: str
    retry_in: float | None

    def detail(self) -> dict[str, Any]:
        return {
            "application": self.application,
            "attempt": self.attempt,
            "error": self.error,
            "retry_in": self.retry_in,
        }

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["application"], detail["attempt"], detail["error"], detail["retry_in"])


ApplicationEvent = ApplicationInvoked | ApplicationReturned | ApplicationFailed

#: each event class by its kind (what reads a noted detail back, see :data:`Note`)
EVENTS: dict[str, type[ApplicationEvent]] = {
    cls.KIND: cls for cls in (ApplicationInvoked, ApplicationReturned, ApplicationFailed)
}


def invoked_detail(application: str, attempt: int, key: str, inputs: Any) -> dict[str, Any]:
    """The stored detail of :class:`ApplicationInvoked` (of a synchronous call: no job)."""
    return {"application": application, "attempt": attempt, "key": key, "inputs": inputs}


def returned_detail(application: str, attempt: int, outputs: Any) -> dict[str, Any]:
    """The stored detail of :class:`ApplicationReturned`."""
    return {"application": application, "attempt": attempt, "outputs": outputs}


def _slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of ``cls``'s fields' slots, in field order.

    Why: every application call records two of these events, and a frozen dataclass's own
    ``__init__`` sets each field through ``object.__setattr__`` (its way round the frozen
    guard), more than half the cost of making one. The two hot events set their slots with
    these instead; the instances are the same frozen, hashable values.
    """
    return tuple(cls.__dict__[f.name].__set__ for f in fields(cls))


_INVOKED = _slot_setters(ApplicationInvoked)
_RETURNED = _slot_setters(ApplicationReturned)

#: files one application event in the history of the activity instance being run
Record = Callable[[ApplicationEvent], None]

#: files one application event as what is stored of it: its kind (``KIND``) and its detail
#: (``detail()``). Why, beside :data:`Record`: every call records two events, and the engine
#: stores only their details; making each event object only to take its detail cost about a
#: tenth of an activity that calls an application.
Note = Callable[[str, dict[str, Any]], None]
