"""The one exception hierarchy of wfengine.

Every error the library raises on purpose derives from :class:`WorkflowError`, so a host
application can catch everything wfengine means to tell it with a single ``except`` clause, and
still tell a broken definition from an illegal state change by the subclass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.definition.diagnostics import Diagnostic

#: where an error happened, as its message names it: the text, or a function that makes it.
#: Why a function: the text names an instance and an activity, and is wanted only for an
#: error; made on every call that might fail (an application call, a condition), it was a
#: tenth of the call.
Place = str | Callable[[], str]


def place_text(place: Place) -> str:
    """The text of ``place`` (made now, if it is a function)."""
    return place if isinstance(place, str) else place()


class WorkflowError(Exception):
    """Root of every error wfengine raises deliberately.

    Every one can be pickled and copied (:meth:`__reduce__`), as ``multiprocessing``,
    ``concurrent.futures`` and task queues do to an error raised in a worker process."""

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuild from the message and attributes, never by calling ``__init__`` again.

        Why: ``Exception``'s own pickling calls ``type(err)(*err.args)``, but ``args`` holds
        only the finished message while many subclasses' ``__init__`` take the parts it is
        made of (``NotFoundError(kind, ident)``, an agent's ``HttpClientError(message,
        status)``), so unpickling raised ``TypeError`` and a process pool lost the error (and
        the pool: ``BrokenProcessPool``). One rule here covers every subclass, whatever its
        ``__init__``, including those a host or a tool agent defines: ``args`` (the message)
        and ``__dict__`` (the attributes) are what an error carries. An attribute that cannot
        be pickled still fails, as it would for any object."""
        return _rebuilt, (type(self), self.args), self.__dict__ or None


def _rebuilt(cls: type[WorkflowError], args: tuple[Any, ...]) -> WorkflowError:
    """An unpickled ``cls`` holding ``args`` (its state is restored next, by
    ``BaseException.__setstate__``): ``cls.__new__`` without arguments, which every exception
    base accepts (an ``OSError`` base, as ``PermissionError`` is, reads its ``errno`` from
    them otherwise), then the message set as ``args``."""
    err = cls.__new__(cls)
    err.args = args
    return err


class DefinitionError(WorkflowError):
    """A process definition cannot be read or used as given."""


class XpdlLoadError(DefinitionError):
    """An XPDL document could not be loaded at all (not XML, hostile, not XPDL, too large).

    It carries the :class:`~wfengine.definition.diagnostics.Diagnostic` that says what and where,
    so the CLI and a host application report it exactly as they report validation findings.
    """

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        where = f"line {diagnostic.line}: " if diagnostic.line else ""
        super().__init__(f"{where}{diagnostic.code}: {diagnostic.message}")


class ExpressionError(WorkflowError):
    """An expression does not parse, or failed while being evaluated.

    ``source`` is the expression text, ``offset`` the 0-based character offset of the problem
    when known, and ``context`` says where the expression lives (instance, activity, transition),
    filled in by whoever evaluates it.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        offset: int | None = None,
        context: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.offset = offset
        self.context = context
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.context:
            parts.append(f"{self.context}: ")
        parts.append(self.message)
        if self.source is not None:
            parts.append(f" in expression {self.source!r}")
            if self.offset is not None:
                parts.append(f" at offset {self.offset}")
        return "".join(parts)

    def with_context(self, context: str) -> ExpressionError:
        """Return a copy that also names where the expression lives."""
        err = type(self)(self.message, source=self.source, offset=self.offset, context=context)
        err.__cause__ = self.__cause__
        return err


class ExpressionSyntaxError(ExpressionError):
    """The expression text is not in the supported expression language."""


class ExpressionEvaluationError(ExpressionError):
    """The expression parsed but failed at run time (unknown name, type error, cost limit)."""


class DataTypeError(WorkflowError, ValueError):
    """A value given for a data field does not fit the field's declared type (and cannot be
    converted without loss); the message names the field and where. Nothing was changed."""


class LimitError(WorkflowError):
    """Going on would pass one of the engine's cost limits (:mod:`wfengine.runtime.limits`)."""


class EngineInUseError(WorkflowError, RuntimeError):
    """A command was asked of an engine that is running another: from inside it (an
    application, directory or listener calling back into the engine that called it) or from
    a second thread (an engine serves one thread at a time). Nothing was changed."""


