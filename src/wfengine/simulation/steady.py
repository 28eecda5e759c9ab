"""When a run can end although the engine still has timers: after the last arrival, only
timers that re-arm themselves for ever are left, and a whole round of them changed nothing.

A case that waits for what a simulation never brings (a message, a signal) with a repeating
non-interrupting timer on the wait (a reminder every hour, ``R/PT1H``) would otherwise keep the
virtual clock running until the engine's limit of timer firings per instance (10,000: over a
year of simulated time per case, and the memory of every reminder's work). The run asks
:meth:`EndlessTimers.settled` whenever nothing but the engine's timers is left (nobody works or
has work waiting, no case is still to arrive); it says yes when

- every pending job is a timer that re-arms for ever: a non-interrupting boundary timer or
  event sub-process start timer whose cycle has no count (a deadline, a single timer event, a
  cycle with a count, or any other job might still change what happens), and
- since it last looked, each of those timers fired at least once, and the open cases are as
  they were: the same data, the same activities open, the same tokens waiting at joins, the
  same timers pending, and the scenario drew nothing that decides a way (a branch, outputs).

Then every later round would be the same, so nothing else can happen. (A duration drawn in a
round is assumed not to decide a way: a deadline racing a person's work in the reminder's
path is not told apart.) The engine's compiled timers are read here, not through a public
query: :mod:`wfengine.runtime.instance` numbers them (``deadline_index``).
"""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from wfengine.errors import NotFoundError
from wfengine.runtime.instance import (
    BOUNDARY_TIMER,
    SCOPE_TIMER,
    SCOPE_TIMERS,
    ProcessInstance,
)
from wfengine.runtime.jobs import JOB_TIMER, Job
from wfengine.runtime.limits import DEFAULT_RUNTIME_LIMITS, RuntimeLimits


def timer_limits(horizon: float | None) -> RuntimeLimits:
    """The engine's limits for a run: the defaults, with no bound on the timers a case
    fires when the scenario has a horizon. Why: the horizon ends the run, so it bounds them;
    the engine's 10,000 (a guard against a timer re-arming for ever in production) ended a
    case's reminders with an incident short of the horizon (a reminder every 5 minutes stops
    after five weeks). Without a horizon the bound stays: with nothing else left, the run
    stops on such timers itself (:class:`EndlessTimers`)."""
    if horizon is None:
        return DEFAULT_RUNTIME_LIMITS
    return replace(DEFAULT_RUNTIME_LIMITS, max_timer_firings=sys.maxsize)


class EndlessTimers:
    """Watches one run's engine for the state the module notes describe."""

    def __init__(self, store: Any) -> None:
        self._store = store
        #: what the last look saw (None: nothing to compare with), and until when the timers
        #: it saw are all due (each has fired once by then)
        self._seen: Hashable | None = None
        self._until: datetime | None = None

    def settled(self, now: datetime, draws: int) -> bool:
        """Only endless timers are left and a whole round of them changed nothing (``draws``:
        how many ways and outputs the scenario has drawn so far)."""
        if self._until is not None and now < self._until:
            return False  # the round is not over yet (what it changes shows at its end)
        jobs: list[Job] = list(self._store.jobs())
        instances: dict[str, ProcessInstance] = {}
        for job in jobs:
            inst = self._instance(job.instance_id, instances)
            if inst is None or not _endless(job, inst):
                self._seen = self._until = None
                return False
        if not jobs:
            return False  # nothing pending at all: the run ends by itself
        seen = (draws, _timers(jobs), tuple(_case(i) for _, i in sorted(instances.items())))
        if seen == self._seen:
            return True
        self._seen = seen
        self._until = max(job.due for job in jobs)
        return False

    def _instance(
        self, instance_id: str, found: dict[str, ProcessInstance]
    ) -> ProcessInstance | None:
        inst = found.get(instance_id)
        if inst is None:
            try:
                inst = found[instance_id] = self._store.instance(instance_id)
            except NotFoundError:
                return None
        return inst


def _endless(job: Job, inst: ProcessInstance) -> bool:
    """Is ``job`` a timer that re-arms itself for ever (see the module notes)?"""
    if job.kind != JOB_TIMER or not isinstance(job.payload, dict):
        return False
    index = job.payload.get("deadline")
    if not isinstance(index, int):
        return False
    if index <= SCOPE_TIMER:  # an event sub-process's start timer
        scope_id, position = divmod(SCOPE_TIMER - index, SCOPE_TIMERS)
        scope = inst.scopes.get(scope_id)
        if scope is None or position >= len(scope.graph.event_subs):
            return False
        trigger = scope.graph.event_subs[position].trigger
        return not trigger.interrupting and trigger.repeat == 0
    if index <= BOUNDARY_TIMER:  # a boundary timer of an activity
        ai = inst.activities.get(job.payload.get("activity_instance_id", ""))
        n = BOUNDARY_TIMER - index
        if ai is None or n >= len(ai.act.boundaries):
            return False
        boundary = ai.act.boundaries[n]
        return not boundary.interrupting and boundary.repeat == 0
    return False  # a deadline, or a timer event's own timer: it fires once


def _timers(jobs: Iterable[Job]) -> tuple[tuple[str, Any], ...]:
    return tuple(
        sorted((j.payload.get("activity_instance_id", ""), j.payload["deadline"]) for j in jobs)
    )


def _case(inst: ProcessInstance) -> tuple[Any, ...]:
    """What of an open case could make its next round differ from this one."""
    return (
        inst.id,
        inst.state.value,
        repr(sorted(inst.data.items())),
        tuple(sorted(ai.id for ai in inst.activities.values() if not ai.state.is_closed)),
        tuple(
            (s.id, repr(sorted(s.tokens.items())), repr(sorted(s.places.items())))
            for s in sorted(inst.scopes.values(), key=lambda s: s.id)
            if not s.closed
        ),
    )
