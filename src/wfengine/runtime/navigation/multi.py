"""Multi-instance activities: how many instances, run in parallel or in sequence, and when the
activity may go on (MI flow conditions).
"""

from __future__ import annotations

from wfengine.definition.finite_numbers import finite
from wfengine.definition.model import MIFlowCondition
from wfengine.one_line import shortened
from wfengine.runtime.history import (
    EventKind,
    MultiInstanceAdded,
    MultiInstanceStarted,
    change,
    marker,
)
from wfengine.runtime.instance import (
    ActivityInstance,
    MultiInstanceState,
)
from wfengine.runtime.navigation.abort_causes import Cause, aborted_by
from wfengine.runtime.navigation.base import _OP_BODY, NavigatorBase, _Failure
from wfengine.runtime.states import A_COMPLETED, A_RUNNING, ActivityState


class MultiInstance(NavigatorBase):
    """Multi-instance activities."""

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
        self.started_mi.add(ai.id)
        inst.changes.append(change(self.now, MultiInstanceStarted(total), ai.id, ai.act.id))
        if total == 0:
            self._leave(ai)
            return
        n = total if loop.parallel else 1
        for _ in range(n):
            self._spawn_child(ai)

    def add_mi_child(self, container: ActivityInstance, fields: tuple[str, ...]) -> str | None:
        """One more instance of the running MI activity ``container`` (WCP15/WCP36): in
        parallel it starts now (its id is returned); in sequence it runs after the others:
        now only when none runs and the activity is not held by an incident (whose retry
        goes on to the next instance)."""
        mi = container.mi
        loop = container.act.loop
        assert mi is not None and loop is not None
        mi.total += 1
        mi.added += 1  # beyond the count, which a sequential one re-evaluates
        inst = container.scope.instance
        added = MultiInstanceAdded(mi.total, fields)
        inst.changes.append(change(self.now, added, container.id, container.act.id))
        if loop.parallel or (container.incident is None and not _one_runs(container)):
            self._spawn_child(container)
            return mi.children[-1].id
        return None

    def _mi_count(self, ai: ActivityInstance) -> int:
        """The count ``ai``'s MI condition gives now, checked: a whole number >= 0 that,
        with the instances ``add_mi_instance`` added (a sequential re-count), stays within
        ``RuntimeLimits.max_mi_instances``; else a :class:`_Failure` naming the expression
        and its value. A re-count is refused on the limit only where it grows past the
        instances the activity already has: one started by an engine with a higher limit (a
        host's) keeps them when an engine with the default limit (the CLI, a worker) goes on
        with it, and gains none past this engine's limit."""
        loop = ai.act.loop
        assert loop is not None and loop.count is not None
        value = self._evaluate(ai, loop.count)
        where = f"{ai.place()}: the MI condition"
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not finite(value)
            or value < 0
            or value != int(value)  # 2.5 instances: a mistake, not 2 of them
        ):
            raise _Failure(
                f"{where} {loop.count.text!r} gave {shortened(repr(value), 30)}, expected a count "
                "(a whole number >= 0)"
            )
        most = self.ctx.limits.max_mi_instances
        added = ai.mi.added if ai.mi is not None else 0
        had = ai.mi.total if ai.mi is not None else 0
        if value + added > max(most, had):
            extra = f" (and {added} added by add_mi_instance)" if added else ""
            past = (
                f"more than the {had} instances it has, already more than "
                if had > most
                else "more instances than "
            )
            raise _Failure(
                f"{where} {loop.count.text!r} gave {shortened(repr(value), 30)}{extra}, {past}"
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
            ActivityState.NOT_STARTED if container.act.offer_first else A_RUNNING,
            self.now,
            mi_parent=container,
            mi_index=mi.started,
        )
        mi.started += 1
        mi.children.append(child)
        inst.activities[child.id] = child
        # a person's instance starts when its work item does (as a plain activity's)
        kind = (
            EventKind.ACTIVITY_CREATED if container.act.offer_first else EventKind.ACTIVITY_STARTED
        )
        inst.changes.append(marker(self.now, kind, child.id, child.act.id))
        self._agenda.append((_OP_BODY, child, None))

    def _multi_child_done(self, container: ActivityInstance, child: ActivityInstance) -> None:
        mi = container.mi
        assert mi is not None
        loop = container.act.loop
        assert loop is not None
        inst = container.scope.instance
        if not loop.parallel:
            # its count, evaluated again on the data as it is now, up or down (WCP15: fewer
            # reviews needed after the first), never below the instances done (this one
            # too); those add_mi_instance added come on top. A count that fails holds the
            # activity as one that fails at the start does: an incident, here on the
            # instance whose completion it follows, left open (so the next one waits and
            # the flow does not move on); its retry (operation "leave") comes back here and
            # counts again. Why not keep the count known so far: a count that the data
            # broke then ran instances nobody asked for, or went on too soon, unseen. Not
            # when this completion ends the activity (its flow condition holds and cancels
            # the rest): no instance follows, the count no longer matters.
            try:
                mi.total = max(mi.completed + 1, self._mi_count(container) + mi.added)
            except _Failure as exc:
                if not self._ends_here(container, child):
                    self._incident(inst, child, child.act.id, "leave", exc.message)
                    return
        self._close_activity(child, A_COMPLETED)
        inst.trace.append(child.act.id)
        mi.completed += 1
        self._mi_progress(container, child)

    def _mi_progress(
        self, container: ActivityInstance, child: ActivityInstance | None = None
    ) -> None:
        """After an instance of ``container`` completed (``child``, when known): whether the
        flow goes on now (its ``MI_FlowCondition``), whether the activity is done, else the
        next sequential instance. (A ``leave`` incident's retry comes back here: the
        condition is tested again, on the data as it is then.)

        Where ``child``'s completion routes a token (flow None: each thread goes its own
        way, WCP42; One, Complex: the instance that made it go on), the flow condition and
        the ways read the loop counter as ``child``'s index, not the shared field (which
        holds the last index started). The activity that leaves as a whole (flow All), or
        an incident's retry (no ``child``), reads the field."""
        mi = container.mi
        loop = container.act.loop
        assert mi is not None and loop is not None
        inst = container.scope.instance
        flow = loop.flow
        counters = _counters(container, child)
        if not mi.routed:
            try:
                route = self._flow_goes_on(container, mi.completed, counters)
            except _Failure as exc:
                # one incident for the activity: while one is open (filed at an earlier
                # instance's completion), the failure is that one's, whose retry tests
                # the condition again; a second would outlive the activity
                if container.incident is None:
                    self._incident(inst, container, container.act.id, "leave", exc.message)
                return
            if route and mi.completed < mi.total and container.act.cancel_remaining:
                # the condition holds: the other instances are cancelled, the activity ends
                with aborted_by(inst, Cause("completion", activity=container.act.id)):
                    for other in mi.children:
                        if other.state.is_open:
                            self._cancel_activity(other, ActivityState.ABORTED, count=False)
                mi.total = mi.completed
                # the trace lists each instance that completed; none did (the data decided
                # first, WCP27): the activity itself, as one of count 0
                self._leave(container, traced=mi.completed > 0, counters=counters)
                return
            if route and mi.completed < mi.total:
                if not self._route_only(container, counters):
                    return
                if flow is not MIFlowCondition.NONE:
                    mi.routed = True
        if mi.completed >= mi.total:
            # flow None: the last instance's token flows here, like the others' did
            self._leave(container, traced=mi.completed > 0, counters=counters)
            return
        if not loop.parallel and mi.started < mi.total and not _one_runs(container):
            self._spawn_child(container)

    def _flow_goes_on(
        self, container: ActivityInstance, completed: int, counters: dict[str, int] | None
    ) -> bool:
        """Does ``container``'s MI flow condition let the flow go on once ``completed`` of its
        instances completed (None, One: each, the first; Complex: its condition, which may
        raise a :class:`_Failure`)? Asked while its token has not gone on yet."""
        mi = container.mi
        loop = container.act.loop
        assert mi is not None and loop is not None
        if loop.flow is MIFlowCondition.NONE or loop.flow is MIFlowCondition.ONE:
            return True
        if loop.flow is not MIFlowCondition.COMPLEX:
            return False
        assert loop.flow_condition is not None
        counts = {"completed": completed, "instances": mi.total}
        extra = counts if counters is None else {**counters, **counts}
        return self._holds(container, loop.flow_condition, extra)

    def _ends_here(self, container: ActivityInstance, child: ActivityInstance) -> bool:
        """Does ``child``'s completion end the sequential ``container`` whatever its count
        (its flow condition holds, with ``wfengine:cancelRemaining``)? Then a re-count that
        failed holds nothing: no instance follows it. A flow condition that fails here is
        the retry's to test again, with the count."""
        mi = container.mi
        assert mi is not None
        if mi.routed or not container.act.cancel_remaining:
            return False
        try:
            return self._flow_goes_on(container, mi.completed + 1, _counters(container, child))
        except _Failure:
            return False


