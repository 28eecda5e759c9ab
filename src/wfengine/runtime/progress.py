"""Noticing an automatic cycle that makes no progress, cheaply, while a command runs.

An unconditioned loop of routes (``apromore/Gateways.xpdl``: an exclusive gateway whose first
way leads back to itself) runs for ever. Navigation is deterministic: within one command the
clock stands still, and conditions see only the instance's data. So once the whole navigation
state repeats (the queued work, the tokens at every join, the data) with no application called
in between, the cycle can never end. :class:`ProgressWatch` checks exactly that, Brent-style:
from the :data:`WATCH_FROM`-th step of a command it takes a snapshot at every power of two and
compares each later step against it, so a cycle of length L is caught within about
2 * max(L, WATCH_FROM) steps, long before the step budget, and ordinary commands (which rarely
run a thousand steps) pay nothing.

A cycle may also *multiply* its work (a parallel split whose ways all lead back: the queued
work doubles each round), so its state never repeats exactly; and a queue longer than
:data:`MAX_COMPARED_AGENDA` is not compared step by step (that would cost the queue's length
at every step). So the watch also summarises the state once per *generation*: the queue is
first in, first out, so once as many steps ran as there were pieces of work queued at some
point, the queue holds exactly the work those pieces made. A summary counts the queued work per
kind (operation, instance, scope, activity, loop iteration, multi-instance index) and the
tokens and live things per join and scope. When a generation has the same kinds as an earlier
one, at least as many of each, the same data and no application called in between (the
Karp-Miller covering test of Petri nets), whatever ran from the earlier to the later one can
run again from the later one, and again, for ever: the cycle is reported. The decisions that
could end such a run are about counts (a Complex join's condition sees how many tokens
arrived), so a Complex join in the middle of a round must be exactly as it was. A real fan-out
is not mistaken for this: a multi-instance activity's instances differ by index (or scope),
and a loop that counts does so in its data (a LoopCounter writes there) or against its
LoopMaximum (the iteration count is then compared; without one, nothing reads the count, so a
Standard loop's rounds that change nothing are one state: see :func:`_round`). Summaries are
at least :data:`SUMMARY_EVERY` steps apart, so they cost a step little more than a constant
however long the queue.

An application call counts as progress (the world it talks to may have changed); such loops
still end at the step budget. A state seen after a call can never repeat the snapshot taken
before it, so until the next snapshot a loop that calls an application pays nothing for the
watch (it built a key of the whole navigation state at every step: a tenth of a long loop's
time).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.runtime.instance import ActivityInstance, ProcessInstance, Scope

#: steps into a command before the watch starts looking
WATCH_FROM = 1024
#: queued work longer than this is not compared at every step (only summarised, once per
#: generation: the key costs the queue's length)
MAX_COMPARED_AGENDA = 256
#: steps at least between two summaries (a short queue makes a generation every few steps)
SUMMARY_EVERY = 64
#: summaries kept to compare later generations with: the latest of each shape
KEPT_SUMMARIES = 64

#: one queued piece of work as the navigator keeps it: (operation, scope or activity
#: instance, activity or None)
AgendaItem = tuple[int, Any, Any]


@dataclass(slots=True)
class _Snapshot:
    #: the exact state but the data; None when the queue was too long to compare by step
    key: tuple[Any, ...] | None
    #: the instances the queued work belonged to, and a copy of each one's data
    instances: list[ProcessInstance]
    data: dict[str, dict[str, Any]]
    calls: int


@dataclass(slots=True)
class _Summary:
    """The state at a generation, counted rather than ordered (see the module notes)."""

    #: what must be the same for one summary to cover another: the instances and their
    #: states, the kinds of queued work, per open scope where tokens and live things are,
    #: its Complex join rounds and the joins it has to decide
    shape: tuple[Any, ...]
    work: Counter[tuple[Any, ...]]
    #: per open scope: live things, tokens per (join, slot), live things per place
    counts: dict[tuple[str, int], tuple[int, dict[tuple[int, int], int], dict[int, int]]]
    seen: _Snapshot


class ProgressWatch:
    """Watches one command's steps for a navigation state that comes back unchanged (or only
    with more of the same work queued)."""

    __slots__ = ("_generation_end", "_next", "_snapshot", "_summaries", "_summarised", "calls")

    def __init__(self) -> None:
        self._next = WATCH_FROM
        self._snapshot: _Snapshot | None = None
        #: the step at which the work queued at the last generation's start is all done
        self._generation_end = 0
        #: the step of the last summary
        self._summarised = 0
        #: summaries since the snapshot, by shape (all with the snapshot's application calls)
        self._summaries: dict[tuple[Any, ...], _Summary] = {}
        #: application calls made so far in the command (each one counts as progress)
        self.calls = 0

    def repeating(self, step: int, agenda: Iterable[AgendaItem], size: int) -> list[str] | None:
        """Call before each step; the activities of the cycle when the state repeats."""
        if step < WATCH_FROM:
            return None
        if step >= self._next:
            return self._take(step, agenda, size)
        snap = self._snapshot
        if snap is None or snap.calls != self.calls:
            # an application was called since the snapshot: no later state can repeat it, so
            # a loop that calls one pays for the watch only at its snapshots
            return None
        if step >= self._generation_end:
            self._generation_end = step + size
            if step - self._summarised >= SUMMARY_EVERY:
                items = list(agenda)
                return self._summarise(step, items, _instances(items))
        if size > MAX_COMPARED_AGENDA or snap.key is None:
            return None
        # the data first: a loop that counts changes it every round, and comparing it costs
        # far less than the key (which the same instances must match for a repeat anyway)
        data = snap.data
        for inst in snap.instances:
            if inst.data != data[inst.id]:
                return None
        items = list(agenda)
        # the queued work first: a bounded loop that changes no data differs only there (its
        # count), and building the joins' part of the key was half such a loop's time
        key = snap.key
        if key[0] != _queued(items):
            return None
        instances = _instances(items)
        if key[1] != _joins(instances):
            return None
        if any(data.get(i.id) != i.data for i in instances):
            return None  # (the same instances, but one was loaded afresh since)
        return _cycle(items)

    def _take(self, step: int, agenda: Iterable[AgendaItem], size: int) -> list[str] | None:
        """A snapshot step: take a new snapshot, and start counting generations from it."""
        items = list(agenda)
        self._next *= 2
        instances = _instances(items)
        if self._snapshot is None or self._snapshot.calls != self.calls:
            self._summaries.clear()  # an application was called since: they cannot repeat
        self._snapshot = _seen(
            _key(items, instances) if size <= MAX_COMPARED_AGENDA else None, instances, self.calls
        )
        self._generation_end = step + size
        return self._summarise(step, items, instances)

    def _summarise(
        self, step: int, items: list[AgendaItem], instances: list[ProcessInstance]
    ) -> list[str] | None:
        """A generation starts: the cycle, when its state covers an earlier generation's."""
        self._summarised = step
        summary = _summary(items, instances, _seen(None, instances, self.calls))
        before = self._summaries.pop(summary.shape, None)
        if (
            before is not None
            and _covers(summary, before)
            and all(before.seen.data.get(i.id) == i.data for i in instances)
        ):
            return _cycle(items)
        self._summaries[summary.shape] = summary
        if len(self._summaries) > KEPT_SUMMARIES:
            del self._summaries[next(iter(self._summaries))]
        return None