class IllegalStateError(WorkflowError):
    """A life-cycle change that the state machine does not allow; nothing was changed.

    ``subject`` names what was asked to change (``process instance 'pi-1'``,
    ``activity instance 'pi-1:3' (activity 'review')``), ``current`` is its state and
    ``requested`` the change that was refused.
    """

    def __init__(self, subject: str, current: str, requested: str) -> None:
        self.subject = subject
        self.current = current
        self.requested = requested
        super().__init__(f"cannot {requested} {subject}: it is {current}; nothing was changed")


class NotAuthorizedError(WorkflowError, PermissionError):
    """``user`` may not do ``operation`` on ``subject`` (a work item): ``reason`` says why.
    Nothing was changed but the audit trail, which records the refusal."""

    def __init__(self, subject: str, operation: str, user: str, reason: str) -> None:
        self.subject = subject
        self.operation = operation
        self.user = user
        self.reason = reason
        super().__init__(f"{user!r} may not {operation} {subject}: {reason}; nothing was changed")


class NotFoundError(WorkflowError, KeyError):
    """An id that names no deployed process, instance, work item, incident or timer."""

    def __init__(self, kind: str, ident: str, hint: str = "") -> None:
        self.kind = kind
        self.ident = ident
        message = f"no {kind} {ident!r}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message again
        return str(self.args[0])


class DeployError(DefinitionError):
    """A package could not be deployed (an expression does not parse, a reference dangles)."""


class ApplicationError(WorkflowError):
    """An application is not bound, or its call failed or returned something unusable."""

    #: how long the service asked to be left alone before it is called again (an HTTP
    #: ``Retry-After``), or None; an outbox handler raising it has its entry's next attempt
    #: wait at least that long (at most the policy's ``max_retry``), an application's call
    #: its next attempt (at most its binding's ``max_backoff``): :func:`asked_wait`
    retry_after: timedelta | None = None


def asked_wait(exc: BaseException) -> timedelta | None:
    """The wait before the next attempt that the service behind ``exc`` asked for
    (:attr:`ApplicationError.retry_after`), if it is one above zero; one reading for the
    outbox's retries and an application's."""
    wait = exc.retry_after if isinstance(exc, ApplicationError) else None
    return wait if isinstance(wait, timedelta) and wait > timedelta(0) else None


class ApplicationTimeoutError(ApplicationError, TimeoutError):
    """An application did not answer within its timeout; the call was abandoned (and retried
    while retries remain). A Python thread cannot be killed, so a synchronous callable may
    still be running in its worker thread; an ``async def`` callable was cancelled."""


class PermanentApplicationError(ApplicationError):
    """The application refused the call for good (an HTTP 4xx, an unusable answer): retrying
    the same call cannot help, so it is not retried. An operator may still retry the incident
    after fixing the cause."""


class ParameterMappingError(ApplicationError):
    """A value does not fit an application's formal parameter (wrong type, missing OUT value,
    unknown key); the message names the application, the parameter and the activity."""


class OrganisationError(WorkflowError, ValueError):
    """An organisation file or document is not usable: the message names the file and the
    place in it (``users[2].units``) and says what is wrong."""


class StoreError(WorkflowError):
    """The store could not do what a command needed; the command changed nothing."""


class StoreUnavailableError(StoreError):
    """The database cannot be used now: it kept failing (connection dropped, serialization
    failure, deadlock, locked, a disk error) after every retry, or it refused the work for a
    reason that trying again at once does not cure (read-only, full, damaged or not a
    database, a login refused). The message names the database (without its password), says
    what to check, and whether the change is stored: not (each attempt was rolled back,
    stored data is as it was), or, when a COMMIT was sent and its answer never came (a
    connection cut on PostgreSQL), unknown until checked."""


class SchemaOutdatedError(StoreError):
    """The database schema is older (or newer) than this wfengine needs; nothing was changed."""


class ConcurrencyError(StoreError):
    """Another engine changed the same instance (or job) first; this step was rolled back.

    The engine retries the whole command on fresh state a few times before raising it.
    """


class DataNotStorableError(StoreError, TypeError):
    """A value cannot be stored durably (it has no JSON representation); ``where`` names it."""

    def __init__(self, where: str, value: object, reason: str | None = None) -> None:
        self.where = where
        if reason is not None:
            super().__init__(f"{where}: {reason}")
            return
        super().__init__(
            f"{where}: a {type(value).__name__} value cannot be stored; use JSON-like values "
            "(None, bool, int, float, str, list, tuple, dict with str keys) or datetime, date, "
            "time, timedelta, Decimal"
        )
