"""Asynchronous application calls: the ``invoke`` job that makes one call outside any unit of
work, and the outcome its command applies (see :mod:`wfengine.runtime.tools` for how a call
becomes such a job).

:class:`InvokeJobHandler` makes the call in ``prepare``, before the job's command and with no
unit of work open, and commits the result in the command. A failed attempt with retries left
is given back by the same commit, due after ``binding.delay(attempt)``, and keeps its
idempotency key. A result the instance no longer waits for is audited as
``application.discarded`` and changes nothing else.

An answer that comes while the instance is suspended is kept (:meth:`InvokeOutcome.keep`):
the attempt is audited and the answer stored in the payload of the job that waits for resume
(``answer``), which then applies it without calling the application again (before, it was
discarded and the application called a second time with the same idempotency key: a payment
taken twice by a callee that does not recognise a repeat). A job stored without ``answer``
(every older one) calls as before.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Container, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from wfengine.applications.calling import (
    CallStopped,
    ToolFailure,
    call_once,
    exception_name,
    find_binding,
    taken_answer,
    tries_text,
)
from wfengine.applications.events import (
    ApplicationEvent,
    ApplicationFailed,
    ApplicationInvoked,
    ApplicationReturned,
)
from wfengine.applications.redaction import audit_values, failure_text, masked_fields
from wfengine.applications.registry import ApplicationRegistry, Binding
from wfengine.definition.model import Application
from wfengine.errors import (
    ApplicationTimeoutError,
    DataNotStorableError,
    PermanentApplicationError,
    WorkflowError,
    asked_wait,
)
from wfengine.runtime import call_stops, call_watch, job_claims, lost_attempts
from wfengine.runtime.activity_holders import holders
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.clock import Clock, later
from wfengine.runtime.compiled import CActivity, CompiledProcess
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.history import ApplicationDiscarded, change
from wfengine.runtime.ids import IdGenerator
from wfengine.runtime.instance import ActivityInstance, ProcessInstance
from wfengine.runtime.jobs import JOB_INVOKE, Job
from wfengine.runtime.states import ProcessState
from wfengine.runtime.values import check_storable

_log = logging.getLogger("wfengine.applications")

#: the key of an ``invoke`` job's payload that holds the answer kept for the resume of its
#: suspended instance: ``{"result": value}`` or ``{"error": {message, application_id,
#: exception_name, attempts}}``
ANSWER = "answer"


class _Step(Protocol):
    job_again_at: datetime | None
    jobs: list[Job]


class _Navigator(Protocol):
    """What an ``invoke`` job's outcome needs of the navigator applying it."""

    now: datetime

    @property
    def step(self) -> _Step: ...

    @property
    def ctx(self) -> _Context: ...

    def touch(self, inst: ProcessInstance) -> None: ...

    def invocation_done(
        self,
        ai: ActivityInstance,
        payload: Mapping[str, Any],
        result: Any,
        failure: ToolFailure | None,
    ) -> None: ...

    def job_failed(
        self,
        inst: ProcessInstance,
        job: Job,
        message: str,
        invoked_at: datetime | None = None,
        *,
        audit_call: bool = True,
    ) -> None: ...


class JobRunner(Protocol):
    """What running an ``invoke`` job needs of the engine running it."""

    @property
    def clock(self) -> Clock: ...

    @property
    def applications(self) -> ApplicationRegistry: ...

    def deployed(self, process_id: str, version: int | None = None) -> DeployedProcess: ...


class _Context(JobRunner, Protocol):
    """The navigation context, as an ``invoke`` job's outcome uses it."""

    @property
    def ids(self) -> IdGenerator: ...


