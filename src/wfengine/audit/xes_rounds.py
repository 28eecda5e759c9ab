"""The XES life cycle of each round of a Standard loop (what :mod:`wfengine.audit.exports`
writes a trace's loop activities with).

The engine records one ``activity.started`` and one ``activity.completed`` per activity
instance, and an ``activity.iteration`` as each round of a Standard loop ends. So each round
gets its own ``start`` and ``complete``: the iteration is the round's ``complete`` (and the
activity's final ``activity.completed``, at the same moment, is not a second one). A later
round starts as the process metrics measure it (:class:`wfengine.runtime.activity_durations.
Rounds`): one whose work is offered to people at its work item's start (or its completion,
when nobody started it first, as the first round's ``activity.started`` is recorded then);
one nobody is offered (a subflow's, an application's, a block's, an automatic activity's) as
soon as it is ready, at the iteration that ended the round before. Why: such a round showed
its start at the moment it ended (a subflow's two-hour round as no time at all, beside the
metrics' two hours).
"""

from __future__ import annotations

from collections.abc import Sequence

from wfengine.runtime.store import AuditEvent

START, COMPLETE, START_COMPLETE = ("start",), ("complete",), ("start", "complete")
#: the iteration ends a round and the next, ready at once, begins with it
COMPLETE_START = ("complete", "start")
#: what shows a loop's later round offered to people began: its work item started, or
#: completed unstarted
ROUND_STARTS = frozenset({"work_item.started", "work_item.completed"})
#: after an iteration, the next round waits for a person (offered) or there is none (the
#: activity completed: the last round's iteration was its end)
_NO_ROUND_AT_ONCE = frozenset({"work_item.offered", "activity.completed"})
_ITERATION = "activity.iteration"


def rounds_at_once(events: Sequence[AuditEvent]) -> set[int]:
    """The positions in ``events`` (one instance's trail, in order) of the iterations after
    which the next round began at once: the activity instance's next event of weight is
    another iteration (the round ran and ended), or there is none (it runs now, or an abort
    closed it), not a work item offered nor the activity's completion."""
    found: set[int] = set()
    pending: dict[str, int] = {}  # activity instance -> its last iteration, undecided
    for i, event in enumerate(events):
        ai = event.activity_instance_id
        if ai is None:
            continue
        if ai in pending:
            if event.kind in _NO_ROUND_AT_ONCE:
                del pending[ai]
            elif event.kind == _ITERATION:
                found.add(pending.pop(ai))
        if event.kind == _ITERATION:
            pending[ai] = i
    found.update(pending.values())
    return found


class XesRounds:
    """The rounds' transitions of one trace's events, seen in order (:meth:`transitions`)."""

    __slots__ = ("_at_once", "_open")

    def __init__(self, events: Sequence[AuditEvent]) -> None:
        #: activity instance -> whether its current round has had its ``start`` (absent:
        #: the activity has not started)
        self._open: dict[str, bool] = {}
        self._at_once = rounds_at_once(events)

    def transitions(self, event: AuditEvent, position: int) -> tuple[str, ...] | None:
        """``event``'s XES transitions as a loop's round (``position``: its place in the
        events), given the events before; None: none of a round's, its kind's own."""
        kind, ai = event.kind, event.activity_instance_id
        if ai is None:
            return None
        began = self._open.get(ai)
        if kind == "activity.started":
            self._open[ai] = True
        elif kind in ROUND_STARTS and began is False:
            self._open[ai] = True
            return START  # a later round's work began
        elif kind == _ITERATION and began is not None:
            at_once = position in self._at_once
            self._open[ai] = at_once
            if began:
                return COMPLETE_START if at_once else COMPLETE
            # (a round offered and closed unstarted: shown as it ended)
            return START_COMPLETE + START if at_once else START_COMPLETE
        elif kind == "activity.completed" and began is False:
            return ()  # the last round's iteration was its completion
        return None
