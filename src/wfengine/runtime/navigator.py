"""Token navigation: what one engine command does to the instances it touches.

A :class:`Navigator` lives for one command. It keeps an agenda (FIFO) of ready work, so long
chains and cycles run in a loop rather than by recursion, and the order in which work runs is
fixed by definition order: a run is reproducible. Everything the command changed is collected
in ``step`` for the store to commit together.

Failure policy ("not half-navigated"): every decision that can fail (a condition, a loop or MI
expression, an application call, a parameter mapping) is made *before* the records change.
When it fails, the activity instance stays open, an :class:`Incident` names the instance,
activity, transition and expression, and the rest of the instance carries on where it can.
Retrying the incident (after fixing data or binding an application) redoes exactly the failed
operation. Work completed earlier in the same command is kept, as with save points between
activities.
"""

from __future__ import annotations

import contextlib
import math
from collections import ChainMap, deque
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from wfengine.applications.calling import ToolFailure
from wfengine.definition.model import MIFlowCondition, ParameterMode
from wfengine.errors import ExpressionEvaluationError, LimitError, WorkflowError
from wfengine.runtime.compiler import (
    JOIN_AND,
    JOIN_COMPLEX,
    JOIN_OR,
    JOIN_PASS,
    KIND_BLOCK,
    KIND_NONE,
    KIND_SUBFLOW,
    KIND_TASK,
    SPLIT_FIRST,
    CActivity,
    CDeadline,
    CGraph,
    CompiledProcess,
    CTransition,
)
from wfengine.runtime.context import NavigationContext
from wfengine.runtime.instance import (
    ActivityInstance,
    Incident,
    MultiInstanceState,
    ProcessInstance,
    Scope,
    Timer,
    WorkItem,
)
from wfengine.runtime.jobs import JOB_CONTINUE, JOB_INVOKE, PARKED, Job
from wfengine.runtime.progress import WATCH_FROM, ProgressWatch
from wfengine.runtime.states import ActivityState, ProcessState, WorkItemState
from wfengine.runtime.store import OutboxEntry, Step
from wfengine.runtime.tools import resume_tools, run_tools
from wfengine.runtime.values import check_storable

_RUNNING = ActivityState.RUNNING
_COMPLETED = ActivityState.COMPLETED
_OP_BEGIN = 0
_OP_BODY = 1
#: run the applications of a Tool activity whose person's work item already completed
_OP_TOOLS = 2


