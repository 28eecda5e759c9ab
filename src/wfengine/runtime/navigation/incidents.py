"""Incidents: work the engine could not do by itself, and retrying it."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Any, Protocol, cast

from wfengine.applications.redaction import audit_values, masked_fields
from wfengine.runtime.acted_by import by_user
from wfengine.runtime.compiler import (
    KIND_SCRIPT,
    KIND_TASK,
)
from wfengine.runtime.history import IncidentAborted, IncidentOpened, IncidentRetried, change
from wfengine.runtime.instance import (
    ActivityInstance,
    Incident,
    ProcessInstance,
    Scope,
    WorkItem,
)
from wfengine.runtime.jobs import HELD, JOB_INVOKE, PARKED, Job, reminds_of
from wfengine.runtime.lost_attempts import LostCall
from wfengine.runtime.navigation.base import (
    _OP_BODY,
    _OP_TOOLS,
    NavigatorBase,
    _Failure,
    _traced_before,
)
from wfengine.runtime.outbox import Resolution, incident_entry
from wfengine.runtime.stored_text import storable_text
from wfengine.runtime.work_rules import OFFER


class _AdHocSets(Protocol):
    """The part of the navigator that ends an ad-hoc set (``Activities``; named by this
    protocol rather than imported, as ``activities`` imports this module for its types)."""

    def _adhoc_complete(self, scope: Scope, ai: ActivityInstance) -> bool: ...


class Incidents(NavigatorBase):
    """Incidents."""

    def _incident(
        self,
        inst: ProcessInstance,
        ai: ActivityInstance | None,
        activity_id: str | None,
        operation: str,
        message: str,
        *,
        scope: Scope | None = None,
        join_index: int | None = None,
        application_id: str | None = None,
        attempts: int = 0,
        job_id: str | None = None,
        hold: bool = True,
    ) -> None:
        """Open an incident on ``inst`` (naming ``ai``, when given). ``hold``: it holds ``ai``
        (as :attr:`ActivityInstance.incident`, one at a time); False for one that only names
        it, beside the one that holds it (a second timer held back on it): closing ``ai``
        resolves that one with its job (:func:`end_parked_timers`, :func:`end_parked_reminders`)."""
        # (escaped as every store keeps it, so the trail and the outbox say what it says)
        message = storable_text(_masked(message, inst))
        incident = Incident(
            id=self.ctx.ids.new("inc"),
            instance_id=inst.id,
            activity_instance_id=ai.id if ai else None,
            activity_id=activity_id,
            operation=operation,
            message=message,
            created_at=self.now,
            scope_id=scope.id if scope else None,
            join_index=join_index,
            application_id=application_id,
            attempts=attempts,
            job_id=job_id,
        )
        inst.incidents[incident.id] = incident
        if ai is not None and operation != "arm" and hold:
            # the incident that holds the activity (one at a time); an ``arm`` incident
            # (a boundary timer not set) does not: the activity goes on without the
            # timer, may meet an incident of its own, and resolves it as it closes
            ai.incident = incident.id
        self.touch(inst)
        inst.changes.append(
            change(
                self.now,
                IncidentOpened(message, incident.id),
                incident.activity_instance_id,
                activity_id,
            )
        )
        self.step.outbox.append(incident_entry(incident, self.now, stamp=inst.call_stamp()))

    def job_failed(
        self,
        inst: ProcessInstance,
        job: Job,
        message: str,
        invoked_at: datetime | None = None,
        *,
        audit_call: bool = True,
    ) -> None:
        """A job's run failed (or was stopped): an incident, and the job parked until the
        incident is retried (in the same step, so neither happens without the other).

        The incident names the activity the job was for (its payload's activity instance),
        and is that activity's while it is open (closing it resolves the incident). For an
        ``invoke`` job it names the application and the attempt, and the attempt's call is
        audited (``application.invoked`` and ``application.failed``): what the job's own
        command would have recorded never was, as the job ended before it committed; the
        call's record is dated ``invoked_at`` when the caller knows when it began (a worker
        that stopped it), else now. Not with ``audit_call`` False: no call was made (an
        answer kept for resume that this engine cannot apply, its attempt audited already)."""
        payload = job.payload if isinstance(job.payload, Mapping) else {}
        found = inst.activities.get(payload.get("activity_instance_id") or "")
        ai = found if found is not None and found.incident is None else None
        if ai is not None and ai.state.is_closed:
            ai = None
        activity_id = found.act.id if found is not None else payload.get("activity_id")
        application_id: str | None = None
        attempts = 0
        if job.kind == JOB_INVOKE and isinstance(payload.get("application_id"), str):
            application_id = payload["application_id"]
            # (a kept answer's job counts the claims that applied it, not calls: none named)
            attempts = max(job.attempts, 1) if audit_call else 0
            if audit_call:
                self._audit_stopped_call(inst, job, payload, attempts, message, invoked_at)
        self._incident(
            inst,
            ai,
            activity_id,
            "job",
            message,
            application_id=application_id,
            attempts=attempts,
            job_id=job.id,
        )
        self.step.job_done = job.id
        self.step.job_again_at = PARKED

    def _audit_stopped_call(
        self,
        inst: ProcessInstance,
        job: Job,
        payload: Mapping[str, Any],
        attempt: int,
        message: str,
        invoked_at: datetime | None,
    ) -> None:
        """Audit the attempt of an ``invoke`` job that failed or was stopped before its
        command committed the attempt's own records: the call dated when it began (never
        after the failure), the failure now."""
        inputs = payload.get("inputs")
        sensitive = frozenset(payload.get("sensitive") or ())
        shown = audit_values(inputs, sensitive) if isinstance(inputs, Mapping) else {}
        now = self.now
        made = LostCall(payload, attempt, job.key or "", shown, job.id)
        began = now if invoked_at is None else invoked_at
        inst.changes += made.failed(inst, message, began=began, now=now)

    def retry(self, incident: Incident, *, offer: bool = False) -> None:
        """Redo what ``incident`` says failed (its ``operation``), the incident resolved as
        retried. ``offer``: it is an offer's that was opened as ``run`` (by an engine before
        offers had an operation of their own: :data:`OFFER`), so the person's work is offered
        again, as for :data:`OFFER` (the caller tells: see
        :func:`wfengine.runtime.incident_commands.offer_opened_as_run`)."""
        inst = self.instance(incident.instance_id)
        # asked before anything changes: a retry that committed a job gone since was
        # refused by every store for ever (and left the memory store's incident resolved)
        parked = incident.operation == "job" and _parked_job(self, incident) is not None
        self.touch(inst)
        ai = self._held(inst, incident)
        moot = ai is None and incident.operation not in _NOT_HELD
        incident.resolved = True
        # an incident whose activity closed meanwhile has nothing left to redo: it is
        # resolved as its activity's closing resolves one (see _held)
        resolution = Resolution.ACTIVITY_CLOSED if moot else Resolution.RETRIED
        self.step.outbox.append(
            incident_entry(incident, self.now, resolution, stamp=inst.call_stamp())
        )
        inst.changes.append(
            change(
                self.now,
                IncidentRetried(incident.id),
                incident.activity_instance_id,
                incident.activity_id,
            )
        )
        if incident.operation == "continue":
            self._agenda.extend(inst.parked)
            inst.parked.clear()
            return
        if incident.operation == "job":
            assert incident.job_id is not None
            held = inst.activities.get(incident.activity_instance_id or "")
            if held is not None and held.incident == incident.id:
                held.incident = None
            if parked:  # (gone: its work item closed, and its reminders with it)
                self.step.job_done = incident.job_id  # the parked job is due again now
                self.step.job_again_at = self.now
            return
        if incident.operation == "arm":  # a timer event that could not be set: set it now
            if not self._retry_completion(inst, incident):
                self._retry_timer(inst, incident)
            return
        if incident.operation == "join":
            assert incident.scope_id is not None and incident.join_index is not None
            scope = inst.scopes[incident.scope_id]
            self._try_complex(scope, scope.graph.activities[incident.join_index])
            return
        if ai is None:
            return  # (moot: see above)
        ai.incident = None
        if incident.operation == "leave":
            if ai.mi_parent is not None:
                self._multi_child_done(ai.mi_parent, ai)
            elif ai.mi is not None and ai.mi.completed < ai.mi.total:
                self._mi_progress(ai)  # its flow condition, tested again
            else:
                self._leave(ai, traced=_traced_before(ai))
        elif incident.operation == "assign":
            self._start_activity(ai)
        elif offer or incident.operation == OFFER:  # the person's part, offered again alone
            self._offer(ai, again=True)  # (reaching no one again: the incident again)
        elif incident.operation == "loop":
            try:
                again = self._loop_condition(ai)
            except _Failure as exc:
                self._incident(inst, ai, ai.act.id, "loop", exc.message)
                return
            if again:
                self._agenda.append((_OP_BODY, ai, None))
            else:  # each iteration that ran is in the trace already; none: it never ran
                self._leave(ai, traced=True)
        elif (
            ai.act.loop is not None
            and ai.act.loop.multi
            and ai.mi is None
            and ai.mi_parent is None  # (one of its instances runs its work, as any activity)
        ):
            self._start_multi(ai)  # its count could not be had: counted again
        else:
            # through the agenda, so an engine that defers automatic work leaves the call
            # to a worker; a Tool or script task whose person already did their part only
            # calls (runs its script) again
            after_person = ai.act.offer_first and ai.act.kind in (KIND_TASK, KIND_SCRIPT)
            op = _OP_TOOLS if after_person else _OP_BODY
            self._agenda.append((op, ai, None))

    def _completion_failed(self, scope: Scope, message: str) -> None:
        """The ``AdHocCompletionCondition`` of ad-hoc set ``scope`` failed to evaluate (after
        one of its activities completed): an incident on the block running the set, operation
        ``arm`` (as a conditional boundary event's failed condition: it does not hold the
        block, the set goes on as if the condition did not hold, closing the block resolves
        it, a retry tests the condition again). Why: before, only an
        ``event.condition_failed`` row said so and the set silently ran every activity, where
        every other failed condition is an incident. One open incident per block: the
        condition is tested after each completion, and would file one each time."""
        block = scope.owner
        assert block is not None  # (an ad-hoc set is run by a block)
        inst = scope.instance
        for incident in inst.incidents.values():
            if _completion_incident(incident, block):
                return  # (already told; retrying it tests the condition again)
        why = f"{message} (the set goes on, every activity of it, while it fails)"
        self._incident(inst, block, block.act.id, "arm", why, scope=scope)

    def _retry_completion(self, inst: ProcessInstance, incident: Incident) -> bool:
        """Whether ``incident`` is a failed ad-hoc completion condition's (see
        :meth:`_completion_failed`); if so, test the condition again (nothing when the block
        or its set closed meanwhile): when it holds now, what is left of the set is
        withdrawn and the block goes on; when it fails again, a new incident."""
        block = inst.activities.get(incident.activity_instance_id or "")
        if block is None or incident.activity_id != block.act.id:
            return False  # (a boundary event's: it names the event, not the activity)
        scope = block.child_scope
        if block.state.is_closed or scope is None or scope.closed:
            return True
        if scope.graph.completion is not None and incident.scope_id == scope.id:
            cast(_AdHocSets, self)._adhoc_complete(scope, block)
        return True

    def _held(self, inst: ProcessInstance, incident: Incident) -> ActivityInstance | None:
        """The open activity instance ``incident`` holds, None when it names none or the one
        it names closed (gone from the instance once closed and stored). An incident that
        outlived its activity (several filed for one multi-instance activity by an engine
        before one was kept per activity, one of whose retries closed it) used to fail its
        retry with a bare KeyError, on the SQL store for ever."""
        found = inst.activities.get(incident.activity_instance_id or "")
        return None if found is None or found.state.is_closed else found


#: the operations whose retry does not redo an activity's work (their own handling in
#: :meth:`Incidents.retry`), an activity gone or not
_NOT_HELD = frozenset({"continue", "job", "arm", "join"})


def end_parked_reminders(nav: NavigatorBase, item: WorkItem, *, held: bool = False) -> None:
    """``item`` is withdrawn (a re-offer, four eyes, its activity cancelled) or completed: its
    reminder and escalation jobs end with it, so a ``job`` incident parked on one (an
    escalation that reached no one, a reminder held back past the timer budget) has nothing
    left to retry. It is resolved in the step that withdraws or completes the item (see
    :func:`_job_ended`), and holds its activity no longer; a new item (a loop's next round)
    has reminder and escalation jobs of its own. Why: it stayed open until the activity
    closed (for a loop, held it into its next rounds), and its retry committed the deleted
    job (see :meth:`Incidents.retry`).

    ``held``: only those held back past the timer budget (the item completed: an escalation
    parked for another cause stays, its retry resolves it, as it did)."""
    inst = nav.instance(item.instance_id)
    for incident in inst.incidents.values():
        if incident.resolved or incident.operation != "job":
            continue
        job = _parked_job(nav, incident)
        if job is not None and reminds_of(job, item.id) and (not held or HELD in job.payload):
            _job_ended(nav, inst, incident)


def parked_timers(inst: ProcessInstance, timers: Collection[str]) -> Iterator[Incident]:
    """The open ``job`` incidents of ``inst`` that parked one of ``timers``."""
    return (
        i
        for i in inst.incidents.values()
        if not i.resolved and i.operation == "job" and i.job_id in timers
    )


def end_parked_timers(nav: NavigatorBase, inst: ProcessInstance, timers: Collection[str]) -> None:
    """``timers`` of ``inst`` are withdrawn (their activity closes): a ``job`` incident that
    parked one of them (a timer held back past the instance's timer budget) has nothing left
    to retry, and is resolved with it, as :func:`end_parked_reminders` resolves a reminder's.
    Why: only the incident that held the activity was resolved as it closed; a second timer
    held back on it stayed open for ever, naming a job that was gone."""
    for incident in parked_timers(inst, timers):
        _job_ended(nav, inst, incident)


def end_incident(
    nav: NavigatorBase,
    inst: ProcessInstance,
    incident: Incident,
    resolution: Resolution = Resolution.ACTIVITY_CLOSED,
    user: str | None = None,
) -> None:
    """Resolve ``incident``, which ends without an operator's answer: what it stopped on is
    gone (its activity closed: an interrupting boundary event, a deadline, a cancel; its
    parked job ended; its Complex join fired; ``resolution`` ``instance_closed``: its
    instance closed). The outbox tells ``incident.resolved`` with ``resolution`` (which is
    also what makes a SQL store write the incident's row), and the trail records
    ``incident.aborted`` naming ``user`` (None: the engine, or the host), in the shape
    ``abort_incident`` audits its own, on the incident's activity. Why: the outbox said the
    incident ended and the case's history only that it opened; the event next to it (the
    activity's closing, the join's start, the instance's ``instance.state``) says how."""
    incident.resolved = True
    nav.step.outbox.append(incident_entry(incident, nav.now, resolution, stamp=inst.call_stamp()))
    given_up = change(
        nav.now, IncidentAborted(incident.id), incident.activity_instance_id, incident.activity_id
    )
    inst.changes.append(by_user(given_up, user))


def _job_ended(nav: NavigatorBase, inst: ProcessInstance, incident: Incident) -> None:
    """Resolve ``incident``, whose parked job ends in this step (:func:`end_incident`); it
    holds its activity no longer."""
    held = inst.activities.get(incident.activity_instance_id or "")
    if held is not None and held.incident == incident.id:
        held.incident = None
    end_incident(nav, inst, incident)


def _parked_job(nav: NavigatorBase, incident: Incident) -> Job | None:
    """The job a ``job`` incident parked, None once it is gone: a work item's reminder and
    escalation jobs end with the item (completed, or withdrawn), an escalation parked behind
    an incident for want of anyone to escalate to among them."""
    return None if incident.job_id is None else nav._job(incident.job_id)


def _completion_incident(incident: Incident, block: ActivityInstance) -> bool:
    """Whether ``incident`` is the open one of ``block``'s ad-hoc completion condition."""
    return (
        not incident.resolved
        and incident.operation == "arm"
        and incident.activity_instance_id == block.id
        and incident.activity_id == block.act.id
    )


def _masked(message: str, inst: ProcessInstance) -> str:
    """``message`` with the values of the instance's sensitive fields shown as ``***`` (each
    item of a list or record too, as written and as JSON escapes it): an expression's error
    quotes the value it failed on (``int(card)``), and an incident's message reaches the audit
    trail, the outbox and every export. The rule a failed call's records follow too
    (:func:`~wfengine.applications.redaction.masked_fields`)."""
    return masked_fields(message, inst.data, inst.sensitive_fields)
