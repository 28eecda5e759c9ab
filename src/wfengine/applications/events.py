"""What calling an application records: one payload per attempt's start and end.

These are the Interface 3 entries of the engine's audit catalogue
(:mod:`wfengine.runtime.history` includes them). They live here, beside the calls, because the
application layer sits below the runtime: it reports what happened and the runtime files it
in the instance's history, in the same unit of work as the outputs it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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

    def detail(self) -> dict[str, Any]:
        found = {
            "application": self.application,
            "attempt": self.attempt,
            "key": self.key,
            "inputs": self.inputs,
        }
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

    def detail(self) -> dict[str, Any]:
        return {"application": self.application, "attempt": self.attempt, "outputs": self.outputs}

    @classmethod
    def of(cls, detail: Any) -> Self:
        return cls(detail["application"], detail["attempt"], detail["outputs"])


@dataclass(frozen=True, slots=True)
class ApplicationFailed:
    """An attempt raised: the error, and the seconds until the next attempt (None when this
    was the last)."""

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

#: files one application event in the history of the activity instance being run
Record = Callable[[ApplicationEvent], None]
