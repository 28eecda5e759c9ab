"""Application call attempts that their job's own command never recorded: audited as invoked
and failed by whoever learns of them.

Two paths learn of such an attempt. A worker supervisor that stopped a job mid-call, or
whose worker process died under it, knows the call (:mod:`~wfengine.runtime.call_watch`):
:meth:`~wfengine.runtime.navigation.Navigator.job_failed` audits it. A host killed whole
(``SIGKILL`` of the worker with its supervisor, a machine lost) leaves nobody to tell: the
engine that takes the job over after its lease ran out knows only that the job was claimed
before (its claim count, :mod:`~wfengine.runtime.job_claims`), and numbered its call from
there, so the trail read ``attempt=2`` with no attempt 1, against "every invocation is
audited". That engine now records each such attempt its instance's trail lacks
(:func:`unrecorded`), dated when it learns of it, with the call's key and inputs:

* an ``invoke`` job's own call, the one its lost run was making: invoked and failed
  "interrupted" (:func:`interrupted`);
* the synchronous call a job makes first, which its lost run made if it got that far: invoked
  and discarded "lost" (:func:`lost_with_host`), not failed. Nothing that survives knows how far
  that run got (it may have returned from a1 and died in a3; a write per call to know it would
  slow every call down, issue 14), so the record names none of the later calls as made or
  interrupted: it says the run may have made the job's calls recorded after it, which are
  numbered as if it had not. (Before, the first call was failed "interrupted" whatever the
  run had done after it.)

A supervisor that stops a run knows each call it began, and records them all
(:mod:`~wfengine.runtime.stopped_runs`): the trail then holds what this module would guess.
Every path makes the records here (:class:`LostCall`): one shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wfengine.applications.events import ApplicationFailed, ApplicationInvoked
from wfengine.applications.redaction import masked_fields
from wfengine.runtime import job_claims
from wfengine.runtime.history import ApplicationDiscarded, Change, change
from wfengine.runtime.instance import ProcessInstance


@dataclass(frozen=True, slots=True)
class LostCall:
    """One attempt of a call that its job's command never committed: the call ``call``
    describes (an ``invoke`` job's payload: ``application_id``, ``activity_instance_id``,
    ``activity_id``), numbered ``attempt``, with its idempotency ``key``, its ``inputs`` as the
    trail shows them, and the ``job_id`` that made it. Every path that learns of such an
    attempt audits it through this one value, so the records have one shape: invoked when it
    began, then :meth:`failed` or :meth:`ended` (the text given, the instance's secrets
    hidden as in every failure text:
    :func:`~wfengine.applications.redaction.masked_fields`)."""

    call: Mapping[str, Any]
    attempt: int
    key: str
    inputs: Any
    job_id: str

    def failed(
        self, inst: ProcessInstance, message: str, *, began: datetime, now: datetime
    ) -> list[Change]:
        """Invoked when it ``began`` (never after ``now``), failed ``now`` with ``message``."""
        error = masked_fields(message, inst.data, inst.sensitive_fields)
        failed = ApplicationFailed(self.call["application_id"], self.attempt, error, None)
        return [self._record(min(began, now), self._invoked()), self._record(now, failed)]

    def ended(
        self, inst: ProcessInstance, reason: str, *, began: datetime, ended: datetime
    ) -> list[Change]:
        """Invoked when it ``began``, ``application.discarded`` (``reason`` saying why its
        answer, if it gave one, was not used) when it had ``ended`` (never before it began).
        How it ended is not known: whoever learns of it saw it begin, and the call after it
        begin."""
        why = masked_fields(reason, inst.data, inst.sensitive_fields)
        discarded = ApplicationDiscarded(self.call["application_id"], self.key, why)
        return [self._record(began, self._invoked()), self._record(max(began, ended), discarded)]

    def _invoked(self) -> ApplicationInvoked:
        app_id = self.call["application_id"]
        return ApplicationInvoked(app_id, self.attempt, self.key, self.inputs, job=self.job_id)

    def _record(self, at: datetime, event: Any) -> Change:
        return change(
            at, event, self.call.get("activity_instance_id"), self.call.get("activity_id")
        )


def interrupted(job_id: str) -> str:
    """What a lost attempt's ``application.failed`` says."""
    return (
        f"interrupted: the host running job {job_id!r} stopped during this attempt (killed, "
        "or its lease ran out) and another took the job over; whether the application was "
        "called, and whether it finished, is not known"
    )


def lost_with_host(job_id: str, prefix: str) -> str:
    """What the ``application.discarded`` record of a lost run's first synchronous call says
    (the run's host killed whole: nobody knows how far it got). ``prefix``: what the
    idempotency keys of the job's calls begin with."""
    return (
        f"lost: job {job_id!r} was run before on a host that stopped (killed, or its lease "
        "ran out) before the run committed, and another took the job over; that run made "
        "this call if it got this far, and may have gone on to make calls recorded after "
        f"this one for the job (idempotency keys beginning {prefix!r}), numbered here as if it "
        "had not: which calls it made, and how they ended, is not known; no answer of that "
        "run was used"
    )


def unrecorded(inst: ProcessInstance, since: int, now: datetime) -> None:
    """Put the attempts the running job's earlier runs made of a call and that the trail
    lacks (:func:`~wfengine.runtime.job_claims.unrecorded`) before the ``application.invoked``
    record of that call among ``inst``'s changes from ``since`` on (the one this run makes),
    each as invoked and failed ``now`` (:meth:`LostCall.failed`; the job's first synchronous
    call: discarded, :func:`lost_with_host`), or at that record's own time
    when it is earlier (a synchronous call's records are dated as they are made, and the
    command's time moves on after them: the trail never goes back), with the key and inputs
    of that record. Nothing when the run did not make the call. Why not once per job run: a run that
    loses its race is run again on a fresh step, and these records go with the one that
    commits."""
    lost = job_claims.unrecorded()
    if lost is None or not lost.attempts or lost.key is None:
        return
    changes = inst.changes
    for n in range(since, len(changes)):
        at, kind, aid, act_id, detail = changes[n]
        if kind != ApplicationInvoked.KIND or detail.get("key") != lost.key:
            continue
        when = min(at, now)
        call = {
            "application_id": detail["application"],
            "activity_instance_id": aid,
            "activity_id": act_id,
        }
        records: list[Change] = []
        for attempt in lost.attempts:
            made = LostCall(call, attempt, lost.key, detail.get("inputs"), lost.job_id)
            if lost.first_of_run:  # which of the job's calls the lost run made is not known
                reason = lost_with_host(lost.job_id, f"{inst.id}:{lost.job_id}.")
                records += made.ended(inst, reason, began=when, ended=when)
            else:
                records += made.failed(inst, interrupted(lost.job_id), began=when, now=when)
        changes[n:n] = records
        return
