"""Events that act on other activities: boundary events (armed while their activity runs,
fired by a timer, message, signal, condition or a thrown error, escalation or cancel), throw
events (which travel up to the nearest catch), conditional catch events, and the race of an
event-based gateway's targets (the first to fire withdraws the others).

How a thrown error finds its catch: from the activity it comes from (for an end event: the
block or subflow activity that runs it) upwards, through enclosing block activities and a
synchronous subflow's calling activity, the first level with an attached event of that
trigger and code (or none: any), else (an error) an EXCEPTION transition naming it or a
DEFAULTEXCEPTION transition, catches it. Nothing catching an error is an incident where it
was thrown; an escalation nothing catches is audited and its thread goes on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from wfengine.definition.model import MIFlowCondition
from wfengine.runtime.compiled import (
    JOIN_PASS,
    KIND_CONDITION,
    CBoundary,
    CEventSub,
    CTransition,
)
from wfengine.runtime.history import (
    BoundaryFired,
    EventThrown,
    ExceptionTaken,
    MessageReceived,
    change,
)
from wfengine.runtime.instance import (
    BOUNDARY_TIMER,
    ActivityInstance,
    ChoiceBegin,
    Incident,
    ProcessInstance,
    Scope,
    Timer,
    own_fired,
)
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import NavigatorBase, _Failure
from wfengine.runtime.navigation.deadlines import cycle_refused, next_cycle
from wfengine.runtime.navigation.event_subs import EventSubprocesses, armed
from wfengine.runtime.navigation.messages import mi_container
from wfengine.runtime.navigation.multi import count_held
from wfengine.runtime.navigation.signal_waiters import catches_signal as catches_signal
from wfengine.runtime.navigation.signal_waiters import signal_waiters as signal_waiters
from wfengine.runtime.outbox import thrown_entry
from wfengine.runtime.states import ActivityState, ProcessState
from wfengine.runtime.values import owned_values


@dataclass(frozen=True, slots=True)
class Catch:
    """Where a thrown error, escalation or cancel is caught: an activity's attached event or
    exception transition (``level``), or a scope's event sub-process (``scope``, ``sub``);
    ``where`` names the activity (the block that runs an event sub-process)."""

    where: str
    interrupting: bool
    level: ActivityInstance | None = None
    boundary: CBoundary | None = None
    transition: CTransition | None = None
    scope: Scope | None = None
    sub: CEventSub | None = None


class Events(NavigatorBase):
    """Boundary, throw, conditional and racing events."""

    # -- boundary events ---------------------------------------------------------------------

    def _arm(self, ai: ActivityInstance) -> None:
        """``ai`` began: arm its boundary timers; a kept message or a condition that holds
        fires its event at once. A non-interrupting message event takes every kept message
        of its name, oldest first (each fires it once), as it would have had it listened when
        they came: a kept message is taken by the next catch of its name reached, and before,
        the second one stayed kept while the event listened, overtaken by later ones.

        Kept messages fire ``ai``'s message events in the order they arrived (where the
        first message event is listed), whichever event the definition lists first, as a
        resume gives back those kept while suspended: until an interrupting one closes
        ``ai``, and those after it stay kept."""
        messages_taken = False
        for b in ai.act.boundaries:
            if ai.state.is_closed:
                return
            if b.trigger == "Timer":
                self._set_boundary_timer(ai, b, self.now)
            elif b.trigger == "Message":
                if not messages_taken:
                    messages_taken = True
                    self._take_kept_boundary_messages(ai)
            elif b.trigger == "Conditional":
                self._test_boundary_condition(ai, b)

    def _take_kept_boundary_messages(self, ai: ActivityInstance) -> None:
        """Fire ``ai``'s message events with the messages kept for them, oldest first (the
        first event listed of a name takes it, as :meth:`_boundary_for` finds it)."""
        events: dict[str | None, CBoundary] = {}
        for b in ai.act.boundaries:
            if b.trigger == "Message":
                events.setdefault(b.name, b)
        inst = ai.scope.instance
        while ai.state.is_open:  # (an interrupting one closes ai: no more)
            taken = self._take_kept_of(inst, events)
            if taken is None:
                return
            self._boundary_message(ai, events[taken[0]], taken[1])

    def _set_boundary_timer(
        self, ai: ActivityInstance, b: CBoundary, after: datetime, fired: int = 0
    ) -> int:
        """Arm boundary timer ``b`` of ``ai`` from ``after``. A time that cannot be had (an
        expression that fails or gives no time, a repeating cycle's interval that is not
        above zero) is an incident on the event (operation
        ``arm``): ``ai`` goes on without it, and retrying the incident arms it from then (it
        is resolved when ``ai`` closes).

        A repeating cycle's next firing already gone by at arming (``after`` is its last due
        time, missed while the instance was suspended or no worker ran) is armed for the
        next cycle still ahead (:func:`next_cycle`); returns how many cycles were skipped,
        which count as spent (``fired``: those spent before): a bounded cycle whose
        firings all went by is not armed again."""
        inst = ai.scope.instance
        try:
            # (the mixin that reads waits is part of the same navigator; repeat: a cycle's
            # wait must give a duration, not a moment)
            due = self._wait_due(inst, b.wait, after, repeat=b.repeat)
        except _Failure as exc:
            due = exc.message
        if not isinstance(due, str):
            due = cycle_refused(due, after, b.repeat) or due
        if isinstance(due, str):
            event_id = ai.scope.graph.activities[b.event].id
            why = f"{ai.place()}: its timer event {event_id!r} is not armed: {due}"
            self._incident(inst, ai, event_id, "arm", why)
            return 0
        ahead, skipped = next_cycle(due, after, self.now, b.repeat, fired)
        if ahead is None:
            return skipped
        timer = self._new_timer(inst, ai.id, BOUNDARY_TIMER - b.position, ahead)
        ai.timers = [*ai.timers, timer.id]  # (its own list: see runtime.empty_defaults)
        return skipped

    def _retry_timer(self, inst: ProcessInstance, incident: Incident) -> None:
        """Retry an ``arm`` incident: set the timer of the boundary event or event
        sub-process it names again, from now, or test the condition of the conditional
        boundary event it names again (nothing when its activity closed or its scope was
        disarmed meanwhile)."""
        ai_id = incident.activity_instance_id
        if ai_id is None:  # an event sub-process's timer
            scope = inst.scopes.get(incident.scope_id if incident.scope_id is not None else -1)
            if scope is None or not armed(scope):
                return
            for sub in scope.graph.event_subs:
                if scope.graph.activities[sub.block].id == incident.activity_id:
                    # (the mixin that sets it is part of the same navigator)
                    cast("EventSubprocesses", self)._set_scope_timer(scope, sub, self.now)
            return
        ai = inst.activities.get(ai_id)
        if ai is None or ai.state.is_closed:
            return
        if ai.incident == incident.id:
            ai.incident = None
        graph = ai.scope.graph.activities
        for b in ai.act.boundaries:
            if graph[b.event].id != incident.activity_id:
                continue
            if b.trigger == "Timer":
                self._set_boundary_timer(ai, b, self.now)
            elif b.trigger == "Conditional":  # its condition failed: test it again
                self._test_boundary_condition(ai, b)

    def _boundary_timer_fired(self, ai: ActivityInstance, timer: Timer) -> None:
        """Boundary timer ``timer`` of ``ai`` is due: fire its event; a repeating
        non-interrupting one is set again for its next cycle."""
        b = ai.act.boundaries[BOUNDARY_TIMER - timer.deadline_index]
        fired = ai.fired.get(b.position, 0) + 1
        if not b.interrupting and (b.repeat == 0 or fired < b.repeat):
            fired += self._set_boundary_timer(ai, b, timer.due, fired)
        own_fired(ai)[b.position] = fired
        self._fire_boundary(ai, b)

    def _boundary_message(
        self, ai: ActivityInstance, b: CBoundary, data: Mapping[str, Any]
    ) -> None:
        inst = ai.scope.instance
        inst.data.update(owned_values(data))
        event_id = ai.scope.graph.activities[b.event].id
        received = MessageReceived(b.name or "", tuple(sorted(data)))
        inst.changes.append(change(self.now, received, ai.id, event_id))
        self._fire_boundary(ai, b)

    def _fire_boundary(self, ai: ActivityInstance, b: CBoundary, name: str | None = None) -> None:
        """Boundary event ``b`` of ``ai`` fired (``name``: the error or escalation it caught,
        when it catches any): an interrupting one cancels ``ai`` (and all under it) as
        aborted; the event activity runs and its transitions lead on."""
        scope = ai.scope
        inst = scope.instance
        self.touch(inst)
        event = scope.graph.activities[b.event]
        fired = BoundaryFired(b.trigger, name or b.name, b.interrupting)
        inst.changes.append(change(self.now, fired, ai.id, event.id))
        self._ready(scope, event)
        if b.interrupting:
            with aborted_by(inst, Cause("event", event.id, b.trigger, name or b.name)):
                self._cancel_activity(ai, ActivityState.ABORTED, count=True)

    def _boundary_for(self, ai: ActivityInstance, trigger: str, name: str) -> CBoundary | None:
        if ai.mi_parent is not None or not ai.state.is_open:
            return None
        for b in ai.act.boundaries:
            if b.trigger == trigger and b.name == name:
                return b
        return None

    # -- conditional events ------------------------------------------------------------------

    def _test_boundary_condition(self, ai: ActivityInstance, b: CBoundary) -> None:
        """Fire ``b`` when its condition holds and did not at the last test. A condition
        that fails to evaluate counts as not holding and is an incident on the event, as on
        a conditional catch event (:meth:`_condition_failed`)."""
        if b.condition is None:
            return  # it names none: it never fires
        try:
            holds = self._holds(ai, b.condition)
        except _Failure as exc:
            self._condition_failed(ai, b, exc.message)
            holds = False
        was = ai.fired.get(b.position, 0)
        own_fired(ai)[b.position] = int(holds)
        if holds and not was:
            self._fire_boundary(ai, b)

    def _condition_failed(self, ai: ActivityInstance, b: CBoundary, message: str) -> None:
        """The condition of conditional event ``b`` attached to ``ai`` failed to evaluate:
        an incident on the event (operation ``arm``, as a boundary timer not set: ``ai``
        goes on without it and is not held; closing ``ai`` resolves it; a retry tests the
        condition again). Why: before, only an ``event.condition_failed`` row said so and
        the event silently never fired, where the same condition on a catch event is an
        incident. One open incident per event: the conditions are tested after each data
        change, and one failing each time would file one each time."""
        inst = ai.scope.instance
        event_id = ai.scope.graph.activities[b.event].id
        for incident in inst.incidents.values():
            if (
                not incident.resolved
                and incident.operation == "arm"
                and incident.activity_instance_id == ai.id
                and incident.activity_id == event_id
            ):
                return  # (already told; retrying it tests the condition again)
        why = f"{message} (the event attached to {ai.act.id!r} does not fire while it fails)"
        self._incident(inst, ai, event_id, "arm", why)

    def _await_condition(self, ai: ActivityInstance) -> None:
        """A conditional catch event was reached: on at once if its condition holds."""
        assert ai.act.condition is not None
        try:
            holds = self._holds(ai, ai.act.condition)
        except _Failure as exc:
            self._incident(ai.scope.instance, ai, ai.act.id, "run", exc.message)
            return
        if holds:
            self._body_done(ai)

    def _check_conditions(self) -> None:
        """After the data changed (work ran out in a command): fire the conditional events
        whose conditions now hold, in the instances this command touched. A multi-instance
        conditional catch waits in its instances (each goes on once the condition holds);
        attached events belong to its container. A multi-instance activity's Complex flow
        condition is tested again too (:meth:`_test_mi_flow`)."""
        for inst in list(self.step.instances.values()):
            if not inst.compiled.conditional or inst.state is not ProcessState.RUNNING:
                continue
            for ai in list(inst.activities.values()):
                if not ai.state.is_open:
                    continue
                ca = ai.act
                if ca.kind == KIND_CONDITION and ai.incident is None and not mi_container(ai):
                    if not self._rival_waits_to_begin(ai):  # (else the retry decides)
                        self._await_condition(ai)
                    continue
                if ai.mi_parent is not None:
                    continue
                if ai.mi is not None:
                    self._test_mi_flow(ai)
                for b in ca.boundaries:
                    if b.trigger == "Conditional" and ai.state.is_open:
                        self._test_boundary_condition(ai, b)

    def _test_mi_flow(self, container: ActivityInstance) -> None:
        """The data changed: a running multi-instance activity whose Complex flow condition
        now holds goes on (and, with ``wfengine:cancelRemaining``, cancels its other instances:
        WCP27, an operator forcing the completion by setting the data). Why here and not only
        after each instance completes: the condition is over the data, and data an operator
        or another branch sets should not have to wait for one more instance to finish. A
        condition that fails is passed over: the completion of the next instance reports it,
        as an incident, where the flow is decided. Not in the command that started the
        activity: no data changed since (the condition is tested after each instance
        completes, and a condition already true at the start would cancel every instance
        before any ran). Nor while a failed re-count holds the instance that completed
        (:func:`count_held`): its retry tests the condition, and the flow waits for it."""
        if container.id in self.started_mi:
            return
        mi = container.mi
        loop = container.act.loop
        if (
            mi is None
            or loop is None
            or loop.flow is not MIFlowCondition.COMPLEX
            or loop.flow_condition is None
            or mi.routed
            or mi.completed >= mi.total
            or container.incident is not None
            or container.state is not ActivityState.RUNNING
            or count_held(container)
        ):
            return
        extra = {"completed": mi.completed, "instances": mi.total}
        try:
            holds = self._holds(container, loop.flow_condition, extra)
        except _Failure:
            return
        if holds:
            self._mi_progress(container)  # as after an instance: on, or on and cancel the rest

    # -- thrown events -----------------------------------------------------------------------

    def _throw_event(self, ai: ActivityInstance) -> None:
        """A throw event was reached (see the module notes)."""
        ca = ai.act
        assert ca.throws is not None
        trigger, name = ca.throws
        inst = ai.scope.instance
        if trigger == "Message":  # a send task or message throw: audited; the host sends it
            inst.changes.append(change(self.now, EventThrown(trigger, name), ai.id, ca.id))
            self.step.outbox.append(thrown_entry(inst, ca.id, ai.id, trigger, name, self.now))
            self._body_done(ai)
            return
        if trigger == "Signal":
            inst.changes.append(change(self.now, EventThrown(trigger, name), ai.id, ca.id))
            self._body_done(ai)
            if not self._broadcast(name or ""):  # nothing here caught it: the host may
                entry = thrown_entry(inst, ca.id, ai.id, trigger, name, self.now)
                self.step.outbox.append(entry)
            return
        found = self._catcher(None, ai.scope, trigger, name)
        self._thrown(ai, trigger, name, found)
        if found is None:
            if trigger == "Escalation":
                self._body_done(ai)  # nothing catches it: audited, and on it goes
                return
            shown = trigger.lower() + (f" {name!r}" if name else "")
            self._incident(
                inst,
                ai,
                ca.id,
                "run",
                f"{ai.place()}: the {shown} it throws is caught by "
                "no boundary event, event sub-process or exception transition that encloses it",
            )
            return
        if not found.interrupting:
            self._catch(found, name)
            self._body_done(ai)
            return
        self._close_activity(ai, ActivityState.COMPLETED)
        inst.trace.append(ca.id)
        self._taken(found, f"{trigger.lower()} {name or ''}".strip())
        self._catch(found, name)

    def _thrown(
        self, ai: ActivityInstance, trigger: str, name: str | None, found: Catch | None
    ) -> None:
        """Audit that ``ai`` threw ``trigger`` ``name``, which ``found`` catches (None:
        nothing does), as ``event.thrown`` naming the catching activity: a throw event's,
        and an activity's failure that an enclosing level catches (:meth:`_catch_failure`)."""
        caught = None if found is None else found.where
        event = EventThrown(trigger, name, caught)
        ai.scope.instance.changes.append(change(self.now, event, ai.id, ai.act.id))

    def _taken(self, found: Catch, message: str) -> None:
        """A catch by an exception transition is audited as ``activity.exception`` on the
        activity that takes it, in that activity's own instance's trail (a synchronous
        subflow's caller: the calling instance's), saying ``message``."""
        level = found.level
        if found.transition is None or level is None:
            return  # (a boundary event or an event sub-process audits its own firing)
        inst = level.scope.instance
        self.touch(inst)
        inst.changes.append(change(self.now, ExceptionTaken(message), level.id, level.act.id))

    def _enclosing(self, scope: Scope) -> ActivityInstance | None:
        """The activity instance that runs ``scope``: a block activity, or a synchronous
        subflow's calling activity (None at the top of a root instance)."""
        if scope.owner is not None:
            return scope.owner
        inst = scope.instance
        if inst.parent_waits and inst.parent_instance and inst.parent_activity_instance:
            parent = self.instance(inst.parent_instance)
            return parent.activities.get(inst.parent_activity_instance)
        return None

    def _catcher(
        self, level: ActivityInstance | None, scope: Scope | None, trigger: str, name: str | None
    ) -> Catch | None:
        """The nearest catch of ``trigger`` ``name`` from ``level`` (an activity whose own
        work threw) or ``scope`` (where a throw event was reached) up: at each activity its
        attached events, then (errors) its exception transitions; at each scope its event
        sub-processes (armed ones, and not the one the throw comes from: a handler that
        passes on what it caught goes on up); then the activity that runs the scope, and so
        on up."""
        while True:
            inner = None
            if level is not None:
                level = level.mi_parent or level
                if level.state.is_open:
                    for b in level.act.boundaries:
                        if b.trigger == trigger and (b.name is None or b.name == name):
                            return Catch(level.act.id, b.interrupting, level=level, boundary=b)
                    if trigger == "Error":
                        ct = self._exception_transition(level.act, name)
                        if ct is not None:
                            return Catch(level.act.id, True, level=level, transition=ct)
                scope, inner = level.scope, level
            if scope is None:
                return None
            if armed(scope):
                for sub in scope.graph.event_subs:
                    b = sub.trigger
                    if inner is not None and sub.block == inner.act.index:
                        continue  # thrown inside this event sub-process: not its own catch
                    if b.trigger == trigger and (b.name is None or b.name == name):
                        block = scope.graph.activities[sub.block].id
                        return Catch(block, b.interrupting, scope=scope, sub=sub)
            level, scope = self._enclosing(scope), None
            if level is None:
                return None

    def _catch(self, found: Catch, name: str | None) -> None:
        """``found`` catches ``name``: an attached event fires (an interrupting one cancels
        its activity), an event sub-process starts, or the activity is cancelled and its
        exception transition followed."""
        if found.sub is not None and found.scope is not None:
            self._start_event_sub(found.scope, found.sub, name)
            return
        level = found.level
        assert level is not None
        self.touch(level.scope.instance)
        if found.boundary is not None:
            self._fire_boundary(level, found.boundary, name)
            return
        assert found.transition is not None
        with aborted_by(level.scope.instance, Cause("exception", trigger="Error", name=name)):
            self._cancel_activity(level, ActivityState.ABORTED, count=False)
        self._arrive(level.scope, found.transition)
        self._release(level.scope, level.act.index)

    def _catch_failure(self, ai: ActivityInstance, failure: _Failure) -> bool:
        """An activity's work failed with a named error: the nearest catch (its own boundary
        event or exception transition, else an enclosing one's) takes it. False: none does.

        Caught by the activity itself, it is audited there (``activity.exception``, the
        failure's message). Caught further up (an enclosing block, a synchronous subflow's
        calling activity, an event sub-process), it is audited as a throw event's error is
        (:meth:`_thrown`, :meth:`_taken`): ``event.thrown`` on the failing activity naming
        the one that caught it, and ``activity.exception`` on that one when its exception
        transition did. Before, the failing activity was said to have left by an exception
        transition it did not take, and the level that caught it recorded nothing."""
        name = failure.exception_name
        if not name:
            return False
        found = self._catcher(ai, None, "Error", name)
        if found is None:
            return False
        if found.sub is None and found.level is (ai.mi_parent or ai):
            inst = ai.scope.instance
            inst.changes.append(change(self.now, ExceptionTaken(failure.message), ai.id, ai.act.id))
        else:
            self._thrown(ai, "Error", name, found)
            self._taken(found, failure.message)
        self._catch(found, name)
        return True

    # -- signals thrown ----------------------------------------------------------------------

    def _broadcast(self, name: str) -> int:
        """A signal thrown in this command reaches every catch waiting for it, in every
        instance, within this command (so the throw and its effects commit together).
        Returns how many took it (none: it is told in the outbox, ``event.thrown``)."""
        seen: set[str] = set()
        taken = 0
        for inst in list(self.step.instances.values()):
            seen.add(inst.id)
            taken += self.deliver_signal(inst, name, {})
        store: Any = self.ctx.store
        for instance_id in signal_waiters(store, name):
            if instance_id not in seen:
                seen.add(instance_id)
                taken += self.deliver_signal(self.instance(instance_id), name, {})
        return taken

    # -- event-based gateways ----------------------------------------------------------------

    def _begin_choice(self, scope: Scope, key: str, chosen: list[CTransition]) -> None:
        """An event-based gateway leaves along ``chosen``: its targets become ready as any
        activity does, in the same order, each queued begin carrying the activation ``key``
        (the gateway instance's id) that its instance keeps (``ActivityInstance.activation``).
        The first of them to fire withdraws the others of this activation only: not those of
        another thread that reached the same gateway, nor a catch event a thread reached
        without it. (A target whose join waits for other ways in too, not a shape BPMN
        allows, is reached as any activity is, in no choice.)"""
        graph = scope.graph
        for ct in chosen:
            ca = graph.activities[ct.target]
            if not ca.rivals or ca.join != JOIN_PASS:
                self._arrive(scope, ct)
                continue
            scope.count += 1  # as _ready holds it, released as the activity leaves
            if graph.tracks_places:
                scope.places[ca.index] = scope.places.get(ca.index, 0) + 1
            self._agenda.append(ChoiceBegin(scope, ca, key))

    def _withdraw_rivals(self, ai: ActivityInstance) -> None:
        """``ai``, a target of an event-based gateway, fired first: the others its gateway's
        activation began, still waiting or about to begin, are withdrawn (closed as aborted,
        or their queued begin dropped). One begun another way (``activation`` empty) decides
        no choice. One stored before activations were kept (None) withdraws as it did then:
        every such instance of its rivals in its scope, and their queued begins."""
        key = ai.activation
        if key == "":
            return
        scope = ai.scope
        if key is None:
            rivals = ai.act.rivals
            for other in list(scope.instance.activities.values()):
                if (
                    other.activation is None
                    and other.scope is scope
                    and other.mi_parent is None
                    and other.state.is_open
                    and other.act.index in rivals
                ):
                    self._cancel_activity(other, ActivityState.ABORTED, count=True)
        else:
            for other in list(scope.instance.activities.values()):
                if other.activation == key and other is not ai and other.state.is_open:
                    self._cancel_activity(other, ActivityState.ABORTED, count=True)
        self._drop_choice(scope, key)

    def _drop_choice(self, scope: Scope, key: str | None) -> None:
        """Drop the queued begins of ``scope`` of the activation ``key`` (None: of work parked
        before activations were kept), from this command's queue and the work parked on the
        instance (the step budget's, waiting for its incident), releasing their counts."""
        inst = scope.instance
        for queue in (self._agenda, inst.parked):
            kept: list[Any] = []
            dropped: list[ChoiceBegin] = []
            for item in queue:  # (one pass: each item kept or dropped)
                if isinstance(item, ChoiceBegin) and item.activation == key and item[1] is scope:
                    dropped.append(item)
                else:
                    kept.append(item)
            if not dropped:
                continue
            queue.clear()
            queue.extend(kept)
            for item in dropped:
                self._release(scope, item[2].index)
