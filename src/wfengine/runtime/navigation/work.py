"""Work that is not the engine's alone: a person's work item, and the applications of a Tool
activity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wfengine.applications.calling import ToolFailure
from wfengine.applications.events import ApplicationFailed
from wfengine.applications.redaction import audit_values, masked_fields
from wfengine.runtime import lost_attempts
from wfengine.runtime.clock import call_dater, due_after
from wfengine.runtime.compiler import KIND_SCRIPT, KIND_TASK, CActivity
from wfengine.runtime.directory import DirectoryError, directory_name
from wfengine.runtime.history import (
    ApplicationQueued,
    EventKind,
    change,
    marker,
)
from wfengine.runtime.instance import ActivityInstance, ProcessInstance, Scope, WorkItem
from wfengine.runtime.jobs import JOB_INVOKE, Job
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import _Failure, _tool_failure
from wfengine.runtime.navigation.reminders import Reminders
from wfengine.runtime.outbox import OUTBOX_ID_KIND, OutboxKind, work_item_entry
from wfengine.runtime.performed import concerns, record_co_performer, record_performer
from wfengine.runtime.sent_back_records import take_sent_back
from wfengine.runtime.states import A_NOT_STARTED, A_RUNNING, ActivityState, WorkItemState
from wfengine.runtime.tools import ToolCalls, resume_tools, run_tools, tool_calls
from wfengine.runtime.values import owned_values
from wfengine.runtime.work_item_events import WorkItemAllocated, item_completed, item_offered
from wfengine.runtime.work_item_people import people_in_hand as in_hand
from wfengine.runtime.work_rules import (
    OFFER,
    excluded_performers,
    nobody_left,
    nobody_reached,
    supervision_of,
)

_OFFERED = OutboxKind.WORK_ITEM_OFFERED
_ASSIGNED = OutboxKind.WORK_ITEM_ASSIGNED
_COMPLETED = OutboxKind.WORK_ITEM_COMPLETED
_SENT_BACK = OutboxKind.WORK_ITEM_SENT_BACK
#: read once (an enum member is a class attribute look-up through its metaclass, some 80 ns)
_ON_OFFER, _DONE = WorkItemState.OFFERED, WorkItemState.COMPLETED


class Work(Reminders):
    """Work that is not the engine's alone."""

    #: what this command's application calls share (see ToolCalls), made at the first call
    _tool_calls: ToolCalls | None = None

    def _offer(self, ai: ActivityInstance, again: bool = False) -> None:
        """Offer ``ai``'s work. ``again``: an offer incident's retry, which opens the
        incident again when the activity's performers still reach no one (as four eyes
        leaving no one does); a first offer to performers without members is offered to
        nobody, waiting for an administrator (a typo, a role not staffed yet)."""
        inst = ai.scope.instance
        act = ai.act
        try:
            assignees, holder = self._offer_to(ai)
            # every question to the directory is asked here, before anything changes: one
            # asked after (does the one it was sent back to still work here?) escaped a
            # failing directory half-way through the command
            back_to = self._sent_back_to(ai) if holder is None and inst.sent_back else None
            if again and not assignees and holder is None and back_to is None and act.performers:
                raise _Failure(nobody_reached(ai, "retried, "))
        except _Failure as exc:
            self._incident(inst, ai, act.id, OFFER, exc.message)
            return
        except Exception as exc:  # the host's directory: any failure of it
            # an organisation server that does not answer: the work waits for it, with an
            # incident whose retry offers it again, as on every store (the command's other
            # changes, a person's completion before it, stand)
            if isinstance(exc, DirectoryError):  # (it names the directory and the question)
                failed = str(exc)
            else:
                named = directory_name(self.ctx.directory)
                failed = f"{named} raised {type(exc).__name__}: {exc}"
            self._incident(
                inst,
                ai,
                act.id,
                OFFER,
                f"{ai.place()}: the directory failed to say who may do it ({failed}); retry the "
                "incident once it answers",
            )
            return
        item = self._new_item(ai, assignees)
        stamp = inst.call_stamp()
        sent_back = take_sent_back(inst, ai) if inst.sent_back else None
        if sent_back is not None and holder is None:  # (the definition's own rule first)
            holder = back_to
        if holder is not None:  # allocated at once, told to them alone: by the engine
            item.state, item.holder = WorkItemState.ALLOCATED, holder
            given = WorkItemAllocated(item.id, None, holder)
            inst.changes.append(change(self.now, given, ai.id, act.id))
        if sent_back is not None:
            # one entry says it all (who has the work again, and why): no separate
            # work_item.offered or work_item.assigned
            number = self.ctx.ids.new("sb")
            entry = work_item_entry(
                _SENT_BACK,
                item,
                self.now,
                number,
                stamp=stamp,
                **{**sent_back, "holder": holder},
            )
            self.step.outbox.append(entry)
        elif holder is None:  # (the common case: on offer to those the definition names)
            self.step.outbox.append(work_item_entry(_OFFERED, item, self.now, stamp=stamp))
        else:
            number = self.ctx.ids.new("as")
            entry = work_item_entry(_ASSIGNED, item, self.now, number, stamp=stamp, holder=holder)
            self.step.outbox.append(entry)

    def _sent_back_to(self, ai: ActivityInstance) -> str | None:
        """Who ``ai``'s work goes to when it was sent back to its activity: whoever
        completed it last, unless they may no longer have it (four eyes) or the directory no
        longer knows them (they left: nobody could reach it then); None: offered as usual.
        Read without taking the record (:func:`take_sent_back` takes it once the offer stands)."""
        found = ai.scope.instance.sent_back.get(f"{ai.scope.id}/{ai.act.id}")
        previous = None if found is None else found.get("holder")
        if previous is None or previous in excluded_performers(ai):
            return None
        org = supervision_of(self.ctx.directory)
        return previous if org is None or org.knows(previous) else None

    def _new_item(self, ai: ActivityInstance, assignees: Sequence[str]) -> WorkItem:
        """A new work item for ``ai`` on offer to ``assignees`` (recorded, not yet told),
        with its reminders and escalation counted from now."""
        inst = ai.scope.instance
        act = ai.act
        now = self.now
        # positional, in WorkItem's field order (id, instance_id, activity_instance_id,
        # activity_id, performers, assignees, state, created_at, completed_at, mi_index):
        # keywords cost 0.3 us per item (matched one by one against 13 parameters); the
        # order is pinned by tests/runtime/test_new_item_fields.py
        item = WorkItem(
            self.ctx.ids.new("wi"),
            inst.id,
            ai.id,
            act.id,
            act.performers,
            tuple(assignees),
            _ON_OFFER,
            now,
            None,
            ai.mi_index,
        )
        ai.work_item = item.id
        self._new_items[item.id] = item
        self.step.work_items.append(item)
        inst.changes.append(item_offered(now, item.id, ai.id, act.id))
        reminders = act.reminders
        if reminders is not None:
            if reminders.first is not None:
                self._reminder_job(item, "remind", 1, due_after(now, reminders.first))
            if reminders.escalate_after is not None:
                self._reminder_job(item, "escalate", 1, due_after(now, reminders.escalate_after))
        return item

    def back_on_offer(self, item: WorkItem) -> bool:
        """Offer ``item`` again to those it is offered to, told through the outbox (a release,
        a delegate's completion its owner may no longer confirm). Four eyes first: whoever
        has since performed an activity its activity may not go to the performer of is no
        longer offered it; when that leaves no one, the item is withdrawn and an incident
        opened whose retry offers the work afresh (as when an offer reaches no one). Returns
        whether it is on offer."""
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        item.state, item.holder, item.owner, item.started_at = _ON_OFFER, None, None, None
        if not item.assignees and ai.act.performers and not self._offered_now(ai, item):
            return False
        if not self._drop_excluded(ai, item):
            return False
        number = self.ctx.ids.new(OUTBOX_ID_KIND)
        entry = work_item_entry(_OFFERED, item, self.now, number, stamp=inst.call_stamp())
        self.step.outbox.append(entry)
        return True

    def _offered_now(self, ai: ActivityInstance, item: WorkItem) -> bool:
        """``item``, back on offer, is offered to no one though its activity names
        performers: a new organisation left them without members while someone it knows
        held it (``reoffer_work`` left it theirs). It goes to the performers' members now
        (the directory is asked again), or, when they still reach no one (or who they are
        cannot be told), is withdrawn and an offer incident opened, as a re-offer does for
        work it takes from people: its retry offers the work once someone may do it.
        Returns whether it is on offer."""
        try:
            found, holder = self._offer_to(ai)
            now = tuple(found) or ((holder,) if holder is not None else ())
            why = None if now else nobody_reached(ai, "released, ")
        except _Failure as failure:
            now, why = (), failure.message
        if why is None:
            item.assignees = now
            return True
        self._cancel_work_item(ai, item)
        self._incident(ai.scope.instance, ai, ai.act.id, OFFER, why)
        return False

    def _drop_excluded(self, ai: ActivityInstance, item: WorkItem) -> bool:
        """Four eyes on ``ai``'s open ``item``: it is no longer offered to whoever performed
        an activity it may not go to the performer of, nor held by them (they could never
        complete it, nor anyone else claim it): it is withdrawn and offered to the others as
        a new item, as a re-offer takes work from someone who may no longer have it (a
        started one frees its sequential ad-hoc set). When that leaves no one while nobody
        else holds it, it is withdrawn and an incident opened (retrying it offers the work
        afresh). Returns whether ``item`` is still open."""
        excluded = excluded_performers(ai)
        if not excluded:
            return True
        assignees = item.assignees
        left = tuple(u for u in assignees if u not in excluded)
        taken = item.holder in excluded
        if not taken and (left or item.holder is not None):
            if len(left) != len(assignees):
                item.assignees = left
                self.step.work_items.append(item)
            return True
        # withdrawn (those it was offered to and its holder hear it), as when its activity
        # closes: offered afresh to those left, or the incident's retry offers the work again
        self._cancel_work_item(ai, item)
        inst = ai.scope.instance
        if left:
            fresh = self._new_item(ai, left)
            told = work_item_entry(_OFFERED, fresh, self.now, stamp=inst.call_stamp())
            self.step.outbox.append(told)
        else:
            self._incident(inst, ai, ai.act.id, OFFER, nobody_left(ai, excluded, assignees))
        if taken:
            self.pass_turn(ai)  # (the command runs what waited for the set's turn)
        return False

    def _four_eyes_now(
        self, inst: ProcessInstance, key: str, copies: tuple[Scope, ...], but: str | None = None
    ) -> None:
        """The activity keyed ``key`` (:attr:`~wfengine.runtime.compiled.CActivity.key`) was
        just performed (in ``copies``, copies of multi-instance blocks, nearest first): the
        open items of activities that may not go to its performer are no longer offered to
        them, and one they hold is offered to the others (:meth:`_drop_excluded`). Done in a
        copy, not the items of another copy: another copy's check is of another copy's work;
        but those of the copies around it (a nested copy's work is the work of the copy it
        runs in). ``but`` names an activity instance whose item the
        command is changing itself (left alone here)."""
        for other in inst.activities.values():  # (dropping one adds or removes none)
            rule = other.act.assignment
            if (
                other.work_item is not None
                and other.id != but
                and rule is not None
                and key in rule.not_performer_keys
                and concerns(other.scope, key, copies)
            ):
                item = self._work_item(other.work_item)
                if item.state.is_open:
                    self._drop_excluded(other, item)

    def delegate_wrote(self, item: WorkItem, user: str) -> None:
        """``user``, a delegate, finished ``item``'s work, which goes back to its owner to
        confirm (``wfengine:delegation-confirm``): they wrote it, so four eyes excludes them
        as it does its performer
        (:attr:`~wfengine.runtime.instance.ProcessInstance.co_performers`), and open items
        of activities that may not go to its performer are no longer offered to them. Why:
        the owner's confirmation made the owner its only performer, and the delegate who
        wrote the work was offered the check of it, and could complete it."""
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        copies = record_co_performer(ai, user)
        key = ai.act.key  # (its scope's, not the Id)
        if key in inst.compiled.four_eyes_of:
            # (the item itself is the command's: going back to its owner, or on offer again)
            self._four_eyes_now(inst, key, copies, but=item.activity_instance_id)

    def complete_work_item(
        self,
        ai: ActivityInstance,
        item: WorkItem,
        data: Mapping[str, Any] | None,
        user: str | None = None,
    ) -> None:
        """``item``, the work item of ``ai``, is done. ``ai`` as the command found it, in an
        instance it has touched: not looked up again here (the instance, the activity
        instance and the touch were each twice per completion)."""
        inst = ai.scope.instance
        now = self.now
        item.state = _DONE
        item.completed_at = now
        performer = ai.performer = user or item.holder
        step = self.step
        step.work_items.append(item)
        if item.holder is None and item.owner is None:  # (nobody had it in hand: no call)
            entry = work_item_entry(_COMPLETED, item, now, stamp=inst.call_stamp())
        else:  # its holder and owner hear of it with its assignees
            entry = work_item_entry(_COMPLETED, item, now, stamp=inst.call_stamp(), **in_hand(item))
        step.outbox.append(entry)
        # the activity names the item done on it, open or closed, until another is offered
        # on it (a loop's next round): closed later (an incident's retry, an asynchronous
        # application's answer), it named none. Readers of open work look at the item's
        # state (a sequential ad-hoc set's turn too: turn_taken)
        ai.work_item = item.id
        written = None
        if data:
            inst.data.update(owned_values(data))
            written = audit_values(data, inst.sensitive_fields)
        inst.changes.append(item_completed(now, item.id, user, written, ai.id, ai.act.id))
        if ai.state is A_NOT_STARTED:
            ai.state = A_RUNNING
            if ai.running_at is None:
                ai.running_at = now
            inst.changes.append(marker(now, EventKind.ACTIVITY_STARTED, ai.id, ai.act.id))
        if performer is not None:
            # (keyed by its scope's key: another block's activity of that Id is another one;
            # and by its copies, in copies of multi-instance blocks). After the completion is
            # recorded: what four eyes does (a check taken from them) follows it in the trail
            copies = record_performer(ai, performer)
            key = ai.act.key
            if key in inst.compiled.four_eyes_of:
                self._four_eyes_now(inst, key, copies)
        if ai.act.kind == KIND_TASK and ai.act.offer_first:
            self._run_task(ai)  # a Manual start: the person came first, now the applications
        elif ai.act.kind == KIND_SCRIPT and ai.act.offer_first:
            self._run_script(ai)  # (a script task's Manual start: now its assignments)
        else:
            self._body_done(ai)
        if ai.work_item is None and ai.state.is_closed:  # (the cheaper test first)
            # closed, it names the work item that was done (its snapshot, the status and the
            # exports show it), in a sequential ad-hoc set too
            ai.work_item = item.id

    def cancel_activity(self, ai: ActivityInstance) -> None:
        """Close ``ai`` and what runs under it as aborted; its branch ends there (a Complex
        join's round waiting for it ends without it: ``Joins.branch_lost``)."""
        self.branch_lost(ai)
        self._cancel_activity(ai, ActivityState.ABORTED, count=True)

    def why_not_run(self, ai: ActivityInstance, target: CActivity) -> str | None:
        """Why ``target``, begun again now in ``ai``'s scope (work sent back to it), would not
        run at all, so that nobody would get the work (None: it would run): a loop tested
        first (Standard, ``TestTime`` Before) whose condition does not hold on the
        instance's data now, or a multi-instance activity whose count gives no instance now
        (it would close at once, and the sender's work be re-offered for nothing). Start
        assignments that come first, or an expression that cannot be evaluated (or gives no
        count), leave it to the activity (its incident says why)."""
        loop = target.loop
        if loop is None or target.assign_start:
            return None
        try:
            if loop.multi:
                assert loop.count is not None
                count = self._evaluate(ai, loop.count)
                if isinstance(count, int | float) and not isinstance(count, bool) and count == 0:
                    return (
                        f"a multi-instance activity whose count {loop.count.text!r} gives 0 "
                        "instances now (nobody would get the work)"
                    )
                return None
            if not loop.test_before:
                return None
            if loop.condition is not None and (loop.maximum is None or loop.maximum > 0):
                layer = {loop.counter: 0} if loop.counter else None  # the first test reads 0
                if self._holds(ai, loop.condition, layer):
                    return None
        except _Failure:
            return None
        return "a loop whose condition does not hold now (it would not run again)"

    def send_back(self, item: WorkItem, target: CActivity) -> None:
        """Close the item's activity instance (terminated, its item withdrawn) and begin
        ``target`` again in the same scope, as if the thread had gone back there."""
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        self.touch(inst)
        scope = ai.scope
        with aborted_by(inst, Cause("send-back", activity=target.id)):
            self._cancel_activity(ai, ActivityState.TERMINATED, count=False)
        self._ready(scope, target)
        self._release(scope, ai.act.index)

    def _run_task(
        self,
        ai: ActivityInstance,
        resume: tuple[Mapping[str, Any], Any] | None = None,
        failure: ToolFailure | None = None,
    ) -> None:
        """Run the activity's applications, or carry on after an asynchronous one answered
        (``resume``: its job payload and result) or failed (``failure``); then finish the
        work, unless the activity now waits for an ``invoke`` job."""
        try:
            if failure is not None:
                raise _tool_failure(failure)
            waiting = self._call_tools(ai, resume)
        except _Failure as exc:
            self._fail(ai, "run", exc)
            return
        if waiting:
            return
        act = ai.act
        if act.offer_after:
            self._offer(ai)  # a Manual finish: a person confirms what the applications did
        elif act.plain_task and not act.rivals:
            # (_body_done, inline: a plain task has no loop, so no MI instance, and no work
            # item, so no parked reminder: it leaves)
            self._leave(ai)
        else:
            self._body_done(ai)

    def invocation_done(
        self,
        ai: ActivityInstance,
        payload: Mapping[str, Any],
        result: Any,
        failure: ToolFailure | None,
    ) -> None:
        """An ``invoke`` job's call finished (its retries spent, if it failed): continue the
        waiting activity exactly as a synchronous call would have."""
        self.touch(ai.scope.instance)
        self._run_task(ai, None if failure is not None else (payload, result), failure)

    def _call_tools(
        self, ai: ActivityInstance, resume: tuple[Mapping[str, Any], Any] | None = None
    ) -> bool:
        """Run the activity's applications (see :mod:`wfengine.runtime.tools`); True when
        an asynchronous one was reached and the activity now waits for its ``invoke`` job."""
        self.calls += 1  # the world an application talks to may have changed (see .calls)
        key = ai.call_key
        if key is None:  # (call_key's common case inline: the next activity instance of the
            if ai.scope.instance is self._keyed_in:  # process instance keyed last)
                self._keyed += 1
                key = ai.call_key = f"{self._key_prefix}{self._keyed}"
            else:
                key = self.call_key(ai)
        inst = ai.scope.instance
        changes = inst.changes
        made = len(changes)  # where this run's call records begin
        calls = self._tool_calls  # (what the command's calls share: see ToolCalls)
        if calls is None:
            dater = call_dater(self.ctx.clock)  # (dates the application.* records)
            calls = self._tool_calls = tool_calls(self.ctx.applications, dater)
        try:
            if resume is None:
                request = run_tools(calls, ai, self._evaluate, key, self.now)
            else:
                request = resume_tools(calls, ai, self._evaluate, *resume, key, self.now)
        except ToolFailure as exc:
            raise _tool_failure(exc) from exc
        finally:
            # the calls took their time: what the command does after them (the activity's
            # completion, an incident, a timer it sets) is dated after their records. They
            # are gone over when there are secrets they must hide or attempts a killed host
            # made to put before them (a job taken over: lost_attempts)
            if len(changes) > made:
                if (last := changes[-1][0]) > self.now:
                    self.now = last
                if inst.sensitive_extra or inst.compiled.sensitive_fields:
                    _mask_failed_calls(inst, made)
            if calls.lost is not None:
                lost_attempts.unrecorded(inst, made, self.now)
        if request is None:
            return False
        ctx = self.ctx
        job = Job(
            id=ctx.ids.new("job"),
            kind=JOB_INVOKE,
            instance_id=ai.scope.instance.id,
            due=self.now,
            seq=ctx.next_timer_seq(),
            payload=request.payload,
            key=request.key,
        )
        # held with the deadline timers: closing the activity (a deadline, termination)
        # deletes the job, and a result that comes back for it is discarded
        ai.timers = [*ai.timers, job.id]  # (its own list: see runtime.empty_defaults)
        self.step.jobs.append(job)
        queued = ApplicationQueued(request.payload["application_id"], job.key, job.id)
        ai.scope.instance.changes.append(change(self.now, queued, ai.id, ai.act.id))
        return True


def _mask_failed_calls(inst: ProcessInstance, since: int) -> None:
    """Show the values of ``inst``'s sensitive fields as ``***`` in the failed attempts its
    changes from ``since`` on record (``application.failed``), as its incidents' messages
    show them (:func:`~wfengine.applications.redaction.masked_fields`): the call's text
    masks only the call's own sensitive inputs, and a service's error may echo any secret
    of the instance. Done here, after the calls, so that a call that answers pays nothing."""
    changes = inst.changes
    data, fields = inst.data, inst.sensitive_fields
    if not fields:
        return
    for n in range(since, len(changes)):
        at, kind, aid, act_id, detail = changes[n]
        if kind == ApplicationFailed.KIND and isinstance(detail.get("error"), str):
            masked = {**detail, "error": masked_fields(detail["error"], data, fields)}
            changes[n] = (at, kind, aid, act_id, masked)