@dataclass(slots=True, eq=False)
class InvokeOutcome:
    """What one run of an ``invoke`` job's call gave, made outside any unit of work; calling
    it (inside the job's command) applies it to the instance.

    ``records`` are the attempt's audit events ``(at, event)``; exactly one of
    ``result``/``error`` is meaningful; ``retry_in`` (seconds) is set when a failed attempt
    is to be repeated by the same job.
    """

    records: list[tuple[datetime, ApplicationEvent]]
    result: Any = None
    error: ToolFailure | None = None
    retry_in: float | None = None
    #: an answer kept with the job while its instance was suspended (:func:`_kept`): no call
    #: was made by this run
    kept: bool = False

    def __call__(self, nav: _Navigator, job: Job, inst: ProcessInstance) -> None:
        payload = job.payload
        ai = _waiting(inst, job)
        if ai is None:
            self.discard(nav, inst, job, "the activity no longer waits for this call")
            return
        if self.kept and self.error is None and not _bound(nav, job, inst):
            return  # parked with its answer, until the application is bound
        self._record(nav, inst, job)
        if self.error is not None and self.retry_in is not None:
            nav.step.job_again_at = later(nav.now, timedelta(seconds=self.retry_in))
            return
        ai.timers.remove(job.id)
        nav.invocation_done(ai, payload, self.result, self.error)

    @property
    def stop(self) -> SystemExit | KeyboardInterrupt | None:
        """The ``SystemExit`` or ``KeyboardInterrupt`` the call raised (None: it raised
        neither). The call failed, not retried, and the job's runner raises the stop again
        once that failure is committed, in the main thread only, where it may be the
        program's (a signal's): see :mod:`wfengine.runtime.call_stops`."""
        return self.error.stop if isinstance(self.error, CallStopped) else None

    def settle(self, nav: _Navigator, job: Job, inst: ProcessInstance) -> None:
        """Apply this outcome whatever state ``inst`` is in, ``job`` being done (the
        caller's step deletes it): to the waiting activity of a running instance, kept for
        the resume of a suspended one (:meth:`keep`), else audited as discarded."""
        if inst.state is ProcessState.RUNNING:
            self(nav, job, inst)
        elif inst.state.is_closed:
            self.discard(nav, inst, job, f"the instance is {inst.state.value}")
        elif not self.keep(nav, inst, job):
            self.discard(nav, inst, job, "the activity no longer waits for this call")

    def keep(self, nav: _Navigator, inst: ProcessInstance, job: Job) -> bool:
        """Keep this outcome for the resume of ``inst``, which is not running (suspended):
        the attempt is audited now, and the step replaces ``job`` (its ``job_done``, which
        the step deletes) by a job of a new id that holds the answer (:data:`ANSWER`), due
        as ``job`` was and claimable once ``inst`` runs again; the activity waits for that
        job instead. A failed attempt with retries left is given back, due after its delay,
        as when the instance runs. True when kept; False (nothing changed) when the
        activity no longer waits for the call or the answer is not one a store can hold:
        the caller discards it, and the application is called again after resume.

        Why a new job rather than the same one changed: a step deletes the job it carried
        out or gives it back as it is; a job it adds is written whole, payload included."""
        ai = _waiting(inst, job)
        if ai is None:
            return False
        if self.error is not None and self.retry_in is not None:
            self._record(nav, inst, job)
            nav.step.job_again_at = later(nav.now, timedelta(seconds=self.retry_in))
            return True
        answer = self._answer(job, inst)
        if answer is None:
            return False
        self._record(nav, inst, job)
        kept = replace(
            job,
            id=nav.ctx.ids.new("job"),
            payload={**job.payload, ANSWER: answer},
            lock_owner=None,
            lock_expires_at=None,
        )
        ai.timers[ai.timers.index(job.id)] = kept.id
        nav.step.jobs.append(kept)
        return True

    def _answer(self, job: Job, inst: ProcessInstance) -> dict[str, Any] | None:
        """This outcome as :data:`ANSWER` stores it (None: a store could not hold it); a
        failure's message hiding ``inst``'s secrets, as the incident it becomes will."""
        if self.error is not None:
            error = self.error
            return {
                "error": {
                    "message": masked_fields(error.message, inst.data, inst.sensitive_fields),
                    "application_id": error.application_id,
                    "exception_name": error.exception_name,
                    "attempts": error.attempts,
                }
            }
        try:
            answer = {"result": copy.deepcopy(self.result)}
            check_storable(answer, lambda: f"job {job.id!r}, the answer kept for resume")
        except (DataNotStorableError, TypeError, ValueError, copy.Error):
            return None
        return answer

    def discard(self, nav: _Navigator, inst: ProcessInstance, job: Job, reason: str) -> None:
        """Keep the attempt in the audit trail but leave the instance alone: it was closed,
        suspended, or has moved on, or another claimant took the job over."""
        self._record(nav, inst, job)
        payload = job.payload
        inst.changes.append(
            change(
                nav.now,
                ApplicationDiscarded(payload["application_id"], job.key, reason),
                payload["activity_instance_id"],
                payload["activity_id"],
            )
        )

    def _record(self, nav: _Navigator, inst: ProcessInstance, job: Job) -> None:
        """Record the attempt's events, a failure's text hiding every sensitive field of
        ``inst`` as its incidents do (:func:`~wfengine.applications.redaction.masked_fields`:
        the call was made without the instance, knowing only its own sensitive inputs)."""
        nav.touch(inst)
        payload = job.payload
        fields = inst.sensitive_fields
        since = len(inst.changes)
        for at, event in self.records:
            if fields and isinstance(event, ApplicationFailed):
                event = replace(event, error=masked_fields(event.error, inst.data, fields))
            inst.changes.append(
                change(at, event, payload["activity_instance_id"], payload["activity_id"])
            )
        if job_claims.unrecorded() is not None:  # earlier attempts a killed host made
            lost_attempts.unrecorded(inst, since, nav.now)


