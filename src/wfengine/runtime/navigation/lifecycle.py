"""Instances and scopes coming and going: creation, start, implicit termination, closing,
cancelling.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from wfengine.applications.redaction import audit_values, masked_text
from wfengine.errors import DataTypeError, LimitError
from wfengine.runtime.compiler import CompiledProcess, FittedInitial
from wfengine.runtime.empty_defaults import NO_PENDING
from wfengine.runtime.fresh_records import new_instance as fresh_instance
from wfengine.runtime.history import (
    change,
    instance_created,
    state_changed,
)
from wfengine.runtime.instance import (
    ActivityInstance,
    ProcessInstance,
    Scope,
    WorkItem,
    note_scope_closed,
)
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import (
    NavigatorBase,
)
from wfengine.runtime.navigation.incidents import end_incident, end_parked_reminders
from wfengine.runtime.navigation.multi import count_held
from wfengine.runtime.outbox import (
    OutboxKind,
    Resolution,
    instance_state_entry,
    work_item_entry,
)
from wfengine.runtime.states import (
    A_ABORTED,
    A_TERMINATED,
    P_ABORTED,
    P_COMPLETED,
    P_NOT_STARTED,
    P_RUNNING,
    ActivityState,
    ProcessState,
    WorkItemState,
)
from wfengine.runtime.values import check_storable, owned_values
from wfengine.runtime.work_item_events import WorkItemCancelled
from wfengine.runtime.work_item_people import people_in_hand

#: each state's text, as its records keep it (an enum member's ``.value`` is a descriptor call)
_TEXT = {s: s.value for s in ProcessState}
_RUNNING_TEXT = ProcessState.RUNNING.value

#: random nonces not given yet (see :func:`_nonce`); emptied in a forked child, which must
#: not give the ones its parent gives (a fork that skips Python's fork hooks, from C, or a
#: cloned machine image, shares them: as the SQL stores' id blocks do)
_NONCES: list[str] = []
if hasattr(os, "register_at_fork"):  # (not on Windows, which has no fork)
    os.register_at_fork(after_in_child=_NONCES.clear)


def _nonce() -> str:
    """A new instance's :attr:`~wfengine.runtime.instance.ProcessInstance.nonce`: 6 random
    bytes from ``os.urandom``, as hex. Read 64 at a time: a system call per instance was a
    microsecond of every start. (``list.pop`` is one step: no two threads get one nonce.)"""
    try:
        return _NONCES.pop()
    except IndexError:
        pass
    raw = os.urandom(6 * 64).hex()
    fresh = [raw[i : i + 12] for i in range(0, len(raw), 12)]
    _NONCES.extend(fresh[1:])
    return fresh[0]


def instance_data(
    compiled: CompiledProcess,
    data: Mapping[str, Any] | None,
    now: Callable[[], datetime],
    where: str,
    sensitive: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], Mapping[str, Any] | None]:
    """The data a new instance of ``compiled`` starts with, and ``data`` as checked (converted
    to the fields' types; ``sensitive``: the caller's secrets an error must not show): each
    field's InitialValue in declaration order (one reads those before it, never ``data``),
    then ``data`` over them. Raises what creating the instance would, before anything exists.

    A field ``data`` gives is not refused for an initial value its type does not take
    (:meth:`~wfengine.runtime.compiler.FittedInitial.fitted`): the starter's value replaces
    it, so ``start_process(p, {"x": 3})`` starts where the initial ``total / people`` gives
    2.5 for the INTEGER ``x``. Why a function apart from :meth:`Lifecycle.new_instance`: a
    command starting several instances (a signal's) asks it of each before it delivers to
    any, so that one refused reaches no one."""
    if data:
        try:
            data = compiled.checked(data, where)
        except DataTypeError as exc:  # the process does not know the caller's secrets
            if not sensitive:
                raise
            hidden = masked_text(str(exc), (data.get(name) for name in sensitive))
            raise DataTypeError(hidden) from None
    values: dict[str, Any] = {}
    for fid, init in compiled.data_fields:
        if not isinstance(init, FittedInitial):
            values[fid] = None if init is None else init.evaluate(values, now, where)
            continue
        values[fid], refusal = init.fitted(values, now, where)
        if refusal is not None and not (data and fid in data):
            raise refusal
    for fp in compiled.formal_parameters:
        values.setdefault(fp.id, None)
    if data:
        values.update(data)
    # checked before the copy: a cyclic or too deeply nested value is refused naming its
    # place, as every other command does; the copy, first, recursed into a RecursionError
    if check_storable(values, where):  # every value plain, so immutable; and values is
        return values, data  # this call's own dict: no copy to make (one per start before)
    return owned_values(values), data


class Lifecycle(NavigatorBase):
    """Instances and scopes coming and going."""

    def new_instance(
        self,
        compiled: CompiledProcess,
        version: int,
        data: Mapping[str, Any] | None,
        *,
        parent: tuple[str, str] | None = None,
        parent_waits: bool = False,
        user: str | None = None,
        sensitive: frozenset[str] = frozenset(),
    ) -> ProcessInstance:
        """Create an instance (not started): data fields from InitialValue, then ``data``;
        ``sensitive``: fields its trail hides besides those its process marks (a subflow's
        formal parameters given a caller's secret; see
        :attr:`~wfengine.runtime.instance.ProcessInstance.sensitive_extra`).

        Raises :class:`~wfengine.errors.WorkflowError` when the command has created as many
        instances as ``RuntimeLimits.max_new_instances`` allows.
        """
        self.created += 1
        if self.created > self.ctx.limits.max_new_instances:
            raise LimitError(
                f"this command already created {self.ctx.limits.max_new_instances} process "
                "instances (RuntimeLimits.max_new_instances)"
            )
        iid = self.ctx.ids.new("pi")
        # what a refusal here names: the instance is not stored then, so its id would name
        # one that never exists (engine.instance(id) says not found)
        where = f"a new instance of process {compiled.process_id!r}"
        sensitive = sensitive - compiled.sensitive_fields if sensitive else sensitive
        values, data = instance_data(compiled, data, self._clock, where, sensitive)
        # (made without the dataclass's __init__: see fresh_records; closing: nothing in it
        # yet, its commits look only at what closes)
        inst = fresh_instance(
            iid,
            compiled.process_id,
            version,
            compiled,
            P_NOT_STARTED,
            values,
            self.now,
            _nonce(),
            {},
        )
        if parent:  # a subflow's
            inst.parent_instance, inst.parent_activity_instance = parent
        if parent_waits:
            inst.parent_waits = parent_waits
        if sensitive:
            inst.sensitive_extra = sensitive
        # what the starter gave, as the instance holds it (converted to the fields' types) and
        # as the trail keeps values (secrets hidden)
        given = audit_values(data, inst.sensitive_fields) if data else None
        inst.changes.append(instance_created(self.now, version, given, user))
        self.touch(inst)
        return inst

    def start_instance(
        self, inst: ProcessInstance, at: int | None = None, user: str | None = None
    ) -> None:
        """Start ``inst`` where its top level begins when started by hand
        (:attr:`~wfengine.runtime.compiled.CGraph.plain_starts`), or (``at``) at that one only
        (a Message start event its message started); ``user``: who started it, if named."""
        previous = inst.state
        inst.state = P_RUNNING
        inst.started_at = self.now
        # the state it left is kept even when nobody asked (a host's start, a subflow's):
        # TC-1015's state-change record carries both, and a reader should not have to guess
        inst.changes.append(state_changed(self.now, _RUNNING_TEXT, _TEXT[previous], user))
        self.step.outbox.append(instance_state_entry(inst, previous, self.now))
        self.touch(inst)
        root = self._new_scope(inst, inst.compiled.graph, None)
        inst.root = root
        if not root.graph.starts:
            self._scope_done(root)
            return
        for idx in (at,) if at is not None else root.graph.plain_starts:
            self._ready(root, root.graph.activities[idx])
        if root.graph.event_subs:
            self._arm_scope(root)

    def close_instance(
        self,
        inst: ProcessInstance,
        state: ProcessState,
        user: str | None = None,
        *,
        by: str | None = None,
    ) -> None:
        """Close ``inst``: resolve its incidents (audited: :meth:`_resolve_incidents`), cancel
        what is open, then notify a waiting parent. A termination or abort records the state
        it left and who asked (``user``; None: the host or the engine), and ``by``, the caller
        whose closing took it along (a synchronous subflow; None: it was closed itself). The
        synchronous subflows it waits for close with it, recorded as asked by ``user`` too:
        their trail names who terminated the work, not the engine. Messages kept for a catch
        that never came (``message.kept``) go with it: nothing can take them now, and their
        data stayed stored in the closed instance for good."""
        self.touch(inst)
        inst.parked.clear()
        inst.messages.clear()
        if inst.incidents:
            self._resolve_incidents(inst, user)
        cancel_state = A_ABORTED if state is P_ABORTED else A_TERMINATED
        if state is not P_COMPLETED:  # a completed instance has nothing open
            with aborted_by(inst, Cause("instance")):
                for ai in list(inst.activities.values()):
                    if ai.state.is_open:
                        self._cancel_activity(ai, cancel_state, count=False, user=user)
        for scope in inst.scopes.values():
            if scope.timers:
                self._disarm_scope(scope)
            scope.closed = True
            scope.tokens.clear()
            scope.places.clear()
            scope.pending = NO_PENDING  # (the shared empty one: see runtime.empty_defaults)
            scope.count = 0
        previous = inst.state
        inst.state = state
        inst.completed_at = self.now
        if state is P_COMPLETED:  # the engine's own doing: nobody asked for it
            closed = state_changed(self.now, _TEXT[state], _TEXT[previous])
        else:
            closed = state_changed(self.now, _TEXT[state], _TEXT[previous], user, by)
        inst.changes.append(closed)
        self.step.outbox.append(instance_state_entry(inst, previous, self.now))
        if inst.parent_waits and inst.parent_instance is not None:
            self._subflow_closed(inst)

    def _resolve_incidents(self, inst: ProcessInstance, user: str | None) -> None:
        """Resolve the open incidents of ``inst``, which is closing: each is told in the outbox
        (``incident.resolved``, resolution ``instance_closed``) and audited as
        ``incident.aborted`` naming ``user``, who closed the instance (None: the host or the
        engine), as ``abort_incident`` audits its own: the case's history said the incident
        opened and never that it ended. Its ``instance.state`` event, next, says how."""
        for incident in inst.incidents.values():
            if not incident.resolved:  # (abort_incident answered and audited its own first)
                end_incident(self, inst, incident, Resolution.INSTANCE_CLOSED, user)

    def _scope_done(self, scope: Scope) -> None:
        """Nothing is live in ``scope`` any more: implicit termination of the scope."""
        scope.closed = True
        if scope.timers:
            self._disarm_scope(scope)
        owner = scope.owner
        if owner is None:
            inst = scope.instance
            if inst.state is P_RUNNING:
                self.close_instance(inst, P_COMPLETED)
            return
        note_scope_closed(scope)
        owner.child_scope = None
        if owner.state.is_open:
            self._body_done(owner)

    def _terminate_scope(self, scope: Scope) -> None:
        """A Terminate end event: cancel the rest of its scope, which then completes."""
        self._cancel_scope(scope, ActivityState.TERMINATED)
        scope.closed = False
        self._scope_done(scope)

    def _cancel_activity(
        self, ai: ActivityInstance, state: ActivityState, *, count: bool, user: str | None = None
    ) -> None:
        """Close an open activity instance and everything running under it; ``user``: who
        asked (a termination or abort of its instance), recorded on the synchronous subflow
        instances it closes, with its instance as the caller that took them along."""
        if ai.state.is_closed:
            return
        withdrawn = ai.work_item
        if withdrawn is not None:
            self._cancel_work_item(ai)
        if ai.mi is not None:
            if count_held(ai):  # its person completed it: a failed re-count holds it (multi.py)
                # it closes completed, counted and traced, not cancelled with the rest (a
                # deadline firing while held recorded it terminated, its item completed)
                held = ai.mi.children[-1]
                self._close_activity(held, ActivityState.COMPLETED)
                ai.scope.instance.trace.append(held.act.id)
                ai.mi.completed += 1
            for child in ai.mi.children:
                self._cancel_activity(child, state, count=False, user=user)
        if ai.child_scope is not None:
            self._cancel_scope(ai.child_scope, state, user)
        if ai.child_instance is not None:
            child_inst = self.instance(ai.child_instance)
            if child_inst.state.is_open and child_inst.parent_waits:
                child_inst.parent_waits = False
                self.close_instance(
                    child_inst,
                    ProcessState.ABORTED
                    if state is ActivityState.ABORTED
                    else ProcessState.TERMINATED,
                    user,
                    by=ai.scope.instance.id,
                )
        # closed, it names its last work item (the one withdrawn now, or one done before),
        # as its record: cancelled (a send-back, a deadline, termination), it named none
        ai.work_item = withdrawn
        self._close_activity(ai, state)
        if count:
            self._release(ai.scope, ai.act.index)

    def _cancel_scope(self, scope: Scope, state: ActivityState, user: str | None = None) -> None:
        scope.closed = True
        note_scope_closed(scope)
        self._empty_scope(scope, state, user)

    def _empty_scope(self, scope: Scope, state: ActivityState, user: str | None = None) -> None:
        """Cancel everything live in ``scope`` (its open activities closed as ``state``, its
        tokens and ready work dropped, its event sub-processes disarmed); whether the scope
        is closed is the caller's. ``user``: who asked, as :meth:`_cancel_activity` takes
        it."""
        if scope.timers:
            self._disarm_scope(scope)
        for ai in list(scope.instance.activities.values()):
            if ai.scope is scope and ai.state.is_open and ai.mi_parent is None:
                self._cancel_activity(ai, state, count=False, user=user)  # its MI instances too
        scope.tokens.clear()
        scope.places.clear()
        scope.pending = NO_PENDING
        scope.rounds.clear()
        scope.count = 0
        self._unready(scope)

    def _withdraw(self, scope: Scope, indices: Collection[int]) -> None:
        """Withdraw what is live at activities ``indices`` of ``scope``: their open instances
        (closed as aborted) and their ready work (the branches a cancelling join no longer
        awaits)."""
        for ai in list(scope.instance.activities.values()):
            live = ai.scope is scope and ai.mi_parent is None and ai.state.is_open
            if live and ai.act.index in indices:
                self._cancel_activity(ai, ActivityState.ABORTED, count=True)
        for index in self._unready(scope, indices):
            self._release(scope, index)

    def _cancel_work_item(self, ai: ActivityInstance, item: WorkItem | None = None) -> None:
        """Withdraw ``ai``'s open work item (cancelled, those it was offered to told), and
        ``ai`` has none. ``item``: the caller's copy of it, the one changed and written (a
        copy the caller has changed and will write again would otherwise undo the
        withdrawal); by default the navigator's."""
        if item is None:
            assert ai.work_item is not None
            item = self._work_item(ai.work_item)
        if item.state.is_open:
            item.state = WorkItemState.CANCELLED
            item.completed_at = self.now
            self.step.work_items.append(item)
            entry = work_item_entry(
                OutboxKind.WORK_ITEM_CANCELLED,
                item,
                self.now,
                stamp=ai.scope.instance.call_stamp(),
                **people_in_hand(item),
            )
            self.step.outbox.append(entry)
            withdrawn = WorkItemCancelled(item.id)
            ai.scope.instance.changes.append(change(self.now, withdrawn, ai.id, ai.act.id))
            end_parked_reminders(self, item)  # (its reminder jobs end with it)
        ai.work_item = None
