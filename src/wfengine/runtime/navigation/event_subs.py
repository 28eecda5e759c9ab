"""Event sub-processes: an activity set with ``TriggeredByEvent="true"``, run by a block
activity that no transition reaches, is armed while the scope holding that block runs (the
process's top level, or a block's activity set). Its start event's trigger starts it: a timer
(once, or each cycle of a repeating one), a message, a signal, or an error or escalation thrown
inside the scope. An interrupting one (the default) first withdraws everything else running in
the scope (closed as aborted) and disarms the scope's event sub-processes, itself included (the
scope remembers it, see :data:`DISARMED`): no later message, signal, timer or throw starts one
there again; a non-interrupting one runs beside the rest. Either way the scope is done only
when the event sub-process is. What an event sub-process throws is never caught by itself: it
travels on from the block that runs it (a handler that passes on what it caught reaches the
next catch up).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from wfengine.runtime.compiled import CEventSub
from wfengine.runtime.empty_defaults import NO_SCOPE_TIMERS
from wfengine.runtime.history import BoundaryFired, MessageReceived, change
from wfengine.runtime.instance import SCOPE_TIMER, SCOPE_TIMERS, ProcessInstance, Scope, Timer
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import NavigatorBase, _Failure
from wfengine.runtime.navigation.deadlines import cycle_refused, next_cycle
from wfengine.runtime.states import ActivityState
from wfengine.runtime.values import owned_values

#: the key of :attr:`Scope.fired <wfengine.runtime.instance.Scope.fired>` (whose other keys are
#: event sub-process positions, >= 0) that marks a scope whose interrupting event sub-process
#: started: its event sub-processes are disarmed for good (stored with the scope's counters)
DISARMED = -1


def armed(scope: Scope) -> bool:
    """Are ``scope``'s event sub-processes armed (it runs, and none interrupted it)?"""
    return not scope.closed and DISARMED not in scope.fired