class InvokeJobHandler:
    """``engine.job_handlers["invoke"]``: one call of an asynchronous application.

    :meth:`prepare` makes the call, bounded by the binding's timeout, before the job's
    command opens its unit of work, so no transaction is held while a slow system answers;
    the :class:`InvokeOutcome` it returns is then run inside the command and commits the
    result exactly like a synchronous call's: outputs written and the activity moving on, or
    the failure following the EXCEPTION transition or becoming an incident. A failed attempt
    with retries left gives the job back due after ``binding.delay(attempt)`` (``attempt`` is
    the job's claim count), with the same idempotency key.
    """

    def prepare(self, engine: JobRunner, job: Job) -> InvokeOutcome:
        payload = job.payload
        answer = payload.get(ANSWER)
        if isinstance(answer, Mapping):  # kept while the instance was suspended: no call
            return _kept(answer)
        app_id = payload["application_id"]
        key = job.key or ""
        inputs = dict(payload["inputs"])
        sensitive = frozenset(payload.get("sensitive") or ())
        attempt = max(job.attempts, 1)
        where = f"instance {job.instance_id!r}, activity {payload['activity_id']!r}"
        shown = audit_values(inputs, sensitive)
        records: list[tuple[datetime, ApplicationEvent]] = [
            (engine.clock.now(), ApplicationInvoked(app_id, attempt, key, shown, job=job.id))
        ]
        binding: Binding | None = None
        # an answer not as asked may hold a secret where no name says so (taken_answer)
        expected = _expected(engine, payload) if sensitive else None
        try:
            binding = _async_binding(engine, payload, where)
            told = CallInProgress(
                payload["activity_instance_id"], payload["activity_id"], app_id, attempt, key, shown
            )
            with call_watch.in_progress(told):  # (its runner tells the supervisor)
                result = call_once(binding, inputs, key)
            result, shown = taken_answer(result, sensitive, expected)  # (read: in the attempt)
        except (SystemExit, KeyboardInterrupt) as exc:
            error = failure_text(exc, inputs, sensitive)  # (not retried: see _stopped)
            records.append((engine.clock.now(), ApplicationFailed(app_id, attempt, error, None)))
            tries = tries_text(attempt, (binding.retries if binding is not None else 0) + 1)
            message = f"{where}: application {app_id!r} raised {error} ({tries}; "
            message = f"{message}{type(exc).__name__} is not retried)"
            return _stopped(records, exc, message, app_id, attempt)
        except BaseException as exc:  # (an asyncio.CancelledError too: a failed attempt)
            retries = binding.retries if binding is not None else 0
            final = (
                binding is None
                or attempt > retries
                or isinstance(exc, PermanentApplicationError | ToolFailure)
            )
            delay = None if final or binding is None else binding.delay(attempt, asked_wait(exc))
            error = failure_text(exc, inputs, sensitive)
            records.append((engine.clock.now(), ApplicationFailed(app_id, attempt, error, delay)))
            if isinstance(exc, ToolFailure):
                return InvokeOutcome(records, error=exc)
            # from the attempt: a call made again (its answer discarded while the instance
            # was suspended) read "(1 attempt)" with attempts=2
            tries = tries_text(attempt, retries + 1)
            failure = ToolFailure(
                f"{where}: application {app_id!r} raised {error} ({tries})",
                application_id=app_id,
                exception_name=exception_name(exc),
                attempts=attempt,
            )
            return InvokeOutcome(records, error=failure, retry_in=delay)
        records.append((engine.clock.now(), ApplicationReturned(app_id, attempt, shown)))
        return InvokeOutcome(records, result=result)

    def __call__(self, nav: _Navigator, job: Job, inst: ProcessInstance) -> None:
        """Run without :meth:`prepare` (a caller that has no separate phase): call, then apply,
        inside the command (a stop the call raised ends the command as a synchronous
        call's does: :func:`~wfengine.runtime.call_stops.stopped`)."""
        outcome = self.prepare(nav.ctx, job)
        outcome(nav, job, inst)
        if isinstance(outcome.error, CallStopped):
            call_stops.stopped(outcome.error)


