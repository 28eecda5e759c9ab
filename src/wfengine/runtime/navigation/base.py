"""What every part of the navigator shares: the command's state, reads, and failures.

The :class:`~wfengine.runtime.navigation.Navigator` is one class assembled from one mixin per
construct (:mod:`.agenda`, :mod:`.lifecycle`, :mod:`.joins`, :mod:`.activities`, :mod:`.work`,
:mod:`.subflows`, :mod:`.multi`, :mod:`.deadlines`, :mod:`.incidents`). This base holds the
state they share and declares the methods one part calls in another, so each module reads on
its own and the type checker sees every call.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any, Protocol, cast

from wfengine.applications.calling import ToolFailure
from wfengine.errors import ExpressionEvaluationError
from wfengine.runtime.command_origin import StateOrigin
from wfengine.runtime.compiler import (
    CActivity,
    CBoundary,
    CEventSub,
    CGraph,
    CompiledProcess,
    CTransition,
)
from wfengine.runtime.context import NavigationContext
from wfengine.runtime.instance import (
    ActivityInstance,
    Incident,
    ProcessInstance,
    Scope,
    Timer,
    WorkItem,
)
from wfengine.runtime.jobs import PARKED, Job, granted, held_back
from wfengine.runtime.loop_counters import own_variables
from wfengine.runtime.progress import ProgressWatch
from wfengine.runtime.states import ActivityState
from wfengine.runtime.store import Step


class Op(IntEnum):
    """What a piece of queued work does."""

    #: begin an activity that became ready: ``(BEGIN, scope, activity)``
    BEGIN = 0
    #: run an activity instance's body again (a loop iteration, an MI instance):
    #: ``(BODY, activity instance, None)``
    BODY = 1
    #: run the applications of a Tool activity whose person's work item already completed:
    #: ``(TOOLS, activity instance, None)``
    TOOLS = 2
    #: start an activity of a sequential ad-hoc set that waited for its turn:
    #: ``(START, activity instance, None)``
    START = 3


#: one piece of queued work. A plain tuple rather than a NamedTuple: the navigator queues one
#: per activity, and building a NamedTuple costs several times as much (measured)
Work = tuple[int, Any, Any]

_OP_BEGIN, _OP_BODY, _OP_TOOLS, _OP_START = Op


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


def _traced_before(ai: ActivityInstance) -> bool:
    """Is ``ai`` in its instance's trace already, so that leaving it adds nothing? A loop's
    iterations and a multi-instance activity's instances were traced as each completed; a
    multi-instance activity none of whose instances completed (a count of 0, or its flow
    condition held on the data first, WCP27) is traced when it leaves, as a plain one."""
    return ai.act.loop is not None and (ai.mi is None or ai.mi.completed > 0)


class _JobReads(Protocol):
    """The store read a parked job needs beyond the navigator's ``Reads``: the job, if it
    still exists. (Every :class:`~wfengine.runtime.store.Store` has it.)"""

    def job(self, job_id: str) -> Job | None: ...


class _Watch:
    """A navigator's :class:`~wfengine.runtime.progress.ProgressWatch`, made when first asked
    (at the step the watch starts looking) and kept in the navigator from then on (a
    non-data descriptor: the instance's own attribute wins). Why: most commands make a few
    steps, and made one all the same; one that calls an application made one to count the
    call (an object, a dict, two Python calls): :attr:`NavigatorBase.calls` counts them."""

    def __get__(self, nav: NavigatorBase | None, owner: object = None) -> ProgressWatch:
        if nav is None:  # (read on the class)
            return self  # type: ignore[return-value]
        # (an attribute set, not nav.__dict__: asking for an object's __dict__ ends Python
        # 3.11's inline attributes, and every later read of the navigator's was slower)
        watch = nav.watch = ProgressWatch()
        return watch


#: makes an object without its class's ``__init__`` (a Step whose fields are set at once)
_new = object.__new__


class NavigatorBase:
    """The state of one command's navigation (see :mod:`wfengine.runtime.navigation`)."""

    #: the command's progress watch, made when first asked (see :class:`_Watch`)
    watch: ProgressWatch = cast(ProgressWatch, _Watch())
    # the counts and marks below start as these class attributes, set on the navigator only
    # once written (plain values: nothing shared is changed): a navigator is made per command
    #: process instances this command created (bounded: a recursive fan-out), the
    #: stretches of its run before it included
    created: int = 0
    #: application calls (and kept messages taken) so far: progress the watch reads when it
    #: looks (``Agenda.drain`` hands it over); counted here, not on a watch made to count
    calls: int = 0
    #: activity instances this command gave a call key (see :meth:`call_key`)
    _keyed: int = 0
    #: the process instance keyed last, and its keys' first part (``origin@mark.``)
    _keyed_in: object = None
    _key_prefix: str = ""
    #: automatic steps run before this command in the same run (earlier stretches):
    #: counted against the step budget
    spent: int = 0
    #: the ``continue`` jobs this command left for the rest of a long run (see
    #: ``RuntimeLimits.commit_every``); the engine runs them once it committed (a new
    #: sequence each time one is added: this empty one is every navigator's first)
    stretched: Sequence[Job] = ()

    def __init__(self, ctx: NavigationContext, now: datetime) -> None:
        self.ctx = ctx
        self.now = now
        self.step = step = _new(Step)  # (the fields set here: no dataclass __init__ call)
        step.instances = {}
        step.work_items = []
        step.timers_set = []
        step.timers_cancelled = []
        step.outbox = []
        step.jobs = []
        step.job_done = step.job_again_at = None
        self._agenda: deque[Work] = deque()
        self._pending_scopes: dict[tuple[str, int], Scope] = {}
        self._new_items: dict[str, WorkItem] = {}
        #: multi-instance activities this command started: their flow condition is not
        #: tested again for a data change before an instance of theirs completed (see
        #: ``Events._test_mi_flow``)
        self.started_mi: set[str] = set()

    def call_key(self, ai: ActivityInstance) -> str:
        """The first part of the idempotency keys of ``ai``'s application calls: the
        command's origin and how many activity instances it keyed before, kept on ``ai`` for
        its later calls (an incident's retry sends the failed call's key again).

        Why not the activity instance's id: that comes from the instance's counter, which
        two commands racing on one instance both count on from the same value. The loser's
        call, made before its commit failed, and the winner's committed call for another
        activity then had one key, and a service that keeps answers by key dropped the
        second call as a repeat; the loser, run again, called again with another id. The
        origin differs between the two commands and stays the same when the loser runs
        again, which calls in the same order.

        A host's command (not a job's) has an origin that says what it is
        (:class:`~wfengine.runtime.command_origin.StateOrigin`: the same in every process),
        marked per process instance with the number of the first activity instance it keyed
        there, which comes from the stored state the command read: run again after its host
        died before the commit, the command calls with the same keys; run again after a lost
        race, it keeps the marks of its first run (see :mod:`~wfengine.runtime.command_origin`
        for why two commands never share a key)."""
        key = ai.call_key
        if key is None:
            self._keyed += 1
            inst = ai.scope.instance
            if inst is not self._keyed_in:  # (once per instance a command keys calls in:
                self._key_prefix = self._call_key_prefix(ai)  # a chain of 100 calls, once)
                self._keyed_in = inst
            key = ai.call_key = f"{self._key_prefix}{self._keyed}"
        return key

    def _call_key_prefix(self, ai: ActivityInstance) -> str:
        """What every call key of ``ai``'s process instance starts with in this command: the
        command's origin, marked for a host's command (see :meth:`call_key`), and a dot."""
        origin = self.ctx.command_origin
        if isinstance(origin, StateOrigin):
            instance_id, _, number = ai.id.rpartition(":")
            origin = f"{origin}@{origin.marks.setdefault(instance_id, number)}"
        return f"{origin}."

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

    def _job(self, job_id: str) -> Job | None:
        """Job ``job_id`` as stored (None once it is gone): read only for a parked one."""
        return cast(_JobReads, self.ctx.store).job(job_id)  # (every Store reads jobs)

    def _evaluate(
        self, ai: ActivityInstance, expr: Any, extra: Mapping[str, Any] | None = None
    ) -> Any:
        scope = ai.scope
        inst = scope.instance
        variables = (  # (most: a top-level activity, no loop counter to lay over the data)
            inst.data
            if extra is None and ai.mi_index is None and scope.owner is None
            else own_variables(ai, inst.data, extra)
        )
        try:
            return expr.evaluate(variables, self._clock, inst.place)
        except ExpressionEvaluationError as exc:
            raise _Failure(str(exc)) from exc

    def _holds(
        self, ai: ActivityInstance, expr: Any, extra: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether condition ``expr`` holds, tested as its language tests one
        (``CompiledExpression.holds``); a failure as :meth:`_evaluate`'s."""
        scope = ai.scope
        inst = scope.instance
        variables = (
            inst.data
            if extra is None and ai.mi_index is None and scope.owner is None
            else own_variables(ai, inst.data, extra)
        )
        try:
            return bool(expr.holds(variables, self._clock, inst.place))
        except ExpressionEvaluationError as exc:
            raise _Failure(str(exc)) from exc

    # -- implemented by the construct modules -------------------------------------------

    def _begin(self, scope: Scope, ca: CActivity, activation: str | None = "") -> None:
        raise NotImplementedError

    def _arrive(self, scope: Scope, ct: CTransition) -> None:
        raise NotImplementedError

    def _body_done(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _cancel_activity(self, ai: ActivityInstance, state: ActivityState, *, count: bool) -> None:
        raise NotImplementedError

    def _cancel_work_item(self, ai: ActivityInstance, item: WorkItem | None = None) -> None:
        raise NotImplementedError

    def _check_pending_joins(self) -> None:
        raise NotImplementedError

    def _close_activity(self, ai: ActivityInstance, state: ActivityState) -> None:
        raise NotImplementedError

    def _exception_transition(self, ca: CActivity, name: str | None) -> CTransition | None:
        raise NotImplementedError

    def _fail(self, ai: ActivityInstance, operation: str, failure: _Failure) -> None:
        raise NotImplementedError

    def _may_fire(
        self, inst: ProcessInstance, ai: ActivityInstance | None, at: str, job_id: str
    ) -> bool:
        """Count one more timer firing of ``inst`` (a deadline, a timer event, an event
        sub-process's timer, a reminder: job ``job_id``, of activity ``at``) and say whether
        it may fire. Once ``RuntimeLimits.max_timer_firings`` have, it may not: it is held
        back (:meth:`_hold_back`), unless it was held back and an operator retried its
        incident: that one fires, once, past the budget (and counts), whichever engine runs
        its job and whatever its limits (a worker's defaults), as the incident says; a later
        timer past the budget is held back again.

        Why every kind: a repeating cycle (``R/PT0.001S``, ``wfengine:reminder-every``)
        re-arms itself for ever, and each firing of a reminder is a notification to people.
        Why a retry passes: the budget guards against timers that fire by themselves for
        ever; a person decided this one, and the one who retried it from the command line
        could not raise the limits of the worker that runs it (it was held again)."""
        most = self.ctx.limits.max_timer_firings
        if inst.timer_firings < most:
            inst.timer_firings += 1
            return True
        job = self._job(job_id) if self.step.job_done == job_id else None
        if job is not None and granted(job):
            inst.timer_firings += 1
            return True
        self._hold_back(inst, ai, at, job_id, job)
        return False

    def _hold_back(
        self,
        inst: ProcessInstance,
        ai: ActivityInstance | None,
        at: str,
        job_id: str,
        job: Job | None,
    ) -> None:
        """Keep timer (or reminder) job ``job_id``, due past ``inst``'s timer budget, as it
        is, unfired: its command parks it with an incident of its own (operation ``job``,
        naming ``ai``, which it holds when no other incident does), whose retry makes it due
        again, to fire once past the limit (:meth:`_may_fire`); withdrawn with its activity (its
        timers as it closes, its work item's reminders as the item completes or is withdrawn),
        it is resolved with it, whether it held the activity or not (two timers of one
        activity held back are two incidents naming it). A timer a resume fires because it
        fell due while the instance was paused (not this command's job) stays due: its own
        job parks it.

        Why not drop it, as before: only the first timer past the budget opened an incident,
        on its own activity, whose closing resolved it; a timer event or a synchronous
        deadline reached later did nothing, and the instance ran on with nothing to act on."""
        step = self.step
        if job_id in step.timers_cancelled:  # (taken as fired before its budget was asked)
            step.timers_cancelled.remove(job_id)
        if step.job_done != job_id:
            return
        if job is None:  # (its command runs it: it is there)
            step.job_again_at = PARKED
        else:  # parked anew, when it was due kept in it (deleted and stored again, one step)
            step.jobs.append(held_back(job))
        most = self.ctx.limits.max_timer_firings
        self._incident(
            inst,
            ai,
            at,
            "job",
            f"{inst.place()}, activity {at!r}: timer job {job_id!r} is held back: the instance "
            f"fired {inst.timer_firings:,} timers and RuntimeLimits.max_timer_firings allows "
            f"{most:,} (deadlines, timer events, repeating cycles, reminders: a timer that "
            "re-arms itself would fire for ever); it waits, parked: retry the incident to fire "
            "it once past the limit (audited as the incident's retry; a later timer past the "
            "limit is held back again: raise the limit, Engine(limits=...), to let them fire), "
            "or terminate or abort the instance",
            job_id=job_id,
            hold=ai is not None and ai.incident is None,  # (one holds it at a time)
        )

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
        raise NotImplementedError

    def _leave(
        self,
        ai: ActivityInstance,
        *,
        traced: bool = False,
        chosen: list[CTransition] | None = None,
        counters: Mapping[str, int] | None = None,
    ) -> None:
        raise NotImplementedError

    def _loop_condition(self, ai: ActivityInstance) -> bool:
        raise NotImplementedError

    def _multi_child_done(self, container: ActivityInstance, child: ActivityInstance) -> None:
        raise NotImplementedError

    def _new_scope(
        self, inst: ProcessInstance, graph: CGraph, owner: ActivityInstance | None
    ) -> Scope:
        raise NotImplementedError

    def _offer(self, ai: ActivityInstance, again: bool = False) -> None:
        raise NotImplementedError

    def _ready(self, scope: Scope, ca: CActivity) -> None:
        raise NotImplementedError

    def _release(self, scope: Scope, index: int, n: int = 1) -> None:
        raise NotImplementedError

    def _route_only(self, ai: ActivityInstance, counters: Mapping[str, int] | None = None) -> bool:
        raise NotImplementedError

    def _mi_progress(
        self, container: ActivityInstance, child: ActivityInstance | None = None
    ) -> None:
        raise NotImplementedError

    def _run_body(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _await_message(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _take_kept(self, inst: ProcessInstance, name: str | None) -> dict[str, Any] | None:
        raise NotImplementedError

    def _take_kept_of(
        self, inst: ProcessInstance, names: Collection[str | None]
    ) -> tuple[str, dict[str, Any]] | None:
        raise NotImplementedError

    def _rival_waits_to_begin(self, ai: ActivityInstance) -> bool:
        raise NotImplementedError

    def _await_condition(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _arm(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _boundary_timer_fired(self, ai: ActivityInstance, timer: Timer) -> None:
        raise NotImplementedError

    def _retry_timer(self, inst: ProcessInstance, incident: Incident) -> None:
        raise NotImplementedError

    def _boundary_message(
        self, ai: ActivityInstance, b: CBoundary, data: Mapping[str, Any]
    ) -> None:
        raise NotImplementedError

    def _fire_boundary(self, ai: ActivityInstance, b: CBoundary, name: str | None = None) -> None:
        raise NotImplementedError

    def _catch_failure(self, ai: ActivityInstance, failure: _Failure) -> bool:
        raise NotImplementedError

    def _boundary_for(self, ai: ActivityInstance, trigger: str, name: str) -> CBoundary | None:
        raise NotImplementedError

    def _arm_scope(self, scope: Scope) -> None:
        raise NotImplementedError

    def _disarm_scope(self, scope: Scope) -> None:
        raise NotImplementedError

    def _scope_timer_fired(self, inst: ProcessInstance, timer: Timer) -> None:
        raise NotImplementedError

    def _scope_message(self, scope: Scope, sub: CEventSub, data: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def _scope_sub_for(self, inst: ProcessInstance, trigger: str, name: str) -> Any:
        raise NotImplementedError

    def _start_event_sub(self, scope: Scope, sub: CEventSub, name: str | None = None) -> None:
        raise NotImplementedError

    def _check_conditions(self) -> None:
        raise NotImplementedError

    def _throw_event(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _withdraw_rivals(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _begin_choice(self, scope: Scope, key: str, chosen: list[CTransition]) -> None:
        raise NotImplementedError

    def _create(
        self, scope: Scope, ca: CActivity, aid: str, activation: str | None = ""
    ) -> ActivityInstance | None:
        raise NotImplementedError

    def deliver_signal(self, inst: ProcessInstance, name: str, data: Mapping[str, Any]) -> int:
        raise NotImplementedError

    def _start_wait(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _run_script(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _set_fields(
        self,
        ai: ActivityInstance,
        statements: tuple[tuple[str, Any], ...],
        operation: str,
    ) -> bool:
        raise NotImplementedError

    def _start_activity(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _take_turn(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def pass_turn(self, ai: ActivityInstance) -> bool:
        raise NotImplementedError

    def _run_task(
        self,
        ai: ActivityInstance,
        resume: tuple[Mapping[str, Any], Any] | None = None,
        failure: ToolFailure | None = None,
    ) -> None:
        raise NotImplementedError

    def _scope_done(self, scope: Scope) -> None:
        raise NotImplementedError

    def _set_deadlines(self, ai: ActivityInstance) -> bool:
        raise NotImplementedError

    def _wait_due(
        self,
        inst: ProcessInstance,
        wait: Any,
        after: datetime,
        what: str = "the timer",
        repeat: int = 1,
    ) -> datetime | str:
        raise NotImplementedError

    def _new_timer(self, inst: ProcessInstance, owner: str, index: int, due: datetime) -> Timer:
        raise NotImplementedError

    def _start_multi(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _start_subflow(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

    def _subflow_closed(self, child: ProcessInstance) -> None:
        raise NotImplementedError

    def _terminate_scope(self, scope: Scope) -> None:
        raise NotImplementedError

    def _cancel_scope(self, scope: Scope, state: ActivityState) -> None:
        raise NotImplementedError

    def _empty_scope(self, scope: Scope, state: ActivityState) -> None:
        raise NotImplementedError

    def _withdraw(self, scope: Scope, indices: Collection[int]) -> None:
        raise NotImplementedError

    def _unready(self, scope: Scope, indices: Collection[int] | None = None) -> list[int]:
        raise NotImplementedError

    def _try_complex(self, scope: Scope, ca: CActivity) -> None:
        raise NotImplementedError

    def branch_lost(self, ai: ActivityInstance) -> None:
        raise NotImplementedError

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
        raise NotImplementedError

    def start_instance(self, inst: ProcessInstance, at: int | None = None) -> None:
        raise NotImplementedError
