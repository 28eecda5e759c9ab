"""Noticing that a driver of the engine is going round a manual loop it can never leave.

Two drivers complete manual work items without deciding anything themselves: ``wfengine run``
(no data changed unless ``--answers`` says otherwise) and a simulation's people (no data
written unless the scenario gives ``outputs``). A process that loops back through manual steps
until someone changes a field (JaWE's document approval sample: submit, review, update,
submit, ...) therefore never ends under them: before this guard ``wfengine run`` only stopped
after its last-resort limit of 100,000 completions, and a simulation without a horizon ran for
ever, its memory growing. (Why here, below both: the simulation may not import the CLI, and one
rule of what a repeat is serves both.)

The driver's next move depends only on what it sees, so once it is about to complete a work
item from exactly a state it already completed one from, everything in between will repeat
forever. The state is:

* the activity of the work item about to be completed (and its multi-instance index);
* the data of every open instance of the run's tree (the instance and its subflows, by process,
  since a subflow started again in the next round has a new id);
* where each of those instances stands: its open activity instances, by activity, with their
  multi-instance index and, for a multi-instance container, how many of its instances have
  completed. Why: the data and the work items alone do not tell apart a subflow's user task
  called by one activity from the same task called by the next one (a process checking twice
  in a row), nor the first instance of a sequential multi-instance subflow or block from its
  second; each was stopped as a loop. A real loop's next round has the same positions: its
  activity instances are new but of the same activities, and a new container starts counting
  again. A Standard loop's round count is left out, as it always was (see below);
* the open work items of the tree, counted by activity;
* what else the driver's next moves depend on (``pending``): for ``wfengine run`` the
  ``--answers`` entries not used yet, per activity (a state whose activity still has an answer
  left never matches, since the answer is about to change what happens); for a simulation the
  random draws made so far (a draw may take the case out of the loop) and the case's timers
  (:mod:`wfengine.simulation.endless_loops`).

One case is told apart: the same *activity instance* offering a work item again is a Standard
loop going round, whose iteration count the engine keeps outside the data. That is progress
only while something outside the state can end the loop (:class:`BoundedLoops`): its
LoopMaximum, a condition that reads the clock, or a timer of its instance due within a minute
(its deadline, which ends a synchronous loop whole, or one elsewhere that changes the data;
one due in a year is not reached before 100,000 rounds are).
Without any, the loop's condition reads nothing but the data (and the counter field, when the
loop names one, which changes the data each round), so a round from the same state is a
repeat like any other: a loop ``x < 3`` whose ``x`` only a later step changes went round
100,000 times before this was told apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.evaluation import CompiledExpression
    from wfengine.runtime.instance import ProcessInstance, WorkItem
    from wfengine.runtime.snapshots import WorkItemSnapshot

#: a digest of the runner's position (see the module notes): a long run keeps one per
#: completion, so it must stay small whatever the size of the data
StateKey = tuple[str, str]


#: one open activity instance's position: its activity (:attr:`CActivity.key`, unique in its
#: process), its multi-instance index (-1: none) and, for a multi-instance container, how many
#: of its instances have completed (-1: not a container)
Position = tuple[str, int, int]

#: one open member of the run's tree as the state holds it: its process id, its data and its
#: positions, sorted
Member = tuple[str, Mapping[str, Any], list[Position]]


def member_state(inst: ProcessInstance) -> Member:
    """``inst`` (an open member of the run's tree) as :func:`state_key` takes it."""
    positions = sorted(
        (
            ai.act.key,
            -1 if ai.mi_index is None else ai.mi_index,
            -1 if ai.mi is None else ai.mi.completed,
        )
        for ai in list(inst.activities.values())
        if ai.state.is_open
    )
    return inst.process_id, inst.data, positions


def state_key(
    activity_id: str,
    mi_index: int | None,
    open_activities: Iterable[str],
    members: Iterable[Member],
    pending: Mapping[str, int],
) -> StateKey:
    """The state the runner is in when it is about to complete a work item of
    ``activity_id`` (see the module notes): the activity id and a SHA-256 digest of the rest,
    equal for equal states. ``members``: :func:`member_state` of each open member; ``pending``:
    what else the next moves depend on, by name (the entries above 0 count)."""
    data = sorted(
        (process_id, json.dumps(values, sort_keys=True, default=repr), positions)
        for process_id, values, positions in members
    )
    rest = [
        mi_index,
        sorted(Counter(open_activities).items()),
        data,
        sorted((a, n) for a, n in pending.items() if n > 0),
    ]
    digest = hashlib.sha256(json.dumps(rest, default=repr).encode("utf-8")).hexdigest()
    return (activity_id, digest)


class RepeatGuard:
    """Remembers the state of every completion; says when one comes round again."""

    def __init__(self) -> None:
        #: state -> (position in :attr:`completed`, bounded loop's activity instance id or
        #: None) when last seen
        self._seen: dict[StateKey, tuple[int, str | None]] = {}
        #: activity ids of the completions so far, in order
        self.completed: list[str] = []

    def cycle(self, key: StateKey, looping: str | None) -> list[str] | None:
        """Before a completion from state ``key``: the activities completed since the same
        state was last met (the repeating cycle, in order, each once), or None when the state
        is new or the same bounded loop is going round (then the completion is recorded).
        ``looping``: the activity instance offering the work when its Standard loop has a
        LoopMaximum (:meth:`BoundedLoops.looping`), else None (any repeat is a cycle)."""
        seen = self._seen.get(key)
        if seen is not None and (looping is None or seen[1] != looping):
            return list(dict.fromkeys(self.completed[seen[0] :]))
        self._seen[key] = (len(self.completed), looping)
        self.completed.append(key[0])
        return None


class BoundedLoops:
    """Which work items a Standard loop offers whose rounds from one state may still end (see
    the module notes): one with a LoopMaximum, one whose condition reads the clock (``now()``,
    ``today()``), and, while its instance has a timer pending (a deadline, which ends a
    synchronous loop whole, or a timer elsewhere that may change the data) due within
    :data:`SOON`, any. Why not only
    the LoopMaximum: a loop a deadline or the clock ends was stopped at its first round as
    one that would repeat for ever. Read from the compiled definition of each item's instance,
    once per instance and activity (an instance keeps its version)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._loops: dict[tuple[str, str], tuple[bool, bool]] = {}

    def looping(self, item: WorkItemSnapshot | WorkItem) -> str | None:
        """``item``'s activity instance when its activity's Standard loop may still end from
        the same state, else None: what :meth:`RepeatGuard.cycle` takes."""
        where = (item.instance_id, item.activity_id)
        known = self._loops.get(where)
        if known is None:
            summary = self.engine.instance_summary(item.instance_id)
            compiled = self.engine.deployed(summary.process_id, summary.version).compiled
            activity = compiled.activity(item.activity_id)
            loop = None if activity is None else activity.loop
            standard = loop is not None and not loop.multi
            ends = (
                standard
                and loop is not None
                and (loop.maximum is not None or _reads_clock(loop.condition))
            )
            known = self._loops[where] = (standard, ends)
        standard, ends = known
        if ends or (standard and self._timer_soon(item.instance_id)):
            return item.activity_instance_id
        return None

    def _timer_soon(self, instance_id: str) -> bool:
        """Does a timer of the instance fall due within :data:`SOON` (the runner's real clock
        reaches it while it goes round)? Not one due in a year: 100,000 rounds come first."""
        soon = self.engine.clock.now() + SOON
        return any(timer.due <= soon for timer in self.engine.timers(instance_id))


#: how soon a pending timer must fall due to let a loop go round from one state
SOON = timedelta(seconds=60)

#: a call of the clock in an expression's text (what makes a loop's condition change alone)
_CLOCK = re.compile(r"\b(?:now|today)\s*\(")


def _reads_clock(condition: CompiledExpression | None) -> bool:
    return condition is not None and bool(_CLOCK.search(condition.text or ""))
