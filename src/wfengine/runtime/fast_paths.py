"""Which of the navigator's fast paths each activity of a compiled graph takes, decided once
as the graph is compiled (:meth:`.compiler.ProcessCompiler` calls :func:`mark_fast_paths`).

Why at compile time: each flag says that a run-time test cannot apply to the activity, ever
(no person's work comes first, no rival, no turn to wait for), so the navigator skips those
tests, and the call that makes them, for every activity instance it begins. A flag left False
(a stand-in activity of a process that no longer deploys) only means the full way round.
"""

from __future__ import annotations

from wfengine.runtime.compiled import (
    JOIN_PASS,
    KIND_BLOCK,
    KIND_NONE,
    KIND_SCRIPT,
    KIND_SUBFLOW,
    KIND_TASK,
    CGraph,
)

#: the kinds of activity that take their turn in a sequential ad-hoc set when they run by
#: themselves (a person's activity takes it when its work item is started); an event that
#: waits (a timer, a message, a signal, a condition) is no work done and holds no turn
TAKES_TURN = frozenset({KIND_TASK, KIND_SUBFLOW, KIND_BLOCK, KIND_SCRIPT})


def mark_fast_paths(graph: CGraph) -> None:
    """Set :attr:`~.compiled.CActivity.instant`, :attr:`~.compiled.CActivity.plain_task`,
    :attr:`~.compiled.CActivity.plain_create`, :attr:`~.compiled.CActivity.plain_offer` and
    :attr:`~.compiled.CActivity.ready_next` of every activity of ``graph``."""
    for ca in graph.activities:
        nxt = ca.only_next
        target = graph.activities[nxt.target] if nxt is not None else None
        if target is not None and target.join == JOIN_PASS and not graph.tracks_places:
            ca.ready_next = None if ca.choice else target
        ca.instant = (
            ca.kind == KIND_NONE
            and not ca.offer_first
            and ca.loop is None
            and not ca.deadlines
            and not ca.terminate
            and not ca.boundaries
            and ca.throws is None
            and not ca.rivals
            and not ca.assign_start
            and not ca.assign_end
        )
        ca.plain_task = (
            ca.kind == KIND_TASK
            and not ca.offer_first
            and ca.loop is None
            and not ca.deadlines
            and not ca.boundaries
            and ca.throws is None
            and not ca.assign_start
        )
        ca.plain_create = (
            not ca.offer_first
            and not ca.rivals
            and not (graph.adhoc_sequential and ca.kind in TAKES_TURN)
        )
        # (what _create, _start_activity and _run_body test before a person's work is
        # offered: none of it can apply, so the navigator creates it and offers at once)
        ca.plain_offer = (
            ca.offer_first
            and not ca.rivals
            and ca.loop is None
            and not ca.deadlines
            and not ca.boundaries
            and ca.throws is None
            and not ca.assign_start
        )