class _Failure(Exception):
    """An operation failed; carries what the incident should say and which exception it was
    (and, for a failed application call, which application and how many attempts)."""

    def __init__(
        self,
        message: str,
        exception_name: str | None = None,
        *,
        application_id: str | None = None,
        attempts: int = 0,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exception_name = exception_name
        self.application_id = application_id
        self.attempts = attempts


def _tool_failure(exc: ToolFailure) -> _Failure:
    return _Failure(
        exc.message,
        exc.exception_name,
        application_id=exc.application_id,
        attempts=exc.attempts,
    )


class Navigator:
    def __init__(self, ctx: NavigationContext, now: datetime) -> None:
        self.ctx = ctx
        self.now = now
        self.step = Step()
        self._agenda: deque[tuple[int, Any, Any]] = deque()
        self._pending_scopes: dict[tuple[str, int], Scope] = {}
        self._new_items: dict[str, WorkItem] = {}
        self.watch = ProgressWatch()
        #: process instances this command created (bounded: a recursive fan-out)
        self._created = 0

    def _clock(self) -> datetime:
        return self.now

    def touch(self, inst: ProcessInstance) -> None:
        self.step.instances[inst.id] = inst

    def instance(self, instance_id: str) -> ProcessInstance:
        """An instance, including one created by this command and not yet committed."""
        found = self.step.instances.get(instance_id)
        return found if found is not None else self.ctx.store.instance(instance_id)

    def _work_item(self, work_item_id: str) -> WorkItem:
        found = self._new_items.get(work_item_id)
        return found if found is not None else self.ctx.store.work_item(work_item_id)

    # ------------------------------------------------------------------ instance life cycle

    def new_instance(
        self,
        compiled: CompiledProcess,
        version: int,
        data: Mapping[str, Any] | None,
        *,
        parent: tuple[str, str] | None = None,
        parent_waits: bool = False,
    ) -> ProcessInstance:
        """Create an instance (not started): data fields from InitialValue, then ``data``.

        Raises :class:`~wfengine.errors.WorkflowError` when the command has created as many
        instances as ``RuntimeLimits.max_new_instances`` allows.
        """
        self._created += 1
        if self._created > self.ctx.limits.max_new_instances:
            raise LimitError(
                f"this command already created {self.ctx.limits.max_new_instances} process "
                "instances (RuntimeLimits.max_new_instances)"
            )
        iid = self.ctx.ids.new("pi")
        values: dict[str, Any] = {}
        for fid, init in compiled.data_fields:
            if init is None:
                values[fid] = None
            else:
                values[fid] = init.evaluate(values, self._clock, f"instance {iid!r}")
        for fp in compiled.formal_parameters:
            values.setdefault(fp.id, None)
        if data:
            values.update(data)
        check_storable(values, f"instance {iid!r} of process {compiled.process_id!r}")
        inst = ProcessInstance(
            id=iid,
            process_id=compiled.process_id,
            version=version,
            compiled=compiled,
            state=ProcessState.NOT_STARTED,
            data=values,
            created_at=self.now,
            parent_instance=parent[0] if parent else None,
            parent_activity_instance=parent[1] if parent else None,
            parent_waits=parent_waits,
        )
        inst.changes.append((self.now, "instance.created", None, None, {"version": version}))
        self.touch(inst)
        return inst

    def start_instance(self, inst: ProcessInstance) -> None:
        inst.state = ProcessState.RUNNING
        inst.started_at = self.now
        inst.changes.append((self.now, "instance.state", None, None, ProcessState.RUNNING.value))
        self.touch(inst)
        root = self._new_scope(inst, inst.compiled.graph, None)
        inst.root = root
        if not root.graph.starts:
            self._scope_done(root)
            return
        for idx in root.graph.starts:
            self._ready(root, root.graph.activities[idx])

    def defer(self) -> None:
        """Leave the ready work to ``continue`` jobs instead of running it in this command.

        Each instance's work waits in its ``parked`` list (as work parked by the step budget
        does) and one job per instance hands it to whichever engine or worker claims it
        (:meth:`run_parked`).
        """
        if not self._agenda:
            return
        ctx = self.ctx
        for inst in self._agenda_by_instance().values():
            job = Job(
                id=ctx.ids.new("job"),
                kind=JOB_CONTINUE,
                instance_id=inst.id,
                due=self.now,
                seq=ctx.next_timer_seq(),
            )
            job.key = f"{job.id}/continue"
            self.step.jobs.append(job)
            self.touch(inst)
            inst.changes.append((self.now, "instance.deferred", None, None, job.id))

    def _agenda_by_instance(self) -> dict[str, ProcessInstance]:
        """Move the agenda into its instances' ``parked`` lists; returns those instances."""
        by_instance: dict[str, ProcessInstance] = {}
        for item in self._agenda:
            scope = item[1] if item[0] == _OP_BEGIN else item[1].scope
            inst = scope.instance
            inst.parked.append(item)
            by_instance[inst.id] = inst
        self._agenda.clear()
        return by_instance

    def run_parked(self, inst: ProcessInstance) -> None:
        """Carry on with deferred work (a ``continue`` job); work parked by an exceeded step
        budget waits for its incident to be retried instead."""
        if any(i.operation == "continue" and not i.resolved for i in inst.incidents.values()):
            return
        self.touch(inst)
        self._agenda.extend(inst.parked)
        inst.parked.clear()

    def close_instance(self, inst: ProcessInstance, state: ProcessState) -> None:
        """Close ``inst``: cancel what is open, then notify a waiting parent."""
        self.touch(inst)
        inst.parked.clear()
        cancel_state = (
            ActivityState.ABORTED if state is ProcessState.ABORTED else ActivityState.TERMINATED
        )
        if state is not ProcessState.COMPLETED:  # a completed instance has nothing open
            for ai in list(inst.activities.values()):
                if ai.state.is_open:
                    self._cancel_activity(ai, cancel_state, count=False)
        for scope in inst.scopes.values():
            scope.closed = True
            scope.tokens.clear()
            scope.places.clear()
            scope.pending.clear()
            scope.count = 0
        for incident in inst.incidents.values():
            incident.resolved = True
        inst.state = state
        inst.completed_at = self.now
        inst.changes.append((self.now, "instance.state", None, None, state.value))
        self.step.outbox.append(
            OutboxEntry(f"{inst.id}/closed", "instance.closed", inst.id, state.value)
        )
        if inst.parent_waits and inst.parent_instance is not None:
            self._subflow_closed(inst)

    # ------------------------------------------------------------------ the agenda

    def drain(self, *, defer: bool = False) -> None:
        """Run ready work until nothing more can run without a person, timer or operator.

        ``defer``: run none of it; leave whatever is ready to ``continue`` jobs (conditions
        and joins already decided stay decided; activities are begun by whoever runs the job).
        """
        agenda = self._agenda
        begin = self._begin
        budget = self.ctx.limits.max_steps
        step = 0
        watch = self.watch
        while True:
            if defer and agenda:
                self.defer()
                return
            while agenda:
                budget -= 1
                if budget < 0:
                    self._park()
                    return
                step += 1
                if step >= WATCH_FROM:
                    cycle = watch.repeating(step, agenda, len(agenda))
                    if cycle is not None:
                        self._park(cycle)
                        return
                op, a, b = agenda.popleft()
                if op == _OP_BEGIN:
                    begin(a, b)
                elif op == _OP_BODY:
                    self._run_body(a)
                else:
                    self._run_task(a)
            if not self._pending_scopes:
                return
            self._check_pending_joins()
            if not agenda:
                return

    def _park(self, cycle: list[str] | None = None) -> None:
        """Out of step budget, or in a cycle that makes no progress (see
        :mod:`wfengine.runtime.progress`): set the ready work aside in its instances, each with
        an incident; retrying it carries on."""
        for inst in self._agenda_by_instance().values():
            if cycle is not None:
                shown = " -> ".join(cycle[:12]) + (" -> ..." if len(cycle) > 12 else "")
                message = (
                    f"instance {inst.id!r} loops without progress through {shown}: the same "
                    "activities run again with the same data and nothing waits, so the cycle "
                    "never ends; fix the definition (a condition that can change) or terminate "
                    "the instance"
                )
            else:
                message = (
                    f"instance {inst.id!r} ran more than {self.ctx.limits.max_steps} automatic "
                    "steps in one command (an endless automatic cycle?); retry the incident "
                    "to carry on"
                )
            self._incident(inst, None, cycle[0] if cycle else None, "continue", message)

    def _ready(self, scope: Scope, ca: CActivity) -> None:
        scope.count += 1
        if scope.graph.tracks_places:
            places = scope.places
            places[ca.index] = places.get(ca.index, 0) + 1
        self._agenda.append((_OP_BEGIN, scope, ca))

    def _release(self, scope: Scope, index: int, n: int = 1) -> None:
        """``n`` live things at activity ``index`` of ``scope`` are gone."""
        if scope.graph.tracks_places:
            places = scope.places
            left = places[index] - n
            if left:
                places[index] = left
            else:
                del places[index]
        scope.count -= n
        if scope.pending:
            self._pending_scopes[(scope.instance.id, scope.id)] = scope
        if scope.count == 0 and not scope.closed:
            self._scope_done(scope)

    def _new_scope(
        self, inst: ProcessInstance, graph: CGraph, owner: ActivityInstance | None
    ) -> Scope:
        scope = Scope(id=len(inst.scopes), graph=graph, instance=inst, owner=owner)
        inst.scopes[scope.id] = scope
        return scope

    # ------------------------------------------------------------------ arriving at an activity

    def _arrive(self, scope: Scope, ct: CTransition) -> None:
        """A token moves along ``ct`` to its target."""
        ca = scope.graph.activities[ct.target]
        join = ca.join
        if join == JOIN_PASS:
            self._ready(scope, ca)
            return
        waiting = scope.tokens.get(ca.index)
        if waiting is None:
            waiting = scope.tokens[ca.index] = [0] * ca.n_in
        if join == JOIN_COMPLEX:
            rnd = scope.rounds.get(ca.index)
            if rnd is None:
                rnd = scope.rounds[ca.index] = [0, 0]
            rnd[0] += 1
            scope.pending.add(ca.index)
            self._pending_scopes[(scope.instance.id, scope.id)] = scope
            if rnd[1]:
                return  # already fired this round: the token is absorbed
            waiting[ct.slot] += 1
            scope.count += 1
            if scope.graph.tracks_places:
                scope.places[ca.index] = scope.places.get(ca.index, 0) + 1
            self._try_complex(scope, ca)
            return
        waiting[ct.slot] += 1
        scope.count += 1
        if scope.graph.tracks_places:
            scope.places[ca.index] = scope.places.get(ca.index, 0) + 1
        if join == JOIN_AND:
            while all(waiting):
                for i in range(ca.n_in):
                    waiting[i] -= 1
                self._consume(scope, ca, ca.n_in)
        else:  # JOIN_OR: decided when the work runs out
            scope.pending.add(ca.index)
            self._pending_scopes[(scope.instance.id, scope.id)] = scope

    def _consume(self, scope: Scope, ca: CActivity, n: int) -> None:
        """``n`` waiting tokens fire the join of ``ca``: one ready activity replaces them."""
        self._ready(scope, ca)
        self._release(scope, ca.index, n)

    def _try_complex(self, scope: Scope, ca: CActivity) -> None:
        rnd = scope.rounds[ca.index]
        assert ca.join_condition is not None
        inst = scope.instance
        variables = ChainMap({"arrived": rnd[0], "incoming": ca.n_in}, inst.data)
        try:
            ok = ca.join_condition.evaluate(variables, self._clock, f"instance {inst.id!r}")
        except ExpressionEvaluationError as exc:
            self._incident(inst, None, ca.id, "join", str(exc), scope=scope, join_index=ca.index)
            return
        if ok:
            rnd[1] = 1
            waiting = scope.tokens[ca.index]
            n = sum(waiting)
            for i in range(ca.n_in):
                waiting[i] = 0
            self._consume(scope, ca, n)

    def _check_pending_joins(self) -> None:
        """Fire Inclusive joins that no live token can still reach; close Complex join rounds."""
        scopes = sorted(self._pending_scopes.items())
        self._pending_scopes.clear()
        for _, scope in scopes:
            if scope.closed:
                continue
            for index in sorted(scope.pending):
                ca = scope.graph.activities[index]
                waiting = scope.tokens.get(index)
                if _blocked(ca, scope.places, waiting):
                    continue  # a token can still arrive
                if ca.join == JOIN_OR:
                    scope.pending.discard(index)
                    if waiting is None:
                        continue
                    n = 0
                    for i, c in enumerate(waiting):
                        if c:
                            waiting[i] = c - 1
                            n += 1
                    if any(waiting):
                        scope.pending.add(index)
                        self._pending_scopes[(scope.instance.id, scope.id)] = scope
                    if n:
                        self._consume(scope, ca, n)
                else:  # Complex: the round is over
                    scope.pending.discard(index)
                    scope.rounds.pop(index, None)
                    if waiting is not None and any(waiting):
                        n = sum(waiting)
                        for i in range(ca.n_in):
                            waiting[i] = 0
                        scope.instance.changes.append(
                            (self.now, "join.discarded", None, ca.id, {"tokens": n})
                        )
                        self._release(scope, index, n)

    # ------------------------------------------------------------------ running an activity

    def _begin(self, scope: Scope, ca: CActivity) -> None:
        """A ready activity starts: create its instance and run it (its count is already held)."""
        if scope.closed:
            return
        inst = scope.instance
        seq = inst.seq + 1
        inst.seq = seq
        aid = f"{inst.id}:{seq}"
        nxt = ca.only_next
        if nxt is not None and ca.instant:
            # the hot path: nothing to run, one unconditional way on
            now = self.now
            inst.activities[aid] = ActivityInstance(aid, ca, scope, _COMPLETED, now, now)
            changes = inst.changes
            changes.append((now, "activity.started", aid, ca.id, None))
            changes.append((now, "activity.completed", aid, ca.id, None))
            inst.trace.append(ca.id)
            self._arrive(scope, nxt)
            self._release(scope, ca.index)
            return
        manual = ca.offer_first and ca.loop is None
        state = ActivityState.NOT_STARTED if manual else _RUNNING
        ai = ActivityInstance(aid, ca, scope, state, self.now)
        inst.activities[aid] = ai
        inst.changes.append(
            (self.now, "activity.created" if manual else "activity.started", aid, ca.id, None)
        )
        if ca.instant:
            self._leave(ai)
            return
        for dl in ca.deadlines:
            self._set_deadline(ai, dl)
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
        if ai.state.is_closed or inst.state.is_closed:
            return
        loop = ca.loop
        if loop is not None and loop.counter:
            inst.data[loop.counter] = ai.mi_index if ai.mi_index is not None else ai.iterations
        kind = ca.kind
        if ca.offer_first:
            self._offer(ai)
            return
        if kind == KIND_NONE:
            self._body_done(ai)
        elif kind == KIND_TASK:
            self._run_task(ai)
        elif kind == KIND_SUBFLOW:
            self._start_subflow(ai)
        elif kind == KIND_BLOCK:
            assert ca.block is not None
            child = self._new_scope(inst, ca.block, ai)
            ai.child_scope = child
            if not ca.block.starts:
                self._scope_done(child)
                return
            for idx in ca.block.starts:
                self._ready(child, ca.block.activities[idx])
        else:
            self._incident(
                inst,
                ai,
                ca.id,
                "run",
                f"activity {ca.id!r} has an implementation the engine cannot run "
                "(script task, reference or triggered intermediate event)",
            )

    def _body_done(self, ai: ActivityInstance) -> None:
        """The activity's work finished once: loop again, count an MI instance, or leave."""
        ca = ai.act
        inst = ai.scope.instance
        container = ai.mi_parent
        if container is not None:
            self._multi_child_done(container, ai)
            return
        loop = ca.loop
        if loop is not None and not loop.multi:
            ai.iterations += 1
            inst.changes.append((self.now, "activity.iteration", ai.id, ca.id, ai.iterations))
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
        loop = ai.act.loop
        assert loop is not None
        if loop.maximum is not None and ai.iterations >= loop.maximum:
            return False
        if loop.condition is None:
            return False
        return bool(self._evaluate(ai, loop.condition))

    def _evaluate(
        self, ai: ActivityInstance, expr: Any, extra: Mapping[str, Any] | None = None
    ) -> Any:
        inst = ai.scope.instance
        variables: Mapping[str, Any] = (
            inst.data if extra is None else ChainMap(dict(extra), inst.data)
        )
        try:
            return expr.evaluate(variables, self._clock, f"instance {inst.id!r}")
        except ExpressionEvaluationError as exc:
            raise _Failure(str(exc)) from exc

    # ------------------------------------------------------------------ leaving an activity

    def _choose(self, ai: ActivityInstance) -> list[CTransition]:
        ca = ai.act
        inst = ai.scope.instance
        data = inst.data
        chosen: list[CTransition] = []
        context = f"instance {inst.id!r}"
        for ct in ca.normal:
            cond = ct.condition
            if cond is not None:
                try:
                    ok = cond.evaluate(data, self._clock, context)
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
            inst.changes.append((self.now, "activity.thread_ended", ai.id, ca.id, None))
        elif not chosen and (ca.normal or ca.otherwise is not None):
            raise _Failure(
                f"{context}, activity {ca.id!r}: no outgoing transition's condition holds "
                "and there is no OTHERWISE transition"
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
        self._leave(ai, traced=ai.act.loop is not None, chosen=chosen)

    def _leave(
        self,
        ai: ActivityInstance,
        *,
        traced: bool = False,
        chosen: list[CTransition] | None = None,
    ) -> None:
        """Complete ``ai`` and move tokens on; on a failed condition, leave it with an incident."""
        ca = ai.act
        scope = ai.scope
        inst = scope.instance
        if chosen is not None:
            pass
        elif ai.mi is not None and ai.mi.routed:
            chosen = []  # an MI flow condition already routed its token
        else:
            try:
                chosen = self._choose(ai)
            except _Failure as exc:
                self._incident(inst, ai, ca.id, "leave", exc.message)
                return
        self._close_activity(ai, _COMPLETED)
        if not traced:
            inst.trace.append(ca.id)
        if ca.terminate:
            self._terminate_scope(scope)
            return
        for ct in chosen:
            self._arrive(scope, ct)
        self._release(scope, ca.index)

    def _close_activity(self, ai: ActivityInstance, state: ActivityState) -> None:
        ai.state = state
        ai.completed_at = self.now
        inst = ai.scope.instance
        if ai.incident is not None:
            incident = inst.incidents.get(ai.incident)
            if incident is not None:
                incident.resolved = True
            ai.incident = None
        inst.changes.append(
            (self.now, f"activity.{state.value.rsplit('.', 1)[1]}", ai.id, ai.act.id, None)
        )
        if ai.timers:
            self.step.timers_cancelled.extend(ai.timers)
            ai.timers = []

    def _route_only(self, ai: ActivityInstance) -> bool:
        """Move tokens on for ``ai`` without closing it (MI flow None/One/Complex)."""
        try:
            chosen = self._choose(ai)
        except _Failure as exc:
            self._incident(ai.scope.instance, ai, ai.act.id, "leave", exc.message)
            return False
        for ct in chosen:
            self._arrive(ai.scope, ct)
        return True

    # ------------------------------------------------------------------ exceptions

    def _exception_transition(self, ca: CActivity, name: str | None) -> CTransition | None:
        if name is not None:
            for ct in ca.exceptions:
                if ct.exception_name == name:
                    return ct
        return ca.default_exception

    def _fail(self, ai: ActivityInstance, operation: str, failure: _Failure) -> None:
        """The activity's work failed: follow its exception transition, else an incident."""
        ca = ai.act
        owner = ai.mi_parent or ai
        message = failure.message
        name = failure.exception_name
        ct = self._exception_transition(owner.act, name) if name else None
        if ct is None:
            self._incident(
                ai.scope.instance,
                ai,
                ca.id,
                operation,
                message,
                application_id=failure.application_id,
                attempts=failure.attempts,
            )
            return
        inst = ai.scope.instance
        inst.changes.append((self.now, "activity.exception", ai.id, ca.id, message))
        if ai.mi_parent is not None:
            self._cancel_activity(owner, ActivityState.ABORTED, count=False)
        elif ai.state.is_open:
            self._cancel_activity(ai, ActivityState.ABORTED, count=False)
        self._arrive(owner.scope, ct)
        self._release(owner.scope, owner.act.index)

    # ------------------------------------------------------------------ cancelling

    def _cancel_activity(self, ai: ActivityInstance, state: ActivityState, *, count: bool) -> None:
        """Close an open activity instance and everything running under it."""
        if ai.state.is_closed:
            return
        if ai.work_item is not None:
            self._cancel_work_item(ai)
        if ai.mi is not None:
            for child in ai.mi.children:
                self._cancel_activity(child, state, count=False)
        if ai.child_scope is not None:
            self._cancel_scope(ai.child_scope, state)
        if ai.child_instance is not None:
            child_inst = self.instance(ai.child_instance)
            if child_inst.state.is_open and child_inst.parent_waits:
                child_inst.parent_waits = False
                self.close_instance(
                    child_inst,
                    ProcessState.ABORTED
                    if state is ActivityState.ABORTED
                    else ProcessState.TERMINATED,
                )
        self._close_activity(ai, state)
        if count:
            self._release(ai.scope, ai.act.index)

    def _cancel_scope(self, scope: Scope, state: ActivityState) -> None:
        scope.closed = True
        inst = scope.instance
        for ai in list(inst.activities.values()):
            if ai.scope is scope and ai.state.is_open:
                self._cancel_activity(ai, state, count=False)
        scope.tokens.clear()
        scope.places.clear()
        scope.pending.clear()
        scope.rounds.clear()
        scope.count = 0
        # ready-but-not-begun work of this scope is skipped by _begin's closed check
        self._agenda = deque(item for item in self._agenda if item[1] is not scope)

    def _terminate_scope(self, scope: Scope) -> None:
        """A Terminate end event: cancel the rest of its scope, which then completes."""
        self._cancel_scope(scope, ActivityState.TERMINATED)
        scope.closed = False
        self._scope_done(scope)

    def _cancel_work_item(self, ai: ActivityInstance) -> None:
        assert ai.work_item is not None
        item = self._work_item(ai.work_item)
        if item.state is WorkItemState.OFFERED:
            item.state = WorkItemState.CANCELLED
            item.completed_at = self.now
            self.step.work_items.append(item)
        ai.work_item = None

    # ------------------------------------------------------------------ scope completion

    def _scope_done(self, scope: Scope) -> None:
        """Nothing is live in ``scope`` any more: implicit termination of the scope."""
        scope.closed = True
        owner = scope.owner
        if owner is None:
            inst = scope.instance
            if inst.state is ProcessState.RUNNING:
                self.close_instance(inst, ProcessState.COMPLETED)
            return
        owner.child_scope = None
        if owner.state.is_open:
            self._body_done(owner)

    # ------------------------------------------------------------------ manual work

    def _offer(self, ai: ActivityInstance) -> None:
        inst = ai.scope.instance
        directory = self.ctx.directory
        assignees: list[str] = []
        for p in ai.act.performers:
            for m in directory.members(p):
                if m not in assignees:
                    assignees.append(m)
        item = WorkItem(
            id=self.ctx.ids.new("wi"),
            instance_id=inst.id,
            activity_instance_id=ai.id,
            activity_id=ai.act.id,
            performers=ai.act.performers,
            assignees=tuple(assignees),
            state=WorkItemState.OFFERED,
            created_at=self.now,
            mi_index=ai.mi_index,
        )
        ai.work_item = item.id
        self._new_items[item.id] = item
        self.step.work_items.append(item)
        self.step.outbox.append(
            OutboxEntry(f"{item.id}/offered", "work_item.offered", inst.id, item.id)
        )
        inst.changes.append((self.now, "work_item.offered", ai.id, ai.act.id, item.id))

    def complete_work_item(self, item: WorkItem, data: Mapping[str, Any] | None) -> None:
        inst = self.instance(item.instance_id)
        ai = inst.activities[item.activity_instance_id]
        self.touch(inst)
        item.state = WorkItemState.COMPLETED
        item.completed_at = self.now
        self.step.work_items.append(item)
        ai.work_item = None
        if data:
            inst.data.update(data)
        inst.changes.append((self.now, "work_item.completed", ai.id, ai.act.id, item.id))
        if ai.state is ActivityState.NOT_STARTED:
            ai.state = _RUNNING
            inst.changes.append((self.now, "activity.started", ai.id, ai.act.id, None))
        if ai.act.kind == KIND_TASK and ai.act.offer_first:
            self._run_task(ai)  # a Manual start: the person came first, now the applications
        else:
            self._body_done(ai)

    # ------------------------------------------------------------------ applications

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
        if ai.act.offer_after:
            self._offer(ai)  # a Manual finish: a person confirms what the applications did
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
        self.watch.calls += 1  # the world an application talks to may have changed

        def evaluate(expr: Any, staged: Mapping[str, Any]) -> Any:
            return self._evaluate(ai, expr, staged or None)

        try:
            if resume is None:
                request = run_tools(self.ctx.applications, ai, self.now, evaluate)
            else:
                request = resume_tools(self.ctx.applications, ai, self.now, evaluate, *resume)
        except ToolFailure as exc:
            raise _tool_failure(exc) from exc
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
        ai.timers.append(job.id)
        self.step.jobs.append(job)
        ai.scope.instance.changes.append(
            (
                self.now,
                "application.queued",
                ai.id,
                ai.act.id,
                {"application": request.payload["application_id"], "key": job.key, "job": job.id},
            )
        )
        return True

    # ------------------------------------------------------------------ subflows

    def _start_subflow(self, ai: ActivityInstance) -> None:
        sub = ai.act.subflow
        assert sub is not None
        inst = ai.scope.instance
        where = f"instance {inst.id!r}, activity {ai.act.id!r}"
        deployed = self.ctx.latest(sub.process_id)
        if deployed is None:
            refusal = self.ctx.refusal(sub.process_id)
            why = f" ({refusal})" if refusal is not None else ""
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: subflow process {sub.process_id!r} is not deployed{why}",
            )
            return
        if inst.depth + 1 > self.ctx.limits.max_subflow_depth:
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: a subflow {inst.depth + 1} levels deep is more than "
                f"RuntimeLimits.max_subflow_depth ({self.ctx.limits.max_subflow_depth}) "
                "allows: a recursion that does not end?",
            )
            return
        formals = deployed.compiled.formal_parameters
        if len(formals) != len(sub.actuals):
            self._incident(
                inst,
                ai,
                ai.act.id,
                "run",
                f"{where}: process {sub.process_id!r} has {len(formals)} formal parameters, "
                f"the subflow gives {len(sub.actuals)}",
            )
            return
        values: dict[str, Any] = {}
        try:
            for fp, actual in zip(formals, sub.actuals, strict=True):
                if fp.mode in (ParameterMode.IN, ParameterMode.INOUT) and actual is not None:
                    values[fp.id] = self._evaluate(ai, actual)
        except _Failure as exc:
            self._incident(inst, ai, ai.act.id, "run", exc.message)
            return
        try:
            child = self.new_instance(
                deployed.compiled,
                deployed.version,
                values,
                parent=(inst.id, ai.id),
                parent_waits=sub.synchronous,
            )
        except WorkflowError as exc:
            self._incident(inst, ai, ai.act.id, "run", f"{where}: {exc}")
            return
        child.depth = inst.depth + 1
        ai.child_instance = child.id
        inst.changes.append((self.now, "subflow.started", ai.id, ai.act.id, child.id))
        self.start_instance(child)
        if not sub.synchronous:
            self._body_done(ai)

    def _subflow_closed(self, child: ProcessInstance) -> None:
        assert child.parent_instance is not None and child.parent_activity_instance is not None
        parent = self.instance(child.parent_instance)
        ai = parent.activities.get(child.parent_activity_instance)
        if ai is None or ai.state.is_closed or parent.state.is_closed:
            return
        self.touch(parent)
        if parent.state is ProcessState.SUSPENDED:
            return  # picked up by resume()
        self.subflow_result(parent, ai, child)

    def subflow_result(
        self, parent: ProcessInstance, ai: ActivityInstance, child: ProcessInstance
    ) -> None:
        ai.child_instance = None
        if child.state is not ProcessState.COMPLETED:
            self._fail(
                ai,
                "run",
                _Failure(
                    f"instance {parent.id!r}, activity {ai.act.id!r}: subflow instance "
                    f"{child.id!r} ended {child.state.value}",
                    "SubflowFailed",
                ),
            )
            return
        sub = ai.act.subflow
        assert sub is not None
        for fp, text in zip(child.compiled.formal_parameters, sub.actual_texts, strict=False):
            if fp.mode in (ParameterMode.OUT, ParameterMode.INOUT):
                parent.data[text] = child.data.get(fp.id)
        self._body_done(ai)

    # ------------------------------------------------------------------ multi-instance

    def _start_multi(self, ai: ActivityInstance) -> None:
        loop = ai.act.loop
        assert loop is not None and loop.count is not None
        inst = ai.scope.instance
        try:
            total = self._mi_count(ai)
        except _Failure as exc:
            self._incident(inst, ai, ai.act.id, "run", exc.message)
            return
        ai.mi = MultiInstanceState(total=total)
        inst.changes.append((self.now, "mi.started", ai.id, ai.act.id, total))
        if total == 0:
            self._leave(ai)
            return
        n = total if loop.parallel else 1
        for _ in range(n):
            self._spawn_child(ai)

    def _mi_count(self, ai: ActivityInstance) -> int:
        loop = ai.act.loop
        assert loop is not None and loop.count is not None
        value = self._evaluate(ai, loop.count)
        where = f"instance {ai.scope.instance.id!r}, activity {ai.act.id!r}: the MI condition"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise _Failure(
                f"{where} {loop.count.text!r} gave {value!r}, expected a count (a whole number "
                ">= 0)"
            )
        most = self.ctx.limits.max_mi_instances
        if value > most:
            raise _Failure(
                f"{where} {loop.count.text!r} gave {value!r}, more instances than "
                f"RuntimeLimits.max_mi_instances ({most}) allows"
            )
        return int(value)

    def _spawn_child(self, container: ActivityInstance) -> None:
        mi = container.mi
        assert mi is not None
        inst = container.scope.instance
        inst.seq += 1
        child = ActivityInstance(
            f"{inst.id}:{inst.seq}",
            container.act,
            container.scope,
            ActivityState.NOT_STARTED if container.act.offer_first else _RUNNING,
            self.now,
            mi_parent=container,
            mi_index=mi.started,
        )
        mi.started += 1
        mi.children.append(child)
        inst.activities[child.id] = child
        inst.changes.append((self.now, "activity.started", child.id, child.act.id, None))
        self._agenda.append((_OP_BODY, child, None))

    def _multi_child_done(self, container: ActivityInstance, child: ActivityInstance) -> None:
        mi = container.mi
        assert mi is not None
        loop = container.act.loop
        assert loop is not None
        inst = container.scope.instance
        self._close_activity(child, _COMPLETED)
        inst.trace.append(child.act.id)
        mi.completed += 1
        if not loop.parallel:
            with contextlib.suppress(_Failure):  # on failure keep the count known so far
                mi.total = max(mi.total, mi.completed, self._mi_count(container))
        flow = loop.flow
        if not mi.routed:
            route = False
            if flow is MIFlowCondition.NONE or flow is MIFlowCondition.ONE:
                route = True
            elif flow is MIFlowCondition.COMPLEX:
                assert loop.flow_condition is not None
                try:
                    route = bool(
                        self._evaluate(
                            container,
                            loop.flow_condition,
                            {"completed": mi.completed, "instances": mi.total},
                        )
                    )
                except _Failure as exc:
                    self._incident(inst, container, container.act.id, "leave", exc.message)
                    return
            if route and mi.completed < mi.total:
                if not self._route_only(container):
                    return
                if flow is not MIFlowCondition.NONE:
                    mi.routed = True
        if mi.completed >= mi.total:
            # flow None: the last instance's token flows here, like the others' did
            self._leave(container, traced=True)
            return
        if not loop.parallel and mi.started < mi.total:
            self._spawn_child(container)

    # ------------------------------------------------------------------ deadlines

    def _set_deadline(self, ai: ActivityInstance, dl: CDeadline) -> None:
        inst = ai.scope.instance
        due: datetime
        if isinstance(dl.duration, timedelta):
            due = self.now + dl.duration
        else:
            try:
                value = self._evaluate(ai, dl.duration)
            except _Failure as exc:
                inst.changes.append((self.now, "deadline.invalid", ai.id, ai.act.id, exc.message))
                return
            found = _deadline_due(value, self.now, self.ctx.limits.max_deadline)
            if isinstance(found, str):
                inst.changes.append((self.now, "deadline.invalid", ai.id, ai.act.id, found))
                return
            due = found
        ctx = self.ctx
        timer = Timer(
            id=ctx.ids.new("tm"),
            due=due,
            instance_id=inst.id,
            activity_instance_id=ai.id,
            deadline_index=dl.index,
            seq=ctx.next_timer_seq(),
        )
        ai.timers.append(timer.id)
        self.step.timers_set.append(timer)

    def fire_timer(self, timer: Timer) -> None:
        self.step.timers_cancelled.append(timer.id)
        inst = self.instance(timer.instance_id)
        ai = inst.activities.get(timer.activity_instance_id)
        if ai is None or ai.state.is_closed or inst.state is not ProcessState.RUNNING:
            return
        self.touch(inst)
        if timer.id in ai.timers:
            ai.timers.remove(timer.id)
        inst.timer_firings += 1
        most = self.ctx.limits.max_timer_firings
        if inst.timer_firings > most:
            self._incident(
                inst,
                ai,
                ai.act.id,
                "deadlock",
                f"instance {inst.id!r} fired more than {most} deadline timers "
                "(RuntimeLimits.max_timer_firings): a deadline that leads back to its own "
                "activity re-arms itself for ever; terminate or abort the instance",
            )
            return
        dl = ai.act.deadlines[timer.deadline_index]
        ct = self._exception_transition(ai.act, dl.exception_name)
        inst.changes.append((self.now, "deadline.fired", ai.id, ai.act.id, dl.exception_name))
        if ct is None:
            inst.changes.append(
                (self.now, "deadline.unhandled", ai.id, ai.act.id, dl.exception_name)
            )
            return
        if dl.synchronous:
            self._cancel_activity(ai, ActivityState.TERMINATED, count=False)
            self._arrive(ai.scope, ct)
            self._release(ai.scope, ai.act.index)
        else:
            self._arrive(ai.scope, ct)

    # ------------------------------------------------------------------ incidents

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
    ) -> None:
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
        if ai is not None:
            ai.incident = incident.id
        self.touch(inst)
        inst.changes.append(
            (self.now, "incident.opened", incident.activity_instance_id, activity_id, message)
        )
        self.step.outbox.append(
            OutboxEntry(f"{incident.id}/opened", "incident.opened", inst.id, incident.id)
        )

    def job_failed(self, inst: ProcessInstance, job: Job, message: str) -> None:
        """A job's run failed (or was stopped): an incident, and the job parked until the
        incident is retried (in the same step, so neither happens without the other)."""
        self._incident(inst, None, None, "job", message, job_id=job.id)
        self.step.job_done = job.id
        self.step.job_again_at = PARKED

    def retry(self, incident: Incident) -> None:
        inst = self.instance(incident.instance_id)
        self.touch(inst)
        incident.resolved = True
        inst.changes.append(
            (
                self.now,
                "incident.retried",
                incident.activity_instance_id,
                incident.activity_id,
                incident.id,
            )
        )
        if incident.operation == "continue":
            self._agenda.extend(inst.parked)
            inst.parked.clear()
            return
        if incident.operation == "job":
            assert incident.job_id is not None
            self.step.job_done = incident.job_id  # the parked job is due again now
            self.step.job_again_at = self.now
            return
        if incident.operation == "join":
            assert incident.scope_id is not None and incident.join_index is not None
            scope = inst.scopes[incident.scope_id]
            self._try_complex(scope, scope.graph.activities[incident.join_index])
            return
        assert incident.activity_instance_id is not None
        ai = inst.activities[incident.activity_instance_id]
        ai.incident = None
        if incident.operation == "leave":
            if ai.mi_parent is not None:
                self._multi_child_done(ai.mi_parent, ai)
            elif ai.mi is not None and ai.mi.completed < ai.mi.total:
                self._route_only(ai)
            else:
                self._leave(ai, traced=ai.act.loop is not None)
        elif incident.operation == "loop":
            try:
                again = self._loop_condition(ai)
            except _Failure as exc:
                self._incident(inst, ai, ai.act.id, "loop", exc.message)
                return
            if again:
                self._agenda.append((_OP_BODY, ai, None))
            else:
                self._leave(ai, traced=ai.iterations > 0)
        elif ai.act.loop is not None and ai.act.loop.multi and ai.mi is None:
            self._start_multi(ai)
        else:
            # through the agenda, so an engine that defers automatic work leaves the call
            # to a worker; a Tool whose person already did their part only calls again
            op = _OP_TOOLS if ai.act.kind == KIND_TASK and ai.act.offer_first else _OP_BODY
            self._agenda.append((op, ai, None))

    def find_deadlocks(self, inst: ProcessInstance) -> None:
        """Open instances with tokens stuck at joins and nothing running get a deadlock incident."""
        if inst.state is not ProcessState.RUNNING or inst.parked:  # parked: work still to do
            return
        if not any(any(w) for scope in inst.scopes.values() for w in scope.tokens.values()):
            return
        if any(ai.state.is_open for ai in inst.activities.values()):
            return
        if any(not i.resolved for i in inst.incidents.values()):
            return
        stuck = [
            scope.graph.activities[idx].id
            for scope in inst.scopes.values()
            if not scope.closed
            for idx, waiting in scope.tokens.items()
            if any(waiting)
        ]
        if stuck:
            self._incident(
                inst,
                None,
                stuck[0],
                "deadlock",
                f"instance {inst.id!r} is deadlocked: tokens wait at join(s) {stuck} that can "
                "never fire, and nothing else is running; terminate or abort it",
            )


