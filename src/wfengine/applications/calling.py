"""Calling an application: the idempotency key, timeouts, retries with backoff, the audit.

:func:`call_application` calls a :class:`~wfengine.applications.registry.Binding` with its
inputs until it answers or its retries run out, recording every attempt. Timeouts: a
synchronous callable runs in a daemon worker thread and the caller stops waiting after the
timeout. **A Python thread cannot be killed**: the abandoned call may still finish its side
effect later, which is what the idempotency key is for (the same for every attempt of one
call). An ``async def`` callable runs on the process's shared event loop and is cancelled at
the timeout; one that does not stop then (it blocks, or ignores the cancellation, or another
call holds the loop up) is abandoned as a blocking function is, at most a second later. The
timeout bounds the whole attempt: a callable that returns an awaitable (a coroutine, a
future) has it awaited for what is left of it.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading
import time
from collections.abc import Callable, Container, Coroutine, Mapping
from typing import Any

from wfengine.applications import shared_loop
from wfengine.applications.events import (
    EVENTS,
    ApplicationFailed,
    ApplicationInvoked,
    ApplicationReturned,
    Note,
    Record,
)
from wfengine.applications.redaction import audit_answer, audit_values, failure_text, plain
from wfengine.applications.registry import ApplicationRegistry, Binding
from wfengine.definition.application_settings import IDEMPOTENCY_KEYWORD, reserved_parameter_text
from wfengine.definition.model import Application
from wfengine.errors import (
    ApplicationError,
    ApplicationTimeoutError,
    PermanentApplicationError,
    Place,
    asked_wait,
    place_text,
)
from wfengine.value_copies import owned_values, shares


class ToolFailure(ApplicationError):
    """A tool of an activity failed. ``exception_name`` picks the EXCEPTION transition (None
    for mapping errors, which always become incidents); ``application_id`` and ``attempts``
    say what was called and how often."""

    def __init__(
        self,
        message: str,
        *,
        application_id: str,
        exception_name: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.application_id = application_id
        self.exception_name = exception_name
        self.attempts = attempts


class CallStopped(ToolFailure):
    """A call that raised ``SystemExit`` or ``KeyboardInterrupt`` (``stop``): a failure of the
    call, never retried and never an EXCEPTION transition's (``exception_name`` None), whose
    ``stop`` its caller raises again where it may be the program's stop (a signal's)."""

    def __init__(
        self,
        message: str,
        *,
        application_id: str,
        attempts: int,
        stop: SystemExit | KeyboardInterrupt,
    ) -> None:
        super().__init__(message, application_id=application_id, attempts=attempts)
        self.stop = stop


def find_binding(
    registry: ApplicationRegistry,
    app_id: str,
    application: Application | None,
    where: Place,
) -> Binding:
    """The binding of an application (by its declaration, else by its id alone); raises
    :class:`ToolFailure` when nothing binds it or its agent refuses. ``where`` (the place an
    error names) may be a function, called only when there is an error."""
    try:
        binding = registry.resolve(application) if application is not None else registry.get(app_id)
    except ApplicationError as exc:
        raise ToolFailure(f"{place_text(where)}: {exc}", application_id=app_id) from exc
    if binding is None:
        raise ToolFailure(
            f"{place_text(where)}: application {app_id!r} is not bound; bind it "
            "(engine.applications.register(), or --apps MODULE for wfengine worker and run) "
            "and retry the incident",
            application_id=app_id,
        )
    return binding


def call_application(
    binding: Binding,
    inputs: Mapping[str, Any],
    key: str,
    *,
    sleep: Callable[[float], None],
    record: Record,
    sensitive: frozenset[str] = frozenset(),
    where: str = "",
    expected: Container[str] | None = None,
) -> Any:
    """Call ``binding`` with ``inputs`` until it answers or its retries run out.

    Every attempt gets the same idempotency ``key`` and copies of the inputs that are lists,
    dicts or tuples (see :func:`_call`). A :class:`PermanentApplicationError`
    (say an HTTP 4xx) is not retried; ``SystemExit`` and ``KeyboardInterrupt`` are recorded
    as a failed attempt and raised, not retried. Returns the callable's answer, otherwise
    unchecked, but for a mapping that is not a dict (a database row, a read-only proxy): that
    one is read into a plain dict, once, inside the attempt (:func:`taken_answer`); raises
    :class:`ToolFailure` with the last error. ``record`` is given each attempt's
    :class:`ApplicationInvoked` and :class:`ApplicationReturned` or :class:`ApplicationFailed`.
    ``sensitive`` names the parameters whose values the events hide; ``expected``, the
    answer's keys (its OUT parameters): with ``sensitive``, the values of other keys, and an
    answer that is not a mapping, are hidden too (:func:`~.redaction.audit_answer`).
    """

    def note(kind: str, detail: dict[str, Any]) -> None:
        record(EVENTS[kind].of(detail))

    try:
        return call_noting(
            binding,
            inputs,
            key,
            sleep=sleep,
            note=note,
            sensitive=sensitive,
            where=where,
            expected=expected,
        )
    except CallStopped as exc:  # (recorded as a failed attempt): the caller's to stop
        raise exc.stop from None


def call_noting(
    binding: Binding,
    inputs: Mapping[str, Any],
    key: str,
    sleep: Callable[[float], None],
    note: Note,
    sensitive: frozenset[str] = frozenset(),
    where: Place = "",
    expected: Container[str] | None = None,
    first: int = 1,
) -> Any:
    """:func:`call_application` for a caller that stores only what is recorded (the engine):
    each attempt's events go to ``note`` as their kind and detail. ``where`` (which instance
    and activity an error names) may be a function, called only when there is an error.
    (Its parameters may be passed by position, as the engine passes them on every call:
    nine keywords cost some 100 ns a call more, a tenth of the work here on a plain call.)

    ``SystemExit`` or ``KeyboardInterrupt`` raised by the call (``sys.exit`` in an
    application, Ctrl-C while it runs) ends the call at once, recorded as a failed attempt,
    as :class:`CallStopped`: the engine makes it the call's failure, so its command ends
    whole, and raises the stop again where it may be a signal's (see
    :mod:`wfengine.runtime.call_stops`). Any other ``BaseException`` (an
    ``asyncio.CancelledError`` from a sync function running its own loop, a
    ``GeneratorExit``) is a failed attempt like an ``Exception``: let through, it left the
    command half done on the memory store.

    ``first``: the number of the first attempt made here (a job run again after its host
    was killed mid-call counts its earlier runs: :mod:`wfengine.runtime.job_claims`); the
    call is made at least once, even when ``first`` is past the binding's attempts.
    """
    app_id = binding.application_id
    if inputs:  # (most calls of a workflow's steps pass nothing: no look at them then)
        if IDEMPOTENCY_KEYWORD in inputs:
            _refuse_reserved(app_id, where)
        shown = audit_values(inputs, sensitive)
        mutable = shares(inputs)
    else:
        shown = {}
        mutable = False
    attempts = binding.retries + 1
    # most bindings are a plain function: called here, not through call_once's dispatch
    func = binding.func
    direct = not (binding.takes_key or binding.is_async or binding.timeout is not None)
    last = attempts if attempts >= first else first  # (max(): a call more, per call)
    for attempt in range(first, last + 1):
        # (invoked_detail and returned_detail, inline: two calls less on every call's path)
        note(_INVOKED, {"application": app_id, "attempt": attempt, "key": key, "inputs": shown})
        args = owned_values(inputs) if mutable else inputs  # copy-in: see _call
        try:
            # (no inputs, most calls: func() makes no dict to unpack for the call)
            result = (func(**args) if args else func()) if direct else _call(binding, args, key)
            # what taken_answer makes of the two answers most calls give, inline: nothing
            # (None, shown as None), and a dict when no parameter is sensitive
            if result is None:
                outputs = None
            elif type(result) is dict and not sensitive:
                outputs = audit_values(result, sensitive)
            else:
                if type(result) not in _SETTLED and inspect.isawaitable(result):  # (_answer,
                    result = _settle(binding, result)  # inline: the path of every call)
                result, outputs = taken_answer(result, sensitive, expected)
        except (SystemExit, KeyboardInterrupt) as exc:
            error = failure_text(exc, inputs, sensitive)
            note(ApplicationFailed.KIND, ApplicationFailed(app_id, attempt, error, None).detail())
            place = place_text(where)
            tries = tries_text(attempt, attempts)
            raise CallStopped(
                f"{place + ': ' if place else ''}application {app_id!r} raised {error} "
                f"({tries}; {type(exc).__name__} is not retried)",
                application_id=app_id,
                attempts=attempt,
                stop=exc,
            ) from exc
        except BaseException as exc:  # (an asyncio.CancelledError too: a failed attempt)
            final = attempt == last or isinstance(exc, PermanentApplicationError)
            delay = None if final else binding.delay(attempt, asked_wait(exc))
            error = failure_text(exc, inputs, sensitive)
            note(ApplicationFailed.KIND, ApplicationFailed(app_id, attempt, error, delay).detail())
            if final:
                place = place_text(where)
                prefix = f"{place}: " if place else ""
                tries = tries_text(attempt, attempts)
                raise ToolFailure(
                    f"{prefix}application {app_id!r} raised {error} ({tries})",
                    application_id=app_id,
                    exception_name=exception_name(exc),
                    attempts=attempt,
                ) from exc
            assert delay is not None
            sleep(delay)
            continue
        note(_RETURNED, {"application": app_id, "attempt": attempt, "outputs": outputs})
        return result
    raise AssertionError("unreachable")  # pragma: no cover


def taken_answer(
    result: Any, sensitive: frozenset[str], expected: Container[str] | None
) -> tuple[Any, Any]:
    """An application's answer ``result`` as the engine keeps it, and as the audit trail
    shows it (:class:`ApplicationReturned`): a mapping that is not a dict (a database row
    whose cursor may have closed, a lazy proxy) read into a dict, once. Both callers (the
    synchronous call, :func:`call_noting`, and an ``invoke`` job's) take it here, inside
    the attempt: an answer that raises while it is read is then a failed attempt like any
    other (retried, then the EXCEPTION transition or an incident). Read after it, it
    escaped the engine's command: the memory store kept a running activity with no job and
    no incident, and an ``invoke`` job became an incident of the job, never retried.
    ``sensitive``, ``expected``: as :func:`~.redaction.audit_answer` takes them."""
    # None (an application that answers nothing) before the ABC check, which is slower
    if type(result) is not dict and result is not None and isinstance(result, Mapping):
        result = dict(result.items())
    if sensitive:  # an answer not as asked may hold a secret where no name says so
        return result, audit_answer(result, sensitive, expected)
    if type(result) is dict:
        return result, audit_values(result, sensitive)
    return result, plain(result)


def exception_name(exc: BaseException) -> str:
    """The name an EXCEPTION transition knows the failure ``exc`` by: its ``exception_name``
    when that is a text (an agent's error naming the remote exception), else its type's
    name, also when reading the attribute raises (a property that fails): raised here, it
    escaped the engine's command as :func:`taken_answer`'s did."""
    try:
        name = getattr(exc, "exception_name", None)
    except (SystemExit, KeyboardInterrupt):
        raise  # the program's stop, not the call's failure
    except BaseException:
        name = None
    return name if isinstance(name, str) else type(exc).__name__


_INVOKED = ApplicationInvoked.KIND


def tries_text(attempt: int, attempts: int) -> str:
    """How a failure tells its tries: attempt ``attempt`` of the ``attempts`` allowed. One
    past them (a job run again after a stop mid-call, an answer that could not be used) says
    so: "attempt 2 of 1" and "(1 attempt)" for a second call both misled."""
    if attempt > attempts:
        return f"{attempt} attempts made, {attempts} allowed"
    return f"attempt {attempt} of {attempts}" if attempts > 1 else "1 attempt"


_RETURNED = ApplicationReturned.KIND


def call_once(binding: Binding, inputs: Mapping[str, Any], key: str) -> Any:
    """One attempt: the binding's callable with ``inputs`` (copies of those that could be
    changed in place, see :func:`_call`) and the idempotency ``key`` if it takes one,
    bounded by its timeout; an awaitable answer is awaited. Inputs naming
    ``idempotency_key`` are refused (:func:`_refuse_reserved`)."""
    if IDEMPOTENCY_KEYWORD in inputs:
        _refuse_reserved(binding.application_id, "")
    return _answer(binding, _call(binding, owned_values(inputs) if shares(inputs) else inputs, key))


def _refuse_reserved(app_id: str, where: Place) -> None:
    """Raise :class:`ToolFailure` (an incident, never an EXCEPTION transition's) for a call
    whose inputs name ``idempotency_key``: the value would have replaced the engine's key (the
    HTTP agent sent it as the ``Idempotency-Key`` header, the subprocess agent in its
    environment), so two different calls would share one key. Validation refuses such an
    application first (``application-setting``); this guards what was deployed before."""
    place = place_text(where)
    raise ToolFailure(
        f"{place + ': ' if place else ''}{reserved_parameter_text(app_id)}; it was not called",
        application_id=app_id,
    )


def _call(binding: Binding, inputs: Mapping[str, Any], key: str) -> Any:
    # ``func(**inputs)`` hands the callable a dict of its own: ``inputs`` is copied only when
    # the key is added to it. Its values are the callers' copies, made for each attempt (IN
    # is copy-in): an application that tidied a record or sorted a list it was given
    # changed the instance's data, unaudited, even when it then failed, and the argument of
    # the call's next attempt
    # (no input is named so: call_noting and call_once refuse such a call)
    kwargs = {**inputs, IDEMPOTENCY_KEYWORD: key} if binding.takes_key else inputs
    func = binding.func
    if binding.is_async:
        return _run_coroutine(binding, lambda: func(**kwargs))
    timeout = binding.timeout
    if timeout is None:
        return func(**kwargs)
    started = time.monotonic()
    if binding.stops_itself:  # it stops its work by the timeout: waited for, not abandoned
        result = _in_thread(binding, lambda: func(**kwargs), _grace(timeout), _NOT_STOPPED)
    else:
        result = _in_thread(binding, lambda: func(**kwargs))
    # the timeout bounds the attempt: an awaitable answer (a sync function handing back a
    # coroutine) got a whole timeout more, after the sync part had used up to all of it
    return _answer(binding, result, timeout - (time.monotonic() - started))


def _answer(binding: Binding, result: Any, left: float | None = None) -> Any:
    """``result``, awaited first when it is awaitable (:func:`_settle`, for ``left`` s)."""
    if type(result) in _SETTLED or not inspect.isawaitable(result):
        return result
    return _settle(binding, result, left)


#: why a call of an agent that stops its own work was abandoned all the same
_NOT_STOPPED = ", and the agent did not stop its work by then"


def _settle(binding: Binding, awaitable: Any, left: float | None = None) -> Any:
    """The answer of a callable that returned an awaitable (a sync function handing back a
    coroutine or future), awaited like an ``async def`` callable's; for ``left`` seconds, what
    the binding's timeout left of the attempt, when given. Nothing left is a timeout."""
    if left is not None and left <= 0:
        if inspect.iscoroutine(awaitable):
            awaitable.close()  # never to run: no "coroutine was never awaited" warning
        raise ApplicationTimeoutError(
            f"no answer within {binding.timeout:g} s: the callable returned an awaitable only "
            "then, which was not awaited"
        )
    return _run_coroutine(binding, lambda: _awaiting(awaitable), left)


#: answers that are never awaitable (most answers: a look at the type instead of the ABCs)
_SETTLED = frozenset({dict, type(None), str, int, float, bool, list, tuple})


async def _awaiting(awaitable: Any) -> Any:
    return await awaitable


def _in_thread(
    binding: Binding,
    call: Callable[[], Any],
    grace: float = 0.0,
    why: str = "",
    left: float | None = None,
) -> Any:
    """``call()`` in a daemon thread, waiting at most the binding's timeout, or what is
    ``left`` of it when given (+ ``grace``).

    On timeout the thread is abandoned, not stopped (Python cannot stop a thread); being a
    daemon, it does not keep the process alive. ``why`` tells the error why it was abandoned.
    The call runs in a copy of the caller's context: the host's context variables (a tenant,
    a request id, a tracing span) were lost as soon as a binding had a timeout.
    """
    box: dict[str, Any] = {}
    done = threading.Event()
    context = contextvars.copy_context()

    def target() -> None:
        try:
            box["value"] = context.run(call)
        except BaseException as exc:
            box["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(
        target=target, name=f"wfengine-app-{binding.application_id}", daemon=True
    )
    thread.start()
    timeout = binding.timeout if left is None else left
    if not done.wait(None if timeout is None else timeout + grace):
        raise ApplicationTimeoutError(
            f"no answer within {binding.timeout:g} s{why}; the call was abandoned"
        )
    if "error" in box:
        raise box["error"]
    return box["value"]


class _OwnTimeout(Exception):
    """Carries a TimeoutError an ``async def`` application raised itself past ``wait_for``,
    which would otherwise look like the binding's own timeout."""

    def __init__(self, error: TimeoutError) -> None:
        super().__init__(str(error))
        self.error = error


def _run_coroutine(
    binding: Binding, make: Callable[[], Coroutine[Any, Any, Any]], left: float | None = None
) -> Any:
    """Run an ``async def`` call on the process's one event loop for applications
    (:mod:`~wfengine.applications.shared_loop`: what a call keeps, a client's connections,
    serves the next call), cancelled at the binding's timeout, or when what is ``left`` of it
    (given) has passed.

    The caller stops waiting a grace (:func:`_grace`) after the timeout: a coroutine that does
    not stop when cancelled (it blocks in a synchronous call, or ignores the cancellation, or
    another call holds the loop they share up) is abandoned like a blocking function, and later
    calls run on a new loop; its error names the other call when the loop never began it.
    """
    timeout = binding.timeout
    limit = timeout if left is None else left

    async def guarded() -> Any:
        try:  # (carried: a stop raised in a task ends the loop's thread, not the task)
            return await shared_loop.carried(make())
        except TimeoutError as exc:  # the application's own, not the binding's timeout
            raise _OwnTimeout(exc) from exc
        except asyncio.CancelledError as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the binding's timeout cancelling the call
            # something the application awaited was cancelled: a failure of the call (a
            # CancelledError is a BaseException, which would pass every handler)
            raise ApplicationError(
                "the application's coroutine was cancelled (asyncio.CancelledError from "
                f"something it awaited){': ' + str(exc) if str(exc) else ''}"
            ) from exc

    async def bounded() -> Any:
        return await asyncio.wait_for(guarded(), limit)

    wait = None if timeout is None or limit is None else limit + _grace(timeout)
    try:
        return shared_loop.run(bounded(), wait)
    except _OwnTimeout as own:
        raise own.error from None  # a failure of the call, as a plain function's would be
    except TimeoutError as exc:  # only wait_for's: there is a timeout
        raise ApplicationTimeoutError(
            f"no answer within {timeout:g} s; the coroutine was cancelled"
        ) from exc
    except shared_loop.Abandoned as abandoned:
        if not abandoned.started:  # (the loop is shared: its own coroutine is not to blame)
            raise ApplicationTimeoutError(
                f"no answer within {timeout:g} s: the event loop that runs async def "
                "applications never began the call, held up by another call that blocks it "
                "(a synchronous call inside an async def); the call was abandoned"
            ) from None
        raise ApplicationTimeoutError(
            f"no answer within {timeout:g} s, and the call did not stop when cancelled: its "
            "coroutine blocks or ignores cancellation, or another call holds up the event "
            "loop they share; the call was abandoned"
        ) from None
    except shared_loop.Cancelled:
        raise ApplicationError(
            "the coroutine's task was cancelled by something other than the binding's "
            "timeout (the event loop it ran on was stopped, or code on it cancelled the task)"
        ) from None


def _grace(timeout: float) -> float:
    """How long after its timeout a cancelled coroutine may take to stop (to close what it
    opened) before the call is abandoned: a second, or the timeout when that is shorter."""
    return min(timeout, 1.0)