def _counters(container: ActivityInstance, child: ActivityInstance | None) -> dict[str, int] | None:
    """What the flow condition and the ways read as the loop counter after ``child``
    completed: its index, where its completion routes a token (see :meth:`_mi_progress`)."""
    loop = container.act.loop
    assert loop is not None
    if (
        child is None
        or not loop.counter
        or child.mi_index is None
        or loop.flow is MIFlowCondition.ALL
    ):
        return None
    return {loop.counter: child.mi_index}


def count_held(container: ActivityInstance) -> bool:
    """Is an instance of ``container`` that completed held by a failed re-count (an open
    ``leave`` incident on it)? Its person is done: the activity waits for the retry, which
    tests its flow condition too; the flow condition is not tested meanwhile, and an
    activity cancelled meanwhile (a deadline, a boundary event, ``cancel_activity``) closes
    it completed first (``lifecycle._cancel_activity``)."""
    mi = container.mi
    if mi is None or not mi.children:
        return False
    last = mi.children[-1]  # (a re-count is sequential: the one running)
    incident = last.scope.instance.incidents.get(last.incident or "")
    return last.state.is_open and incident is not None and incident.operation == "leave"


def _one_runs(container: ActivityInstance) -> bool:
    """Does an instance of the sequential MI activity ``container`` run (one at a time: the
    last one started)?"""
    mi = container.mi
    assert mi is not None
    return bool(mi.children) and mi.children[-1].state.is_open