def _stopped(
    records: list[tuple[datetime, ApplicationEvent]],
    stop: SystemExit | KeyboardInterrupt,
    message: str,
    app_id: str,
    attempt: int,
) -> InvokeOutcome:
    """The outcome of a call that raised ``SystemExit`` or ``KeyboardInterrupt`` (``sys.exit``
    in an application, Ctrl-C while it ran; ``records``: its attempt, failed): the call's
    failure, not retried, as a synchronous call's (:class:`~wfengine.applications.calling.
    CallStopped`: an incident, no EXCEPTION transition), which its runner commits before it
    raises the stop again (:attr:`InvokeOutcome.stop`). Why: raised from here, the job was
    given back uncommitted, so in the main thread (``run_due_jobs``) the application was
    called again on every run, audited only as queued, and no incident was ever opened.
    Logged with where it was raised (an application calling ``sys.exit`` is a bug to find)."""
    failure = CallStopped(message, application_id=app_id, attempts=attempt, stop=stop)
    _log.error("%s", message, exc_info=stop)
    return InvokeOutcome(records, error=failure)


def own_call(job: Job, call: CallInProgress | None) -> bool:
    """Is ``call`` (what the runner of ``job`` told last) ``job``'s own asynchronous call,
    rather than a synchronous call its command made applying the answer (the next
    activity a Tool)?"""
    payload = job.payload
    return (
        call is not None
        and job.kind == JOB_INVOKE
        and isinstance(payload, Mapping)
        and call.activity_instance_id == payload.get("activity_instance_id")
        and call.key == (job.key or "")
    )


def still_held(current: Job | None, owner: str) -> bool:
    """Is the job read back as ``current`` still there and ``owner``'s? A job carried out,
    or deleted with the activity or instance it served, reads None; one whose lease ran out
    and another claimant took, that claimant's. Its runner asks before an asynchronous
    call, not only before applying the answer: a job of the same batch run before it may
    have cancelled its activity (an EXCEPTION transition, a boundary timer, a Terminate
    end), and the call, made all the same, was a side effect after the process had taken
    its failure route (a parcel shipped for an order terminated), then discarded."""
    return current is not None and current.lock_owner == owner


def stopped_calling(job: Job, call: CallInProgress | None) -> bool:
    """Was ``job`` stopped while its own asynchronous call was in progress (``call``: what
    its runner told last)? Only then is it the call's failure (:func:`abandoned_call`).
    Not when the call had answered (it was stopped applying the answer: the payment made
    is not to be taken for failed), nor when the job holds an answer kept for the resume
    (no call was being made), nor when nothing was told: its ``job`` incident, whose
    retry runs the job again, applying a kept answer, keeps all it had."""
    return own_call(job, call) and call is not None and not call.ended and ANSWER not in job.payload


def abandoned_call(job: Job, reason: str, began: datetime, now: datetime) -> InvokeOutcome:
    """The outcome of an ``invoke`` job whose call was stopped from outside for ``reason``
    while in progress (:func:`stopped_calling`; :meth:`~wfengine.runtime.engine.Engine.
    abandon_job`: a worker supervisor stopped the job for running past ``--job-timeout``, or
    its worker process died under it): the
    attempt audited, invoked when it ``began`` (its own command never committed that), failed
    ``now``, and the call failed for good as an
    :class:`~wfengine.errors.ApplicationTimeoutError`: it gave no answer. Applied
    (:meth:`InvokeOutcome.settle`), the activity's EXCEPTION transition takes it, else a
    ``run`` incident an operator may retry, skip with output data, or abort, as for every
    other failed call. Before, it was an incident of the job, which could only be retried.

    Not retried, whatever the binding's retries: ``--job-timeout`` is to bound a call with
    all its retries, and each retry of a call that hangs would stop a worker process again,
    with every other job it was running."""
    payload = job.payload
    app_id = payload["application_id"]
    found = payload.get("inputs")
    inputs = found if isinstance(found, Mapping) else {}
    sensitive = frozenset(payload.get("sensitive") or ())
    attempt = max(job.attempts, 1)
    invoked = ApplicationInvoked(
        app_id, attempt, job.key or "", audit_values(inputs, sensitive), job=job.id
    )
    error = failure_text(ApplicationTimeoutError(reason), inputs, sensitive)
    failure = ToolFailure(
        f"instance {job.instance_id!r}, activity {payload['activity_id']!r}: application "
        f"{app_id!r} raised {error} (attempt {attempt}; a call stopped so is not retried)",
        application_id=app_id,
        exception_name=ApplicationTimeoutError.__name__,
        attempts=attempt,
    )
    failed = ApplicationFailed(app_id, attempt, error, None)
    return InvokeOutcome([(min(began, now), invoked), (now, failed)], error=failure)


