"""The work-item commands: claim, start, release, delegate, reassign, complete.

Each is one engine command (a unit of work, retried whole after a lost race, so two people
claiming the same item at once end with one holder and one refusal). Each checks, on the state
it read, first the item's state machine and its instance (work waits while its instance is
suspended: :class:`~wfengine.errors.IllegalStateError`), then who may act
(:mod:`wfengine.runtime.work_rules`). A refused operation raises
:class:`~wfengine.errors.NotAuthorizedError` after a commit that records the refusal in the
audit trail and changes nothing else.

``user`` names who acts. ``complete_work_item`` may be called without one: the host's own code
(and ``wfengine run``) then acts as an administrator does. Every other command needs a user,
and ``delegate`` and ``reassign`` someone to give the item to
(:func:`~wfengine.runtime.host_arguments.check_user`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from wfengine.applications.redaction import audit_values
from wfengine.errors import IllegalStateError, NotAuthorizedError, NotFoundError
from wfengine.runtime.compile_people import OPEN_READ
from wfengine.runtime.compiled import CActivity, CTransition, JoinKind
from wfengine.runtime.directory import asked
from wfengine.runtime.engine_base import EngineBase
from wfengine.runtime.history import EventKind, Payload, change, marker
from wfengine.runtime.host_arguments import check_mapping, check_user
from wfengine.runtime.id_arguments import check_instance_id, check_work_item_id
from wfengine.runtime.instance import WorkItem
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.navigation.activities import turn_taken
from wfengine.runtime.navigation.send_back_targets import send_back_refusal
from wfengine.runtime.outbox import OutboxKind, work_item_entry
from wfengine.runtime.performed import performer_in
from wfengine.runtime.states import ActivityState, WorkItemState
from wfengine.runtime.values import check_storable, owned_values
from wfengine.runtime.work_item_acts import COMMANDS, may_act, refuse_act, subject_of
from wfengine.runtime.work_item_events import (
    OperationRefused,
    WorkItemAllocated,
    WorkItemDelegated,
    WorkItemReassigned,
    WorkItemReleased,
    WorkItemReturned,
    WorkItemSentBack,
    WorkItemStarted,
)
from wfengine.runtime.work_rules import (
    Supervision,
    data_refusal,
    excluded_performers,
    four_eyes_refusal,
    refusal,
    refuse_undeclared,
    supervision_of,
)

#: read once (an enum member is a class attribute look-up through the enum's metaclass, some
#: 90 ns on Python 3.11: each completion names its target state)
_ALLOCATED, _STARTED, _OFFERED, _COMPLETED = (
    WorkItemState.ALLOCATED,
    WorkItemState.STARTED,
    WorkItemState.OFFERED,
    WorkItemState.COMPLETED,
)

#: what a command does once it may: change the item, return the event to record and
#: whether the item's new holder is told (an outbox ``work_item.assigned`` entry)
_Change = Callable[[WorkItem, Navigator], tuple[Payload | None, bool]]


def _joins_between(activities: tuple[CActivity, ...], start: CActivity, goal: CActivity) -> bool:
    """Whether going back to ``start`` would leave a Parallel join on the way to ``goal``
    waiting for ever: one whose inputs do not all come from what ``start`` leads to (a
    thread sent back inside a parallel block, while the join needs the other branches too).
    Inclusive joins wait only for branches that can still arrive, so they are no obstacle."""

    def outgoing(ca: CActivity) -> list[CTransition]:
        found = (*ca.normal, *ca.exceptions, ca.otherwise, ca.default_exception)
        return [tr for tr in found if tr is not None]

    reached, todo = {start.index}, [start]
    while todo:
        current = todo.pop()
        if current is goal:
            continue
        for tr in outgoing(current):
            if tr.target not in reached:
                reached.add(tr.target)
                todo.append(activities[tr.target])
    for ca in activities:
        if ca.index in reached and ca is not goal and ca.join is JoinKind.AND and ca.n_in > 1:
            inputs = [a.index for a in activities for tr in outgoing(a) if tr.target == ca.index]
            if any(i not in reached for i in inputs):
                return True
    return False


def _delegate(item: WorkItem, user: str | None) -> bool:
    """Whether ``user`` completing ``item`` is a delegate finishing its owner's work."""
    return user is not None and item.owner is not None and user != item.owner


