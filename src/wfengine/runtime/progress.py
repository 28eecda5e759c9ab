"""Noticing an automatic cycle that makes no progress, cheaply, while a command runs.

An unconditioned loop of routes (``apromore/Gateways.xpdl``: an exclusive gateway whose first
way leads back to itself) runs for ever. Navigation is deterministic: within one command the
clock stands still, and conditions see only the instance's data. So once the whole navigation
state repeats (the queued work, the tokens at every join, the data) with no application called
and nothing waiting in between, the cycle can never end. :class:`ProgressWatch` checks exactly
that, Brent-style: from the :data:`WATCH_FROM`-th step of a command it takes a snapshot at
every power of two and compares each later step against it, so a cycle of length L is caught
within about 2 * max(L, WATCH_FROM) steps, long before the step budget, and ordinary commands
(which rarely run a thousand steps) pay nothing.

An application call counts as progress (the world it talks to may have changed); such loops
still end at the step budget. A state seen after a call can never repeat the snapshot taken
before it, so until the next snapshot a loop that calls an application pays nothing for the
watch (it built a key of the whole navigation state at every step: a tenth of a long loop's
time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.runtime.instance import ProcessInstance

#: steps into a command before the watch starts looking
WATCH_FROM = 1024
#: queued work longer than this is not compared (a wide fan-out is not a tight cycle)
MAX_COMPARED_AGENDA = 256

#: one queued piece of work as the navigator keeps it: (operation, scope or activity
#: instance, activity or None)
AgendaItem = tuple[int, Any, Any]


@dataclass(slots=True)
class _Snapshot:
    key: tuple[Any, ...]
    data: dict[str, dict[str, Any]]
    trace_at: dict[str, int]
    calls: int


class ProgressWatch:
    """Watches one command's steps for a navigation state that comes back unchanged."""

    __slots__ = ("_next", "_snapshot", "calls")

    def __init__(self) -> None:
        self._next = WATCH_FROM
        self._snapshot: _Snapshot | None = None
        #: application calls made so far in the command (each one counts as progress)
        self.calls = 0

    def repeating(self, step: int, agenda: Iterable[AgendaItem], size: int) -> list[str] | None:
        """Call before each step; the activities of the cycle when the state repeats."""
        if step < WATCH_FROM or size > MAX_COMPARED_AGENDA:
            return None
        snap = self._snapshot
        taking = step >= self._next
        if not taking and (snap is None or snap.calls != self.calls):
            # an application was called since the snapshot: no later state can repeat it, so
            # a loop that calls one pays for the watch only at its snapshots
            return None
        items = list(agenda)
        instances = _instances(items)
        key = _key(items, instances)
        if taking:
            self._next *= 2
            self._snapshot = _Snapshot(
                key,
                {i.id: dict(i.data) for i in instances},
                {i.id: len(i.trace) for i in instances},
                self.calls,
            )
            return None
        assert snap is not None
        if snap.key != key:
            return None
        if any(snap.data.get(i.id) != i.data for i in instances):
            return None
        cycle: list[str] = []
        for inst in instances:
            for activity_id in inst.trace[snap.trace_at.get(inst.id, 0) :]:
                if activity_id not in cycle:
                    cycle.append(activity_id)
        return cycle


def _instances(items: list[AgendaItem]) -> list[ProcessInstance]:
    found: dict[str, ProcessInstance] = {}
    for op, a, _ in items:
        scope = a if op == 0 else a.scope
        found.setdefault(scope.instance.id, scope.instance)
    return [found[k] for k in sorted(found)]


def _key(items: list[AgendaItem], instances: list[ProcessInstance]) -> tuple[Any, ...]:
    """Everything navigation depends on but the data: queued work and join state."""
    work = tuple(
        (op, a.instance.id, a.id, b.index)
        if op == 0
        else (op, a.scope.instance.id, a.scope.id, a.act.index, a.iterations, a.mi_index)
        for op, a, b in items
    )
    joins = tuple(
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
                for s in inst.scopes.values()
                if not s.closed
            ),
        )
        for inst in instances
    )
    return work, joins