def _seen(key: tuple[Any, ...] | None, instances: list[ProcessInstance], calls: int) -> _Snapshot:
    return _Snapshot(
        key,
        instances,
        {i.id: dict(i.data) for i in instances},
        calls,
    )


def _instances(items: list[AgendaItem]) -> list[ProcessInstance]:
    found: dict[str, ProcessInstance] = {}
    for op, a, _ in items:
        scope = a if op == 0 else a.scope
        found.setdefault(scope.instance.id, scope.instance)
    return [found[k] for k in sorted(found)]


def _work(item: AgendaItem) -> tuple[Any, ...]:
    """What one queued piece of work is, without which object holds it."""
    op, a, b = item
    if op == 0:
        return (op, a.instance.id, a.id, b.index)
    return (op, a.scope.instance.id, a.scope.id, a.act.index, _round(a), a.mi_index)


def _round(ai: ActivityInstance) -> int:
    """The round of a Standard loop as far as navigation can tell rounds apart: its count
    of iterations when it has a LoopMaximum (the count decides when it ends), else 0.

    Why not the count always: nothing else reads it. A LoopCounter writes it to the data
    (compared anyway), and the loop's condition sees only the data; so a loop without a
    maximum whose round changes no data (``standard_loop("true")`` on an activity that does
    nothing) is the same state round after round, and is caught as a graph cycle is. Counted,
    each round looked new, and it ran to the step budget (a million steps)."""
    loop = ai.act.loop
    return ai.iterations if loop is not None and loop.maximum is not None else 0


def _open_scopes(inst: ProcessInstance) -> list[Scope]:
    return [s for s in inst.scopes.values() if not s.closed]


def _key(items: list[AgendaItem], instances: list[ProcessInstance]) -> tuple[Any, ...]:
    """Everything navigation depends on but the data: queued work and join state."""
    return _queued(items), _joins(instances)


def _queued(items: list[AgendaItem]) -> tuple[Any, ...]:
    """The queued work, in order (the first part of :func:`_key`)."""
    return tuple(  # (as _work, inline: this runs at every step between snapshots)
        (op, a.instance.id, a.id, b.index)
        if op == 0
        else (
            op,
            a.scope.instance.id,
            a.scope.id,
            a.act.index,
            a.iterations if a.iterations and a.act.loop.maximum is not None else 0,  # _round
            a.mi_index,
        )
        for op, a, b in items
    )


