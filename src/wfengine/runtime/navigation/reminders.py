"""A work item's reminders and escalation: the jobs an offer sets, and what each does when
it falls due (the reminder's notice and the next in its rhythm; the escalation's re-offer to
the supervisors, or to ``wfengine:escalate-to``, or its incident when it reaches no one).

Why a module of its own: the rest of a work item's life (offer, completion, send-back) runs
on every manual step; these run only where a definition asks for reminders (a base of
:class:`~wfengine.runtime.navigation.work.Work`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial

from wfengine.runtime.clock import due_after
from wfengine.runtime.directory import asked, directory_name
from wfengine.runtime.history import change
from wfengine.runtime.instance import ActivityInstance, WorkItem
from wfengine.runtime.jobs import JOB_REMINDER, PARKED, Job, first_due
from wfengine.runtime.navigation.people import People, reaches, supervisors_of
from wfengine.runtime.outbox import OUTBOX_ID_KIND, OutboxKind, work_item_entry
from wfengine.runtime.states import WorkItemState
from wfengine.runtime.work_item_events import ReminderDue, WorkItemEscalated
from wfengine.runtime.work_rules import excluded_performers, supervision_of

_OFFERED = OutboxKind.WORK_ITEM_OFFERED


class Reminders(People):
    """Reminder and escalation jobs of work items."""

    def _reminder_job(self, item: WorkItem, what: str, number: int, due: datetime | None) -> None:
        """Set reminder or escalation job ``number`` of ``item``, due at ``due`` in UTC.

        Why UTC: a SQL store gives every time back in UTC, the memory store as it was
        given; a job kept with the clock's offset (``10:00+02:00``) was listed and stopped
        at differently per store, unlike timers (which :meth:`_wait_due` puts in UTC)."""
        if due is None:  # where the engine's time ends (clock.due_after): never due
            return
        due = due.astimezone(UTC)
        job_id = self.ctx.ids.new("rm")
        self.step.jobs.append(
            Job(
                id=job_id,
                kind=JOB_REMINDER,
                instance_id=item.instance_id,
                due=due,
                seq=self.ctx.next_timer_seq(),
                payload={"work_item": item.id, "what": what, "number": number},
                key=f"{item.id}/{what}/{number}",
            )
        )

    def remind(self, job: Job) -> None:
        """A reminder or escalation job came due: nothing when its item is closed; else the
        reminder goes out (and the next is set) or the item is offered to the escalation's
        people as well (the supervisors of its holder or assignees, or the members of
        ``wfengine:escalate-to``)."""
        item = self._work_item(job.payload["work_item"])
        if not item.state.is_open:
            return
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        reminders = ai.act.reminders
        if reminders is None:
            return
        self.touch(inst)
        if not self._may_fire(inst, ai, ai.act.id, job.id):
            return
        number = job.payload["number"]
        if job.payload["what"] == "remind":
            inst.changes.append(change(self.now, ReminderDue(item.id, number), ai.id, ai.act.id))
            extra: dict[str, object] = {"reminder": number}
            if item.holder is not None:
                extra["holder"] = item.holder
            entry = work_item_entry(
                OutboxKind.REMINDER_DUE,
                item,
                self.now,
                str(number),
                stamp=inst.call_stamp(),
                **extra,
            )
            self.step.outbox.append(entry)
            every = reminders.every
            if every is not None:
                # the next one in the rhythm still ahead: reminders missed while the instance
                # was suspended or no worker ran are this one, not a burst of them
                due = first_due(job)  # (a held-back one's own time, not its retry's)
                missed = max(0, (self.now - due) // every)
                self._reminder_job(item, "remind", number + 1, due_after(due, every * (missed + 1)))
            return
        excluded = excluded_performers(ai)
        named = reminders.escalate_to
        to = self._escalation_targets(item, inst, named, excluded)
        whom = ""
        if named is not None and not reaches(item, to):
            # a participant with no members (a typo validate warns of, a role emptied since),
            # or only people who have it already: to the supervisors, as an escalation that
            # names no participant goes
            whom = (
                f"{named!r} has no members and "
                if not to
                else f"{named!r} reaches only {_names(to)}, who have it already, and "
            )
            to = self._escalation_targets(item, inst, None, excluded)
        if not reaches(item, to):
            # an escalation that reaches no one (no one new: offered to the same people, it
            # would change nothing) is none: an incident (on the activity, which closing
            # resolves it), the job parked until the incident is retried
            answering = self._answering(item)  # (not a holder who left: see _answering)
            left = item.holder if item.holder not in (None, *answering) else None
            people = _names(answering) or "no one"
            if left is not None:
                people += f" (its holder {left!r} left: reoffer_work() offers it anew)"
            if left is not None and not answering:  # (no one's supervisor to look for)
                lacking = (
                    f"its holder {left!r} left and nobody else is offered it: "
                    "reoffer_work() offers it anew"
                )
            elif supervisors_of(self.ctx.directory) is None:
                # (a directory of the documented protocols only: name the missing part)
                lacking = (
                    f"the directory {directory_name(self.ctx.directory)} has no "
                    f"supervisors_of(user_id), so those who answer for it, {people}, have no "
                    "supervisor"
                )
            elif to:
                lacking = (
                    f"the supervisors of those who answer for it, {people}, are {_names(to)}, "
                    "who have it already"
                )
            else:
                lacking = f"those who answer for it, {people}, have no supervisor who may have it"
            message = (
                f"{ai.place()}: work item {item.id!r} is late and its escalation reaches no one "
                f"({whom}{lacking}); retry the incident once it would reach someone"
            )
            holds = ai if ai.incident is None else None  # (one incident holds it at a time)
            self._incident(inst, holds, ai.act.id, "job", message, job_id=job.id)
            self.step.job_done, self.step.job_again_at = job.id, PARKED
            return
        may_claim = self._claims_again(ai, item)  # (asks the directory: before any change)
        added = tuple(u for u in to if u not in item.assignees)
        item.assignees = (*item.assignees, *added)
        taken_from = item.holder
        # who had it in hand (its holder, the owner who delegated it): its notice tells those
        # the re-offer leaves out (a delegate under delegation-confirm), who lost it unheard
        in_hand = [u for u in (item.holder, item.owner) if u is not None]
        if taken_from is not None:
            # offered to them as well means they may take it: a held (or delegated) item
            # goes back on offer, and who had it among those who may claim it again (unless
            # four eyes says they may no longer have it)
            item.holder, item.owner = None, None
            item.state, item.started_at = WorkItemState.OFFERED, None
            if may_claim is not None and may_claim not in (*item.assignees, *excluded):
                item.assignees = (*item.assignees, may_claim)
        self.step.work_items.append(item)
        escalated = WorkItemEscalated(item.id, to, taken_from)
        inst.changes.append(change(self.now, escalated, ai.id, ai.act.id))
        stamp = inst.call_stamp()
        entry = work_item_entry(
            OutboxKind.WORK_ITEM_ESCALATED,
            item,
            self.now,
            str(number),
            stamp=stamp,
            escalated_to=list(to),
            **({"taken_from": in_hand} if in_hand else {}),
        )
        self.step.outbox.append(entry)
        if taken_from is not None:
            # on offer again, as after a release: its holder and everyone it is offered to
            # hear it (those it went to have the escalation's notice)
            number = self.ctx.ids.new(OUTBOX_ID_KIND)
            again = work_item_entry(
                _OFFERED, item, self.now, number, stamp=stamp, escalated_to=list(to)
            )
            self.step.outbox.append(again)
            # no longer started, it holds no sequential ad-hoc set: what waited for the set's
            # turn is queued, and the job's command runs it
            self.pass_turn(ai)

    def _claims_again(self, ai: ActivityInstance, item: WorkItem) -> str | None:
        """Who had ``item``, which an escalation puts back on offer, and may claim it again:
        its holder; but of an item delegated under ``wfengine:delegation-confirm``, its owner
        (unless the directory no longer knows them: then the delegate, whom a re-offer would
        make its holder outright). Why not the delegate there: under that rule a delegate's
        work goes back to the owner to confirm, and an escalation drops the owner; offered
        to the delegate, they could claim it and complete it with nobody confirming. The
        delegate keeps it only if they may have it anyway (one of those it is offered to)."""
        owner = item.owner
        access = ai.act.access
        if owner is None or access is None or not access.confirm_delegation:
            return item.holder
        org = supervision_of(self.ctx.directory)
        if org is not None and not asked(org, f"knows({owner!r})", partial(org.knows, owner)):
            return item.holder
        return owner


def _names(users: Sequence[str]) -> str:
    """``users`` as a message lists them: ``'ann', 'bob'``."""
    return ", ".join(map(repr, users))