def _expected(engine: JobRunner, payload: Mapping[str, Any]) -> Container[str] | None:
    """The OUT parameters the call ``payload`` describes answers with (None when its
    definition is not to be had: the trail then hides only what names a secret). Of
    several activities it may be (:func:`_calling`), those all of them expect: an answer's
    value is shown only where its own activity would show it."""
    try:
        compiled = engine.deployed(payload["process_id"], payload["version"]).compiled
    except WorkflowError:
        return None
    position = int(payload["position"])
    found = [set(act.tools[position].spec.outputs) for act in _calling(compiled, payload)]
    return set.intersection(*found) if found else None


def _async_binding(engine: JobRunner, payload: Mapping[str, Any], where: str) -> Binding:
    """The binding an ``invoke`` job calls, looked up when it runs (a host may have rebound the
    application since the job was made); raises :class:`ToolFailure` when there is none."""
    app_id = payload["application_id"]
    registry = engine.applications
    application: Application | None = None
    if app_id not in registry:
        compiled = engine.deployed(payload["process_id"], payload["version"]).compiled
        for act in _calling(compiled, payload):  # (one declaration of the id per process)
            application = act.tools[int(payload["position"])].spec.application
            break
    return find_binding(registry, app_id, application, where)


def _calling(compiled: CompiledProcess, payload: Mapping[str, Any]) -> list[CActivity]:
    """The activities the call ``payload`` describes may be of: those of its activity Id
    whose tool at its position calls its application. Why not the activity of that Id: the
    job names only the Id, and activity sets of a process may repeat one (TIBCO files do),
    each holder calling its own applications: the first compiled would bind another
    block's application and hide its outputs. One for nearly every job; several only when
    holders of the Id call the same application there."""
    position = int(payload["position"])
    app_id = payload["application_id"]
    return [
        act
        for act in holders(compiled, payload["activity_id"])
        if position < len(act.tools) and act.tools[position].spec.application_id == app_id
    ]


def _waiting(inst: ProcessInstance, job: Job) -> ActivityInstance | None:
    """The activity instance of ``inst`` that waits for ``job``'s call (None: none does; it
    closed, moved on to another iteration, or a deadline withdrew the call)."""
    payload = job.payload
    ai = inst.activities.get(payload["activity_instance_id"])
    if (
        ai is None
        or ai.state.is_closed
        or job.id not in ai.timers
        or ai.iterations != payload["iteration"]
    ):
        return None
    return ai


def _bound(nav: _Navigator, job: Job, inst: ProcessInstance) -> bool:
    """Has the engine applying the answer kept with ``job`` a binding for its application?
    Applying an answer reads the binding (whether its outputs may be missing), so an engine
    without one (an operator's, a worker started without ``--apps``) cannot; when it has
    none, ``job`` is parked with a ``job`` incident saying so (False), the answer kept in
    it: retrying the incident once the application is bound runs the job again, which
    applies the answer. Why: the ``run`` incident the failure made before deleted the job,
    and with it the answer, so the retry called the application a second time."""
    payload = job.payload
    where = f"instance {inst.id!r}, activity {payload['activity_id']!r}"
    try:
        _async_binding(nav.ctx, payload, where)
    except ToolFailure as exc:
        message = (
            f"{exc.message} (the answer it gave while the instance was suspended is kept, "
            "and applied then without calling it again)"
        )
        nav.job_failed(inst, job, message, audit_call=False)
        return False
    return True


def _kept(answer: Mapping[str, Any]) -> InvokeOutcome:
    """The outcome an answer kept for resume stands for (its attempt audited already)."""
    error = answer.get("error")
    if isinstance(error, Mapping):
        failure = ToolFailure(
            str(error.get("message")),
            application_id=str(error.get("application_id")),
            exception_name=error.get("exception_name"),
            attempts=int(error.get("attempts") or 0),
        )
        return InvokeOutcome([], error=failure, kept=True)
    return InvokeOutcome([], result=copy.deepcopy(answer.get("result")), kept=True)