def _joins(instances: list[ProcessInstance]) -> tuple[Any, ...]:
    """Per instance, its state and the join state of its open scopes (the second part of
    :func:`_key`)."""
    return tuple(
        (
            inst.id,
            inst.state,
            tuple(
                (
                    s.id,
                    s.count,
                    tuple(sorted((k, tuple(v)) for k, v in s.tokens.items())),
                    tuple(sorted(s.places.items())),
                    tuple(sorted((k, tuple(v)) for k, v in s.rounds.items())),
                    tuple(sorted(s.pending)),
                )
                for s in _open_scopes(inst)
            ),
        )
        for inst in instances
    )


def _summary(
    items: list[AgendaItem], instances: list[ProcessInstance], seen: _Snapshot
) -> _Summary:
    work = Counter(_work(item) for item in items)
    counts = {}
    scopes = []
    for inst in instances:
        for s in _open_scopes(inst):
            tokens = {
                (join, slot): n
                for join, waiting in s.tokens.items()
                for slot, n in enumerate(waiting)
                if n
            }
            places = {index: n for index, n in s.places.items() if n}
            counts[(inst.id, s.id)] = (s.count, tokens, places)
            rounds = tuple(sorted((k, tuple(v)) for k, v in s.rounds.items()))
            scopes.append(
                (inst.id, s.id, frozenset(tokens), frozenset(places), rounds, frozenset(s.pending))
            )
    states = tuple((inst.id, inst.state) for inst in instances)
    return _Summary((states, frozenset(work), tuple(scopes)), work, counts, seen)


def _covers(now: _Summary, before: _Summary) -> bool:
    """Has ``now`` (of the same shape as ``before``) at least as much of everything? Then
    whatever ran from ``before`` to ``now`` can run again, for ever."""
    if now.seen.calls != before.seen.calls:
        return False
    if any(n < before.work[k] for k, n in now.work.items()):
        return False
    for where, (count, tokens, places) in now.counts.items():
        count0, tokens0, places0 = before.counts[where]
        if count < count0:
            return False
        if any(n < tokens0[k] for k, n in tokens.items()):
            return False
        if any(n < places0[k] for k, n in places.items()):
            return False
    return True


def _cycle(items: list[AgendaItem]) -> list[str]:
    """The activities of the cycle, from the graph alone: per scope with queued work (in the
    queue's order), those on a way from that work back to it (see :func:`_round_trip`).

    Why not the trace of what ran since the state was seen: a SQL store takes the trace as
    the run goes (every few dozen steps), so what was left of it in memory named the same
    cycle differently on memory and on SQLite (``r1 -> r2`` against ``r1 -> r2 -> d``).
    The queue and the scopes are the same on every store at the same step."""
    cycle: list[str] = []
    queued: dict[int, tuple[Scope, list[int]]] = {}
    for op, a, b in items:
        scope, index = (a, b.index) if op == 0 else (a.scope, a.act.index)
        entry = queued.setdefault(id(scope), (scope, []))
        if index not in entry[1]:
            entry[1].append(index)
    for scope, indexes in queued.values():
        for activity_id in _round_trip(scope, indexes):
            if activity_id not in cycle:
                cycle.append(activity_id)
    return cycle


def _round_trip(scope: Scope, queued: list[int]) -> list[str]:
    """The activities of ``scope`` on a way from its queued work back to it that completed
    in the scope (a way never taken is no part of the cycle), in the order a walk along the
    transitions meets them from the cycle's entry: the first of them a walk from the scope's
    start meets (else the first in the definition), wherever in the round the cycle was
    caught, so the same cycle is named the same way every time."""
    activities = scope.graph.activities

    def after(index: int) -> list[int]:
        ca = activities[index]
        nxt = [t.target for t in ca.normal]
        if ca.otherwise is not None:
            nxt.append(ca.otherwise.target)
        return nxt

    def walk(starts: Iterable[int], allowed: Callable[[int], bool]) -> list[int]:
        met = list(dict.fromkeys(starts))
        todo = deque(met)
        while todo:
            for target in after(todo.popleft()):
                if target not in met and allowed(target):
                    met.append(target)
                    todo.append(target)
        return met

    # everything the queued work leads to through activities that ran ...
    ahead = walk(queued, lambda i: i in queued or bool(scope.done >> i & 1))
    before: dict[int, list[int]] = {}
    for index in ahead:
        for target in after(index):
            before.setdefault(target, []).append(index)
    # ... and of those, what leads back to queued work
    back = set(queued)
    todo = list(queued)
    while todo:
        for source in before.get(todo.pop(), ()):
            if source not in back:
                back.add(source)
                todo.append(source)
    from_start = walk(scope.graph.starts, lambda i: True)
    first = next((i for i in from_start if i in back), min(back))
    order = walk([first], back.__contains__)
    order.extend(i for i in ahead if i in back and i not in order)
    return [activities[i].id for i in order]
