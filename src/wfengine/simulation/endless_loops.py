"""Noticing a case that goes round a loop the simulated people can never leave.

Simulated people write no data unless the scenario gives the activity ``outputs``, so a rework
loop that ends only when someone sets a field (review, then ``approved ? end : review``) goes
round for ever under them. Without a horizon nothing else ends the run: before this, it ran
for ever, its memory growing with every round's work item. ``wfengine run`` stops on the same
loop with its repeat guard (:mod:`wfengine.runtime.repeat_guard`); this applies that guard's
rule to each case of a simulation, on simulated progress only (no wall time): before a person
completes a work item, the case's state (the activity, the data and open activities of the
case and its subflows, its open work items) is compared with the states it completed work
from before, and meeting one again is a loop that will repeat for ever, unless

- a random draw was made since (a way the scenario gives probabilities, outputs drawn): the
  next round may go another way. The draws are counted over the whole run, as
  :class:`~wfengine.simulation.steady.EndlessTimers` counts them, so a loop is noticed once
  the other cases stop drawing (a run ends with its last case anyway);
- the case's pending jobs (a deadline, a timer, an application call that takes time) are not
  as far from falling due as they were (a deadline that a drawn duration may outlast, a
  timer elsewhere that comes nearer each round; a deadline each round re-arms as far ahead
  of the person's end, which never fires, is part of the repeat), or its open activities'
  timers fired since (a reminder bringing work each time it fires);
- the same activity instance offers work again from a Standard loop that may still end
  (:class:`~wfengine.runtime.repeat_guard.BoundedLoops`: its LoopMaximum, a condition reading
  the clock).

What another case does is not part of a case's state (a signal it throws may reach this one):
a loop left only by such a signal is not told apart. A run with a horizon is not watched: the
horizon ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wfengine.errors import NotFoundError
from wfengine.runtime.repeat_guard import BoundedLoops, Member, RepeatGuard, member_state, state_key
from wfengine.simulation.distributions import ScenarioError

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.instance import ProcessInstance, WorkItem
    from wfengine.runtime.store import Store


#: instances remembered between two sweeps of those that ended
SWEEP_EVERY = 1_000


class EndlessLoops:
    """One run's watch over its cases (see the module notes)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._loops = BoundedLoops(engine)
        #: the case (its root instance) -> the states it completed work from so far
        self._guards: dict[str, RepeatGuard] = {}
        #: instance -> the activities whose work was completed in it. Why: only an activity
        #: completed before can repeat, so a first completion (most of a run's) costs no
        #: state: a loop is told at its third round, from the state its second one left
        self._done: dict[str, set[str]] = {}
        self._sweep_at = SWEEP_EVERY

    def check(self, item_id: str, draws: int, source: str) -> None:
        """Before work item ``item_id`` is completed (``draws`` random draws made so far):
        raise :class:`ScenarioError` if its case goes round a loop for ever, naming the
        loop's activities and what to give the scenario (``source``) to end it."""
        cycle = self.cycle(self._engine.store.work_item(item_id), draws)
        if cycle is None:
            return
        outputs = " or ".join(f"activities.{a}.outputs" for a in cycle)
        raise ScenarioError(
            f"{source}: manual loop: {' -> '.join(cycle)} would repeat forever (a case met "
            "the same activity, data, open work items and place in the flow as before, and "
            "nothing was drawn since): simulated people write no data unless the scenario "
            f"gives them outputs. Give {outputs} the values that take the case out of the "
            "loop, or give the scenario a horizon to stop the run there"
        )

    def cycle(self, item: WorkItem, draws: int) -> list[str] | None:
        """Before ``item`` is completed, ``draws`` random draws made so far: the activities of
        the loop the case is going round for ever (in order, each once), or None."""
        done = self._done.get(item.instance_id)
        if done is None:
            if len(self._done) >= self._sweep_at:
                self._sweep()
            done = self._done[item.instance_id] = set()
        if item.activity_id not in done:  # (its first completion repeats nothing)
            done.add(item.activity_id)
            return None
        store = self._engine.store
        tree = _case(store, item.instance_id)
        members: list[Member] = [member_state(inst) for inst in tree if inst.state.is_open]
        items = [w.activity_id for inst in tree for w in store.open_work_items(inst.id)]
        pending = {"draws": draws, **self._timers(tree)}
        key = state_key(item.activity_id, item.mi_index, items, members, pending)
        guard = self._guards.get(tree[0].id)
        if guard is None:
            guard = self._guards[tree[0].id] = RepeatGuard()
        return guard.cycle(key, self._loops.looping(item))

    def _timers(self, tree: list[ProcessInstance]) -> dict[str, int]:
        """The case's timers as part of its state: each pending job's kind, activity and
        timer, and how long until it falls due (in microseconds, plus one: :func:`state_key`
        counts only what is above 0); and how often each open activity's and scope's timers
        fired. Why the time left: a deadline armed each round falls due as far ahead of each
        completion when the work takes as long (a repeat: it never fires), and at another
        distance when durations are drawn (it may fire: not a repeat); a timer elsewhere
        comes nearer each round, until it fires. Why the firings: a reminder whose every
        firing brings a person work is progress, which a cycle's count ends (one that
        repeats for ever is :class:`~wfengine.simulation.steady.EndlessTimers`' to stop)."""
        now = self._engine.clock.now()
        found: list[tuple[str, int]] = []
        for inst in tree:
            for job in self._engine.store.jobs(inst.id):
                payload = job.payload if isinstance(job.payload, dict) else {}
                ai = inst.activities.get(str(payload.get("activity_instance_id", "")))
                what = f"{job.kind} {ai.act.key if ai else payload.get('activity_id')}"
                left = int((job.due - now).total_seconds() * 1_000_000)
                found.append((f"{what} {payload.get('deadline')}", max(left, 0) + 1))
            for ai in inst.activities.values():
                if ai.fired and ai.state.is_open:
                    found += [(f"fired {ai.act.key} {n}", k) for n, k in ai.fired.items()]
            for scope in inst.scopes.values():
                if scope.fired and not scope.closed:
                    found += [(f"fired scope {scope.id} {n}", k) for n, k in scope.fired.items()]
        return {f"{n} {what}": value for n, (what, value) in enumerate(sorted(found))}

    def _sweep(self) -> None:
        """Forget the instances and cases that ended (their states are never met again): the
        memory kept is that of the open cases, not of every case of a long run."""
        store = self._engine.store

        def ended(instance_id: str) -> bool:
            try:
                return not store.instance(instance_id).state.is_open
            except NotFoundError:
                return True

        for table in (self._done, self._guards):
            for instance_id in [i for i in table if ended(i)]:
                del table[instance_id]
        self._sweep_at = max(SWEEP_EVERY, 2 * len(self._done))


def _case(store: Store, instance_id: str) -> list[ProcessInstance]:
    """The case ``instance_id`` belongs to: its root instance first, then the subflow
    instances below it."""
    inst = store.instance(instance_id)
    while inst.parent_instance is not None:
        inst = store.instance(inst.parent_instance)
    found: list[ProcessInstance] = []
    todo = [inst]
    while todo:
        inst = todo.pop()
        found.append(inst)
        todo.extend(
            store.instance(ai.child_instance)
            for ai in inst.activities.values()
            if ai.child_instance
        )
    return found