class EventSubprocesses(NavigatorBase):
    """Event sub-processes of a scope."""

    def _arm_scope(self, scope: Scope) -> None:
        """``scope`` starts: set its event sub-processes' timers; messages kept on the
        instance start its message event sub-processes in the order they arrived (where the
        first message one is listed), whichever the definition lists first, as a resume
        gives back those kept while suspended and as an activity's attached events take
        them (``Events._arm``): each starts the first event sub-process of its name (a
        non-interrupting one is started by each kept message of its name), until an
        interrupting one disarms the scope; those after it stay kept."""
        messages_taken = False
        for sub in scope.graph.event_subs:
            b = sub.trigger
            if not armed(scope):  # closed, or a kept message started an interrupting one
                return
            if b.trigger == "Timer":
                self._set_scope_timer(scope, sub, self.now)
            elif b.trigger == "Message" and not messages_taken:
                messages_taken = True
                self._take_kept_scope_messages(scope)

    def _take_kept_scope_messages(self, scope: Scope) -> None:
        """Start ``scope``'s message event sub-processes with the messages kept for them,
        oldest first (the first listed of a name takes it, as :meth:`_scope_sub_for`
        finds it)."""
        subs: dict[str | None, CEventSub] = {}
        for sub in scope.graph.event_subs:
            if sub.trigger.trigger == "Message":
                subs.setdefault(sub.trigger.name, sub)
        inst = scope.instance
        while armed(scope):  # (an interrupting one disarms it: no more)
            taken = self._take_kept_of(inst, subs)
            if taken is None:
                return
            self._scope_message(scope, subs[taken[0]], taken[1])

    def _set_scope_timer(
        self, scope: Scope, sub: CEventSub, after: datetime, fired: int = 0
    ) -> int:
        """Arm the timer of event sub-process ``sub`` from ``after``; a time that cannot be
        had is an incident on it (operation ``arm``, as a boundary timer's). A repeating
        cycle's firings gone by are skipped as a boundary timer's are
        (``Events._set_boundary_timer``): returns how many."""
        inst = scope.instance
        try:
            due = self._wait_due(inst, sub.trigger.wait, after, repeat=sub.trigger.repeat)
        except _Failure as exc:
            due = exc.message
        if not isinstance(due, str):
            due = cycle_refused(due, after, sub.trigger.repeat) or due
        if isinstance(due, str):
            block = scope.graph.activities[sub.block].id
            why = f"{inst.place()}: the timer of event sub-process {block!r} is not armed: {due}"
            self._incident(inst, None, block, "arm", why, scope=scope)
            return 0
        ahead, skipped = next_cycle(due, after, self.now, sub.trigger.repeat, fired)
        if ahead is None:
            return skipped
        index = SCOPE_TIMER - (scope.id * SCOPE_TIMERS + sub.trigger.position)
        scope.timers = [*scope.timers, self._new_timer(inst, inst.id, index, ahead).id]
        return skipped

    def _scope_timer_fired(self, inst: ProcessInstance, timer: Timer) -> None:
        """An event sub-process's timer is due: start it (and set a repeating one again)."""
        scope_id, position = divmod(SCOPE_TIMER - timer.deadline_index, SCOPE_TIMERS)
        scope = inst.scopes.get(scope_id)
        if scope is None or not armed(scope) or timer.id not in scope.timers:
            return
        self.touch(inst)
        sub = scope.graph.event_subs[position]
        if not self._may_fire(inst, scope.owner, scope.graph.activities[sub.block].id, timer.id):
            return  # (held back: it stays the scope's, withdrawn as the scope closes)
        scope.timers = [t for t in scope.timers if t != timer.id]  # (its own list: the
        # shared empty one is never changed, see runtime.empty_defaults; ids are unique)
        b = sub.trigger
        fired = scope.fired.get(position, 0) + 1
        if not b.interrupting and (b.repeat == 0 or fired < b.repeat):
            fired += self._set_scope_timer(scope, sub, timer.due, fired)
        scope.fired[position] = fired
        self._start_event_sub(scope, sub)

    def _scope_message(self, scope: Scope, sub: CEventSub, data: Mapping[str, Any]) -> None:
        inst = scope.instance
        inst.data.update(owned_values(data))
        block = scope.graph.activities[sub.block].id
        received = MessageReceived(sub.trigger.name or "", tuple(sorted(data)))
        inst.changes.append(change(self.now, received, None, block))
        self._start_event_sub(scope, sub)

    def _scope_sub_for(self, inst: ProcessInstance, trigger: str, name: str) -> Any:
        """The oldest open scope of ``inst`` with an event sub-process of ``trigger`` ``name``
        and it, or None."""
        for scope in inst.scopes.values():
            if not armed(scope):
                continue
            for sub in scope.graph.event_subs:
                if sub.trigger.trigger == trigger and sub.trigger.name == name:
                    return scope, sub
        return None

    def _start_event_sub(self, scope: Scope, sub: CEventSub, name: str | None = None) -> None:
        """Start event sub-process ``sub`` of ``scope`` (see the module notes)."""
        inst = scope.instance
        self.touch(inst)
        b = sub.trigger
        block = scope.graph.activities[sub.block]
        fired = BoundaryFired(b.trigger, name or b.name, b.interrupting)
        inst.changes.append(change(self.now, fired, None, block.id))
        if b.interrupting:  # the rest of the scope withdrawn; the scope stays open for it
            scope.fired[DISARMED] = 1
            why = Cause("event-subprocess", block.id, b.trigger, name or b.name)
            with aborted_by(inst, why):
                self._empty_scope(scope, ActivityState.ABORTED)
        self._ready(scope, block)

    def _disarm_scope(self, scope: Scope) -> None:
        if scope.timers:
            self.step.timers_cancelled.extend(scope.timers)
            scope.timers = NO_SCOPE_TIMERS
