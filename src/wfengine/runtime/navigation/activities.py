"""An activity instance's life: begin, run its body (once per loop iteration), leave along the
transitions its split chooses, fail along an exception transition.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from wfengine.errors import ExpressionEvaluationError
from wfengine.runtime.compiler import (
    KIND_BLOCK,
    KIND_CONDITION,
    KIND_MESSAGE,
    KIND_NONE,
    KIND_SCRIPT,
    KIND_SIGNAL,
    KIND_SUBFLOW,
    KIND_TASK,
    KIND_TIMER,
    SPLIT_FIRST,
    CActivity,
    CTransition,
)
from wfengine.runtime.empty_defaults import NO_TIMERS
from wfengine.runtime.fast_paths import TAKES_TURN
from wfengine.runtime.history import CLOSED_KINDS, ActivityIterated, EventKind, change, marker
from wfengine.runtime.instance import ActivityInstance, ProcessInstance, Scope, note_closed
from wfengine.runtime.loop_counters import own_variables
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.adhoc_sets import AdHocSets
from wfengine.runtime.navigation.base import _OP_BEGIN, _OP_BODY, _Failure, _traced_before
from wfengine.runtime.navigation.incidents import (
    end_incident,
    end_parked_reminders,
    end_parked_timers,
)
from wfengine.runtime.navigation.turns import turn_taken as turn_taken
from wfengine.runtime.sent_back_records import bind_sent_back, drop_sent_back, drop_unreachable
from wfengine.runtime.start_points import started_catch_first
from wfengine.runtime.states import (
    A_COMPLETED,
    A_NOT_STARTED,
    A_RUNNING,
    P_RUNNING,
    ActivityState,
    WorkItemState,
)

if TYPE_CHECKING:
    pass

# the kinds the hot path records, as plain strings (no attribute lookups per activity)
_CREATED: str = EventKind.ACTIVITY_CREATED.value
_STARTED: str = EventKind.ACTIVITY_STARTED.value
_DONE: str = EventKind.ACTIVITY_COMPLETED.value


#: the state an activity instance closed in -> the kind of event that records it, as text
#: (what :func:`~wfengine.runtime.history.marker` makes, looked up once per state)
_CLOSED_TEXT = {ActivityState(state): kind.value for state, kind in CLOSED_KINDS.items()}


class Activities(AdHocSets):
    """An activity instance's life."""

    def touch(self, inst: ProcessInstance) -> None:
        """``inst`` goes with this command's changes; the first time, the records of work
        sent back that nothing can take any more go (:func:`drop_unreachable`), before this
        command begins anything that could take one."""
        instances = self.step.instances
        if inst.sent_back and inst.id not in instances:
            drop_unreachable(inst)
        instances[inst.id] = inst  # (NavigatorBase.touch, without a super() call per touch)

    def _begin(self, scope: Scope, ca: CActivity, activation: str | None = "") -> None:
        """A ready activity starts: create its instance and run it (its count is already held).
        ``activation``: an event-based gateway's target, the choice it races in (see
        :class:`~wfengine.runtime.instance.ChoiceBegin`)."""
        if scope.closed:
            return
        inst = scope.instance
        seq = inst.seq + 1
        inst.seq = seq
        aid = f"{inst.id}:{seq}"
        nxt = ca.only_next
        if ca.instant and (
            nxt is not None
            # or an end (no way on) in a plain scope: what _leave's _choose (no way) and
            # _close_activity (nothing of an instant one's to end) do, without the calls
            or (
                not ca.normal
                and ca.otherwise is None
                and not ca.choice
                and not inst.sent_back
                and scope.graph.completion is None
                and not scope.graph.adhoc_sequential
            )
        ):
            # the hot path: nothing to run, one unconditional way on (or none)
            now = self.now
            done = ActivityInstance(aid, ca, scope, A_COMPLETED, now, now)
            inst.activities[aid] = done
            closing = inst.closing
            if closing is not None:  # closed already: the next retire takes it
                closing[aid] = done
            scope.done |= 1 << ca.index
            changes = inst.changes
            changes.append((now, _STARTED, aid, ca.id, None))
            changes.append((now, _DONE, aid, ca.id, None))
            inst.trace.append(ca.id)
            if nxt is None:  # an end: its token goes
                self._release(scope, ca.index)
                return
            target = ca.ready_next
            if target is None:
                self._arrive(scope, nxt)
                self._release(scope, ca.index)
            else:  # as _arrive, _ready and _release: one token in, one out (compiled)
                self._agenda.append((_OP_BEGIN, scope, target))
                if scope.pending:
                    self._pending_scopes[(inst.id, scope.id)] = scope
            return
        if ca.plain_create:  # as _create, inline: none of its tests applies (compiled)
            now = self.now
            ai = ActivityInstance(aid, ca, scope, A_RUNNING, now)
            if inst.sent_back:  # work sent back to its activity: the record is this reach's
                bind_sent_back(ai)
            inst.activities[aid] = ai
            inst.changes.append((now, _STARTED, aid, ca.id, None))
        elif ca.plain_offer:  # a person's work, offered at once: as _create, _start_activity
            now = self.now  # and _run_body, inline (none of their other tests applies)
            ai = ActivityInstance(aid, ca, scope, A_NOT_STARTED, now)
            if inst.sent_back:
                bind_sent_back(ai)
            inst.activities[aid] = ai
            inst.changes.append((now, _CREATED, aid, ca.id, None))
            state = inst.state  # (_run_body's test: a closed instance offers nothing)
            if state is P_RUNNING or not state.is_closed:
                self._offer(ai)
            return
        else:
            created = self._create(scope, ca, aid, activation)
            if created is None:
                return
            ai = created
        # as _run_created, inline: every activity begun passes here
        if ca.instant:
            self._leave(ai)
        elif ca.plain_task:
            self._run_task(ai)
        else:
            self._start_activity(ai)

    def _create(
        self, scope: Scope, ca: CActivity, aid: str, activation: str | None = ""
    ) -> ActivityInstance | None:
        """The instance ``aid`` of ``ca`` begins to exist (created, or started if it runs by
        itself); returns it, or None when it waits for its turn in a sequential ad-hoc set
        (:meth:`_next_turn` starts it). ``activation``: an event-based gateway's target, the
        choice it races in (``""``: reached another way, in none)."""
        inst = scope.instance
        # a person's activity (a standard loop's too) starts when its work does; a
        # multi-instance container runs at once, its instances wait for their people
        manual = ca.offer_first and (ca.loop is None or not ca.loop.multi)
        state = A_NOT_STARTED if manual else A_RUNNING
        now = self.now
        ai = ActivityInstance(aid, ca, scope, state, now)
        if inst.sent_back:  # work sent back to its activity: the record is this reach's
            bind_sent_back(ai)
        if ca.rivals:  # an event-based gateway's target (see :meth:`_begin_choice`)
            ai.activation = activation
        if scope.graph.adhoc_sequential and not ca.offer_first and ca.kind in TAKES_TURN:
            # one at a time: it holds the set while it runs, or waits for its turn
            if turn_taken(scope, self._item_state) is not None:
                ai.state = A_NOT_STARTED
                inst.activities[aid] = ai
                inst.changes.append((now, _CREATED, aid, ca.id, None))
                return None  # started by _next_turn
            ai.running_at = now
        inst.activities[aid] = ai
        inst.changes.append((now, _CREATED if manual else _STARTED, aid, ca.id, None))
        return ai

    def _run_created(self, ai: ActivityInstance) -> None:
        """Run the activity instance :meth:`_create` made."""
        ca = ai.act
        if ca.instant:
            self._leave(ai)
            return
        if ca.plain_task:  # nothing of _start_activity's or _run_body's applies
            self._run_task(ai)
            return
        self._start_activity(ai)

    def _start_activity(self, ai: ActivityInstance) -> None:
        """A new activity instance starts: its Start assignments, deadlines and attached
        events, then its loop, its instances or its body. (An incident on its assignments
        retries from here.)"""
        ca = ai.act
        inst = ai.scope.instance
        if ca.assign_start and not self._set_fields(ai, ca.assign_start, "assign"):
            return
        if ca.deadlines and not self._set_deadlines(ai):
            return  # an incident: a deadline that cannot be set
        if ca.boundaries:
            self._arm(ai)
            if ai.state.is_closed:  # an event that fired at once interrupted it
                return
        loop = ca.loop
        if loop is not None and loop.multi:
            self._start_multi(ai)
            return
        if loop is not None and loop.test_before:
            try:
                again = self._loop_condition(ai)
            except _Failure as exc:
                self._incident(inst, ai, ca.id, "loop", exc.message)
                return
            if not again:
                self._leave(ai, traced=True)  # never ran: not in the trace
                return
        self._run_body(ai)

    def _run_body(self, ai: ActivityInstance) -> None:
        """Do the activity's own work once (one loop iteration, one MI instance)."""
        ca = ai.act
        inst = ai.scope.instance
        # (is_closed asked only of a state other than running: a property call each, and a
        # running activity of a running instance, nearly every one, is neither closed)
        state, inst_state = ai.state, inst.state
        if (state is not A_RUNNING and state.is_closed) or (
            inst_state is not P_RUNNING and inst_state.is_closed
        ):
            return
        loop = ca.loop
        if loop is not None and loop.counter:  # the field the count goes to (compiled)
            inst.data[loop.counter] = ai.mi_index if ai.mi_index is not None else ai.iterations
        kind = ca.kind
        if ca.offer_first:
            self._offer(ai)
            return
        if ca.throws is not None:
            self._throw_event(ai)
            return
        if kind == KIND_NONE:
            self._body_done(ai)
        elif kind == KIND_TASK:
            self._run_task(ai)
        elif kind == KIND_SUBFLOW:
            self._start_subflow(ai)
        elif kind == KIND_SCRIPT:
            self._run_script(ai)
        elif kind == KIND_TIMER:
            self._start_wait(ai)
        elif kind in (KIND_MESSAGE, KIND_SIGNAL):
            self._await_message(ai)  # a signal catch just waits: signals are not kept
        elif kind == KIND_CONDITION:
            self._await_condition(ai)
        elif kind == KIND_BLOCK:
            assert ca.block is not None
            child = self._new_scope(inst, ca.block, ai)
            ai.child_scope = child
            if not ca.block.starts:
                self._scope_done(child)
                return
            self._start_set(child, ca.block.plain_starts)
            if ca.block.event_subs:
                self._arm_scope(child)
        else:
            self._incident(
                inst,
                ai,
                ca.id,
                "run",
                f"{ai.place()}: {ca.unsupported or 'the engine cannot run its implementation'}",
            )

    def _body_done(self, ai: ActivityInstance) -> None:
        """The activity's work finished once: loop again, count an MI instance, or leave.
        A reminder of its completed work item held back past the timer budget ended with
        the item: its incident is resolved (it held the activity into a loop's next round)."""
        ca = ai.act
        inst = ai.scope.instance
        if inst.incidents and ai.work_item is not None:
            item = self._work_item(ai.work_item)
            if item.state is WorkItemState.COMPLETED:
                end_parked_reminders(self, item, held=True)
        container = ai.mi_parent
        if container is not None:
            self._multi_child_done(container, ai)
            return
        if ca.rivals:
            with aborted_by(ai.scope.instance, Cause("gateway", activity=ca.id)):
                self._withdraw_rivals(ai)
        loop = ca.loop
        if loop is not None and not loop.multi:
            ai.iterations += 1
            inst.changes.append(change(self.now, ActivityIterated(ai.iterations), ai.id, ca.id))
            inst.trace.append(ca.id)
            if loop.maximum is None or ai.iterations < loop.maximum:
                try:
                    again = self._loop_condition(ai)
                except _Failure as exc:
                    self._incident(inst, ai, ca.id, "loop", exc.message)
                    return
                if again:
                    self._agenda.append((_OP_BODY, ai, None))
                    return
            self._leave(ai, traced=True)
            return
        self._leave(ai)

    def _loop_condition(self, ai: ActivityInstance) -> bool:
        """Whether a Standard loop runs its body (again). Its counter field, if it names one,
        reads as the count of iterations before the one the test decides (0 for the first),
        the value :meth:`_run_body` gives it when that iteration runs: the field itself
        still holds the previous iteration's count (or, before the first, what it held), so
        a test-before loop would run once too often and the first test would read a stale
        value (from an earlier pass of an outer cycle, say). It is read as a layer over the
        data, not written, so a loop that ends leaves the last iteration's count there."""
        loop = ai.act.loop
        assert loop is not None
        if loop.maximum is not None and ai.iterations >= loop.maximum:
            return False
        if loop.condition is None:
            return False
        if loop.counter:
            return self._holds(ai, loop.condition, {loop.counter: ai.iterations})
        return self._holds(ai, loop.condition)

    def _choose(
        self, ai: ActivityInstance, counters: Mapping[str, int] | None = None
    ) -> list[CTransition]:
        """The ways ``ai`` leaves along: its conditions read its loop counters (those of
        the multi-instance instance it belongs to, ``counters``: those of the instance whose
        completion routes a multi-instance activity's token) over the data."""
        ca = ai.act
        scope = ai.scope
        inst = scope.instance
        chooser = self.ctx.split_chooser
        if chooser is not None:
            ways = (*ca.normal, ca.otherwise) if ca.otherwise is not None else ca.normal
            if len(ways) > 1:
                picked = chooser(inst, ca.id, [ct.id for ct in ways], ca.split == SPLIT_FIRST)
                if picked:
                    named = {picked} if isinstance(picked, str) else set(picked)
                    taken = [ct for ct in ways if ct.id in named]
                    if not taken:
                        raise _Failure(
                            f"{ai.place()}: the split chooser named "
                            f"{sorted(named)!r}, none of its ways "
                            f"({', '.join(ct.id for ct in ways)})"
                        )
                    return taken
        data: MutableMapping[str, Any] = inst.data
        if counters is not None or ai.mi_index is not None or scope.owner is not None:
            data = own_variables(ai, data, counters)  # (a top-level plain one has none)
        chosen: list[CTransition] = []
        for ct in ca.normal:
            cond = ct.condition
            if cond is not None:
                try:
                    ok = cond.holds(data, self._clock, inst.place)
                except ExpressionEvaluationError as exc:
                    raise _Failure(str(exc)) from exc
                if not ok:
                    continue
            chosen.append(ct)
            if ca.split == SPLIT_FIRST:
                break
        if not chosen and ca.otherwise is not None:
            chosen.append(ca.otherwise)
        if not chosen and ca.ends_quietly and ca.normal:
            inst.changes.append(marker(self.now, EventKind.ACTIVITY_THREAD_ENDED, ai.id, ca.id))
        elif not chosen and (ca.normal or ca.otherwise is not None):
            raise _Failure(
                f"{ai.place()}: no outgoing transition's condition holds and there is no "
                "OTHERWISE transition"
            )
        return chosen

    def ways_on(self, ai: ActivityInstance) -> dict[str, CTransition]:
        """The transitions a person may choose for ``ai`` when its decision failed."""
        ca = ai.act
        found = {ct.id: ct for ct in ca.normal}
        if ca.otherwise is not None:
            found[ca.otherwise.id] = ca.otherwise
        return found

    def leave_along(self, ai: ActivityInstance, chosen: list[CTransition]) -> None:
        """Complete ``ai`` along transitions an operator chose (a decision that failed)."""
        self._leave(ai, traced=_traced_before(ai), chosen=chosen)

    def _leave(
        self,
        ai: ActivityInstance,
        *,
        traced: bool = False,
        chosen: list[CTransition] | None = None,
        counters: Mapping[str, int] | None = None,
    ) -> None:
        """Complete ``ai`` and move tokens on; on a failed condition, leave it with an incident.
        ``counters``: what its conditions read as the loop counter (see :meth:`_choose`)."""
        ca = ai.act
        scope = ai.scope
        inst = scope.instance
        if ca.assign_end and not self._set_fields(ai, ca.assign_end, "leave"):
            return
        nxt = ca.only_next  # what _choose finds: one way, no condition, no choice
        if chosen is not None:
            nxt = None
        elif ai.mi is not None and ai.mi.routed:
            chosen = []  # an MI flow condition already routed its token
            nxt = None
        elif nxt is not None:
            pass  # (taken below without a list of one)
        else:
            try:
                chosen = self._choose(ai, counters)
            except _Failure as exc:
                self._incident(inst, ai, ca.id, "leave", exc.message)
                return
        self._close_activity(ai, A_COMPLETED)
        if not traced:
            inst.trace.append(ca.id)
        if ca.terminate:
            with aborted_by(inst, Cause("terminate", ca.id, "Terminate")):
                self._terminate_scope(scope)
            return
        if scope.graph.completion is not None and self._adhoc_complete(scope, ai):
            return
        if nxt is not None and not ca.choice:
            target = ca.ready_next
            if target is not None:  # as _arrive, _ready and _release: one token in, one out
                self._agenda.append((_OP_BEGIN, scope, target))
                if scope.pending:
                    self._pending_scopes[(inst.id, scope.id)] = scope
                return
            self._arrive(scope, nxt)
        elif ca.choice:  # an event-based gateway: its targets begin as one choice
            if chosen is None:
                assert nxt is not None
                chosen = [nxt]
            if inst.messages and scope.graph is inst.compiled.graph:  # started by a message?
                chosen = started_catch_first(scope.graph, ca, chosen, inst.messages[0][0])
            self._begin_choice(scope, ai.id, chosen)
        else:
            assert chosen is not None
            for ct in chosen:
                self._arrive(scope, ct)
        self._release(scope, ca.index)

    def _close_activity(self, ai: ActivityInstance, state: ActivityState) -> None:
        now = self.now
        ai.state = state
        ai.completed_at = now
        scope = ai.scope
        act = ai.act
        inst = scope.instance
        closing = inst.closing
        if closing is not None:  # the next retire looks at it (note_closed, inline)
            closing[ai.id] = ai
            if ai.mi is not None:  # and at its instances, kept while it was open
                note_closed(ai)
        if state is A_COMPLETED:
            scope.done |= 1 << act.index
        if inst.sent_back:  # (a record of work sent back to it, not taken: nobody got it)
            drop_sent_back(ai)
        if ai.performer is not None:
            inst.last_performer = ai.performer
        if ai.incident is not None:
            incident = inst.incidents.get(ai.incident)
            if incident is not None and not incident.resolved:
                end_incident(self, inst, incident)  # (told and audited)
            ai.incident = None
        if inst.incidents and (act.boundaries or act.kind == KIND_BLOCK or ai.mi is not None):
            self._resolve_unarmed(ai)
        inst.changes.append((now, _CLOSED_TEXT[state], ai.id, act.id, None))
        if ai.timers:
            self.step.timers_cancelled.extend(ai.timers)
            if inst.incidents:  # (a timer of it held back past the budget goes with it)
                end_parked_timers(self, inst, ai.timers)
            ai.timers = NO_TIMERS
        if scope.graph.adhoc_sequential and not scope.closed:
            self._next_turn(scope)

    def _resolve_unarmed(self, ai: ActivityInstance) -> None:
        """``ai`` closes: the ``arm`` incidents of its boundary timers (none of which holds
        it), and of the event sub-processes of the activity set it ran (a block), are
        resolved with it, as nothing is left for them to arm; and any other open incident
        naming it (a multi-instance activity's flow condition's, which an engine before one
        incident per activity filed at each instance's completion): nothing is left to retry."""
        inst = ai.scope.instance
        scopes = inst.scopes
        for incident in inst.incidents.values():
            if incident.resolved:
                continue
            if incident.activity_instance_id is None:  # an event sub-process's timer
                scope = scopes.get(incident.scope_id if incident.scope_id is not None else -1)
                mine = incident.operation == "arm" and scope is not None and scope.owner is ai
            else:
                mine = incident.activity_instance_id == ai.id
            if mine:
                end_incident(self, inst, incident)

    def _take_turn(self, ai: ActivityInstance) -> None:
        """Start ``ai``, whose turn in its sequential ad-hoc set came (see :meth:`_next_turn`)
        or which its ad-hoc set created as it began (:meth:`_start_set`), unless it was
        withdrawn meanwhile."""
        if ai.state.is_closed or ai.scope.closed or ai.scope.instance.state.is_closed:
            return
        self._run_created(ai)

    def _route_only(self, ai: ActivityInstance, counters: Mapping[str, int] | None = None) -> bool:
        """Move tokens on for ``ai`` without closing it (MI flow None/One/Complex);
        ``counters``: the loop counter of the instance that completed (see :meth:`_choose`)."""
        try:
            chosen = self._choose(ai, counters)
        except _Failure as exc:
            self._incident(ai.scope.instance, ai, ai.act.id, "leave", exc.message)
            return False
        if ai.act.choice:  # an event-based gateway: each instance's way on is a choice of its own
            mi = ai.mi
            self._begin_choice(ai.scope, f"{ai.id}#{mi.completed if mi else 0}", chosen)
        else:
            for ct in chosen:
                self._arrive(ai.scope, ct)
        return True

    def _exception_transition(self, ca: CActivity, name: str | None) -> CTransition | None:
        if name is not None:
            for ct in ca.exceptions:
                if ct.exception_name == name:
                    return ct
        return ca.default_exception

    def _fail(self, ai: ActivityInstance, operation: str, failure: _Failure) -> None:
        """The activity's work failed: the nearest catch of its error takes it (see
        :mod:`.events`), else an incident."""
        if self._catch_failure(ai, failure):
            return
        self._incident(
            ai.scope.instance,
            ai,
            ai.act.id,
            operation,
            failure.message,
            application_id=failure.application_id,
            attempts=failure.attempts,
        )