def _deadline_due(value: Any, now: datetime, longest: timedelta) -> datetime | str:
    """When a deadline whose expression gave ``value`` is due, or why it cannot be one."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, timedelta):
        after = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return f"deadline gave {value!r}; expected a finite number of seconds"
        if not 0 <= value <= longest.total_seconds():
            return f"deadline gave {value!r} seconds; expected 0 to {longest.total_seconds():.0f}"
        after = timedelta(seconds=value)
    else:
        return f"deadline gave {value!r}; expected seconds, a timedelta or a datetime"
    if not timedelta(0) <= after <= longest:
        return f"deadline gave {after}; expected a duration from 0 to {longest}"
    try:
        return now + after
    except OverflowError:
        return f"deadline gave {after}, which ends after the last date the engine can hold"


def _blocked(ca: CActivity, places: dict[int, int], waiting: list[int] | None) -> bool:
    """Can a live token still reach the OR/Complex join ``ca``? (see the compiler's notes)"""
    up = ca.upstream
    live = [p for p in places if p in up]
    if not live:
        return False
    if ca.join != JOIN_OR or not waiting:
        return True
    filled = [s for s, c in zip(ca.slot_upstream, waiting, strict=True) if c]
    empty = [s for s, c in zip(ca.slot_upstream, waiting, strict=True) if not c]
    return any(any(p in s for s in empty) and not any(p in s for s in filled) for p in live)