def _on_offer_again(item: WorkItem, nav: Navigator, event: Payload) -> tuple[None, bool]:
    """Record ``event`` on ``item``'s activity and offer the item again (four eyes first:
    :meth:`~wfengine.runtime.navigation.work.Work.back_on_offer`, which tells those it is
    offered to): the command's change, with nothing more for it to record or tell."""
    inst = nav.instance(item.instance_id)
    inst.changes.append(change(nav.now, event, item.activity_instance_id, item.activity_id))
    nav.back_on_offer(item)
    return None, False


def _gone(org: Supervision | None, owner: str) -> bool:
    """Whether the organisation no longer knows ``owner`` (they left, and
    :meth:`~wfengine.runtime.reoffer.ReofferCommands.reoffer_work` has not run yet): work
    must never go back to them, who could neither take it nor give it on. A directory that
    cannot tell who exists knows everyone; one that fails to answer is a
    :class:`~wfengine.runtime.directory.DirectoryError` naming it (the command changes
    nothing)."""
    return org is not None and not asked(org, f"knows({owner!r})", partial(org.knows, owner))


def _return_to_owner(data: Mapping[str, Any] | None, user: str, org: Supervision | None) -> _Change:
    """The change that gives a delegate's finished work back to its owner to confirm: the
    data ``user`` (the delegate, or an administrator) wrote goes into the instance now, and
    into the audit as a completion's does (the activity waits on the owner, so nothing moves
    on with it yet). ``user`` wrote the work: four eyes keeps them from whatever may not go
    to its performer, as it does the owner who completes it
    (:meth:`~wfengine.runtime.navigation.work.Work.delegate_wrote`). An owner who may no
    longer have it (four eyes) does not get it back: it is offered to the others it is
    offered to, to confirm (an incident when there are none), and so is one the
    organisation (``org``) no longer knows."""

    def give_back(item: WorkItem, nav: Navigator) -> tuple[Payload | None, bool]:
        owner = item.owner
        assert owner is not None
        inst = nav.instance(item.instance_id)
        # the directory first, before anything changes: a failing one (an LDAP timeout)
        # asked after the data was written left it written with no audit event
        gone = _gone(org, owner)
        written = None
        if data:
            inst.data.update(owned_values(data))
            written = audit_values(data, inst.sensitive_fields)
        ai = inst.activities[item.activity_instance_id]
        # four eyes: an owner who has since performed work this activity may not go to the
        # performer of does not get it back, nor does one who left: those it is offered to
        # confirm it instead
        to_owner = not gone and owner not in excluded_performers(ai)
        if to_owner:
            item.state, item.holder, item.owner, item.started_at = _ALLOCATED, owner, None, None
            returned = WorkItemReturned(item.id, user, owner, written)
            inst.changes.append(change(nav.now, returned, ai.id, ai.act.id))
        else:
            _on_offer_again(item, nav, WorkItemReturned(item.id, user, None, written))
        # ``user`` wrote the work the owner will complete: four eyes keeps them from its
        # check (after the return, which the trail shows before what that withdraws)
        nav.delegate_wrote(item, user)
        return None, to_owner

    return give_back


