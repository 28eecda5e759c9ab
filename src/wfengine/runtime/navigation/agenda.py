"""The work queue of a command: ready work in definition order, the step budget, deferring and
parking work.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import cast

from wfengine.runtime.compiler import (
    KIND_TASK,
    CActivity,
    CGraph,
)
from wfengine.runtime.fresh_records import new_scope
from wfengine.runtime.history import InstanceDeferred, change
from wfengine.runtime.instance import (
    ActivityInstance,
    ChoiceBegin,
    ProcessInstance,
    Scope,
)
from wfengine.runtime.jobs import JOB_CONTINUE, Job
from wfengine.runtime.navigation.base import (
    _OP_BEGIN,
    _OP_BODY,
    _OP_TOOLS,
    NavigatorBase,
)
from wfengine.runtime.progress import WATCH_FROM
from wfengine.runtime.run_budget import spent as run_spent

#: steps between two takes of a long command's history by its store (``take_history``: the
#: memory store files it, the SQL store renders its rows for the commit): what the run closed
#: is then gone from its live objects before the garbage collector's young passes promote it
#: to the old generation, whose full passes rescan everything there (64: a loop of 100,000
#: iterations cost 9% more per iteration than one of 1,000 on SQLite, 27% with 256)
TAKE_EVERY = 64

#: the first step at which drain may have more to do than run the work, when neither the
#: budget nor the stretch ends sooner: a command of a few steps (most) starts with this
#: bound and never calls _next_due (two min() calls per command before)
_FIRST_DUE = min(TAKE_EVERY, WATCH_FROM)


class Agenda(NavigatorBase):
    """The work queue of a command."""

    def defer(self, *, spent: int | None = None) -> None:
        """Leave the ready work to ``continue`` jobs instead of running it in this command.

        Each instance's work waits in its ``parked`` list (as work parked by the step budget
        does) and one job per instance hands it to whichever engine or worker claims it
        (:meth:`run_parked`).

        ``spent``: this is a stretch of a long run, which has run ``spent`` steps so far
        (``RuntimeLimits.commit_every``): the jobs carry the count, for the step budget (and
        the count of instances it created, for ``max_new_instances``), and are listed in
        :attr:`stretched` for the engine to run at once.
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
            if spent is not None:  # (and the instances it created, the expressions' work:
                # the same run's counts)
                job.payload = {"steps": spent, "created": self.created, "work": run_spent()}
                self.stretched = [*self.stretched, job]  # (see NavigatorBase.stretched)
            self.step.jobs.append(job)
            self.touch(inst)
            inst.changes.append(change(self.now, InstanceDeferred(job.id)))

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
        # the joins the deferring command left undecided: it stopped before it could decide
        # them, and the parked work may never release a token there (a person's activity)
        for scope in inst.scopes.values():
            if scope.pending and not scope.closed:
                self._pending_scopes[(inst.id, scope.id)] = scope

    def drain(self, *, defer: bool = False) -> None:
        """Run ready work until nothing more can run without a person, timer or operator.

        ``defer``: run none of it; leave whatever is ready to ``continue`` jobs (conditions
        and joins already decided stay decided; activities are begun by whoever runs the job).
        """
        agenda = self._agenda
        begin = self._begin
        limits = self.ctx.limits
        allowed = limits.max_steps - self.spent  # the last step the budget allows
        stretch = limits.commit_every
        step = 0
        # the store takes the history of a long run as it goes (see TAKE_EVERY); a store
        # without take_history (a host's own) is given it at the commit only. Looked up once
        # a step is due that may take it: most commands end before (a bound method made and
        # dropped per command)
        take: Callable[[ProcessInstance], None] | None = None
        # (a due step earlier than needed is harmless: each test below is exact)
        if allowed >= _FIRST_DUE and stretch >= _FIRST_DUE:
            due = _FIRST_DUE
        else:
            take = getattr(self.ctx.store, "take_history", None)
            due = _next_due(step, allowed, stretch, take is not None)
        while True:
            if defer and agenda:
                self.defer()
                return
            while agenda:
                step += 1
                if step >= due:  # (one test per step for the four that are seldom due)
                    if take is None:
                        take = getattr(self.ctx.store, "take_history", None)
                    if step > allowed:
                        self._park()
                        return
                    if step > stretch:  # commit what is done; the rest runs in a new command
                        if self._one_instance():
                            self.defer(spent=self.spent + step - 1)
                            return
                        stretch += limits.commit_every
                    if take is not None and not step % TAKE_EVERY:
                        for inst in self.step.instances.values():
                            take(inst)
                    if step >= WATCH_FROM:
                        watch = self.watch
                        watch.calls = self.calls  # (counted on the navigator: see its calls)
                        cycle = watch.repeating(step, agenda, len(agenda))
                        if cycle is not None:
                            self._park(cycle)
                            return
                    due = _next_due(step, allowed, stretch, take is not None)
                item = agenda.popleft()
                op, a, b = item
                if op == _OP_BEGIN:
                    if type(item) is tuple:
                        begin(a, b)
                    else:  # an event-based gateway's target, in its choice
                        begin(a, b, cast(ChoiceBegin, item).activation)
                elif op == _OP_BODY:
                    self._run_body(a)
                elif op == _OP_TOOLS:  # the work after a person's part: a Tool's or a script's
                    if a.act.kind == KIND_TASK:
                        self._run_task(a)
                    else:
                        self._run_script(a)
                else:
                    self._take_turn(a)
            if self._pending_scopes:
                self._check_pending_joins()
                if agenda:
                    continue
            if self._conditions_wait():
                self._check_conditions()
            if not agenda:
                return

    def _one_instance(self) -> bool:
        """Is the ready work all of one instance? Only then is a run cut into stretches: work
        of several instances (a fan-out of subflows) would need a job, and a command, per
        instance per stretch, each rewriting the instance they all report to."""
        first = None
        for op, a, _ in self._agenda:
            inst = a.instance if op == _OP_BEGIN else a.scope.instance
            if first is None:
                first = inst
            elif inst is not first:
                return False
        return True

    def _conditions_wait(self) -> bool:
        """Does an instance this command touched have conditional events (see
        :mod:`.events`)? Checked when work runs out, after the data changed."""
        for inst in self.step.instances.values():  # noqa: SIM110 (no generator per drain)
            if inst.compiled.conditional:
                return True
        return False

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

    def _unready(self, scope: Scope, indices: Collection[int] | None = None) -> list[int]:
        """Drop the ready, not yet begun work of ``scope`` (of activities ``indices``, else
        all of it) from the agenda, in place (``drain`` holds the deque); returns the activity
        indexes dropped, whose counts the caller releases or resets."""
        agenda = self._agenda
        dropped = [
            item
            for item in agenda
            if item[0] == _OP_BEGIN
            and item[1] is scope
            and (indices is None or item[2].index in indices)
        ]
        if dropped:
            kept = [item for item in agenda if not any(item is d for d in dropped)]
            agenda.clear()
            agenda.extend(kept)
        return [item[2].index for item in dropped]

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
        scope_id = inst.next_scope
        inst.next_scope = scope_id + 1
        scope = new_scope(scope_id, graph, inst, owner)  # (no dataclass __init__: see there)
        inst.scopes[scope_id] = scope
        return scope


def _next_due(step: int, allowed: int, stretch: int, taking: bool) -> int:
    """The next step after ``step`` at which :meth:`Agenda.drain` has more to do than run the
    work: the step budget runs out (past ``allowed``), a stretch ends (past ``stretch``), the
    store takes the history (``taking``: every :data:`TAKE_EVERY` steps), the progress watch
    looks (every step from :data:`WATCH_FROM`). Why: those four tests ran at every step of
    every command, and are due at a few of a long run's."""
    due = min(allowed + 1, stretch + 1, max(WATCH_FROM, step + 1))
    if taking:
        due = min(due, (step // TAKE_EVERY + 1) * TAKE_EVERY)
    return due