class WorkItemCommands(EngineBase):
    """Interface 2's commands on one work item (:class:`~wfengine.runtime.engine.Engine`
    mixes this in)."""

    def claim_work_item(self, work_item_id: str, user: str) -> None:
        """``user``, to whom the item is offered, takes it: nobody else may then start or
        complete it until it is released."""

        def claim(item: WorkItem, nav: Navigator) -> tuple[Payload | None, bool]:
            item.state, item.holder = _ALLOCATED, user
            return WorkItemAllocated(item.id, user), True

        check_user(user, "user", "claim_work_item")
        self._work_item_command(work_item_id, user, "claim", _ALLOCATED, claim)

    def start_work_item(self, work_item_id: str, user: str) -> None:
        """The holder starts working on the item (recorded with the time). An administrator
        may start an item nobody holds: it becomes theirs, recorded and told as a claim."""

        def start(item: WorkItem, nav: Navigator) -> tuple[None, bool]:
            inst = nav.instance(item.instance_id)
            ai = inst.activities[item.activity_instance_id]
            taken = item.holder is None
            if taken:  # an administrator takes it as they start it: a claim first
                item.holder = user
                claimed = WorkItemAllocated(item.id, user)
                inst.changes.append(change(nav.now, claimed, ai.id, ai.act.id))
            item.state, item.started_at = _STARTED, nav.now
            inst.changes.append(change(nav.now, WorkItemStarted(item.id, user), ai.id, ai.act.id))
            if ai.state is ActivityState.NOT_STARTED:  # a person's work on it has begun
                # (only then: an activity already running, as a tool activity with an
                # Automatic start and a Manual finish is once its applications ran, started
                # when it did; its confirmation's start made the SQL metrics count the time
                # before it as waiting, where the trail says the activity had started)
                if ai.running_at is None:
                    ai.running_at = nav.now
                ai.state = ActivityState.RUNNING
                started = marker(nav.now, EventKind.ACTIVITY_STARTED, ai.id, ai.act.id)
                inst.changes.append(started)
            return None, taken

        check_user(user, "user", "start_work_item")
        self._work_item_command(work_item_id, user, "start", _STARTED, start)

    def release_work_item(self, work_item_id: str, user: str) -> None:
        """The holder gives the item back: it is offered again to everyone it was offered
        to, or, when it was delegated, it goes back to the one who delegated it. Four eyes
        first: one who has since performed an activity the item's may not go to the
        performer of is no longer offered it, and an owner who did gets it no more back (it
        is offered to the others instead), nor does an owner the organisation no longer knows
        (they left, before :meth:`reoffer_work` ran)."""
        org = supervision_of(self.directory)

        def release(item: WorkItem, nav: Navigator) -> tuple[Payload | None, bool]:
            back_to = item.owner
            inst = nav.instance(item.instance_id)
            ai = inst.activities[item.activity_instance_id]
            if back_to is not None and (back_to in excluded_performers(ai) or _gone(org, back_to)):
                back_to = None
            released = WorkItemReleased(item.id, user, back_to)
            if back_to is not None:
                item.state, item.holder, item.owner, item.started_at = (
                    _ALLOCATED,
                    back_to,
                    None,
                    None,
                )
                return released, True
            # on offer again: those it is offered to hear it (a worklist shows it); four eyes
            # leaves out who may no longer have it, and an incident when that is everyone
            return _on_offer_again(item, nav, released)

        check_user(user, "user", "release_work_item")
        self._work_item_command(work_item_id, user, "release", _OFFERED, release)

    def delegate_work_item(self, work_item_id: str, user: str, to: str) -> None:
        """The holder hands the item to ``to`` and stays its owner: ``to`` releasing it
        gives it back to them. Delegated back to its owner, the item is theirs again as
        before (their release offers it to everyone again)."""

        def delegate(item: WorkItem, nav: Navigator) -> tuple[Payload, bool]:
            owner = item.owner or item.holder
            item.owner = None if to == owner else owner  # handed back to its owner: theirs
            item.state, item.holder, item.started_at = _ALLOCATED, to, None
            return WorkItemDelegated(item.id, user, to), True

        check_user(user, "user", "delegate_work_item")
        check_user(to, "to", "delegate_work_item")
        self._work_item_command(work_item_id, user, "delegate", _ALLOCATED, delegate, to=to)

    def reassign_work_item(self, work_item_id: str, user: str, to: str) -> None:
        """A supervisor (of the holder, or of those an unclaimed item is offered to) or an
        administrator gives the item to ``to``."""

        def reassign(item: WorkItem, nav: Navigator) -> tuple[Payload, bool]:
            previous = item.holder
            item.state, item.holder, item.owner, item.started_at = _ALLOCATED, to, None, None
            return WorkItemReassigned(item.id, user, to, previous), True

        check_user(user, "user", "reassign_work_item")
        check_user(to, "to", "reassign_work_item")
        self._work_item_command(work_item_id, user, "reassign", _ALLOCATED, reassign, to=to)

    def send_back_work_item(
        self, work_item_id: str, user: str, to_activity: str, reason: str
    ) -> None:
        """The holder sends the work back to ``to_activity``, an activity that already ran
        in the same scope of the instance: the item's activity is closed (terminated, the
        item withdrawn), ``to_activity`` begins again, and its new work item goes to whoever
        completed it last (offered as usual when nobody did). The item's activity must be
        the only work going on in its scope (no parallel branch, no waiting join), and
        ``to_activity`` no event attached to an activity (only that activity running fires it).
        """
        check_user(user, "user", "send_back_work_item")
        if not isinstance(to_activity, str):  # (a list failed as "unhashable type")
            raise TypeError(
                "send_back_work_item: to_activity is the id of an earlier activity (text), not "
                f"{type(to_activity).__name__}"
            )
        if not to_activity:
            raise ValueError(
                "send_back_work_item: to_activity is empty: give the id of the earlier activity "
                "to send the work back to"
            )
        if not isinstance(reason, str):
            raise TypeError(f"send_back_work_item: reason is text, not {type(reason).__name__}")
        if not reason.strip():
            raise ValueError("sending work back needs a reason")

        def send_back(item: WorkItem, nav: Navigator) -> tuple[Payload | None, bool]:
            inst = nav.instance(item.instance_id)
            ai = inst.activities[item.activity_instance_id]
            scope = ai.scope
            subject = f"work item {item.id!r}"
            index = scope.graph.by_id.get(to_activity)
            if index is None or not scope.done >> index & 1:
                raise NotFoundError(
                    "earlier activity",
                    to_activity,
                    f"one that completed in the scope of {subject}",
                )
            if scope.count != 1 or any(any(t) for t in scope.tokens.values()) or ai.mi_parent:
                raise IllegalStateError(
                    subject, "one of several threads of work in its scope", "send back"
                )
            attached = send_back_refusal(scope, index)
            if attached is not None:
                raise IllegalStateError(f"{subject} to {to_activity!r}", attached, "send back")
            target = scope.graph.activities[index]
            if _joins_between(scope.graph.activities, target, ai.act):
                raise IllegalStateError(
                    subject,
                    f"after a join that {to_activity!r} alone would never complete",
                    "send back",
                )
            why = nav.why_not_run(ai, target)
            if why is not None:
                raise IllegalStateError(f"{subject} to {to_activity!r}", why, "send back")
            sent = WorkItemSentBack(item.id, user, to_activity, reason)
            inst.changes.append(change(nav.now, sent, ai.id, ai.act.id))
            # the item's activity closes, and the target is ready (begun as the agenda runs:
            # nothing offered yet). The record goes in after that close (an activity sent
            # back to itself, in a cycle, would drop it) and is bound as the target begins
            nav.send_back(item, target)
            if target.offer_first or target.offer_after:  # a person's work (else nobody's)
                # the new work item goes to whoever completed it last, told why, when it is
                # offered: now for a person's activity, after its applications for one whose
                # applications run first (by a worker, on an engine that leaves them to one).
                # Each instance of a multi-instance activity is offered as usual (who did
                # which one is not kept), each told why; in a copy of a multi-instance block,
                # to whoever did it in that copy
                multi = target.loop is not None and target.loop.multi
                inst.sent_back[f"{scope.id}/{to_activity}"] = {
                    "holder": None if multi else performer_in(scope, target.key),
                    "reason": reason,
                    "sent_by": user,
                    "from_activity": item.activity_id,
                    "from_work_item_id": item.id,
                }
            # offering a person's work calls no application: done now even by an engine that
            # leaves automatic work to workers, so the earlier performer gets it at once
            nav.drain(defer=self.defer_automatic and not target.offer_first)
            return None, False

        self._work_item_command(work_item_id, user, "send back", WorkItemState.CANCELLED, send_back)

    def complete_work_item(
        self,
        work_item_id: str,
        data: Mapping[str, Any] | None = None,
        *,
        user: str | None = None,
        allow_undeclared: bool = False,
    ) -> None:
        """Complete a work item, merging ``data`` into the instance, and run what follows.

        With ``user``, only the holder may complete it, or someone an unclaimed item is
        offered to, writing what its activity lets them (an administrator: any field the
        process declares). A name the process does not declare is refused to a user, an
        administrator too (:func:`~wfengine.runtime.work_rules.refuse_undeclared`), unless
        ``allow_undeclared`` (who may then write it is the rule's above: an administrator);
        the host's own code, with no user, may write any name. Data a store could not hold
        raises :class:`~wfengine.errors.DataNotStorableError` naming the field, and nothing
        changes (:mod:`wfengine.runtime.values`).
        """
        check_mapping(data, "data", "complete_work_item")
        check_work_item_id(work_item_id, "complete_work_item")
        if user is not None:  # (None: the host's own code acting, as an administrator does)
            check_user(user, "user", "complete_work_item")
        if data:
            check_storable(data, f"work item {work_item_id!r}")
        if not isinstance(allow_undeclared, bool):
            raise TypeError(
                "complete_work_item: allow_undeclared is True or False, not "
                f"{type(allow_undeclared).__name__}"
            )
        self._work_item_command(
            work_item_id,
            user,
            "complete",
            _COMPLETED,
            None,
            data=data,
            undeclared=allow_undeclared,
        )

    def record_refusal(
        self,
        instance_id: str,
        subject: str,
        operation: str,
        user: str,
        reason: str,
        *,
        work_item: str | None = None,
    ) -> NotAuthorizedError:
        """Write to ``instance_id``'s audit trail that ``user`` was refused ``operation`` on
        ``subject`` (a comment, an attachment, seeing a work item: what is checked outside
        these commands), changing nothing else; returns the error to raise. ``work_item``
        names the item it is about, for the trail's ``work_item_id``, and its activity (the
        ``activity_id`` and ``activity_instance_id``), as a refused claim names them."""
        check_instance_id(instance_id, "record_refusal")
        refused = OperationRefused(subject, operation, user, reason, work_item)
        self.record_outside(instance_id, refused, work_item=work_item)
        return NotAuthorizedError(subject, operation, user, reason)

    def record_outside(
        self, instance_id: str, payload: Payload, *, work_item: str | None = None
    ) -> None:
        """Write ``payload`` (a kind of the audit catalogue) to ``instance_id``'s audit trail,
        changing nothing else: what happened to the instance outside the engine's commands (a
        refusal, a comment or attachment deleted: :mod:`wfengine.worklist.notes`).
        ``work_item``: as :meth:`record_refusal` has it."""
        check_instance_id(instance_id, "record_outside")

        def body() -> None:
            inst = self.store.instance(instance_id)
            where: tuple[str, str] | tuple[()] = ()
            if work_item is not None:
                try:
                    item = self.store.work_item(work_item)
                except NotFoundError:  # the event is recorded all the same
                    pass
                else:
                    if item.instance_id == inst.id:
                        where = (item.activity_instance_id, item.activity_id)
            nav = self._nav()
            nav.touch(inst)
            inst.changes.append(change(nav.now, payload, *where))
            self.store.commit(nav.step)

        self._command(body)

    # -- the command ---------------------------------------------------------------------------

    def _work_item_command(
        self,
        work_item_id: str,
        user: str | None,
        operation: str,
        target: WorkItemState,
        act: _Change | None,
        *,
        to: str | None = None,
        data: Mapping[str, Any] | None = None,
        undeclared: bool = False,
    ) -> None:
        if operation != "complete":  # (complete_work_item checked it first, before its data)
            check_work_item_id(work_item_id, COMMANDS[operation])

        def body() -> NotAuthorizedError | None:
            store = self.store
            item = store.work_item(work_item_id)
            inst = store.instance(item.instance_id)
            if not may_act(item, inst, target, operation):
                refuse_act(subject_of(work_item_id, item, inst), item, inst, target, operation)
            nav = self._nav()
            nav.touch(inst)
            where = (item.activity_instance_id, item.activity_id)
            ai = inst.activities[item.activity_instance_id]
            adhoc = ai.scope.graph.adhoc_sequential  # (read once: asked twice below)
            # what the errors and checks below name: made only when one of them may need it
            # (three reprs per command before, for most commands' nothing)
            subject = (
                subject_of(work_item_id, item, inst) if user is not None or data or adhoc else ""
            )
            if adhoc and operation in ("start", "complete"):  # (the cheaper test first)
                busy = turn_taken(ai.scope, lambda wid: self.store.work_item(wid).state, ai)
                if busy is not None:
                    raise IllegalStateError(
                        subject,
                        f"waiting: {busy.act.id!r} of its ad-hoc set is in progress (they run one "
                        "at a time)",
                        operation,
                    )
            access = ai.act.access or OPEN_READ
            if user is not None:
                # the directory's answers (is_admin, supervises, knows) decide: one that fails
                # is a DirectoryError naming it and the check, and nothing changes
                directory = self.directory
                question = f"whether {user!r} may {operation} work item {item.id!r}"
                why = four_eyes_refusal(operation, ai, user, to) or asked(
                    directory, question, partial(refusal, operation, item, user, directory, to)
                )
                if why is None and operation == "complete":
                    written = data
                    if data:
                        # a field given by its Name is that field (``checked`` below keeps
                        # it under its Id): whether it may be written is asked of the Id,
                        # which ``wfengine:writes`` names (values unread: types come later).
                        # Asked whatever Names the process has: a Name that is no plain
                        # identifier is refused here naming the Id to give, not taken for an
                        # undeclared name (a refusal, "no data field") when no Name is usable
                        written = inst.compiled.checked(dict.fromkeys(data), subject, writing=False)
                    why = asked(
                        directory,
                        f"whether {user!r} may write {sorted(written or ())}",
                        partial(data_refusal, access.writes, written, user, directory),
                    )
                    if why is None and written and not undeclared:  # (an administrator's)
                        # (what the activity lists it writes is written: declared or not)
                        refuse_undeclared(inst.compiled, written.keys() - access.writes, subject)
                if why is not None:
                    refused = OperationRefused(
                        f"work item {item.id!r}", operation, user, why, item.id
                    )
                    inst.changes.append(change(nav.now, refused, *where))
                    self.store.commit(nav.step)
                    return NotAuthorizedError(subject, operation, user, why)
            # a person's values, checked by their fields' types as an answer's are
            values = inst.compiled.checked(data, subject) if data else data
            change_item = act
            confirm = act is None and access.confirm_delegation
            if confirm and user is not None and _delegate(item, user):
                # the owner confirms it (one the organisation still knows)
                change_item = _return_to_owner(values, user, supervision_of(self.directory))
            if change_item is None:  # complete: navigation records it and moves on
                if user is not None and item.holder is None:
                    item.holder = user
                nav.complete_work_item(ai, item, values, user)  # (ai: touched above)
                self._commit(nav)
                return None
            had = (item.holder, item.owner)  # (who has it in hand: see _taken_from)
            payload, tell = change_item(item, nav)
            if payload is not None:  # None: the command recorded its events itself
                inst.changes.append(change(nav.now, payload, *where))
            nav.step.work_items.append(item)
            if tell:
                number = self.ids.new("as")
                entry = work_item_entry(
                    OutboxKind.WORK_ITEM_ASSIGNED,
                    item,
                    nav.now,
                    number,
                    stamp=inst.call_stamp(),
                    holder=item.holder,
                    **_taken_from(payload, had, item),
                )
                nav.step.outbox.append(entry)
            if nav.pass_turn(ai) or nav._agenda or nav.step.timers_set:
                # the item no longer holds its sequential ad-hoc set (released, delegated,
                # reassigned, given back): what waited for the set's turn runs now, as after
                # a completion, not at the set's next close (and so does what another set
                # queued: four eyes took a started item from the delegate who wrote this);
                # and a timer a send-back began, due now (a zero timer), fires as when the
                # flow reaches it (on a virtual clock standing still it waited for a move)
                self._commit(nav)
            else:
                self.store.commit(nav.step)
            return None

        refused = self._command(body)
        if refused is not None:
            raise refused


def _taken_from(
    payload: Payload | None, had: tuple[str | None, ...], item: WorkItem
) -> dict[str, list[str]]:
    """The ``taken_from`` of a reassignment's ``work_item.assigned`` entry: who had ``item``
    in hand before (``had``: its holder, the owner who delegated it) and has it no longer,
    named as an escalation's entry names them, so the notification dispatcher tells them
    too. Why: a supervisor took their work and only the new holder heard; they found it
    gone from their worklist. A release or delegation is its holder's own act: none."""
    if not isinstance(payload, WorkItemReassigned):
        return {}
    lost = [u for u in dict.fromkeys(had) if u is not None and u != item.holder]
    return {"taken_from": lost} if lost else {}
